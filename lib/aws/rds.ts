import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  type DBCluster,
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  type DBClusterSnapshot,
  DBClusterSnapshotAlreadyExistsFault,
  DBClusterSnapshotNotFoundFault,
  type DBInstance,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  type DBSnapshot,
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
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type Tag,
} from '@aws-sdk/client-rds';
import type { AwsClients } from './clients.js';
import { paced, type RateLimiter, realSleep, type Sleep, unlimited } from './pacing.js';
import { clientIn } from './regional.js';

export type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, Tag };

export interface RdsApiOptions {
  limiter?: RateLimiter;
  /** Attempts per call when throttled (on top of the SDK's own retries). */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: Sleep;
  /** Counters for reports and the benchmark. */
  onCall?: () => void;
  onThrottle?: () => void;
}

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

const PAGE = 100;

/** Wraps an RDS client. Expected faults (not found, already exists) are caught by class here, next to the call. */
export function rdsApi(client: RDSClient, region: string, options: RdsApiOptions = {}): RdsApi {
  const retry = {
    limiter: options.limiter ?? unlimited,
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 200,
    sleep: options.sleep ?? realSleep,
    onThrottle: options.onThrottle,
  };
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    options.onCall?.();
    return paced(retry, fn);
  };
  async function pages<T>(fetch: (marker: string | undefined) => Promise<{ items: T[]; marker?: string }>) {
    const out: T[] = [];
    let marker: string | undefined;
    do {
      const page = await fetch(marker);
      out.push(...page.items);
      marker = page.marker;
    } while (marker);
    return out;
  }
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
    region,
    listInstances: () =>
      pages(async (Marker) => {
        const r = await call(() => client.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE, Marker })));
        return { items: r.DBInstances ?? [], marker: r.Marker };
      }),
    listClusters: () =>
      pages(async (Marker) => {
        const r = await call(() => client.send(new DescribeDBClustersCommand({ MaxRecords: PAGE, Marker })));
        return { items: r.DBClusters ?? [], marker: r.Marker };
      }),
    listSnapshots: (DBInstanceIdentifier) =>
      pages(async (Marker) => {
        const input = { MaxRecords: PAGE, Marker, ...(DBInstanceIdentifier ? { DBInstanceIdentifier } : {}) };
        try {
          const r = await call(() => client.send(new DescribeDBSnapshotsCommand(input)));
          return { items: r.DBSnapshots ?? [], marker: r.Marker };
        } catch (err) {
          // The instance was deleted between discovery and this call: it has no snapshots to list here.
          if (err instanceof DBInstanceNotFoundFault) return { items: [] };
          throw err;
        }
      }),
    listClusterSnapshots: (DBClusterIdentifier) =>
      pages(async (Marker) => {
        const input = { MaxRecords: PAGE, Marker, ...(DBClusterIdentifier ? { DBClusterIdentifier } : {}) };
        const r = await call(() => client.send(new DescribeDBClusterSnapshotsCommand(input)));
        return { items: r.DBClusterSnapshots ?? [], marker: r.Marker };
      }),
    async describeInstance(DBInstanceIdentifier) {
      try {
        const r = await call(() => client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier })));
        return r.DBInstances?.[0];
      } catch (err) {
        if (err instanceof DBInstanceNotFoundFault) return undefined;
        throw err;
      }
    },
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
    async describeCluster(DBClusterIdentifier) {
      try {
        const r = await call(() => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier })));
        return r.DBClusters?.[0];
      } catch (err) {
        if (err instanceof DBClusterNotFoundFault) return undefined;
        throw err;
      }
    },
    deleteCluster: (DBClusterIdentifier) =>
      mutate(
        () => client.send(new DeleteDBClusterCommand({ DBClusterIdentifier, SkipFinalSnapshot: true })),
        never,
        (e) => e instanceof DBClusterNotFoundFault,
      ),
  };
}

/** An RDS client for another region of the same target (the DR region), with the target's credentials. */
export const rdsClientIn = (aws: AwsClients, region: string, maxAttempts: number): RDSClient =>
  clientIn(aws, RDSClient, region, maxAttempts);
