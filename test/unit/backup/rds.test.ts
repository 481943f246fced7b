import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RDSServiceException,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { rdsApi, rdsClientIn } from '../../../lib/aws/rds.js';
import { instance, snapshot } from './fixtures.js';

const rdsMock = mockClient(RDSClient);
const noSleep = async () => {};
const throttle = () =>
  new RDSServiceException({
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });

describe('Function: rdsApi', () => {
  beforeEach(() => {
    rdsMock.reset();
  });

  it('walks every page of snapshots with MaxRecords 100 and no per-instance filter', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBSnapshotsCommand, { Marker: undefined })
      .resolves({ DBSnapshots: [snapshot('a', 'a1', 1)], Marker: 'm2' })
      .on(DescribeDBSnapshotsCommand, { Marker: 'm2' })
      .resolves({ DBSnapshots: [snapshot('b', 'b1', 1)] });
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    // Act
    const list = await api.listSnapshots();
    // Assess
    expect(list.map((s) => s.DBSnapshotIdentifier)).toEqual(['a1', 'b1']);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBSnapshotsCommand, 2);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBSnapshotsCommand, { MaxRecords: 100, Marker: 'm2' });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0]?.args[0].input).not.toHaveProperty(
      'DBInstanceIdentifier',
    );
  });

  it('retries a throttled call and counts the retries', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolves({ DBInstances: [instance('a')] });
    let throttled = 0;
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1', {
      sleep: noSleep,
      onThrottle: () => throttled++,
    });
    // Act
    const list = await api.listInstances();
    // Assess
    expect(list).toHaveLength(1);
    expect(throttled).toBe(2);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 3);
  });

  it('gives up after the attempts allowed and raises the throttling error', async () => {
    // Prepare
    rdsMock.on(DescribeDBInstancesCommand).rejects(throttle());
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1', {
      sleep: noSleep,
      maxAttempts: 3,
    });
    // Act / Assess
    await expect(api.listInstances()).rejects.toMatchObject({ name: 'Throttling' });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 3);
  });

  it('does not retry an error that is not throttling', async () => {
    // Prepare
    rdsMock.on(DescribeDBSnapshotsCommand).rejects(new Error('boom'));
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1', { sleep: noSleep });
    // Act / Assess
    await expect(api.listSnapshots()).rejects.toThrow('boom');
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBSnapshotsCommand, 1);
  });

  it('reports an existing snapshot name as exists and a deleted snapshot as missing', async () => {
    // Prepare
    rdsMock
      .on(CreateDBSnapshotCommand)
      .rejects(new DBSnapshotAlreadyExistsFault({ $metadata: {}, message: 'exists' }))
      .on(DeleteDBSnapshotCommand)
      .rejects(new DBSnapshotNotFoundFault({ $metadata: {}, message: 'gone' }))
      .on(CopyDBSnapshotCommand)
      .rejects(new DBSnapshotNotFoundFault({ $metadata: {}, message: 'gone' }));
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    // Act
    const created = await api.createSnapshot('a', 'warden-a-20261126', [
      { Key: 'warden:managed', Value: 'true' },
    ]);
    const deleted = await api.deleteSnapshot('old');
    const copied = await api.copySnapshot({
      sourceArn: 'arn:aws:rds:eu-west-1:1:snapshot:x',
      targetId: 't',
      kmsKeyId: 'alias/dr',
      tags: [],
    });
    // Assess
    expect([created, deleted, copied]).toEqual(['exists', 'missing', 'missing']);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBSnapshotCommand, {
      DBInstanceIdentifier: 'a',
      DBSnapshotIdentifier: 'warden-a-20261126',
      Tags: [{ Key: 'warden:managed', Value: 'true' }],
    });
  });

  it('restores a private, single-AZ instance and deletes it without a final snapshot', async () => {
    // Prepare
    rdsMock
      .on(RestoreDBInstanceFromDBSnapshotCommand)
      .rejectsOnce(new DBInstanceAlreadyExistsFault({ $metadata: {}, message: 'exists' }))
      .resolves({})
      .on(DeleteDBInstanceCommand)
      .resolvesOnce({})
      .rejects(new DBInstanceNotFoundFault({ $metadata: {}, message: 'gone' }));
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    const input = {
      snapshotId: 's',
      instanceId: 'wd-a',
      instanceClass: 'db.t4g.micro',
      subnetGroup: 'drill',
      securityGroupIds: ['sg-12345678'],
      tags: [],
    };
    // Act
    const outcomes = [
      await api.restoreInstance(input),
      await api.restoreInstance(input),
      await api.deleteInstance('wd-a'),
      await api.deleteInstance('wd-a'),
    ];
    // Assess
    expect(outcomes).toEqual(['exists', 'done', 'done', 'missing']);
    expect(rdsMock).toHaveReceivedCommandWith(RestoreDBInstanceFromDBSnapshotCommand, {
      PubliclyAccessible: false,
      DBSubnetGroupName: 'drill',
      VpcSecurityGroupIds: ['sg-12345678'],
      DBInstanceClass: 'db.t4g.micro',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      SkipFinalSnapshot: true,
      DBInstanceIdentifier: 'wd-a',
    });
  });

  it('returns undefined for an instance deleted since it was listed', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejects(new DBInstanceNotFoundFault({ $metadata: {}, message: 'gone' }));
    rdsMock
      .on(DescribeDBSnapshotsCommand)
      .rejects(new DBInstanceNotFoundFault({ $metadata: {}, message: 'gone' }));
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    // Act / Assess
    expect(await api.describeInstance('gone')).toBeUndefined();
    expect(await api.listSnapshots('gone')).toEqual([]);
  });
});

