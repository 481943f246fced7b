import { BackupClient, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutomationContext } from '../../../lib/automations/types.js';
import { ClientPool } from '../../../lib/aws/clients.js';
import { backupVerifyAutomation } from '../../../lib/backup/automation.js';
import { snapshotLifecycleAutomation } from '../../../lib/backup/lifecycleAutomation.js';
import { loadConfig } from '../../../lib/config.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { ACCOUNT, hoursAgo, instance, NOW, REGION, silentLogger, snapshot, TARGET } from './fixtures.js';

const rdsMock = mockClient(RDSClient);
const backupMock = mockClient(BackupClient);
const dynamoMock = mockClient(DynamoDBClient);
const s3Mock = mockClient(S3Client);
const cacheMock = mockClient(ElastiCacheClient);
const controlMock = mockClient(S3ControlClient);

function context(dryRun: boolean): AutomationContext {
  const pool = new ClientPool({
    homeAccount: ACCOUNT,
    homeRegion: REGION,
    roleName: 'WardenExecutionRole',
    maxAttempts: 1,
  });
  return {
    target: TARGET,
    aws: pool.for(TARGET),
    config: loadConfig({
      WARDEN_STAGE: 'dev',
      AWS_REGION: REGION,
      WARDEN_HOME_ACCOUNT: ACCOUNT,
      WARDEN_RPO_HOURS: '12',
    }),
    now: () => NOW,
    logger: silentLogger,
    metrics: memorySink(),
    dryRun,
  };
}

describe('Function: backupVerifyAutomation.run', () => {
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    dynamoMock.reset();
    s3Mock.reset();
    cacheMock.reset();
    backupMock.reset();
    // AWS Backup is read for evidence whatever the kinds; these tests protect nothing with it.
    backupMock.onAnyCommand().resolves({});
  });

  it('verifies the target through RDS with the stage RPO', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [instance('a', { LatestRestorableTime: hoursAgo(13) })] });
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [snapshot('a', 'a1', 13)] });
    // Act
    const result = await backupVerifyAutomation.run(
      context(true),
      v.parse(backupVerifyAutomation.options, { kinds: ['rds'] }),
    );
    // Assess
    expect(result.findings.map((f) => f.check)).toEqual(['recovery-point']);
    expect(result.findings[0]?.detail).toMatchObject({ rpoHours: 12, ageHours: 13 });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBSnapshotsCommand, { MaxRecords: 100 });
  });

  it('verifies every database despite a throttled listing (retried)', async () => {
    // Prepare
    const throttle = new RDSServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: {},
      message: 'Rate exceeded',
    });
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('a'), instance('b')] });
    rdsMock
      .on(DescribeDBSnapshotsCommand)
      .rejectsOnce(throttle)
      .resolves({ DBSnapshots: [snapshot('a', 'a1', 2), snapshot('b', 'b1', 2)] });
    // Act
    const result = await backupVerifyAutomation.run(
      context(true),
      v.parse(backupVerifyAutomation.options, { kinds: ['rds'] }),
    );
    // Assess
    expect(result.report.counts).toMatchObject({ resources: 2, compliant: 2, unverified: 0 });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBSnapshotsCommand, 2);
  });

  it('reads the DR region with the target credentials when drRegion is set', async () => {
    // Prepare: the same mock answers both regions; the DR copy is the snapshot itself
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('a')] });
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [snapshot('a', 'a1', 2)] });
    // Act
    const result = await backupVerifyAutomation.run(
      context(true),
      v.parse(backupVerifyAutomation.options, { kinds: ['rds'], drRegion: 'eu-central-1' }),
    );
    // Assess
    expect(result.report).toMatchObject({ drRegion: 'eu-central-1', counts: { compliant: 1 } });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBSnapshotsCommand, 2);
  });

  it('declares read-only permissions and a closed options schema', () => {
    expect(backupVerifyAutomation.mutatingPermissions).toEqual([]);
    expect(
      backupVerifyAutomation.permissions.every((p) =>
        /^(rds|dynamodb|elasticache|s3|backup|kms):(Describe|List|Get)/.test(p),
      ),
    ).toBe(true);
    expect(v.safeParse(backupVerifyAutomation.options, { unknown: true }).success).toBe(false);
  });

  it('probes with one cheap read per service it reads', async () => {
    // Prepare
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    dynamoMock.on(ListTablesCommand).resolves({ TableNames: [] });
    s3Mock.on(ListBucketsCommand).resolves({ Buckets: [] });
    cacheMock.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [] });
    controlMock.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: {} });
    // Act
    await backupVerifyAutomation.probe(context(true).aws);
    // Assess
    expect(controlMock).toHaveReceivedCommandWith(GetPublicAccessBlockCommand, { AccountId: ACCOUNT });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, { MaxRecords: 20 });
    expect(dynamoMock).toHaveReceivedCommandWith(ListTablesCommand, { Limit: 1 });
    expect(s3Mock).toHaveReceivedCommandWith(ListBucketsCommand, { MaxBuckets: 1 });
    expect(cacheMock).toHaveReceivedCommandWith(DescribeReplicationGroupsCommand, { MaxRecords: 20 });
    expect(backupMock).toHaveReceivedCommandWith(ListProtectedResourcesCommand, { MaxResults: 1 });
  });

  it('names every service whose probe read is refused', async () => {
    // Prepare
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    dynamoMock
      .on(ListTablesCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    s3Mock.on(ListBucketsCommand).resolves({ Buckets: [] });
    cacheMock
      .on(DescribeReplicationGroupsCommand)
      .rejects(new Error('no elasticache:DescribeReplicationGroups'));
    controlMock.on(GetPublicAccessBlockCommand).resolves({});
    // Act
    const probing = backupVerifyAutomation.probe(context(true).aws);
    // Assess
    await expect(probing).rejects.toThrow(
      'backupVerify reads refused: dynamodb: not authorized; elasticache: no elasticache:DescribeReplicationGroups',
    );
  });
});

describe('Function: snapshotLifecycleAutomation.run', () => {
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [instance('a', { TagList: [{ Key: 'warden:snapshots', Value: 'managed' }] })],
    });
  });

  it('creates the daily snapshot when not in dry-run', async () => {
    // Prepare
    rdsMock.on(CreateDBSnapshotCommand).resolves({});
    // Act
    const result = await snapshotLifecycleAutomation.run(
      context(false),
      v.parse(snapshotLifecycleAutomation.options, {}),
    );
    // Assess
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBSnapshotCommand, {
      DBSnapshotIdentifier: 'warden-a-20261126',
    });
    expect(result.summary).toBe('1 managed databases: 1 actions (1 done, 0 planned, 0 skipped, 0 failed)');
  });

  it('makes no mutating call in dry-run', async () => {
    // Act
    await snapshotLifecycleAutomation.run(context(true), v.parse(snapshotLifecycleAutomation.options, {}));
    // Assess
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBSnapshotCommand);
  });

  it('declares every mutating permission among its permissions', () => {
    for (const p of snapshotLifecycleAutomation.mutatingPermissions)
      expect(snapshotLifecycleAutomation.permissions).toContain(p);
  });
});
