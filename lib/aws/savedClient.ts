import { ExecutionError } from '../errors.js';

/** Saved responses of one service, by operation (`ListTables`, `DescribeTable`, ...), as the SDK returns them. */
export type SavedCalls = Record<string, unknown>;

/** The parameters that name the subject of a per-resource read: a saved operation may be keyed by them. */
const SUBJECT = ['TableName', 'ResourceArn', 'Bucket', 'BackupVaultName', 'ResourceName'] as const;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** JSON has no dates: the SDK gives Date objects, so every ISO timestamp string becomes one. */
function revive(value: unknown): unknown {
  if (typeof value === 'string') return ISO.test(value) ? new Date(value) : value;
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

/**
 * A read-only stand-in for an SDK client over saved responses (the demo's examples/backup/*.json), so the real
 * adapters run on them. `saved[Operation]` is the response, or a map from the call's subject (TableName, Bucket,
 * ...) to it; `{ "error": "NoSuchTagSet" }` is thrown as the AWS error of that name. Anything unsaved throws.
 */
export function savedClient<C>(service: string, saved: SavedCalls): C {
  const send = async (command: { input?: Record<string, unknown> }) => {
    const op = command.constructor.name.replace(/Command$/, '');
    const entry = saved[op] as Record<string, unknown> | undefined;
    if (!entry)
      throw new ExecutionError(`${service} ${op} is not in the saved responses (the demo is read-only)`);
    const subject = SUBJECT.map((k) => command.input?.[k]).find((v): v is string => typeof v === 'string');
    const answer = subject !== undefined && subject in entry ? entry[subject] : entry;
    const error = (answer as { error?: unknown }).error;
    if (typeof error === 'string') throw Object.assign(new Error(`${op}: ${error}`), { name: error });
    return revive(answer);
  };
  return { send } as C;
}
