import type { AutomationResult, LoggerLike } from '../automations/types.js';
import type { Target } from '../aws/clients.js';
import type { Outcome, RdsApi, Tag } from '../aws/rds.js';
import { describeError } from '../errors.js';
import type { Finding, FindingAction } from '../findings/finding.js';
import { backupFinding, type FindingScope, regionArn } from './findings.js';
import { loadInventory } from './inventory.js';
import { type BackupResource, resourceKey, type SnapshotInfo } from './model.js';
import type { LifecycleOptions } from './options.js';
import { outsideRetention } from './retention.js';
import { parseBackupTags, TAGS } from './tags.js';

export const LIFECYCLE_AUTOMATION = 'snapshotLifecycle';

export interface LifecycleDeps {
  rds: RdsApi;
  drRds?: RdsApi | undefined;
  target: Target;
  now: () => Date;
  logger: LoggerLike;
  dryRun: boolean;
}

const stamp = (d: Date, minutes = false) =>
  d
    .toISOString()
    .slice(0, minutes ? 16 : 10)
    .replace(/[-:T]/g, '');

/** One manual snapshot per resource per UTC day: a retry the same day finds it instead of making another. */
export const dailySnapshotId = (resourceId: string, now: Date) => `warden-${resourceId}-${stamp(now)}`;
/** The DR copy of a snapshot is named after the recovery point it holds, so a copy is made once. */
export const drCopyId = (resourceId: string, createdAt: Date) =>
  `warden-dr-${resourceId}-${stamp(createdAt, true)}`;

/** ARN of a snapshot of `r` (in `region`, default the resource's own). */
export function snapshotArn(r: BackupResource, snapshotId: string, region?: string): string {
  const [arn, partition, service, ownRegion, account] = r.arn.split(':');
  const type = r.kind === 'instance' ? 'snapshot' : 'cluster-snapshot';
  return [arn, partition, service, region ?? ownRegion, account, type, snapshotId].join(':');
}

/** warden's daily snapshots and copies; a pre-change backup (`warden backup snapshot`) is the operator's to delete. */
export const isManaged = (s: SnapshotInfo) =>
  s.type === 'manual' && s.tags[TAGS.managed] === 'true' && s.tags['warden:purpose'] !== 'pre-change';

interface PlannedAction {
  type: 'snapshot-create' | 'snapshot-copy' | 'snapshot-delete';
  resource: BackupResource;
  snapshotId: string;
  snapshotArn: string;
  region: string;
  run: () => Promise<Outcome>;
  detail: Record<string, string | number>;
}

const SKIP_REASON: Record<Exclude<Outcome, 'done'>, Record<PlannedAction['type'], string>> = {
  exists: {
    'snapshot-create': 'already exists (retry)',
    'snapshot-copy': 'copy already exists',
    'snapshot-delete': '',
  },
  missing: {
    'snapshot-create': 'database no longer exists',
    'snapshot-copy': 'source snapshot deleted since it was listed',
    'snapshot-delete': 'already deleted',
  },
};

/** What to do for one managed database (pure, from the inventory). */
export function planResource(
  r: BackupResource,
  snaps: readonly SnapshotInfo[],
  dr: readonly SnapshotInfo[] | undefined,
  deps: Pick<LifecycleDeps, 'rds' | 'drRds'>,
  options: LifecycleOptions,
  now: Date,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  const cluster = r.kind === 'cluster';
  const tags: Tag[] = [
    { Key: TAGS.managed, Value: 'true' },
    { Key: 'warden:source', Value: r.id },
  ];
  const today = dailySnapshotId(r.id, now);
  if (!snaps.some((s) => s.id === today)) {
    out.push({
      type: 'snapshot-create',
      resource: r,
      snapshotId: today,
      snapshotArn: snapshotArn(r, today),
      region: deps.rds.region,
      detail: { database: r.id, status: r.status },
      run: () =>
        cluster
          ? deps.rds.createClusterSnapshot(r.id, today, tags)
          : deps.rds.createSnapshot(r.id, today, tags),
    });
  }
  const newest = snaps.find((s) => s.status === 'available' && s.createdAt);
  const drRds = deps.drRds;
  if (options.drRegion && options.drKmsKeyId && drRds && dr && newest?.createdAt) {
    const id = drCopyId(r.id, newest.createdAt);
    const newestDr = dr.find((s) => s.createdAt)?.createdAt;
    if (!dr.some((s) => s.id === id) && !(newestDr && newestDr >= newest.createdAt)) {
      const input = { sourceArn: newest.arn, targetId: id, kmsKeyId: options.drKmsKeyId, tags };
      out.push({
        type: 'snapshot-copy',
        resource: r,
        snapshotId: id,
        snapshotArn: snapshotArn(r, id, options.drRegion),
        region: options.drRegion,
        detail: {
          database: r.id,
          source: newest.id,
          drRegion: options.drRegion,
          kmsKeyId: options.drKmsKeyId,
        },
        run: () => (cluster ? drRds.copyClusterSnapshot(input) : drRds.copySnapshot(input)),
      });
    }
  }
  const prune = (list: readonly SnapshotInfo[], api: RdsApi) => {
    const newestId = list[0]?.id;
    const managed = list.filter((s) => isManaged(s) && s.status === 'available');
    for (const s of outsideRetention(managed, options.retention, now)) {
      if (s.id === newestId) continue; // never the newest, managed or not
      out.push({
        type: 'snapshot-delete',
        resource: r,
        snapshotId: s.id,
        snapshotArn: s.arn,
        region: api.region,
        detail: { database: r.id, createdAt: s.createdAt?.toISOString() ?? 'unknown' },
        run: () => (cluster ? api.deleteClusterSnapshot(s.id) : api.deleteSnapshot(s.id)),
      });
    }
  };
  prune(snaps, deps.rds);
  if (options.pruneDrCopies && drRds && dr) prune(dr, drRds);
  return out;
}

