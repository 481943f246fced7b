import type { ProtectedResource, RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import type { ContinuousBackupsDescription, TableDescription, Tag } from '@aws-sdk/client-dynamodb';
import type {
  ReplicationGroup,
  ServerlessCache,
  ServerlessCacheSnapshot,
  Snapshot,
} from '@aws-sdk/client-elasticache';
import type { Bucket, LifecycleRule } from '@aws-sdk/client-s3';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const NOW = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const KMS = `arn:aws:kms:${REGION}:${ACCOUNT}:key/bench`;
const pad = (i: number, n = 4) => String(i).padStart(n, '0');

/**
 * The protection benchmark's account: 1,000 tables (a twentieth warden:backup=skip, a fiftieth with a bad RPO tag, a
 * fifth also protected by AWS Backup), 300 buckets (a third tagged required), 80 replication groups and 20
 * serverless caches with 7 snapshots each, and 500 resources in AWS Backup (200 tables, 300 EBS volumes; 7 points
 * each over two vaults).
 */
export function dataset() {
  const tableNames: string[] = [];
  const tables = new Map<string, TableDescription>();
  const continuous = new Map<string, ContinuousBackupsDescription>();
  const tableTags = new Map<string, Tag[]>();
  let skippedTables = 0;
  const protectedResources: ProtectedResource[] = [];
  const points = new Map<string, RecoveryPointByBackupVault[]>([
    ['main', []],
    ['cold', []],
  ]);
  const addPoints = (arn: string, type: string, vault: string) => {
    for (let d = 0; d < 7; d++)
      points.get(vault)?.push({
        ResourceArn: arn,
        ResourceType: type,
        BackupVaultName: vault,
        Status: 'COMPLETED',
        CreationDate: hoursAgo(2 + 24 * d),
        Lifecycle: { DeleteAfterDays: 35 },
      });
  };
  for (let i = 0; i < 1000; i++) {
    const name = `table-${pad(i)}`;
    const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    tableNames.push(name);
    const tags: Tag[] = [{ Key: 'team', Value: `t${i % 7}` }];
    if (i % 20 === 0) {
      tags.push({ Key: 'warden:backup', Value: 'skip' });
      skippedTables++;
    }
    if (i % 50 === 1) tags.push({ Key: 'warden:rpo-hours', Value: 'soon' });
    tableTags.set(arn, tags);
    tables.set(name, {
      TableName: name,
      TableArn: arn,
      TableStatus: 'ACTIVE',
      DeletionProtectionEnabled: i % 10 !== 3,
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KMS },
    });
    continuous.set(name, {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription:
        i % 5 === 0
          ? { PointInTimeRecoveryStatus: 'DISABLED' }
          : {
              PointInTimeRecoveryStatus: 'ENABLED',
              LatestRestorableDateTime: hoursAgo(0.1),
              RecoveryPeriodInDays: 35,
            },
    });
    if (i % 5 === 0) {
      protectedResources.push({ ResourceArn: arn, ResourceType: 'DynamoDB', ResourceName: name });
      addPoints(arn, 'DynamoDB', 'main');
    }
  }
  for (let i = 0; i < 300; i++) {
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${pad(i, 17)}`;
    protectedResources.push({ ResourceArn: arn, ResourceType: 'EBS', ResourceName: `vol-${i}` });
    addPoints(arn, 'EBS', i % 2 === 0 ? 'main' : 'cold');
  }
  const buckets: Bucket[] = [];
  const bucketTags = new Map<string, Tag[]>();
  let taggedBuckets = 0;
  for (let i = 0; i < 300; i++) {
    const name = `bench-bucket-${pad(i)}`;
    buckets.push({ Name: name, BucketRegion: REGION, CreationDate: hoursAgo(10_000) });
    if (i % 3 === 0) {
      bucketTags.set(name, [{ Key: 'warden:backup', Value: 'required' }]);
      taggedBuckets++;
    } else if (i % 3 === 1) bucketTags.set(name, [{ Key: 'team', Value: 'web' }]);
  }
  const lifecycle: LifecycleRule[] = [
    {
      ID: 'noncurrent-30d',
      Status: 'Enabled',
      Filter: {},
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
    },
  ];
  const groups: ReplicationGroup[] = [];
  const cacheSnapshots: Snapshot[] = [];
  for (let i = 0; i < 80; i++) {
    const id = `cache-${pad(i, 2)}`;
    groups.push({
      ReplicationGroupId: id,
      ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:${id}`,
      Engine: i % 2 ? 'valkey' : 'redis',
      SnapshotRetentionLimit: 7,
      AtRestEncryptionEnabled: i % 9 !== 4,
      KmsKeyId: KMS,
    });
    for (let d = 0; d < 7; d++)
      cacheSnapshots.push({
        SnapshotName: `automatic.${id}-${d}`,
        ReplicationGroupId: id,
        SnapshotStatus: 'available',
        NodeSnapshots: [{ SnapshotCreateTime: hoursAgo(3 + 24 * d) }],
      });
  }
  const serverless: ServerlessCache[] = [];
  const serverlessSnapshots: ServerlessCacheSnapshot[] = [];
  for (let i = 0; i < 20; i++) {
    const name = `serverless-${pad(i, 2)}`;
    serverless.push({
      ServerlessCacheName: name,
      ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:serverlesscache:${name}`,
      Engine: 'valkey',
      SnapshotRetentionLimit: 7,
    });
    for (let d = 0; d < 7; d++)
      serverlessSnapshots.push({
        ServerlessCacheSnapshotName: `${name}-${d}`,
        Status: 'available',
        CreateTime: hoursAgo(4 + 24 * d),
        ServerlessCacheConfiguration: { ServerlessCacheName: name },
      });
  }
  const coveredByTables = protectedResources.filter((r) => r.ResourceType === 'DynamoDB').length;
  return {
    tableNames,
    tables,
    continuous,
    tableTags,
    skippedTables,
    buckets,
    bucketTags,
    taggedBuckets,
    lifecycle,
    encryption: {
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const } }],
      },
    },
    publicAccessBlock: {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    },
    groups,
    cacheSnapshots,
    serverless,
    serverlessSnapshots,
    protectedResources,
    vaults: [
      { BackupVaultName: 'main', Locked: true, MinRetentionDays: 7 },
      { BackupVaultName: 'cold', Locked: false },
    ],
    points,
    /** One row per table, bucket and cache, and per AWS Backup resource no other kind reports. */
    expectedRows:
      tableNames.length +
      buckets.length +
      groups.length +
      serverless.length +
      protectedResources.length -
      coveredByTables,
  };
}
