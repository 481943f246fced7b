import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBClusterSnapshotNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  type RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import type { Outcome, RdsApi } from './rdsTypes.js';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;
type RdsWrites = Omit<
  RdsApi,
  | 'region'
  | 'listInstances'
  | 'listClusters'
  | 'listSnapshots'
  | 'listClusterSnapshots'
  | 'describeInstance'
  | 'describeCluster'
>;

/**
 * The mutating RDS calls (snapshots, restores, deletes) through the paced `call` of rdsApi. Expected faults (not
 * found, already exists) are caught by class here, next to the call, and returned as an Outcome.
 */
export function rdsWrites(client: RDSClient, call: Call): RdsWrites {
  const mutate = async (
    fn: () => Promise<unknown>,
    exists: (err: unknown) => boolean,
    missing: (err: unknown) => boolean,
  ): Promise<Outcome> => {
    try {
      await call(fn);
      return 'done';
    } catch (err) {
      if (exists(err)) return 'exists';
      if (missing(err)) return 'missing';
      throw err;
    }
  };
  const never = () => false;
  return {
    createSnapshot: (DBInstanceIdentifier, DBSnapshotIdentifier, Tags) =>
      mutate(
        () => client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier, DBSnapshotIdentifier, Tags })),
        (e) => e instanceof DBSnapshotAlreadyExistsFault,
        (e) => e instanceof DBInstanceNotFoundFault,
      ),
    createClusterSnapshot: (DBClusterIdentifier, DBClusterSnapshotIdentifier, Tags) =>
      mutate(
        () =>
          client.send(
            new CreateDBClusterSnapshotCommand({ DBClusterIdentifier, DBClusterSnapshotIdentifier, Tags }),
          ),
        (e) => e instanceof DBClusterSnapshotAlreadyExistsFault,
        (e) => e instanceof DBClusterNotFoundFault,
      ),
    copySnapshot: (i) =>
      mutate(
        () =>
          client.send(
            new CopyDBSnapshotCommand({
              SourceDBSnapshotIdentifier: i.sourceArn,
              TargetDBSnapshotIdentifier: i.targetId,
              KmsKeyId: i.kmsKeyId,
              Tags: i.tags,
            }),
          ),
        (e) => e instanceof DBSnapshotAlreadyExistsFault,
        (e) => e instanceof DBSnapshotNotFoundFault,
      ),
    copyClusterSnapshot: (i) =>
      mutate(
        () =>
          client.send(
            new CopyDBClusterSnapshotCommand({
              SourceDBClusterSnapshotIdentifier: i.sourceArn,
              TargetDBClusterSnapshotIdentifier: i.targetId,
              KmsKeyId: i.kmsKeyId,
              Tags: i.tags,
            }),
          ),
        (e) => e instanceof DBClusterSnapshotAlreadyExistsFault,
        (e) => e instanceof DBClusterSnapshotNotFoundFault,
      ),
    deleteSnapshot: (DBSnapshotIdentifier) =>
      mutate(
        () => client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier })),
        never,
        (e) => e instanceof DBSnapshotNotFoundFault,
      ),
    deleteClusterSnapshot: (DBClusterSnapshotIdentifier) =>
      mutate(
        () => client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier })),
        never,
        (e) => e instanceof DBClusterSnapshotNotFoundFault,
      ),
    restoreInstance: (i) =>
      mutate(
        () =>
          client.send(
            new RestoreDBInstanceFromDBSnapshotCommand({
              DBSnapshotIdentifier: i.snapshotId,
              DBInstanceIdentifier: i.instanceId,
              DBInstanceClass: i.instanceClass,
              DBSubnetGroupName: i.subnetGroup,
              VpcSecurityGroupIds: i.securityGroupIds,
              PubliclyAccessible: false,
              MultiAZ: false,
              DeletionProtection: false,
              CopyTagsToSnapshot: false,
              Tags: i.tags,
            }),
          ),
        (e) => e instanceof DBInstanceAlreadyExistsFault,
        (e) => e instanceof DBSnapshotNotFoundFault,
      ),
    deleteInstance: (DBInstanceIdentifier, clusterMember = false) =>
      mutate(
        () =>
          client.send(
            new DeleteDBInstanceCommand(
              clusterMember
                ? { DBInstanceIdentifier }
                : { DBInstanceIdentifier, SkipFinalSnapshot: true, DeleteAutomatedBackups: true },
            ),
          ),
        never,
        (e) => e instanceof DBInstanceNotFoundFault,
      ),
    restoreCluster: (i) =>
      mutate(
        () =>
          client.send(
            new RestoreDBClusterFromSnapshotCommand({
              DBClusterIdentifier: i.clusterId,
              SnapshotIdentifier: i.snapshotId,
              Engine: i.engine,
              DBSubnetGroupName: i.subnetGroup,
              VpcSecurityGroupIds: i.securityGroupIds,
              DeletionProtection: false,
              CopyTagsToSnapshot: false,
              Tags: i.tags,
            }),
          ),
        (e) => e instanceof DBClusterAlreadyExistsFault,
        (e) => e instanceof DBClusterSnapshotNotFoundFault,
      ),
    createClusterInstance: (i) =>
      mutate(
        () =>
          client.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: i.instanceId,
              DBClusterIdentifier: i.clusterId,
              DBInstanceClass: i.instanceClass,
              Engine: i.engine,
              PubliclyAccessible: false,
              Tags: i.tags,
            }),
          ),
        (e) => e instanceof DBInstanceAlreadyExistsFault,
        (e) => e instanceof DBClusterNotFoundFault,
      ),
    deleteCluster: (DBClusterIdentifier) =>
      mutate(
        () => client.send(new DeleteDBClusterCommand({ DBClusterIdentifier, SkipFinalSnapshot: true })),
        never,
        (e) => e instanceof DBClusterNotFoundFault,
      ),
  };
}
