import type {
  GlobalReplicationGroup,
  ReplicationGroup,
  ServerlessCache,
  ServerlessCacheSnapshot,
  Snapshot,
} from '../../aws/elasticache.js';
import { describeError } from '../../errors.js';
import { mapLimit } from '../../runtime/mapLimit.js';
import { type CheckResult, freshness, result, skippedResult } from '../checks.js';
import {
  type EvalContext,
  type KindScan,
  type ProtectedItem,
  type ProtectionKind,
  type Requirements,
  tagRecord,
} from './types.js';

const CONCURRENCY = 8;
const CHECKS = ['recovery-point', 'retention-period', 'encryption', 'dr-copy'] as const;

/** A snapshot reduced to what the checks read: which cache it holds, when, and whether it is usable. */
export interface CacheSnapshot {
  name: string;
  cacheId: string;
  status: string;
  createdAt: Date | undefined;
}

export function fromSnapshot(s: Snapshot): CacheSnapshot {
  const times = (s.NodeSnapshots ?? []).flatMap((n) => (n.SnapshotCreateTime ? [n.SnapshotCreateTime] : []));
  return {
    name: s.SnapshotName ?? '',
    cacheId: s.ReplicationGroupId ?? s.CacheClusterId ?? '',
    status: s.SnapshotStatus ?? 'unknown',
    // A multi-shard snapshot is as old as its oldest shard.
    createdAt: times.length > 0 ? new Date(Math.min(...times.map((t) => t.getTime()))) : undefined,
  };
}

export function fromServerlessSnapshot(s: ServerlessCacheSnapshot): CacheSnapshot {
  return {
    name: s.ServerlessCacheSnapshotName ?? '',
    cacheId: s.ServerlessCacheConfiguration?.ServerlessCacheName ?? '',
    status: s.Status ?? 'unknown',
    createdAt: s.CreateTime,
  };
}

/** What the checks of one cache need: node-based replication group or serverless cache, uniformly. */
export interface CacheFacts {
  retentionLimit: number;
  encryptedAtRest: boolean;
  kmsKeyId: string | undefined;
  /** Regions of the other members of its Global Datastore. */
  globalRegions: string[];
  snapshots: CacheSnapshot[];
  /** Snapshots of this cache in the DR region; undefined without a DR region or when they could not be listed. */
  drSnapshots: CacheSnapshot[] | undefined;
  /** Snapshots of any cache in the DR region (for a `warden:dr-cache` tag naming another id there). */
  drSnapshotsOf?: ((cacheId: string) => CacheSnapshot[] | undefined) | undefined;
  drError?: string | undefined;
}

const newestAvailable = (list: readonly CacheSnapshot[]) =>
  list
    .filter((s) => s.status === 'available' && s.createdAt)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];

/** The checks of one cache (pure). */
export function cacheChecks(f: CacheFacts, req: Requirements, ctx: EvalContext): CheckResult[] {
  const newest = newestAvailable(f.snapshots);
  const checks: CheckResult[] = [
    newest?.createdAt
      ? freshness(
          'recovery-point',
          `newest snapshot ${newest.name}`,
          newest.createdAt,
          ctx.now,
          req.rpoHours,
          {
            source: `snapshot ${newest.name}`,
          },
        )
      : result('recovery-point', false, 'critical', 'no available snapshot', { rpoHours: req.rpoHours }),
  ];
  const days = f.retentionLimit;
  checks.push(
    days === 0
      ? result('retention-period', false, 'critical', 'automatic snapshots are disabled (retention 0 days)', {
          retentionDays: 0,
          requiredDays: req.retentionDays,
        })
      : result(
          'retention-period',
          days >= req.retentionDays,
          'medium',
          `snapshot retention ${days} d ${days >= req.retentionDays ? '>=' : '<'} ${req.retentionDays} d`,
          { retentionDays: days, requiredDays: req.retentionDays },
        ),
  );
  checks.push(
    result(
      'encryption',
      f.encryptedAtRest,
      'high',
      f.encryptedAtRest
        ? `encrypted at rest${f.kmsKeyId ? ` with KMS key ${f.kmsKeyId.split('/').pop()}` : ''}`
        : 'not encrypted at rest',
      { atRest: f.encryptedAtRest, kmsKeyId: f.kmsKeyId ?? null },
    ),
  );
  const dr = ctx.options.drRegion;
  if (!dr) checks.push(skippedResult('dr-copy', 'no DR region configured'));
  else if (f.globalRegions.includes(dr))
    checks.push(
      result('dr-copy', true, 'high', `Global Datastore member in ${dr}`, {
        drRegion: dr,
        source: 'global datastore',
      }),
    );
  else checks.push(drCopy(f, req, ctx, dr));
  return checks;
}

