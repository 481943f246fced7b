import type { DBClusterSnapshot, DBSnapshot, RdsApi } from '../../aws/rds.js';
import { ExecutionError } from '../../errors.js';
import type { BackupState, SnapshotDriver } from './take.js';

const FAILED = new Set(['failed', 'incompatible-restore', 'incompatible-parameters', 'deleted', 'deleting']);

function instanceState(s: DBSnapshot): BackupState {
  const status = s.Status ?? 'unknown';
  return {
    id: s.DBSnapshotIdentifier ?? '',
    arn: s.DBSnapshotArn ?? '',
    status,
    complete: status === 'available' && (s.PercentProgress ?? 100) === 100,
    failed: FAILED.has(status),
    encrypted: s.Encrypted === true,
    kmsKeyId: s.KmsKeyId,
  };
}

function clusterState(s: DBClusterSnapshot): BackupState {
  const status = s.Status ?? 'unknown';
  return {
    id: s.DBClusterSnapshotIdentifier ?? '',
    arn: s.DBClusterSnapshotArn ?? '',
    status,
    complete: status === 'available' && (s.PercentProgress ?? 100) === 100,
    failed: FAILED.has(status),
    encrypted: s.StorageEncrypted === true,
    kmsKeyId: s.KmsKeyId,
  };
}

/**
 * RDS: a DB snapshot of an instance, or a cluster snapshot of an Aurora cluster (a cluster member is refused:
 * its data is the cluster's). `missing` from the create call means the database went away meanwhile.
 */
export function rdsSnapshotDriver(rds: RdsApi, name: string): SnapshotDriver {
  let kind: 'instance' | 'cluster' | undefined;
  return {
    async describeSource() {
      const instance = await rds.describeInstance(name);
      if (instance?.DBClusterIdentifier)
        throw new ExecutionError(
          `${name} is an instance of Aurora cluster ${instance.DBClusterIdentifier}: snapshot the cluster`,
        );
      if (instance) {
        kind = 'instance';
        return { type: 'instance', arn: instance.DBInstanceArn ?? name };
      }
      const cluster = await rds.describeCluster(name);
      if (!cluster) return undefined;
      kind = 'cluster';
      return { type: 'cluster', arn: cluster.DBClusterArn ?? name };
    },
    async create(id, tags) {
      const outcome =
        kind === 'cluster'
          ? await rds.createClusterSnapshot(name, id, tags)
          : await rds.createSnapshot(name, id, tags);
      if (outcome === 'missing')
        throw new ExecutionError(`${name} was deleted before its snapshot could be taken`);
      return { outcome };
    },
    async describe(id) {
      if (kind === 'cluster') {
        const s = (await rds.listClusterSnapshots(name)).find((x) => x.DBClusterSnapshotIdentifier === id);
        return s && clusterState(s);
      }
      const s = (await rds.listSnapshots(name)).find((x) => x.DBSnapshotIdentifier === id);
      return s && instanceState(s);
    },
  };
}
