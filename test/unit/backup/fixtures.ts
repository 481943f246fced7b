import type { LoggerLike } from '../../../lib/automations/types.js';
import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot, RdsApi } from '../../../lib/aws/rds.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const DR_REGION = 'eu-central-1';
export const TARGET = { account: ACCOUNT, region: REGION };
export const NOW = new Date('2026-11-26T12:00:00Z');
export const hoursAgo = (h: number, from = NOW) => new Date(from.getTime() - h * 3_600_000);

export const silentLogger: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

export function instance(id: string, over: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: id,
    DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`,
    Engine: 'postgres',
    DBInstanceStatus: 'available',
    StorageEncrypted: true,
    KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111`,
    BackupRetentionPeriod: 7,
    LatestRestorableTime: hoursAgo(0.1),
    TagList: [],
    ...over,
  };
}

export function cluster(id: string, over: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: id,
    DBClusterArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${id}`,
    Engine: 'aurora-postgresql',
    Status: 'available',
    StorageEncrypted: true,
    KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/2222`,
    BackupRetentionPeriod: 7,
    LatestRestorableTime: hoursAgo(0.1),
    TagList: [],
    ...over,
  };
}

export function snapshot(
  db: string,
  id: string,
  ageHours: number,
  over: Partial<DBSnapshot> = {},
  region = REGION,
): DBSnapshot {
  return {
    DBSnapshotIdentifier: id,
    DBSnapshotArn: `arn:aws:rds:${region}:${ACCOUNT}:snapshot:${id}`,
    DBInstanceIdentifier: db,
    SnapshotType: 'automated',
    Status: 'available',
    SnapshotCreateTime: hoursAgo(ageHours),
    Encrypted: true,
    KmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/1111`,
    TagList: [],
    ...over,
  };
}

export function clusterSnapshot(
  db: string,
  id: string,
  ageHours: number,
  over: Partial<DBClusterSnapshot> = {},
): DBClusterSnapshot {
  return {
    DBClusterSnapshotIdentifier: id,
    DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}`,
    DBClusterIdentifier: db,
    SnapshotType: 'automated',
    Status: 'available',
    SnapshotCreateTime: hoursAgo(ageHours),
    StorageEncrypted: true,
    KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/2222`,
    TagList: [],
    ...over,
  };
}

export interface FakeRdsData {
  instances?: DBInstance[];
  clusters?: DBCluster[];
  snapshots?: DBSnapshot[];
  clusterSnapshots?: DBClusterSnapshot[];
}

/** A recording fake RdsApi: `calls` lists every call, `fail` makes a named method reject. */
export function fakeRds(data: FakeRdsData, region = REGION) {
  const calls: { method: string; args: unknown[] }[] = [];
  const fail: Record<string, (args: unknown[]) => Error | undefined> = {};
  const outcomes: Record<string, 'done' | 'exists' | 'missing'> = {};
  const rec =
    <A extends unknown[], R>(method: string, fn: (...args: A) => R) =>
    async (...args: A): Promise<Awaited<R>> => {
      calls.push({ method, args });
      const err = fail[method]?.(args);
      if (err) throw err;
      return await fn(...args);
    };
  const mutate = (method: string) => rec(method, () => outcomes[method] ?? ('done' as const));
  const api: RdsApi = {
    region,
    listInstances: rec('listInstances', () => data.instances ?? []),
    listClusters: rec('listClusters', () => data.clusters ?? []),
    listSnapshots: rec('listSnapshots', (id?: string) =>
      (data.snapshots ?? []).filter((s) => !id || s.DBInstanceIdentifier === id),
    ),
    listClusterSnapshots: rec('listClusterSnapshots', (id?: string) =>
      (data.clusterSnapshots ?? []).filter((s) => !id || s.DBClusterIdentifier === id),
    ),
    describeInstance: rec('describeInstance', (id: string) =>
      (data.instances ?? []).find((i) => i.DBInstanceIdentifier === id),
    ),
    createSnapshot: mutate('createSnapshot'),
    createClusterSnapshot: mutate('createClusterSnapshot'),
    copySnapshot: mutate('copySnapshot'),
    copyClusterSnapshot: mutate('copyClusterSnapshot'),
    deleteSnapshot: mutate('deleteSnapshot'),
    deleteClusterSnapshot: mutate('deleteClusterSnapshot'),
    restoreInstance: mutate('restoreInstance'),
    deleteInstance: mutate('deleteInstance'),
    restoreCluster: mutate('restoreCluster'),
    createClusterInstance: mutate('createClusterInstance'),
    describeCluster: rec('describeCluster', (id: string) =>
      (data.clusters ?? []).find((c) => c.DBClusterIdentifier === id),
    ),
    deleteCluster: mutate('deleteCluster'),
  };
  return { api, calls, fail, outcomes, data };
}

export const callsOf = (calls: { method: string; args: unknown[] }[], method: string) =>
  calls.filter((c) => c.method === method).map((c) => c.args);