describe('Function: rdsApi (Aurora)', () => {
  beforeEach(() => {
    rdsMock.reset();
  });

  it('lists clusters and their snapshots and maps cluster faults to outcomes', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ DBClusterIdentifier: 'c' }] })
      .on(DescribeDBClusterSnapshotsCommand)
      .resolves({ DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 'cs', DBClusterIdentifier: 'c' }] })
      .on(CreateDBClusterSnapshotCommand)
      .rejects(new DBClusterNotFoundFault({ $metadata: {}, message: 'gone' }))
      .on(CopyDBClusterSnapshotCommand)
      .rejects(new DBClusterSnapshotAlreadyExistsFault({ $metadata: {}, message: 'exists' }))
      .on(DeleteDBClusterSnapshotCommand)
      .resolves({});
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    // Act
    const clusters = await api.listClusters();
    const snaps = await api.listClusterSnapshots('c');
    const outcomes = [
      await api.createClusterSnapshot('c', 'warden-c-20261126', []),
      await api.copyClusterSnapshot({
        sourceArn: 'arn:aws:rds:eu-west-1:1:cluster-snapshot:cs',
        targetId: 't',
        kmsKeyId: 'alias/dr',
        tags: [],
      }),
      await api.deleteClusterSnapshot('cs'),
    ];
    // Assess
    expect(clusters).toHaveLength(1);
    expect(snaps).toHaveLength(1);
    expect(outcomes).toEqual(['missing', 'exists', 'done']);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClusterSnapshotsCommand, {
      DBClusterIdentifier: 'c',
      MaxRecords: 100,
    });
    expect(rdsMock).toHaveReceivedCommandWith(CopyDBClusterSnapshotCommand, {
      KmsKeyId: 'alias/dr',
      TargetDBClusterSnapshotIdentifier: 't',
    });
  });
});

describe('Function: rdsApi (Aurora drills)', () => {
  beforeEach(() => {
    rdsMock.reset();
  });

  it('restores a private cluster and its instance, and deletes both without final snapshots', async () => {
    // Prepare
    rdsMock
      .on(RestoreDBClusterFromSnapshotCommand)
      .resolves({})
      .on(CreateDBInstanceCommand)
      .rejects(new DBClusterNotFoundFault({ $metadata: {}, message: 'gone' }))
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'wd-c' })
      .rejects(new DBClusterNotFoundFault({ $metadata: {}, message: 'gone' }))
      .on(DeleteDBClusterCommand)
      .resolves({})
      .on(DeleteDBInstanceCommand)
      .resolves({});
    const api = rdsApi(new RDSClient({ region: 'eu-west-1' }), 'eu-west-1');
    // Act
    const outcomes = [
      await api.restoreCluster({
        snapshotId: 's',
        clusterId: 'wd-c',
        engine: 'aurora-postgresql',
        subnetGroup: 'drill',
        securityGroupIds: ['sg-12345678'],
        tags: [],
      }),
      await api.createClusterInstance({
        clusterId: 'wd-c',
        instanceId: 'wd-c-i',
        instanceClass: 'db.t4g.medium',
        engine: 'aurora-postgresql',
        tags: [],
      }),
      await api.deleteInstance('wd-c-i', true),
      await api.deleteCluster('wd-c'),
    ];
    // Assess
    expect(outcomes).toEqual(['done', 'missing', 'done', 'done']);
    expect(await api.describeCluster('wd-c')).toBeUndefined();
    expect(rdsMock).toHaveReceivedCommandWith(RestoreDBClusterFromSnapshotCommand, {
      DBSubnetGroupName: 'drill',
      DeletionProtection: false,
    });
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      PubliclyAccessible: false,
      DBClusterIdentifier: 'wd-c',
    });
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)[0]?.args[0].input).toEqual({
      DBInstanceIdentifier: 'wd-c-i',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBClusterCommand, { SkipFinalSnapshot: true });
  });
});

describe('Function: rdsClientIn', () => {
  it('returns the target client for its own region and one cached client per other region', async () => {
    // Prepare
    const home = new RDSClient({ region: 'eu-west-1' });
    const aws = { target: { account: '111122223333', region: 'eu-west-1' }, get: () => home } as never;
    // Act
    const same = rdsClientIn(aws, 'eu-west-1', 3);
    const dr1 = rdsClientIn(aws, 'eu-central-1', 3);
    const dr2 = rdsClientIn(aws, 'eu-central-1', 3);
    // Assess
    expect(same).toBe(home);
    expect(dr1).toBe(dr2);
    expect(await dr1.config.region()).toBe('eu-central-1');
  });
});