async function execute(a: PlannedAction, dryRun: boolean): Promise<FindingAction> {
  const detail = { ...a.detail, snapshot: a.snapshotId, region: a.region };
  if (dryRun) return { type: a.type, result: 'planned', detail };
  try {
    const outcome = await a.run();
    if (outcome === 'done') return { type: a.type, result: 'succeeded', detail };
    return {
      type: a.type,
      result: 'skipped',
      detail: { ...detail, reason: SKIP_REASON[outcome][a.type] || outcome },
    };
  } catch (err) {
    return { type: a.type, result: 'failed', detail: { ...detail, error: describeError(err) } };
  }
}

/** snapshotLifecycle: create, copy to DR and prune managed snapshots of databases tagged warden:snapshots=managed. */
export async function runLifecycle(
  deps: LifecycleDeps,
  options: LifecycleOptions,
): Promise<AutomationResult> {
  const now = deps.now();
  const scope: FindingScope = {
    automation: LIFECYCLE_AUTOMATION,
    target: deps.target,
    now,
    dryRun: deps.dryRun,
  };
  const inv = await loadInventory(deps.rds, options.drRegion ? deps.drRds : undefined);
  const findings: Finding[] = inv.failures.map((f) =>
    backupFinding(scope, {
      check: `api-error:${f.scope}`,
      severity: 'high',
      resourceArn: f.resourceKey
        ? `${regionArn(deps.target, 'db')}/${f.resourceKey}`
        : regionArn(deps.target, f.scope),
      title: `could not list ${f.resourceKey ?? f.scope}: ${f.error}; no snapshot action taken for it`,
      detail: { scope: f.scope, error: f.error },
    }),
  );
  const drBroken = inv.failures.some((f) => f.scope === 'dr-snapshots');
  const managed = inv.resources.filter((r) => parseBackupTags(r.tags, 24).managedSnapshots);
  const rows: Record<string, unknown>[] = [];
  for (const r of managed) {
    const key = resourceKey(r.kind, r.id);
    if (inv.failures.some((f) => f.resourceKey === key)) continue;
    const dr = drBroken ? undefined : (inv.drSnapshots?.get(key) ?? []);
    const actions = planResource(r, inv.snapshots.get(key) ?? [], dr, deps, options, now);
    for (const a of actions) {
      const action = await execute(a, deps.dryRun);
      rows.push({
        database: r.id,
        type: a.type,
        snapshot: a.snapshotId,
        region: a.region,
        result: action.result,
      });
      findings.push(
        backupFinding(scope, {
          check: a.type,
          severity: action.result === 'failed' ? 'high' : 'info',
          resourceArn: a.snapshotArn,
          title: `${r.id}: ${a.type.replace('snapshot-', '')} ${a.snapshotId} in ${a.region}: ${action.result}`,
          detail: { database: r.id, snapshot: a.snapshotId },
          action,
        }),
      );
    }
  }
  const count = (result: string) => rows.filter((x) => x.result === result).length;
  const summary = `${managed.length} managed databases: ${rows.length} actions (${count('succeeded')} done, ${count('planned')} planned, ${count('skipped')} skipped, ${count('failed')} failed)`;
  deps.logger.info('snapshot lifecycle done', { actions: rows.length });
  return {
    findings,
    report: {
      automation: LIFECYCLE_AUTOMATION,
      target: deps.target,
      dryRun: deps.dryRun,
      managed: managed.map((r) => r.id),
      actions: rows,
      apiErrors: inv.failures,
    },
    summary,
  };
}