/**
 * The DR copy: snapshots in the DR region of the cache itself, or of the cache its warden:dr-cache tag names there
 * (a cache seeded from an exported snapshot has its own id).
 */
function drCopy(f: CacheFacts, req: Requirements, ctx: EvalContext, dr: string): CheckResult {
  const other = req.drCache && f.drSnapshotsOf ? req.drCache : undefined;
  const list = other ? f.drSnapshotsOf?.(other) : f.drSnapshots;
  if (!list)
    return {
      check: 'dr-copy',
      status: 'error',
      reason: `snapshots in ${dr} could not be listed: ${f.drError ?? 'unknown error'}`,
      severity: 'high',
      detail: { drRegion: dr, error: f.drError ?? null },
    };
  const copy = newestAvailable(list);
  const of = other ? ` of ${other}` : '';
  return copy?.createdAt
    ? freshness('dr-copy', `snapshot ${copy.name}${of} in ${dr}`, copy.createdAt, ctx.now, req.rpoHours, {
        drRegion: dr,
        source: 'copied snapshot',
        drCache: other ?? null,
      })
    : result(
        'dr-copy',
        false,
        'high',
        `no Global Datastore member and no snapshot${of || ' copy'} in ${dr}`,
        {
          drRegion: dr,
          drCache: other ?? null,
        },
      );
}

/** The DR region's snapshots of any cache, node-based or serverless; undefined where they could not be listed. */
const drSnapshotsOf =
  (nodes: Map<string, CacheSnapshot[]> | undefined, serverless: Map<string, CacheSnapshot[]> | undefined) =>
  (cacheId: string): CacheSnapshot[] | undefined =>
    nodes && serverless
      ? [...(nodes.get(cacheId) ?? []), ...(serverless.get(cacheId) ?? [])]
      : (nodes?.get(cacheId) ?? serverless?.get(cacheId));

const group = (list: CacheSnapshot[]) => {
  const out = new Map<string, CacheSnapshot[]>();
  for (const s of list) out.set(s.cacheId, [...(out.get(s.cacheId) ?? []), s]);
  return out;
};

const settle = async <T>(p: Promise<T>): Promise<{ value?: T; error?: string }> => {
  try {
    return { value: await p };
  } catch (err) {
    return { error: describeError(err) };
  }
};

