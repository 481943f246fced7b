import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateServerlessCacheSnapshotCommand,
  CreateSnapshotCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  ReplicationGroupNotFoundFault,
  ServerlessCacheNotFoundFault,
} from '@aws-sdk/client-elasticache';
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseSnapshotTarget, preChangeSnapshotId } from '../../../lib/backup/snapshot/resource.js';
import { backupCommand } from '../../../lib/cli/backup.js';
import { backupCli } from '../backup/cliContext.js';
import { ACCOUNT, cluster, instance, NOW, REGION, snapshot } from '../backup/fixtures.js';

const rdsMock = mockClient(RDSClient);
const ID = 'warden-pre-orders-db-202611261200';
const notFound = () => new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' });
const TAGS = [
  { Key: 'warden:managed', Value: 'true' },
  { Key: 'warden:purpose', Value: 'pre-change' },
  { Key: 'warden:source', Value: 'orders-db' },
];

describe('Function: backupCommand.run snapshot (RDS/Aurora)', () => {
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-db' }).resolves({
      DBInstances: [instance('orders-db')],
    });
  });

  it('only says which snapshot it would take without --apply', async () => {
    // Prepare
    const { ctx, out } = backupCli();
    // Act
    const code = await backupCommand.run(['snapshot', 'orders-db', '--wait'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([`DRY-RUN would take rds backup ${ID} of instance orders-db (--apply to take it)`]);
    expect(rdsMock.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  it('takes a tagged snapshot, waits until it is available, verifies it and prints its id first', async () => {
    // Prepare: creating at the first look, then available
    const { ctx, out } = backupCli({ apply: true });
    rdsMock
      .on(DescribeDBSnapshotsCommand)
      .resolvesOnce({
        DBSnapshots: [
          snapshot('orders-db', ID, 0, { Status: 'creating', PercentProgress: 40, SnapshotType: 'manual' }),
        ],
      })
      .resolves({
        DBSnapshots: [snapshot('orders-db', ID, 0, { PercentProgress: 100, SnapshotType: 'manual' })],
      });
    // Act
    const code = await backupCommand.run(['snapshot', 'orders-db', '--wait', '--poll-seconds', '1'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBSnapshotCommand, {
      DBInstanceIdentifier: 'orders-db',
      DBSnapshotIdentifier: ID,
      Tags: TAGS,
    });
    expect(out[0]).toBe(ID);
    expect(out[1]).toMatch(/rds instance orders-db: available, encrypted arn:aws:kms:.*key\/1111$/);
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)).toHaveLength(2);
  });

  it('snapshots an Aurora cluster, and reuses the snapshot a retried command already asked for', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true, json: true });
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'ledger' }).rejects(notFound());
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'ledger' })
      .resolves({ DBClusters: [cluster('ledger')] });
    const id = 'warden-pre-ledger-202611261200';
    rdsMock
      .on(CreateDBClusterSnapshotCommand)
      .rejects(new DBClusterSnapshotAlreadyExistsFault({ $metadata: {}, message: 'exists' }));
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({
      DBClusterSnapshots: [
        {
          DBClusterSnapshotIdentifier: id,
          DBClusterIdentifier: 'ledger',
          DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}`,
          Status: 'available',
          PercentProgress: 100,
          StorageEncrypted: true,
          KmsKeyId: 'k',
        },
      ],
    });
    // Act
    const code = await backupCommand.run(
      ['snapshot', `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:ledger`, '--wait'],
      ctx,
    );
    // Assess
    expect(code).toBe(0);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBClusterSnapshotCommand, {
      DBClusterIdentifier: 'ledger',
      DBClusterSnapshotIdentifier: id,
    });
    expect(JSON.parse(out[0] ?? '')).toMatchObject({
      snapshotId: id,
      resourceType: 'cluster',
      result: 'existed',
      state: 'available',
      encrypted: true,
      problems: [],
      account: ACCOUNT,
      region: REGION,
    });
  });

  it('exits 1 and says why when the snapshot is not encrypted', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true });
    rdsMock
      .on(DescribeDBSnapshotsCommand)
      .resolves({ DBSnapshots: [snapshot('orders-db', ID, 0, { Encrypted: false, KmsKeyId: undefined })] });
    // Act
    const code = await backupCommand.run(['snapshot', 'orders-db', '--wait'], ctx);
    // Assess
    expect(code).toBe(1);
    expect(out).toContain('  problem: not encrypted');
  });

  it('refuses a cluster member and a resource that does not exist, before creating anything', async () => {
    // Prepare
    const { ctx } = backupCli({ apply: true });
    rdsMock
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'ledger-1' })
      .resolves({ DBInstances: [instance('ledger-1', { DBClusterIdentifier: 'ledger' })] });
    rdsMock.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'gone' }).rejects(notFound());
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'gone' })
      .rejects(new DBClusterNotFoundFault({ $metadata: {}, message: 'not found' }));
    // Act
    const member = backupCommand.run(['snapshot', 'ledger-1'], ctx);
    const gone = backupCommand.run(['snapshot', 'rds:gone'], ctx);
    // Assess
    await expect(member).rejects.toThrow(
      'ledger-1 is an instance of Aurora cluster ledger: snapshot the cluster',
    );
    await expect(gone).rejects.toThrow('rds gone not found in this account and region');
    expect(rdsMock.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
    expect(rdsMock.commandCalls(CreateDBClusterSnapshotCommand)).toHaveLength(0);
  });

  it('retries a throttled create with backoff', async () => {
    // Prepare
    const { ctx } = backupCli({ apply: true });
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    rdsMock.on(CreateDBSnapshotCommand).rejectsOnce(throttle).resolves({});
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [snapshot('orders-db', ID, 0)] });
    // Act
    const code = await backupCommand.run(['snapshot', 'orders-db'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(rdsMock.commandCalls(CreateDBSnapshotCommand)).toHaveLength(2);
  });
});

describe('Function: parseSnapshotTarget', () => {
  it('reads ARNs, kind:name and bare RDS ids, and names the field of a bad one', () => {
    // Assess
    expect(parseSnapshotTarget('orders-db')).toEqual({ kind: 'rds', name: 'orders-db' });
    expect(parseSnapshotTarget('dynamodb:orders.v2')).toEqual({ kind: 'dynamodb', name: 'orders.v2' });
    expect(parseSnapshotTarget('arn:aws:dynamodb:eu-west-1:111122223333:table/orders')).toEqual({
      kind: 'dynamodb',
      name: 'orders',
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(
      parseSnapshotTarget('arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:sessions'),
    ).toMatchObject({
      kind: 'elasticache',
      name: 'sessions',
    });
    expect(() => parseSnapshotTarget('s3:bucket')).toThrow(/resource/);
    expect(() => parseSnapshotTarget('rds:1bad')).toThrow(/a valid rds name/);
    expect(() => parseSnapshotTarget('arn:aws:rds:eu-west-1:111122223333:snapshot:x')).toThrow(/resource/);
  });

  it('keeps ids within each service limit and one per minute', () => {
    // Assess
    expect(preChangeSnapshotId({ kind: 'rds', name: 'a'.repeat(63) }, NOW)).toHaveLength(63);
    expect(preChangeSnapshotId({ kind: 'rds', name: 'orders-db' }, NOW)).toBe(ID);
    expect(
      preChangeSnapshotId({ kind: 'elasticache', name: 'x'.repeat(40) }, NOW).length,
    ).toBeLessThanOrEqual(40);
  });
});

describe('Function: backupCommand.run snapshot (DynamoDB, ElastiCache)', () => {
  const ddbMock = mockClient(DynamoDBClient);
  const ecMock = mockClient(ElastiCacheClient);
  const backupArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders/backup/01700000000000-abcdef`;
  beforeEach(() => {
    ddbMock.reset();
    ecMock.reset();
    ddbMock.on(DescribeTableCommand).resolves({
      Table: {
        TableName: 'orders',
        TableStatus: 'ACTIVE',
        TableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      },
    });
  });

  it('takes a DynamoDB backup, waits for it, and reports the AWS owned key as encrypted', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true });
    ddbMock.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    ddbMock.on(CreateBackupCommand).resolves({ BackupDetails: { BackupArn: backupArn } as never });
    const details = (BackupStatus: 'CREATING' | 'AVAILABLE') => ({
      BackupDescription: {
        BackupDetails: {
          BackupArn: backupArn,
          BackupName: 'warden-pre-orders-202611261200',
          BackupStatus,
        } as never,
      },
    });
    ddbMock.on(DescribeBackupCommand).resolvesOnce(details('CREATING')).resolves(details('AVAILABLE'));
    // Act
    const code = await backupCommand.run(
      ['snapshot', 'dynamodb:orders', '--wait', '--poll-seconds', '1'],
      ctx,
    );
    // Assess
    expect(code).toBe(0);
    expect(ddbMock).toHaveReceivedCommandWith(CreateBackupCommand, {
      TableName: 'orders',
      BackupName: 'warden-pre-orders-202611261200',
    });
    expect(out).toEqual([
      'warden-pre-orders-202611261200',
      '  dynamodb table orders: available, encrypted AWS owned key',
    ]);
  });

  it('reuses a DynamoDB backup of the same name instead of taking a second one', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true, json: true });
    ddbMock.on(ListBackupsCommand).resolves({
      BackupSummaries: [{ BackupName: 'warden-pre-orders-202611261200', BackupArn: backupArn }],
    });
    ddbMock.on(DescribeBackupCommand).resolves({
      BackupDescription: {
        BackupDetails: { BackupArn: backupArn, BackupStatus: 'AVAILABLE' } as never,
        SourceTableFeatureDetails: {
          SSEDescription: { Status: 'ENABLED', KMSMasterKeyArn: 'arn:aws:kms:k' },
        },
      },
    });
    // Act
    const code = await backupCommand.run(['snapshot', 'dynamodb:orders'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(ddbMock.commandCalls(CreateBackupCommand)).toHaveLength(0);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({
      result: 'existed',
      arn: backupArn,
      kmsKeyId: 'arn:aws:kms:k',
    });
  });

  it('snapshots an ElastiCache replication group, tagged, and fails one not encrypted at rest', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true });
    ecMock.on(DescribeReplicationGroupsCommand).resolves({
      ReplicationGroups: [{ ReplicationGroupId: 'sessions', ARN: 'arn:rg', AtRestEncryptionEnabled: false }],
    });
    ecMock.on(CreateSnapshotCommand).resolves({});
    ecMock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        { SnapshotName: 'warden-pre-sessions-202611261200', SnapshotStatus: 'available', ARN: 'arn:s' },
      ],
    });
    // Act
    const code = await backupCommand.run(['snapshot', 'elasticache:sessions', '--wait'], ctx);
    // Assess
    expect(code).toBe(1);
    expect(ecMock).toHaveReceivedCommandWith(CreateSnapshotCommand, {
      ReplicationGroupId: 'sessions',
      SnapshotName: 'warden-pre-sessions-202611261200',
      Tags: expect.arrayContaining([{ Key: 'warden:purpose', Value: 'pre-change' }]),
    });
    expect(out).toContain('  problem: not encrypted');
  });

  it('says a replication group that does not exist is not found', async () => {
    // Prepare
    const { ctx } = backupCli({ apply: true });
    ecMock
      .on(DescribeReplicationGroupsCommand)
      .rejects(new ReplicationGroupNotFoundFault({ $metadata: {}, message: 'not found' }));
    ecMock
      .on(DescribeServerlessCachesCommand)
      .rejects(new ServerlessCacheNotFoundFault({ $metadata: {}, message: 'not found' }));
    // Act
    const run = backupCommand.run(['snapshot', 'elasticache:gone'], ctx);
    // Assess
    await expect(run).rejects.toThrow('elasticache gone not found in this account and region');
    expect(ecMock.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('snapshots a serverless cache of that name when there is no such replication group, and waits until it is available', async () => {
    // Prepare
    const { ctx, out } = backupCli({ apply: true });
    ecMock
      .on(DescribeReplicationGroupsCommand)
      .rejects(new ReplicationGroupNotFoundFault({ $metadata: {}, message: 'not found' }));
    ecMock.on(DescribeServerlessCachesCommand).resolves({
      ServerlessCaches: [
        { ServerlessCacheName: 'carts', ARN: 'arn:aws:elasticache:eu-west-1:1:serverlesscache:carts' },
      ],
    });
    ecMock.on(CreateServerlessCacheSnapshotCommand).resolves({});
    ecMock.on(DescribeServerlessCacheSnapshotsCommand).resolves({
      ServerlessCacheSnapshots: [
        {
          ServerlessCacheSnapshotName: 'warden-pre-carts-202611261200',
          Status: 'available',
          ARN: 'arn:aws:elasticache:eu-west-1:1:serverlesscachesnapshot:warden-pre-carts-202611261200',
        },
      ],
    });
    // Act
    const code = await backupCommand.run(['snapshot', 'elasticache:carts', '--wait'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(ecMock).toHaveReceivedCommandWith(CreateServerlessCacheSnapshotCommand, {
      ServerlessCacheName: 'carts',
      ServerlessCacheSnapshotName: 'warden-pre-carts-202611261200',
      Tags: expect.arrayContaining([{ Key: 'warden:purpose', Value: 'pre-change' }]),
    });
    expect(ecMock.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
    expect(out.join('\n')).toContain('warden-pre-carts-202611261200');
    expect(out.join('\n')).not.toContain('problem:');
  });
});
