import type { RdsApi } from '../aws/rds.js';
import { describeError } from '../errors.js';
import { mapLimit } from '../runtime/mapLimit.js';
import {
  type BackupResource,
  fromCluster,
  fromClusterSnapshot,
  fromInstance,
  fromSnapshot,
  groupSnapshots,
  resourceKey,
  type SnapshotInfo,
} from './model.js';

/** An RDS call that failed: `scope` is what could not be read (a listing, or one resource's snapshots). */
export interface ApiFailure {
  scope: 'instances' | 'clusters' | 'dr-snapshots' | 'snapshots';
  resourceKey?: string;
  error: string;
}

export interface Inventory {
  resources: BackupResource[];
  /** Snapshots per resource key, newest first. A key absent here with a failure in `failures` was not readable. */
  snapshots: Map<string, SnapshotInfo[]>;
  /** DR-region snapshots per resource key; undefined without a DR region or when the DR listing failed. */
  drSnapshots?: Map<string, SnapshotInfo[]> | undefined;
  failures: ApiFailure[];
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/**
 * Reads every database and snapshot of the region with as few calls as possible: one paginated walk of each
 * listing, no per-instance filter. When the region-wide snapshot listing fails, falls back to one listing per
 * database, so one database's errors leave the others verified.
 */
export async function loadInventory(
  rds: RdsApi,
  drRds: RdsApi | undefined,
  concurrency = 4,
): Promise<Inventory> {
  const failures: ApiFailure[] = [];
  const [instances, clusters, snaps, clusterSnaps, dr] = await Promise.allSettled([
    rds.listInstances(),
    rds.listClusters(),
    rds.listSnapshots(),
    rds.listClusterSnapshots(),
    drRds ? Promise.all([drRds.listSnapshots(), drRds.listClusterSnapshots()]) : Promise.resolve(undefined),
  ]);
  const resources: BackupResource[] = [];
  if (instances.status === 'fulfilled') resources.push(...instances.value.map(fromInstance).filter(defined));
  else failures.push({ scope: 'instances', error: describeError(instances.reason) });
  if (clusters.status === 'fulfilled') resources.push(...clusters.value.map(fromCluster).filter(defined));
  else failures.push({ scope: 'clusters', error: describeError(clusters.reason) });

  const all: SnapshotInfo[] = [];
  const perResource = async (kind: BackupResource['kind']) => {
    const mine = resources.filter((r) => r.kind === kind);
    await mapLimit(mine, concurrency, async (r) => {
      try {
        const list =
          kind === 'instance'
            ? (await rds.listSnapshots(r.id)).map(fromSnapshot)
            : (await rds.listClusterSnapshots(r.id)).map(fromClusterSnapshot);
        all.push(...list.filter(defined));
      } catch (err) {
        failures.push({
          scope: 'snapshots',
          resourceKey: resourceKey(r.kind, r.id),
          error: describeError(err),
        });
      }
    });
  };
  if (snaps.status === 'fulfilled') all.push(...snaps.value.map(fromSnapshot).filter(defined));
  else await perResource('instance');
  if (clusterSnaps.status === 'fulfilled')
    all.push(...clusterSnaps.value.map(fromClusterSnapshot).filter(defined));
  else await perResource('cluster');

  let drSnapshots: Map<string, SnapshotInfo[]> | undefined;
  if (dr.status === 'rejected') failures.push({ scope: 'dr-snapshots', error: describeError(dr.reason) });
  else if (dr.value) {
    const [s, c] = dr.value;
    drSnapshots = groupSnapshots([...s.map(fromSnapshot), ...c.map(fromClusterSnapshot)].filter(defined));
  }
  return { resources, snapshots: groupSnapshots(all), drSnapshots, failures };
}
