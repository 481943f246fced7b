import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, RdsApi } from '../aws/rds.js';
import { ExecutionError } from '../errors.js';

/** Saved RDS API responses, exactly as the SDK returns them (the demo's examples/backup/*.json). */
export interface SavedResponses {
  DBInstances?: DBInstance[];
  DBClusters?: DBCluster[];
  DBSnapshots?: DBSnapshot[];
  DBClusterSnapshots?: DBClusterSnapshot[];
}

/** JSON dates are strings: the SDK gives Date objects, so revive the fields the checks read. */
function revive<T extends object>(items: readonly T[] | undefined, fields: readonly string[]): T[] {
  return (items ?? []).map((item) => {
    const copy = { ...item } as Record<string, unknown>;
    for (const f of fields) if (typeof copy[f] === 'string') copy[f] = new Date(copy[f] as string);
    return copy as T;
  });
}

/**
 * A read-only RdsApi over saved responses, for the demo and tests. Every mutating call throws: a dry-run never
 * makes one, so reaching one is a bug worth seeing.
 */
export function savedRdsApi(region: string, saved: SavedResponses): RdsApi {
  const instances = revive(saved.DBInstances, ['LatestRestorableTime', 'InstanceCreateTime']);
  const clusters = revive(saved.DBClusters, ['LatestRestorableTime', 'ClusterCreateTime']);
  const snapshots = revive(saved.DBSnapshots, ['SnapshotCreateTime', 'OriginalSnapshotCreateTime']);
  const clusterSnapshots = revive(saved.DBClusterSnapshots, ['SnapshotCreateTime']);
  const readOnly = async (): Promise<never> => {
    throw new ExecutionError('saved RDS responses are read-only (the demo runs in dry-run)');
  };
  return {
    region,
    listInstances: async () => instances,
    listClusters: async () => clusters,
    listSnapshots: async (id) => (id ? snapshots.filter((s) => s.DBInstanceIdentifier === id) : snapshots),
    listClusterSnapshots: async (id) =>
      id ? clusterSnapshots.filter((s) => s.DBClusterIdentifier === id) : clusterSnapshots,
    describeInstance: async (id) => instances.find((i) => i.DBInstanceIdentifier === id),
    createSnapshot: readOnly,
    createClusterSnapshot: readOnly,
    copySnapshot: readOnly,
    copyClusterSnapshot: readOnly,
    deleteSnapshot: readOnly,
    deleteClusterSnapshot: readOnly,
    restoreInstance: readOnly,
    deleteInstance: readOnly,
    restoreCluster: readOnly,
    createClusterInstance: readOnly,
    describeCluster: async (id) => clusters.find((c) => c.DBClusterIdentifier === id),
    deleteCluster: readOnly,
  };
}
