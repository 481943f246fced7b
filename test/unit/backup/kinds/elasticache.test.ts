import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { ElastiCacheApi } from '../../../../lib/aws/elasticache.js';
import { cacheChecks, elasticacheKind } from '../../../../lib/backup/kinds/elasticache.js';
import { verifyOptionsSchema } from '../../../../lib/backup/options.js';
import { type ResourceReport, verifyBackups } from '../../../../lib/backup/verify.js';
import { memorySink } from '../../../../lib/runtime/metricSink.js';
import { DR, evalCtx, hoursAgo, NOW, REGION, REQ, scanCtx, statusOf } from './support.js';

const snap = (group: string, name: string, h: number, status = 'available') => ({
  SnapshotName: name,
  ReplicationGroupId: group,
  SnapshotStatus: status,
  NodeSnapshots: [{ SnapshotCreateTime: hoursAgo(h) }, { SnapshotCreateTime: hoursAgo(h - 0.5) }],
});
const arn = (id: string) => `arn:aws:elasticache:${REGION}:111122223333:replicationgroup:${id}`;

function fakeApi(region: string, over: Partial<ElastiCacheApi> = {}): ElastiCacheApi {
  return {
    region,
    listReplicationGroups: async () => [
      {
        ReplicationGroupId: 'sessions',
        ARN: arn('sessions'),
        Engine: 'valkey',
        SnapshotRetentionLimit: 7,
        AtRestEncryptionEnabled: true,
        GlobalReplicationGroupInfo: { GlobalReplicationGroupId: 'g1' },
      },
      {
        ReplicationGroupId: 'cache',
        ARN: arn('cache'),
        Engine: 'redis',
        SnapshotRetentionLimit: 0,
        AtRestEncryptionEnabled: false,
      },
    ],
    listServerlessCaches: async () => [
      {
        ServerlessCacheName: 'api',
        ARN: 'arn:aws:elasticache:eu-west-1:111122223333:serverlesscache:api',
        Engine: 'valkey',
        SnapshotRetentionLimit: 3,
      },
    ],
    listSnapshots: async () => [
      snap('sessions', 's-old', 50),
      snap('sessions', 's-new', 5),
      snap('sessions', 's-now', 1, 'creating'),
    ],
    listServerlessSnapshots: async () => [
      {
        ServerlessCacheSnapshotName: 'api-1',
        Status: 'available',
        CreateTime: hoursAgo(30),
        ServerlessCacheConfiguration: { ServerlessCacheName: 'api' },
      },
    ],
    listGlobalReplicationGroups: async () => [
      {
        GlobalReplicationGroupId: 'g1',
        Members: [
          { ReplicationGroupId: 'sessions', ReplicationGroupRegion: REGION },
          { ReplicationGroupId: 'sessions-dr', ReplicationGroupRegion: DR },
        ],
      },
    ],
    listTags: async () => [],
    ...over,
  };
}

describe('Function: elasticacheKind.scan', () => {
  it('checks node-based and serverless caches from region-wide listings', async () => {
    // Prepare
    const ctx = scanCtx(
      {
        elasticache: fakeApi(REGION),
        drElasticache: fakeApi(DR, {
          listSnapshots: async () => [],
          listServerlessSnapshots: async () => [],
        }),
      },
      { drRegion: DR },
    );
    // Act
    const scan = await elasticacheKind.scan(ctx);
    const by = (id: string) =>
      statusOf(scan.items.find((i) => i.id === id)?.evaluate(REQ, evalCtx({ drRegion: DR })) ?? []);
    // Assess
    expect(scan.failures).toEqual([]);
    expect(by('sessions')).toEqual({
      'recovery-point': 'pass',
      'retention-period': 'pass',
      encryption: 'pass',
      'dr-copy': 'pass',
    });
    expect(by('cache')).toEqual({
      'recovery-point': 'fail',
      'retention-period': 'fail',
      encryption: 'fail',
      'dr-copy': 'fail',
    });
    expect(by('api')).toEqual({
      'recovery-point': 'fail',
      'retention-period': 'fail',
      encryption: 'pass',
      'dr-copy': 'fail',
    });
    expect(scan.items.find((i) => i.id === 'api')?.engine).toBe('valkey serverless');
  });

  it('marks the freshness check unverified when snapshots cannot be listed, and the DR check when DR snapshots cannot', async () => {
    // Prepare
    const denied = async () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
    };
    const ctx = scanCtx(
      {
        elasticache: fakeApi(REGION, { listSnapshots: denied }),
        drElasticache: fakeApi(DR, { listSnapshots: denied }),
      },
      { drRegion: DR },
    );
    // Act
    const scan = await elasticacheKind.scan(ctx);
    const cache = scan.items.find((i) => i.id === 'cache')?.evaluate(REQ, evalCtx({ drRegion: DR })) ?? [];
    // Assess
    expect(statusOf(cache)).toMatchObject({ 'recovery-point': 'error', 'dr-copy': 'error' });
    expect(cache.find((c) => c.check === 'dr-copy')?.reason).toBe(
      `snapshots in ${DR} could not be listed: AccessDenied: denied`,
    );
  });
});