/** ElastiCache (Redis OSS / Valkey) replication groups and serverless caches: region-wide walks and per-cache tags. */
export const elasticacheKind: ProtectionKind = {
  name: 'elasticache',
  description:
    'ElastiCache replication groups and serverless caches: snapshots, retention, encryption, DR copy',
  checks: CHECKS,
  permissions: [
    'elasticache:DescribeReplicationGroups',
    'elasticache:DescribeServerlessCaches',
    'elasticache:DescribeSnapshots',
    'elasticache:DescribeServerlessCacheSnapshots',
    'elasticache:DescribeGlobalReplicationGroups',
    'elasticache:ListTagsForResource',
  ],
  ready: (apis) => apis.elasticache !== undefined,
  async scan(ctx): Promise<KindScan> {
    const api = ctx.apis.elasticache;
    const out: KindScan = { items: [], failures: [] };
    if (!api) return out;
    const dr = ctx.options.drRegion ? ctx.apis.drElasticache : undefined;
    const [groups, caches, snaps, serverlessSnaps, globals, drSnaps, drServerless] = await Promise.all([
      settle(api.listReplicationGroups()),
      settle(api.listServerlessCaches()),
      settle(api.listSnapshots()),
      settle(api.listServerlessSnapshots()),
      settle(
        ctx.options.drRegion
          ? api.listGlobalReplicationGroups()
          : Promise.resolve([] as GlobalReplicationGroup[]),
      ),
      settle(dr ? dr.listSnapshots() : Promise.resolve(undefined)),
      settle(dr ? dr.listServerlessSnapshots() : Promise.resolve(undefined)),
    ]);
    const fail = (scope: string, error: string | undefined, region = api.region) =>
      error && out.failures.push({ kind: 'elasticache', scope, region, error });
    fail('replication-groups', groups.error);
    fail('serverless-caches', caches.error);
    fail('global-datastores', globals.error);
    const snapshots = group((snaps.value ?? []).map(fromSnapshot));
    const serverless = group((serverlessSnaps.value ?? []).map(fromServerlessSnapshot));
    const drGroup = drSnaps.value ? group(drSnaps.value.map(fromSnapshot)) : undefined;
    const drServerlessGroup = drServerless.value
      ? group(drServerless.value.map(fromServerlessSnapshot))
      : undefined;
    const regionsOf = new Map(
      (globals.value ?? []).map((g) => [
        g.GlobalReplicationGroupId ?? '',
        (g.Members ?? []).flatMap((m) => (m.ReplicationGroupRegion ? [m.ReplicationGroupRegion] : [])),
      ]),
    );
    const drOf = drSnapshotsOf(drGroup, drServerlessGroup);
    const drError = ctx.options.drRegion
      ? (drSnaps.error ?? drServerless.error ?? (dr ? undefined : 'no ElastiCache client for the DR region'))
      : undefined;
    type Entry = { id: string; arn: string; engine: string; facts: () => CacheFacts; snapError?: string };
    const entries: Entry[] = [
      ...(groups.value ?? []).map((g: ReplicationGroup) => ({
        id: g.ReplicationGroupId ?? '',
        arn: g.ARN ?? '',
        engine: g.Engine ?? 'redis',
        snapError: snaps.error,
        facts: (): CacheFacts => ({
          retentionLimit: g.SnapshotRetentionLimit ?? 0,
          encryptedAtRest: g.AtRestEncryptionEnabled === true,
          kmsKeyId: g.KmsKeyId,
          globalRegions: regionsOf.get(g.GlobalReplicationGroupInfo?.GlobalReplicationGroupId ?? '') ?? [],
          snapshots: snapshots.get(g.ReplicationGroupId ?? '') ?? [],
          drSnapshots: drGroup ? (drGroup.get(g.ReplicationGroupId ?? '') ?? []) : undefined,
          drSnapshotsOf: drOf,
          drError,
        }),
      })),
      ...(caches.value ?? []).map((c: ServerlessCache) => ({
        id: c.ServerlessCacheName ?? '',
        arn: c.ARN ?? '',
        engine: `${c.Engine ?? 'valkey'} serverless`,
        snapError: serverlessSnaps.error,
        facts: (): CacheFacts => ({
          retentionLimit: c.SnapshotRetentionLimit ?? 0,
          // Serverless caches are always encrypted at rest (an AWS owned key unless a KMS key is given).
          encryptedAtRest: true,
          kmsKeyId: c.KmsKeyId,
          globalRegions: [],
          snapshots: serverless.get(c.ServerlessCacheName ?? '') ?? [],
          drSnapshots: drServerlessGroup
            ? (drServerlessGroup.get(c.ServerlessCacheName ?? '') ?? [])
            : undefined,
          drSnapshotsOf: drOf,
          drError,
        }),
      })),
    ];
    const found = await mapLimit(entries, CONCURRENCY, async (e): Promise<ProtectedItem | undefined> => {
      const base = { kind: 'elasticache', id: e.id, arn: e.arn, engine: e.engine };
      let tags: Record<string, string> | undefined;
      let tagError: string | undefined;
      try {
        tags = tagRecord(await api.listTags(e.arn));
      } catch (err) {
        tagError = describeError(err);
      }
      if (tags && !ctx.wanted('elasticache', tags)) {
        return { ...base, tags, evaluate: () => [] };
      }
      const facts = e.facts();
      return {
        ...base,
        tags,
        tagError,
        evaluate: (req, ectx) => {
          const checks = cacheChecks(facts, req, ectx);
          if (!e.snapError) return checks;
          const why = `snapshots could not be listed: ${e.snapError}`;
          return checks.map((c) =>
            c.check === 'recovery-point'
              ? { check: c.check, status: 'error', reason: why, severity: 'high', detail: { error: why } }
              : c,
          );
        },
      };
    });
    out.items.push(...found.filter((i): i is ProtectedItem => i !== undefined));
    return out;
  },
};
