import { readFileSync } from 'node:fs';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeReplicationGroupsCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { workQueueName } from '../../../lib/automations/catalog.js';
import type { AutomationContext } from '../../../lib/automations/types.js';
import { ClientPool } from '../../../lib/aws/clients.js';
import { backupVerifyAutomation } from '../../../lib/backup/automation.js';
import { backupVerifyCaches } from '../../../lib/backup/parts/caches.js';
import { backupVerifyDatabases } from '../../../lib/backup/parts/databases.js';
import { backupVerifyS3 } from '../../../lib/backup/parts/s3.js';
import type { ResourceReport } from '../../../lib/backup/verify.js';
import { loadConfig } from '../../../lib/config.js';
import { workUnitSchema } from '../../../lib/fanout/unit.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { sqsEventSchema } from '../../../lib/runtime/sqsEvent.js';
import { backupPage, listBucketsPage } from '../../support/protectionPaging.js';
import { ACCOUNT, hoursAgo, NOW, REGION, silentLogger, TARGET } from './fixtures.js';

const rds = mockClient(RDSClient);
const dynamo = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const cache = mockClient(ElastiCacheClient);
const backup = mockClient(BackupClient);
const control = mockClient(S3ControlClient);

const BUCKET = 'arn:aws:s3:::orders';
const EFS = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-1`;
const points: RecoveryPointByBackupVault[] = [
  {
    ResourceArn: BUCKET,
    ResourceType: 'S3',
    Status: 'COMPLETED',
    CreationDate: hoursAgo(2),
    BackupVaultName: 'v',
  },
  {
    ResourceArn: EFS,
    ResourceType: 'EFS',
    Status: 'COMPLETED',
    CreationDate: hoursAgo(3),
    BackupVaultName: 'v',
  },
];

function context(): AutomationContext {
  const pool = new ClientPool({ homeAccount: ACCOUNT, homeRegion: REGION, roleName: 'R', maxAttempts: 1 });
  return {
    target: TARGET,
    aws: pool.for(TARGET),
    config: loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: REGION, WARDEN_HOME_ACCOUNT: ACCOUNT }),
    now: () => NOW,
    logger: silentLogger,
    metrics: memorySink(),
    dryRun: true,
  };
}

const rows = (report: Record<string, unknown>) =>
  (report.resources as ResourceReport[]).map((r) => `${r.kind} ${r.arn} ${r.evidence ?? '-'}`).sort();

describe("backupVerify's worker parts", () => {
  beforeEach(() => {
    for (const m of [rds, dynamo, s3, cache, backup, control]) m.reset();
    control.on(GetAccountPublicAccessBlockCommand, { AccountId: ACCOUNT }).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    dynamo.on(ListTablesCommand).resolves({ TableNames: [] });
    cache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [] });
    cache.on(DescribeServerlessCachesCommand).resolves({ ServerlessCaches: [] });
    s3.on(ListBucketsCommand).callsFake((input) =>
      listBucketsPage([{ Name: 'orders', BucketRegion: REGION }], input),
    );
    s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'warden:backup', Value: 'required' }] });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    backup.on(ListProtectedResourcesCommand).callsFake((input) => {
      const p = backupPage(
        [
          { ResourceArn: BUCKET, ResourceType: 'S3', ResourceName: 'orders' },
          { ResourceArn: EFS, ResourceType: 'EFS', ResourceName: 'fs-1' },
        ],
        input,
      );
      return { Results: p.items, NextToken: p.NextToken };
    });
    backup
      .on(ListBackupVaultsCommand)
      .resolves({ BackupVaultList: [{ BackupVaultName: 'v', Locked: true }] });
    // The service's own filter: only points of the asked resource type.
    backup.on(ListRecoveryPointsByBackupVaultCommand).callsFake((input) => {
      const p = backupPage(
        points.filter((x) => !input.ByResourceType || x.ResourceType === input.ByResourceType),
        input,
      );
      return { RecoveryPoints: p.items, NextToken: p.NextToken };
    });
    backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  });

  it('splits the kinds: each resource is reported once, by the part that checks its kind, and neither part reads the other part services', async () => {
    // Prepare
    const options = v.parse(backupVerifyAutomation.options, {});
    // Act
    const databases = await backupVerifyDatabases.run(context(), options);
    const dbCalls = { s3: s3.calls().length, cache: cache.calls().length };
    for (const m of [rds, dynamo, backup]) m.resetHistory();
    const caches = await backupVerifyCaches.run(context(), options);
    const cacheCalls = { rds: rds.calls().length, s3: s3.calls().length, backup: backup.calls().length };
    cache.resetHistory();
    const buckets = await backupVerifyS3.run(context(), options);
    // Assess: the EFS file system is an AWS Backup row of the first part; the bucket is S3's row in the S3 part,
    // fresh on AWS Backup's evidence (no S3-native snapshot exists), and no AWS Backup row anywhere.
    expect(rows(databases.report)).toEqual([`backup ${EFS} aws-backup v`]);
    expect(rows(buckets.report)).toEqual([`s3 ${BUCKET} aws-backup v`]);
    // The bucket has no block of its own: the account's blocks it.
    const bucketChecks = (buckets.report.resources as ResourceReport[])[0]!.checks;
    expect(bucketChecks.find((c) => c.check === 'public-access')).toMatchObject({ status: 'pass' });
    expect(control).toHaveReceivedCommandTimes(GetAccountPublicAccessBlockCommand, 1);
    expect(rows(caches.report)).toEqual([]);
    expect(dbCalls).toEqual({ s3: 0, cache: 0 });
    // AWS Backup protects no cache: the caches part reads ElastiCache alone.
    expect(cacheCalls).toEqual({ rds: 0, s3: 0, backup: 0 });
    expect(cache.calls()).toHaveLength(0);
    expect(rds.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
    expect(databases.report.kinds).toEqual(['rds', 'dynamodb', 'backup']);
    expect(buckets.report.kinds).toEqual(['s3']);
    expect(caches.report.kinds).toEqual(['elasticache']);
    // The S3 part reads only the buckets' recovery points.
    expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'v',
      ByResourceType: 'S3',
    });
  });

  it('reports what the whole automation reports, split between the two parts', async () => {
    // Prepare
    const options = v.parse(backupVerifyAutomation.options, {});
    // Act
    const whole = await backupVerifyAutomation.run(context(), options);
    const parts = await Promise.all(backupVerifyAutomation.workers!.map((w) => w.run(context(), options)));
    // Assess
    expect(parts.flatMap((p) => rows(p.report)).sort()).toEqual(rows(whole.report));
    expect(parts.flatMap((p) => p.findings.map((f) => f.check + f.resourceArn)).sort()).toEqual(
      whole.findings.map((f) => f.check + f.resourceArn).sort(),
    );
  });

  it('leaves a bucket to AWS Backup when S3 is not selected, and the other parts then read nothing', async () => {
    // Prepare
    const options = v.parse(backupVerifyAutomation.options, { kinds: ['backup'] });
    // Act
    const databases = await backupVerifyDatabases.run(context(), options);
    for (const m of [rds, dynamo, s3, cache, backup]) m.resetHistory();
    const others = await Promise.all(
      [backupVerifyS3, backupVerifyCaches].map((w) => w.run(context(), options)),
    );
    // Assess
    expect(rows(databases.report)).toEqual(
      [`backup ${EFS} aws-backup v`, `backup ${BUCKET} aws-backup v`].sort(),
    );
    for (const r of others) {
      expect(r.report).toMatchObject({ kinds: [], counts: { resources: 0, findings: 0 } });
      expect(r.findings).toEqual([]);
    }
    for (const m of [rds, dynamo, s3, cache, backup]) expect(m.calls()).toHaveLength(0);
  });

  it('gives each part only the permissions of its kinds (and AWS Backup where it serves them), together the whole automation', () => {
    // Act
    const [databases, buckets, caches] = backupVerifyAutomation.workers!;
    const services = (a: typeof databases) => [...new Set(a!.permissions.map((p) => p.split(':')[0]))].sort();
    // Assess
    expect([databases?.part, buckets?.part, caches?.part]).toEqual([undefined, 's3', 'caches']);
    expect(services(databases)).toEqual(['backup', 'dynamodb', 'kms', 'rds']);
    expect(services(buckets)).toEqual(['backup', 's3']);
    expect(services(caches)).toEqual(['elasticache']);
    expect(buckets?.permissions).toContain('s3:GetAccountPublicAccessBlock');
    expect(
      [...new Set([...databases!.permissions, ...buckets!.permissions, ...caches!.permissions])].sort(),
    ).toEqual([...backupVerifyAutomation.permissions].sort());
  });

  it("probes only its own part's services", async () => {
    // Act
    await backupVerifyS3.probe(context().aws);
    // Assess
    expect(s3).toHaveReceivedCommandWith(ListBucketsCommand, { MaxBuckets: 1 });
    expect(backup).toHaveReceivedCommand(ListProtectedResourcesCommand);
    for (const m of [rds, dynamo, cache]) expect(m.calls()).toHaveLength(0);
  });

  it.each([
    ['backup-verify-worker', undefined],
    ['backup-verify-s3-worker', 's3'],
    ['backup-verify-caches-worker', 'caches'],
  ])('events/%s.json is a unit of that worker part, from its queue', (file, part) => {
    // Act
    const record = v.parse(sqsEventSchema, JSON.parse(readFileSync(`events/${file}.json`, 'utf8')))
      .Records[0]!;
    const unit = v.parse(workUnitSchema, JSON.parse(record.body));
    // Assess
    expect(unit.part).toBe(part);
    expect(record.eventSourceARN.endsWith(`-work-${workQueueName('backupVerify', part)}`)).toBe(true);
  });
});
