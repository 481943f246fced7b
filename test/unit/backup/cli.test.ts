import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  DescribeDBClusterSnapshotsCommand,
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
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromSnapshot, type SnapshotInfo } from '../../../lib/backup/model.js';
import { backupCommand, snapshotRows } from '../../../lib/cli/backup.js';
import { s3NotConfigured } from '../../support/protectionPaging.js';
import { backupCli } from './cliContext.js';
import { ACCOUNT, hoursAgo, instance, NOW, REGION, snapshot } from './fixtures.js';

const rdsMock = mockClient(RDSClient);
const sqsMock = mockClient(SQSClient);
const dynamoMock = mockClient(DynamoDBClient);
const s3Mock = mockClient(S3Client);
const cacheMock = mockClient(ElastiCacheClient);
const backupMock = mockClient(BackupClient);

const cli = backupCli;

describe('Function: backupCommand.run', () => {
  beforeEach(() => {
    rdsMock.reset();
    sqsMock.reset();
    // The other kinds are empty in this account: one listing each.
    dynamoMock.reset().onAnyCommand().resolves({});
    s3Mock.reset().onAnyCommand().resolves({});
    cacheMock.reset().onAnyCommand().resolves({});
    backupMock.reset().onAnyCommand().resolves({});
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    rdsMock
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [instance('orders-db'), instance('old-db', { BackupRetentionPeriod: 1 })] });
    rdsMock
      .on(DescribeDBSnapshotsCommand)
      .resolves({ DBSnapshots: [snapshot('orders-db', 's1', 3), snapshot('old-db', 's2', 3)] });
  });

  it('verify prints a table and the failed checks, publishes findings and exits 1 when a database is not compliant', async () => {
    // Prepare
    const { ctx, out, publish } = cli();
    // Act
    const code = await backupCommand.run(['verify'], ctx);
    // Assess
    expect(code).toBe(1);
    expect(out[0]).toMatch(
      /^resource\s+kind\s+rpo\s+rpo-age\s+health\s+kms\s+retention\s+dr\s+manual\s+pitr/,
    );
    expect(dynamoMock).toHaveReceivedCommandWith(ListTablesCommand, { Limit: 100 });
    expect(cacheMock).toHaveReceivedCommandWith(DescribeReplicationGroupsCommand, { MaxRecords: 100 });
    expect(s3Mock).toHaveReceivedCommand(ListBucketsCommand);
    expect(out.join('\n')).toContain('old-db: retention-period FAIL: automated backup retention 1 d < 7 d');
    expect(publish.findings.map((f) => f.check)).toEqual(['retention-period']);
  });

  it('verify --kind rds reads and reports RDS only, with the RDS columns', async () => {
    // Prepare
    const { ctx, out } = cli();
    // Act
    await backupCommand.run(['verify', '--kind', 'rds'], ctx);
    // Assess
    expect(out[0]).toMatch(
      /^resource\s+kind\s+rpo\s+rpo-age\s+health\s+kms\s+retention\s+dr\s+manual\s+evidence/,
    );
    expect(dynamoMock).not.toHaveReceivedCommand(ListTablesCommand);
    expect(s3Mock).not.toHaveReceivedCommand(ListBucketsCommand);
  });

  it('verify exits 1 when a listing fails even though every resource it saw is compliant', async () => {
    // Prepare
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance('orders-db')] });
    s3Mock
      .on(ListBucketsCommand)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const { ctx, out } = cli();
    // Act
    const code = await backupCommand.run(['verify'], ctx);
    // Assess
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('could not list buckets in eu-west-1: AccessDenied: Access Denied');
    expect(out.at(-1)).toBe(
      '1 resources checked: 1 compliant, 0 not, 0 unverified, 0 skipped; 1 listings failed',
    );
  });

  it('verify --defaults s3=required checks untagged buckets too', async () => {
    // Prepare
    s3Mock.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'plain', BucketRegion: 'eu-west-1' }] });
    s3Mock.on(GetBucketTaggingCommand).rejects(s3NotConfigured('NoSuchTagSet'));
    const { ctx: byDefault } = cli();
    const { ctx, out } = cli();
    // Act
    await backupCommand.run(['verify', '--kind', 's3'], byDefault);
    const before = s3Mock.commandCalls(GetBucketVersioningCommand).length;
    await backupCommand.run(['verify', '--kind', 's3', '--defaults', 's3=required'], ctx);
    // Assess
    expect(before).toBe(0);
    expect(s3Mock).toHaveReceivedCommandTimes(GetBucketVersioningCommand, 1);
    expect(out.join('\n')).toMatch(/plain\s+s3\s+24h/);
  });

  it('verify --defaults rejects a bad pair, naming the flag', async () => {
    // Prepare
    const { ctx } = cli();
    // Act
    const run = backupCommand.run(['verify', '--defaults', 's3=maybe'], ctx);
    // Assess
    await expect(run).rejects.toMatchObject({
      issues: [{ field: '--defaults', expected: expect.stringContaining('(not "s3=maybe")') }],
    });
  });

  it('verify --kind rejects an unknown kind, naming the flag and the known kinds', async () => {
    // Prepare
    const { ctx } = cli();
    // Act
    const run = backupCommand.run(['verify', '--kind', 'rds,efs'], ctx);
    // Assess
    await expect(run).rejects.toMatchObject({
      issues: [
        {
          field: '--kind',
          expected: expect.stringContaining('rds, dynamodb, elasticache, s3, backup (not efs)'),
        },
      ],
    });
  });

  it('verify --json prints exactly one JSON document', async () => {
    // Prepare
    const { ctx, out } = cli({ json: true });
    // Act
    await backupCommand.run(['verify', '--rpo-hours', '6'], ctx);
    // Assess
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ rpoHoursDefault: 6, counts: { resources: 2 } });
  });

  it('snapshots prints age, encryption and DR column for one database', async () => {
    // Prepare
    const { ctx, out } = cli();
    // Act
    const code = await backupCommand.run(['snapshots', 'orders-db'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBSnapshotsCommand, {
      DBInstanceIdentifier: 'orders-db',
    });
    expect(out.join('\n')).toMatch(/s1\s+automated\s+available\s+2026-11-26 09:00\s+3h\s+1111\s+-/);
  });

  it('drill without --apply only says which snapshot it would restore', async () => {
    // Prepare
    const { ctx, out } = cli();
    // Act
    const code = await backupCommand.run(
      ['drill', 'orders-db', '--config', 'examples/backup/drill.json'],
      ctx,
    );
    // Assess
    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^DRY-RUN orders-db: dry-run: would restore s1 into wd-orders-db-202611261200 \(db.t4g.micro\)$/,
    );
  });

  it('drill --apply --queue-url enqueues the first step for the drill function', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { ctx, out } = cli({ apply: true });
    const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/warden-dev-drills`;
    // Act
    await backupCommand.run(
      ['drill', 'orders-db', '--config', 'examples/backup/drill.json', '--queue-url', url],
      ctx,
    );
    // Assess
    const body = JSON.parse(
      sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}',
    );
    expect(body).toMatchObject({ step: 'restore', dbId: 'orders-db', dryRun: false });
    expect(out[0]).toContain('enqueued');
  });

  it('snapshots --json falls back to cluster snapshots and compares with the DR region', async () => {
    // Prepare
    rdsMock.on(DescribeDBSnapshotsCommand, { DBInstanceIdentifier: 'aurora' }).resolves({ DBSnapshots: [] });
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({
      DBClusterSnapshots: [
        {
          DBClusterSnapshotIdentifier: 'c1',
          DBClusterIdentifier: 'aurora',
          Status: 'available',
          SnapshotCreateTime: hoursAgo(1),
        },
      ],
    });
    const { ctx, out } = cli({ json: true });
    // Act
    await backupCommand.run(['snapshots', 'aurora', '--dr-region', 'eu-central-1'], ctx);
    // Assess
    const doc = JSON.parse(out[0] ?? '');
    expect(doc).toMatchObject({ database: 'aurora', drRegion: 'eu-central-1' });
    expect(doc.snapshots.map((x: { id: string }) => x.id)).toEqual(['c1']);
    expect(doc.drCopies).toHaveLength(1);
  });

  it('drill --json reports the dry-run summary, and verify options reach the checks', async () => {
    // Prepare
    const drill = cli({ json: true });
    const verify = cli({ json: true });
    // Act
    await backupCommand.run(['drill', 'orders-db', '--config', 'examples/backup/drill.json'], drill.ctx);
    await backupCommand.run(
      ['verify', '--min-retention-days', '1', '--dr-region', 'eu-central-1'],
      verify.ctx,
    );
    // Assess
    expect(JSON.parse(drill.out[0] ?? '')).toMatchObject({
      summary: { dryRun: true, dbId: 'orders-db' },
      metrics: [],
    });
    expect(JSON.parse(verify.out[0] ?? '')).toMatchObject({
      drRegion: 'eu-central-1',
      counts: { nonCompliant: 0 },
    });
  });

  it('rejects a drill config that is not JSON', async () => {
    await expect(
      backupCommand.run(['drill', 'x', '--config', 'package-lock.json.missing'], cli().ctx),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: '--config',
    });
  });

  it.each([
    [['nope']],
    [['verify', '--bogus']],
    [['verify', '--rpo-hours', 'abc']],
    [['snapshots']],
    [['drill', 'orders-db']],
    [['drill', 'unknown-db', '--config', 'examples/backup/drill.json']],
  ])('rejects bad usage %j with a ValidationError', async (args) => {
    await expect(backupCommand.run(args, cli().ctx)).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('Function: snapshotRows', () => {
  it('marks the snapshots whose recovery point exists in the DR region', () => {
    // Prepare
    const info = (s: ReturnType<typeof snapshot>) => fromSnapshot(s) as SnapshotInfo;
    const mine = [info(snapshot('a', 'new', 2)), info(snapshot('a', 'old', 26))];
    const dr = [info(snapshot('a', 'copy', 26, { OriginalSnapshotCreateTime: hoursAgo(26) }))];
    // Act
    const rows = snapshotRows(NOW, mine, dr);
    // Assess
    expect(rows.map((r) => [r[0], r[6]])).toEqual([
      ['new', 'no'],
      ['old', 'yes'],
    ]);
  });
});
