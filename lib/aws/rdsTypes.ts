import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, Tag } from '@aws-sdk/client-rds';
import type { PacedCallOptions } from './pacing.js';

export type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, Tag };

/** Pacing and retries of the RDS calls (a token bucket, throttles retried with backoff, counters). */
export type RdsApiOptions = PacedCallOptions;

export interface SnapshotCopyInput {
  /** ARN of the source snapshot in the source region (commercial regions need no presigned URL). */
  sourceArn: string;
  targetId: string;
  kmsKeyId: string;
  tags: Tag[];
}

export interface RestoreInput {
  snapshotId: string;
  instanceId: string;
  instanceClass: string;
  subnetGroup: string;
  securityGroupIds: string[];
  tags: Tag[];
}

/** The RDS calls warden makes, paced and retried when throttled. One instance per (account, region). */
export interface RdsApi {
  readonly region: string;
  listInstances(): Promise<DBInstance[]>;
  listClusters(): Promise<DBCluster[]>;
  /** Every snapshot of the region (no per-instance filter: one paginated walk), or those of one instance. */
  listSnapshots(instanceId?: string): Promise<DBSnapshot[]>;
  listClusterSnapshots(clusterId?: string): Promise<DBClusterSnapshot[]>;
  /** Undefined when it no longer exists. */
  describeInstance(instanceId: string): Promise<DBInstance | undefined>;
  /** 'exists' when a snapshot of that name already exists (a retry); 'missing' when the source is gone. */
  createSnapshot(instanceId: string, snapshotId: string, tags: Tag[]): Promise<Outcome>;
  createClusterSnapshot(clusterId: string, snapshotId: string, tags: Tag[]): Promise<Outcome>;
  /** Called on the destination region's api. 'missing' when the source snapshot was deleted meanwhile. */
  copySnapshot(input: SnapshotCopyInput): Promise<Outcome>;
  copyClusterSnapshot(input: SnapshotCopyInput): Promise<Outcome>;
  /** 'missing' when it was already gone. */
  deleteSnapshot(snapshotId: string): Promise<Outcome>;
  deleteClusterSnapshot(snapshotId: string): Promise<Outcome>;
  /** 'exists' when the instance already exists (the step is retried); 'missing' when the snapshot is gone. */
  restoreInstance(input: RestoreInput): Promise<Outcome>;
  /** Deletes without a final snapshot (a cluster member's snapshots belong to its cluster); 'missing' when gone. */
  deleteInstance(instanceId: string, clusterMember?: boolean): Promise<Outcome>;
  /** Aurora: the cluster from a cluster snapshot ('exists' on a retry, 'missing' when the snapshot is gone)... */
  restoreCluster(input: ClusterRestoreInput): Promise<Outcome>;
  /** ...then its one instance ('missing' when the cluster is gone). */
  createClusterInstance(input: ClusterInstanceInput): Promise<Outcome>;
  describeCluster(clusterId: string): Promise<DBCluster | undefined>;
  /** Deletes without a final snapshot; 'missing' when it was already gone. */
  deleteCluster(clusterId: string): Promise<Outcome>;
}

export interface ClusterRestoreInput {
  snapshotId: string;
  clusterId: string;
  engine: string;
  subnetGroup: string;
  securityGroupIds: string[];
  tags: Tag[];
}

export interface ClusterInstanceInput {
  clusterId: string;
  instanceId: string;
  instanceClass: string;
  engine: string;
  tags: Tag[];
}

/** What a mutating call did: done, found it already done (a retry), or found its subject gone. */
export type Outcome = 'done' | 'exists' | 'missing';
