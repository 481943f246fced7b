import * as v from 'valibot';
import type { LoggerLike } from '../../automations/types.js';
import type { Target } from '../../aws/clients.js';
import { strictObject } from '../../schemas.js';
import { parseWith } from '../../validation.js';
import { type DrillOptions, drillOptionsSchema } from './messages.js';
import type { DrillDeps } from './runner.js';
import { newDrill } from './runner.js';
import { newTableDrill } from './tableReport.js';

/** The scheduled event (EventBridge input): drill every configured database, or the named ones. */
export const drillScheduleSchema = strictObject({
  start: v.union([v.literal('all'), v.pipe(v.array(v.string()), v.minLength(1))]),
});
export type DrillSchedule = v.InferOutput<typeof drillScheduleSchema>;

/** SSM parameter holding the drill options (JSON: settings and, per database, how to validate it). */
export const drillOptionsParameter = (stage: string) => `/warden/${stage}/backup/drills`;
/** The drills queue of a stage, by the name resources/backup.yml gives it. */
export const drillsQueueUrl = (region: string, account: string, stage: string) =>
  `https://sqs.${region}.amazonaws.com/${account}/warden-${stage}-drills`;

export interface ScheduleDeps {
  enqueue: DrillDeps['enqueue'];
  now: () => Date;
  logger: LoggerLike;
  home: Target;
  dryRun: boolean;
  /** Per account under an apply share (lib/flags/rollout modeOf); unset: `dryRun` for every drill. */
  modeFor?:
    | ((account: string, population: readonly string[]) => { dryRun: boolean; reason?: string })
    | undefined;
  /** The drill options as stored (validated here, so a bad parameter names its field). */
  loadOptions: () => Promise<unknown>;
  /** Deletes what crashed drills left behind, before new drills start (home, DR region, tables' places). */
  sweep?: (options: DrillOptions) => Promise<void>;
}

/** Starts one drill per database and per DynamoDB table: each a first message on the drills queue. Returns the ids. */
export async function startScheduledDrills(deps: ScheduleDeps, event: DrillSchedule): Promise<string[]> {
  const options: DrillOptions = parseWith(
    drillOptionsSchema,
    await deps.loadOptions(),
    'drill options parameter',
  );
  await deps.sweep?.(options);
  const { databases, tables, ...settings } = options;
  const wanted = event.start === 'all' ? [...Object.keys(databases), ...Object.keys(tables)] : event.start;
  const unknown = wanted.filter((db) => !databases[db] && !tables[db]);
  if (unknown.length > 0)
    deps.logger.warn('drills requested for databases without a drill config', { unknown });
  const accountOf = (db: string) => (tables[db] ?? databases[db])?.account ?? deps.home.account;
  const population = wanted.filter((db) => databases[db] || tables[db]).map(accountOf);
  const mode = (account: string) => {
    const m = deps.modeFor?.(account, population) ?? { dryRun: deps.dryRun };
    return { dryRun: m.dryRun, ...(m.dryRun && m.reason ? { dryRunReason: m.reason } : {}) };
  };
  const ids: string[] = [];
  for (const dbId of wanted) {
    const table = tables[dbId];
    if (table) {
      const target = {
        account: table.account ?? deps.home.account,
        region: table.region ?? deps.home.region,
      };
      const input = {
        target,
        table: dbId,
        settings,
        validation: table,
        now: deps.now(),
        ...mode(target.account),
      };
      const first = newTableDrill(input);
      await deps.enqueue(first, 0);
      ids.push(first.drillId);
    }
    const validation = databases[dbId];
    if (!validation) continue;
    const target = {
      account: validation.account ?? deps.home.account,
      region: validation.region ?? deps.home.region,
    };
    const first = newDrill({ target, dbId, settings, validation, now: deps.now(), ...mode(target.account) });
    await deps.enqueue(first, 0);
    ids.push(first.drillId);
  }
  deps.logger.info('restore drills started', { drills: ids });
  return ids;
}