describe('Function: verifyBackups (ElastiCache with warden:dr-cache)', () => {
  it('takes the DR copy from the DR cache the tag names, through the report', async () => {
    // Prepare: `cache` is copied to a cache seeded in the DR region, `api-dr`'s snapshots are serverless.
    const tags: Record<string, string> = {
      [arn('cache')]: 'cache-dr',
      'arn:aws:elasticache:eu-west-1:111122223333:serverlesscache:api': 'api dr',
    };
    const apis = {
      elasticache: fakeApi(REGION, {
        listTags: async (a: string) => (tags[a] ? [{ Key: 'warden:dr-cache', Value: tags[a] }] : []),
      }),
      drElasticache: fakeApi(DR, {
        listSnapshots: async () => [snap('cache-dr', 'cache-dr-1', 4)],
        listServerlessSnapshots: async () => [],
      }),
    };
    // Act
    const result = await verifyBackups(
      {
        ...apis,
        target: { account: '111122223333', region: REGION },
        now: () => NOW,
        metrics: memorySink(),
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        dryRun: true,
        defaultRpoHours: 24,
      },
      v.parse(verifyOptionsSchema, { kinds: ['elasticache'], drRegion: DR }),
    );
    // Assess
    const rows = result.report.resources as ResourceReport[];
    const drCopy = (id: string) => rows.find((r) => r.id === id)?.checks.find((c) => c.check === 'dr-copy');
    expect(drCopy('cache')).toMatchObject({ status: 'pass', detail: { drCache: 'cache-dr' } });
    // A bad tag value is a finding naming the tag, and the cache's own id applies.
    expect(rows.find((r) => r.id === 'api')?.tagProblems).toEqual([
      expect.objectContaining({ tag: 'warden:dr-cache', value: 'api dr', applied: "the cache's own id" }),
    ]);
    expect(result.findings.map((f) => f.check)).toContain('bad-tag:warden:dr-cache');
    expect(drCopy('api')).toMatchObject({ status: 'fail', detail: { drCache: null } });
  });
});

describe('Function: cacheChecks', () => {
  it('dates a multi-shard snapshot by its oldest shard and passes a DR snapshot copy within the RPO', () => {
    // Act
    const checks = cacheChecks(
      {
        retentionLimit: 7,
        encryptedAtRest: true,
        kmsKeyId: undefined,
        globalRegions: [],
        snapshots: [{ name: 's', cacheId: 'c', status: 'available', createdAt: hoursAgo(25) }],
        drSnapshots: [{ name: 'copy', cacheId: 'c', status: 'available', createdAt: hoursAgo(2) }],
      },
      REQ,
      evalCtx({ drRegion: DR }),
    );
    // Assess
    expect(checks.find((c) => c.check === 'recovery-point')).toMatchObject({
      status: 'fail',
      detail: { ageHours: 25, rpoHours: 24 },
    });
    expect(checks.find((c) => c.check === 'dr-copy')).toMatchObject({
      status: 'pass',
      detail: { source: 'copied snapshot' },
    });
  });

  it('counts the snapshots of the DR-region cache a warden:dr-cache tag names, and fails when it has none fresh', () => {
    // Prepare: the cache's DR copy is a cache seeded in the DR region under its own id.
    const dr = new Map([
      [
        'sessions-dr',
        [{ name: 'dr-1', cacheId: 'sessions-dr', status: 'available', createdAt: hoursAgo(3) }],
      ],
      ['old-dr', [{ name: 'dr-0', cacheId: 'old-dr', status: 'available', createdAt: hoursAgo(80) }]],
    ]);
    const facts = {
      retentionLimit: 7,
      encryptedAtRest: true,
      kmsKeyId: undefined,
      globalRegions: [],
      snapshots: [{ name: 's', cacheId: 'c', status: 'available', createdAt: hoursAgo(2) }],
      drSnapshots: [],
      drSnapshotsOf: (id: string) => dr.get(id) ?? [],
    };
    const drCopy = (drCache?: string) =>
      cacheChecks(facts, { ...REQ, drCache }, evalCtx({ drRegion: DR })).find((c) => c.check === 'dr-copy');
    // Act + Assess
    expect(drCopy('sessions-dr')).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining(`snapshot dr-1 of sessions-dr in ${DR}`),
      detail: { drCache: 'sessions-dr' },
    });
    expect(drCopy('old-dr')).toMatchObject({ status: 'fail', detail: { drCache: 'old-dr', ageHours: 80 } });
    expect(drCopy('none-dr')).toMatchObject({
      status: 'fail',
      reason: `no Global Datastore member and no snapshot of none-dr in ${DR}`,
    });
    expect(drCopy()).toMatchObject({
      status: 'fail',
      reason: `no Global Datastore member and no snapshot copy in ${DR}`,
    });
  });
});
