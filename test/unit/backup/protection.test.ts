import { describe, expect, it } from 'vitest';
import type { AwsBackupApi } from '../../../lib/aws/backup.js';
import type { DynamoDbApi } from '../../../lib/aws/dynamodb.js';
import type { S3Api } from '../../../lib/aws/s3.js';
import { formatVerifyReport } from '../../../lib/backup/format.js';
import { type ResourceReport, verifyBackups } from '../../../lib/backup/verify.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { ACCOUNT, hoursAgo, NOW, options, REGION } from './kinds/support.js';

const tableArn = (n: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${n}`;
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-1`;

const dynamodb: DynamoDbApi = {
  region: REGION,
  listTableNames: async () => ['orders', 'events'],
  listTags: async (arn) => (arn.endsWith('/events') ? [{ Key: 'warden:rpo-hours', Value: 'soon' }] : []),
  describeTable: async (name) => ({
    TableName: name,
    TableArn: tableArn(name),
    DeletionProtectionEnabled: true,
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' },
  }),
  // orders relies on AWS Backup alone; events has point-in-time recovery.
  describeContinuousBackups: async (name) => ({
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription:
      name === 'events'
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            LatestRestorableDateTime: hoursAgo(0.1),
            RecoveryPeriodInDays: 35,
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
  }),
};

const backup: AwsBackupApi = {
  region: REGION,
  listProtectedResources: async () => [
    { ResourceArn: tableArn('orders'), ResourceType: 'DynamoDB' },
    { ResourceArn: VOLUME, ResourceType: 'EBS', ResourceName: 'data-volume' },
  ],
  listVaults: async () => [{ BackupVaultName: 'main', Locked: true, MinRetentionDays: 7 }],
  listRecoveryPoints: async () => [
    {
      ResourceArn: tableArn('orders'),
      BackupVaultName: 'main',
      Status: 'COMPLETED',
      CreationDate: hoursAgo(3),
    },
    { ResourceArn: VOLUME, BackupVaultName: 'main', Status: 'COMPLETED', CreationDate: hoursAgo(5) },
  ],
  listCompletedCopyJobs: async () => [],
};

const deniedS3: S3Api = {
  listBuckets: async () => {
    throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
  },
  bucketTags: async () => [],
  bucketProtection: async () => {
    throw new Error('not reached');
  },
  bucketRegion: async () => REGION,
};

const deps = () => ({
  dynamodb,
  backup,
  s3: deniedS3,
  target: { account: ACCOUNT, region: REGION },
  now: () => NOW,
  metrics: memorySink(),
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  dryRun: true,
  defaultRpoHours: 24,
});

const row = (rs: unknown, id: string) => (rs as ResourceReport[]).find((r) => r.id === id);

describe('Function: verifyBackups (every kind)', () => {
  it('passes a table’s freshness on AWS Backup evidence and says so, without a second row for it', async () => {
    // Act
    const result = await verifyBackups(deps(), options());
    // Assess
    const orders = row(result.report.resources, 'orders');
    expect(orders?.evidence).toBe('aws-backup main');
    expect(orders?.checks.find((c) => c.check === 'recovery-point')).toMatchObject({
      status: 'pass',
      detail: { evidence: 'aws-backup', ageHours: 3 },
    });
    expect(orders?.checks.find((c) => c.check === 'pitr')?.status).toBe('fail');
    expect(orders?.checks.find((c) => c.check === 'vault-lock')?.status).toBe('pass');
    const ids = (result.report.resources as ResourceReport[]).map((r) => `${r.kind}:${r.id}`);
    expect(ids).toEqual(['dynamodb:orders', 'dynamodb:events', 'backup:data-volume']);
  });

  it('reports a kind that cannot be listed as a finding, and every other kind still verified', async () => {
    // Act
    const result = await verifyBackups(deps(), options());
    // Assess
    const denied = result.findings.find((f) => f.check === 'api-error:buckets');
    expect(denied?.title).toBe(`could not list buckets in ${REGION}: AccessDenied: Access Denied`);
    expect(result.report.counts).toMatchObject({ resources: 3, unverified: 0 });
    expect(formatVerifyReport(result.report).join('\n')).toContain(
      `could not list buckets in ${REGION}: AccessDenied`,
    );
  });

  it('reports a bad tag value naming the tag and the default applied', async () => {
    // Act
    const result = await verifyBackups(deps(), options());
    // Assess
    const bad = result.findings.find((f) => f.check === 'bad-tag:warden:rpo-hours');
    expect(bad?.title).toBe(
      'events: tag warden:rpo-hours="soon" is invalid (expected a number of hours > 0 and <= 720); using 24',
    );
    expect(row(result.report.resources, 'events')?.rpoHours).toBe(24);
  });

  it('scans only the kinds asked for, with their columns', async () => {
    // Act
    const result = await verifyBackups(deps(), options({ kinds: ['backup'] }));
    // Assess
    expect((result.report.resources as ResourceReport[]).map((r) => r.id)).toEqual(['orders', 'data-volume']);
    expect(formatVerifyReport(result.report)[0]).toMatch(
      /^resource\s+kind\s+rpo\s+rpo-age\s+retention\s+vault-lock\s+dr\s+evidence\s+compliant$/,
    );
  });

  it('reports a resource whose tags cannot be read as unverified, with its own finding', async () => {
    // Prepare
    const unreadable: DynamoDbApi = {
      ...dynamodb,
      listTags: async () => {
        throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      },
    };
    // Act
    const result = await verifyBackups({ ...deps(), dynamodb: unreadable }, options({ kinds: ['dynamodb'] }));
    // Assess
    expect(row(result.report.resources, 'events')?.verified).toBe(false);
    expect(result.findings.filter((f) => f.check === 'api-error:tags').map((f) => f.title)).toEqual([
      'orders: tags could not be read (AccessDeniedException: not authorized); checked with the defaults',
      'events: tags could not be read (AccessDeniedException: not authorized); checked with the defaults',
    ]);
    expect(result.report.counts).toMatchObject({ unverified: 2 });
  });

  it('counts non-compliant and unverified resources per kind, without a metric per table', async () => {
    // Prepare
    const d = deps();
    // Act
    await verifyBackups(d, options({ kinds: ['dynamodb', 'backup'] }));
    // Assess
    expect(d.metrics.recorded).toEqual([
      { name: 'BackupNonCompliant', unit: 'Count', value: 1, dimensions: { kind: 'dynamodb' } },
      { name: 'BackupUnverified', unit: 'Count', value: 0, dimensions: { kind: 'dynamodb' } },
      { name: 'BackupNonCompliant', unit: 'Count', value: 0, dimensions: { kind: 'backup' } },
      { name: 'BackupUnverified', unit: 'Count', value: 0, dimensions: { kind: 'backup' } },
    ]);
  });
});
