import type { RdsApi } from '../../aws/rds.js';
import { describeError } from '../../errors.js';
import { fromClusterSnapshot, fromSnapshot } from '../model.js';
import { TAGS } from '../tags.js';
import {
  fail,
  go,
  instanceIdOf,
  MAX_RESTORE_ATTEMPTS,
  networkOf,
  restoreTargetOf,
  type StepDeps,
  type StepResult,
  stay,
  waitedTooLong,
} from './flow.js';
import type { DrillMessage } from './messages.js';
import { dialectOf } from './validate.js';

const FAILED_STATUSES = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'storage-full',
]);

interface Pick {
  kind: 'instance' | 'cluster';
  id: string;
  createdAt: Date;
  engine: string;
}

const newestOf = (list: (Pick | undefined)[]) =>
  list
    .filter((p): p is Pick => p !== undefined)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];

/** The newest available snapshot of the database (RDS lists them in no order): an instance's, else a cluster's. */
async function newestSnapshot(rds: RdsApi, dbId: string): Promise<Pick | undefined> {
  const own = newestOf(
    (await rds.listSnapshots(dbId)).map((raw) => {
      const s = fromSnapshot(raw);
      return s?.status === 'available' && s.createdAt
        ? { kind: 'instance', id: s.id, createdAt: s.createdAt, engine: raw.Engine ?? '' }
        : undefined;
    }),
  );
  if (own) return own;
  return newestOf(
    (await rds.listClusterSnapshots(dbId)).map((raw) => {
      const s = fromClusterSnapshot(raw);
      return s?.status === 'available' && s.createdAt
        ? { kind: 'cluster', id: s.id, createdAt: s.createdAt, engine: raw.Engine ?? '' }
        : undefined;
    }),
  );
}

async function restoreCluster(
  rds: RdsApi,
  msg: DrillMessage,
  pick: Pick,
  tags: { Key: string; Value: string }[],
) {
  const common = { engine: pick.engine, tags };
  const cluster = await rds.restoreCluster({
    ...common,
    snapshotId: pick.id,
    clusterId: msg.tempId,
    ...networkOf(msg),
  });
  if (cluster === 'missing') return cluster;
  const instance = {
    clusterId: msg.tempId,
    instanceId: `${msg.tempId}-i`,
    instanceClass: msg.settings.clusterInstanceClass,
  };
  return rds.createClusterInstance({ ...common, ...instance });
}

/** Step 1: restore the newest snapshot (of a DR drill: the newest copy in the DR region) into the temporary instance (or cluster and its instance). */
export async function restore(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  const rds = deps.rdsFor(restoreTargetOf(msg));
  const pick = await newestSnapshot(rds, msg.dbId);
  if (!pick) {
    const what = msg.restoreRegion
      ? `DR copy of ${msg.dbId} in ${msg.restoreRegion}`
      : `snapshot of ${msg.dbId}`;
    return fail(msg, now, `no available ${what} to restore`);
  }
  const picked = {
    kind: pick.kind,
    engine: pick.engine,
    snapshotId: pick.id,
    snapshotCreatedAt: pick.createdAt.toISOString(),
  };
  // Dry-run: say which snapshot would be restored, and stop there.
  if (msg.dryRun) return go(msg, 'report', now, picked);
  const tags = [
    { Key: TAGS.drill, Value: msg.drillId },
    { Key: 'warden:source', Value: msg.dbId },
  ];
  let outcome: Awaited<ReturnType<RdsApi['restoreInstance']>>;
  try {
    outcome =
      pick.kind === 'cluster'
        ? await restoreCluster(rds, { ...msg, ...picked }, pick, tags)
        : await rds.restoreInstance({
            snapshotId: pick.id,
            instanceId: msg.tempId,
            instanceClass: msg.settings.instanceClass,
            ...networkOf(msg),
            tags,
          });
  } catch (err) {
    return fail({ ...msg, ...picked }, now, `restore of ${pick.id} failed: ${describeError(err)}`);
  }
  // 'missing': the snapshot was deleted since it was listed; the next attempt picks the then-newest one.
  if (outcome === 'missing') {
    if (msg.stepAttempts + 1 >= MAX_RESTORE_ATTEMPTS) {
      return fail({ ...msg, ...picked }, now, `snapshot ${pick.id} vanished before it could be restored`);
    }
    return { next: { message: { ...msg, stepAttempts: msg.stepAttempts + 1 }, delaySeconds: 0 } };
  }
  return go(msg, 'waitAvailable', now, picked, msg.settings.pollSeconds);
}

/** Step 2: poll until the instance is available, then record its endpoint and SQL dialect. */
export async function waitAvailable(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  const instance = await deps.rdsFor(restoreTargetOf(msg)).describeInstance(instanceIdOf(msg));
  if (!instance) return fail(msg, now, `temporary instance ${instanceIdOf(msg)} disappeared while restoring`);
  const status = instance.DBInstanceStatus ?? 'unknown';
  if (status === 'available' && instance.Endpoint?.Address && instance.Endpoint.Port) {
    const endpoint = { host: instance.Endpoint.Address, port: instance.Endpoint.Port };
    const dialect = dialectOf(instance.Engine);
    if (!dialect) return fail(msg, now, `engine ${instance.Engine ?? 'unknown'} has no validation support`);
    return go(msg, 'validate', now, { endpoint, dialect, availableAt: now.toISOString() });
  }
  if (FAILED_STATUSES.has(status)) return fail(msg, now, `restore ended in status ${status}`);
  if (waitedTooLong(msg, now)) {
    return fail(msg, now, `not available after ${msg.settings.maxWaitMinutes} min (status ${status})`);
  }
  return stay(msg);
}
