import { describe, expect, it } from 'vitest';
import type { ElastiCacheApi } from '../../../../lib/aws/elasticache.js';
import { cacheChecks, elasticacheKind } from '../../../../lib/backup/kinds/elasticache.js';
import { DR, evalCtx, hoursAgo, REGION, REQ, scanCtx, statusOf } from './support.js';

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
});
