import type { LoggerLike } from '../../automations/types.js';
import { ExecutionError } from '../../errors.js';
import type { SnapshotKind, SnapshotTarget } from './resource.js';

/** What a kind reports about one of its backups. */
export interface BackupState {
  id: string;
  arn: string;
  /** The service's own status word (available, creating, AVAILABLE, ...). */
  status: string;
  /** Done and usable (available, 100 %). */
  complete: boolean;
  /** Failed for good (failed, deleted): stop waiting. */
  failed: boolean;
  encrypted: boolean;
  kmsKeyId?: string | undefined;
}

/** How one kind takes and reads an on-demand backup of one resource. */
export interface SnapshotDriver {
  /** What the resource is (instance, cluster, table, replication group), found before anything is created. */
  describeSource(): Promise<{ type: string; arn: string } | undefined>;
  /** 'exists' when a backup of that id is already there (a retried command). Returns the backup's arn when known. */
  create(
    id: string,
    tags: { Key: string; Value: string }[],
  ): Promise<{ outcome: 'done' | 'exists'; arn?: string }>;
  /** Undefined while the service does not list it yet. */
  describe(id: string, arn: string | undefined): Promise<BackupState | undefined>;
}

type Sleep = (ms: number) => Promise<void>;

export interface SnapshotDeps {
  driver: SnapshotDriver;
  now: () => Date;
  sleep: Sleep;
  logger: LoggerLike;
  dryRun: boolean;
}

export interface SnapshotOptions {
  wait: boolean;
  pollSeconds: number;
  maxWaitMinutes: number;
}

export interface SnapshotReport {
  kind: SnapshotKind;
  resource: string;
  resourceType: string;
  snapshotId: string;
  arn: string | null;
  result: 'planned' | 'created' | 'existed';
  /** available (verified), creating (not waited for), or failed. */
  state: 'planned' | 'creating' | 'available' | 'failed';
  encrypted: boolean | null;
  kmsKeyId: string | null;
  /** Why the backup cannot be trusted (not encrypted, not complete, failed); empty when verified. */
  problems: string[];
  waitedSeconds: number;
}

/** Tags of every backup warden takes before a change: findable, and kept out of snapshotLifecycle's pruning. */
export const preChangeTags = (t: SnapshotTarget) => [
  { Key: 'warden:managed', Value: 'true' },
  { Key: 'warden:purpose', Value: 'pre-change' },
  { Key: 'warden:source', Value: t.name },
];

/**
 * Takes an on-demand backup (`warden backup snapshot`): checks the resource exists, creates the backup under a
 * warden-pre-* id (dry-run: says which, creates nothing), and with `wait` polls until it is complete, then
 * verifies it is encrypted and complete. A retry within the same minute reuses the backup it already asked for.
 */
export async function takeSnapshot(
  deps: SnapshotDeps,
  target: SnapshotTarget,
  snapshotId: string,
  options: SnapshotOptions,
): Promise<SnapshotReport> {
  const source = await deps.driver.describeSource();
  if (!source) throw new ExecutionError(`${target.kind} ${target.name} not found in this account and region`);
  const base = {
    kind: target.kind,
    resource: target.name,
    resourceType: source.type,
    snapshotId,
    encrypted: null,
    kmsKeyId: null,
    problems: [],
    waitedSeconds: 0,
  };
  if (deps.dryRun) return { ...base, arn: null, result: 'planned', state: 'planned' };
  const created = await deps.driver.create(snapshotId, preChangeTags(target));
  const result = created.outcome === 'exists' ? 'existed' : 'created';
  deps.logger.info('on-demand backup requested', {
    kind: target.kind,
    resource: target.name,
    snapshotId,
    result,
  });
  const started = deps.now().getTime();
  let state = await deps.driver.describe(snapshotId, created.arn);
  while (options.wait && !state?.complete && !state?.failed) {
    if (deps.now().getTime() - started > options.maxWaitMinutes * 60_000) break;
    await deps.sleep(options.pollSeconds * 1000);
    state = await deps.driver.describe(snapshotId, created.arn);
  }
  const waitedSeconds = Math.round((deps.now().getTime() - started) / 1000);
  const problems: string[] = [];
  if (!state) problems.push(`${snapshotId} is not listed by ${target.kind}`);
  else {
    if (state.failed) problems.push(`status ${state.status}`);
    else if (options.wait && !state.complete)
      problems.push(`still ${state.status} after ${options.maxWaitMinutes} min`);
    if (!state.encrypted) problems.push('not encrypted');
  }
  return {
    ...base,
    arn: state?.arn ?? created.arn ?? null,
    result,
    state: state?.failed || !state ? 'failed' : state.complete ? 'available' : 'creating',
    encrypted: state ? state.encrypted : null,
    kmsKeyId: state?.kmsKeyId ?? null,
    problems,
    waitedSeconds,
  };
}
