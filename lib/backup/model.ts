import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, Tag } from '../aws/rds.js';

export type ResourceKind = 'instance' | 'cluster';

/** A database whose backups warden verifies: an RDS instance or an Aurora cluster (never a cluster member). */
export interface BackupResource {
  kind: ResourceKind;
  id: string;
  arn: string;
  engine: string;
  status: string;
  encrypted: boolean;
  kmsKeyId?: string | undefined;
  retentionDays: number;
  latestRestorableTime?: Date | undefined;
  tags: Record<string, string>;
}

export interface SnapshotInfo {
  kind: ResourceKind;
  id: string;
  arn: string;
  /** The instance or cluster it was taken from. */
  resourceId: string;
  type: string;
  status: string;
  createdAt?: Date | undefined;
  encrypted: boolean;
  kmsKeyId?: string | undefined;
  tags: Record<string, string>;
}

export function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

/** Undefined for Aurora cluster members (verified through their cluster) and entries without an identifier. */
export function fromInstance(i: DBInstance): BackupResource | undefined {
  if (!i.DBInstanceIdentifier || i.DBClusterIdentifier) return undefined;
  return {
    kind: 'instance',
    id: i.DBInstanceIdentifier,
    arn: i.DBInstanceArn ?? i.DBInstanceIdentifier,
    engine: i.Engine ?? 'unknown',
    status: i.DBInstanceStatus ?? 'unknown',
    encrypted: i.StorageEncrypted === true,
    kmsKeyId: i.KmsKeyId,
    retentionDays: i.BackupRetentionPeriod ?? 0,
    latestRestorableTime: i.LatestRestorableTime,
    tags: tagMap(i.TagList),
  };
}

export function fromCluster(c: DBCluster): BackupResource | undefined {
  if (!c.DBClusterIdentifier) return undefined;
  return {
    kind: 'cluster',
    id: c.DBClusterIdentifier,
    arn: c.DBClusterArn ?? c.DBClusterIdentifier,
    engine: c.Engine ?? 'unknown',
    status: c.Status ?? 'unknown',
    encrypted: c.StorageEncrypted === true,
    kmsKeyId: c.KmsKeyId,
    retentionDays: c.BackupRetentionPeriod ?? 0,
    latestRestorableTime: c.LatestRestorableTime,
    tags: tagMap(c.TagList),
  };
}

export function fromSnapshot(s: DBSnapshot): SnapshotInfo | undefined {
  if (!s.DBSnapshotIdentifier || !s.DBInstanceIdentifier) return undefined;
  return {
    kind: 'instance',
    id: s.DBSnapshotIdentifier,
    arn: s.DBSnapshotArn ?? s.DBSnapshotIdentifier,
    resourceId: s.DBInstanceIdentifier,
    type: s.SnapshotType ?? 'unknown',
    status: s.Status ?? 'unknown',
    // A copy keeps the original's time: the recovery point it holds.
    createdAt: s.OriginalSnapshotCreateTime ?? s.SnapshotCreateTime,
    encrypted: s.Encrypted === true,
    kmsKeyId: s.KmsKeyId,
    tags: tagMap(s.TagList),
  };
}

export function fromClusterSnapshot(s: DBClusterSnapshot): SnapshotInfo | undefined {
  if (!s.DBClusterSnapshotIdentifier || !s.DBClusterIdentifier) return undefined;
  return {
    kind: 'cluster',
    id: s.DBClusterSnapshotIdentifier,
    arn: s.DBClusterSnapshotArn ?? s.DBClusterSnapshotIdentifier,
    resourceId: s.DBClusterIdentifier,
    type: s.SnapshotType ?? 'unknown',
    status: s.Status ?? 'unknown',
    createdAt: s.SnapshotCreateTime,
    encrypted: s.StorageEncrypted === true,
    kmsKeyId: s.KmsKeyId,
    tags: tagMap(s.TagList),
  };
}

/** `instance/db-1` or `cluster/aurora-1`: snapshots are keyed the same way. */
export const resourceKey = (kind: ResourceKind, id: string) => `${kind}/${id}`;

/** Snapshots grouped by the resource they belong to, newest first. */
export function groupSnapshots(snapshots: readonly SnapshotInfo[]): Map<string, SnapshotInfo[]> {
  const out = new Map<string, SnapshotInfo[]>();
  for (const s of snapshots) {
    const key = resourceKey(s.kind, s.resourceId);
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  for (const list of out.values())
    list.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return out;
}

export const HOUR_MS = 3_600_000;
export const ageHours = (now: Date, at: Date) =>
  Math.round(((now.getTime() - at.getTime()) / HOUR_MS) * 10) / 10;
