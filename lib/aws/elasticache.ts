import {
  CreateServerlessCacheSnapshotCommand,
  CreateSnapshotCommand,
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  DescribeSnapshotsCommand,
  type ElastiCacheClient,
  type GlobalReplicationGroup,
  ListTagsForResourceCommand,
  type ReplicationGroup,
  ReplicationGroupNotFoundFault,
  type ServerlessCache,
  ServerlessCacheNotFoundFault,
  type ServerlessCacheSnapshot,
  ServerlessCacheSnapshotAlreadyExistsFault,
  ServerlessCacheSnapshotNotFoundFault,
  type Snapshot,
  SnapshotAlreadyExistsFault,
  SnapshotNotFoundFault,
  type Tag,
} from '@aws-sdk/client-elasticache';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

export type { GlobalReplicationGroup, ReplicationGroup, ServerlessCache, ServerlessCacheSnapshot, Snapshot };

/** DescribeReplicationGroups, DescribeGlobalReplicationGroups: MaxRecords 20 to 100 (ElastiCache API Reference). */
export const ELASTICACHE_MAX_RECORDS = 100;
/** DescribeSnapshots: MaxRecords 20 to 50. */
export const ELASTICACHE_SNAPSHOTS_MAX_RECORDS = 50;
/** DescribeServerlessCaches: MaxResults up to 100; DescribeServerlessCacheSnapshots: up to 50. */
export const SERVERLESS_CACHES_MAX_RESULTS = 100;
export const SERVERLESS_SNAPSHOTS_MAX_RESULTS = 50;

/** The ElastiCache reads of backup verification: region-wide walks, plus the tags of one resource. */
export interface ElastiCacheApi {
  readonly region: string;
  listReplicationGroups(): Promise<ReplicationGroup[]>;
  listServerlessCaches(): Promise<ServerlessCache[]>;
  /** Every snapshot of the region's node-based caches (manual and automatic). */
  listSnapshots(): Promise<Snapshot[]>;
  listServerlessSnapshots(): Promise<ServerlessCacheSnapshot[]>;
  /** Global Datastores with their members and each member's region. */
  listGlobalReplicationGroups(): Promise<GlobalReplicationGroup[]>;
  listTags(arn: string): Promise<Tag[]>;
}

export function elastiCacheApi(
  client: ElastiCacheClient,
  region: string,
  options: PacedCallOptions = {},
): ElastiCacheApi {
  const { call, pages } = pacedCalls(options);
  return {
    region,
    listReplicationGroups: () =>
      pages(async (Marker) => {
        const r = await client.send(
          new DescribeReplicationGroupsCommand({ MaxRecords: ELASTICACHE_MAX_RECORDS, Marker }),
        );
        return { items: r.ReplicationGroups ?? [], next: r.Marker };
      }),
    listServerlessCaches: () =>
      pages(async (NextToken) => {
        const r = await client.send(
          new DescribeServerlessCachesCommand({ MaxResults: SERVERLESS_CACHES_MAX_RESULTS, NextToken }),
        );
        return { items: r.ServerlessCaches ?? [], next: r.NextToken };
      }),
    listSnapshots: () =>
      pages(async (Marker) => {
        const r = await client.send(
          new DescribeSnapshotsCommand({ MaxRecords: ELASTICACHE_SNAPSHOTS_MAX_RECORDS, Marker }),
        );
        return { items: r.Snapshots ?? [], next: r.Marker };
      }),
    listServerlessSnapshots: () =>
      pages(async (NextToken) => {
        const r = await client.send(
          new DescribeServerlessCacheSnapshotsCommand({
            MaxResults: SERVERLESS_SNAPSHOTS_MAX_RESULTS,
            NextToken,
          }),
        );
        return { items: r.ServerlessCacheSnapshots ?? [], next: r.NextToken };
      }),
    listGlobalReplicationGroups: () =>
      pages(async (Marker) => {
        const r = await client.send(
          new DescribeGlobalReplicationGroupsCommand({
            MaxRecords: ELASTICACHE_MAX_RECORDS,
            Marker,
            ShowMemberInfo: true,
          }),
        );
        return { items: r.GlobalReplicationGroups ?? [], next: r.Marker };
      }),
    listTags: async (ResourceName) =>
      (await call(() => client.send(new ListTagsForResourceCommand({ ResourceName })))).TagList ?? [],
  };
}

/** The calls of an on-demand ElastiCache snapshot (`warden backup snapshot elasticache:<group>`). */
export interface ElastiCacheSnapshotApi {
  readonly region: string;
  /** Undefined when there is no such replication group. */
  replicationGroup(id: string): Promise<ReplicationGroup | undefined>;
  /** 'exists' when a snapshot of that name exists (a retry); 'missing' when the group is gone. */
  createSnapshot(
    replicationGroupId: string,
    name: string,
    tags: { Key: string; Value: string }[],
  ): Promise<'done' | 'exists' | 'missing'>;
  /** Undefined while it is not listed. */
  snapshot(name: string): Promise<Snapshot | undefined>;
  /** Undefined when there is no such serverless cache. */
  serverlessCache(name: string): Promise<ServerlessCache | undefined>;
  /** As createSnapshot, for a serverless cache (CreateServerlessCacheSnapshot). */
  createServerlessSnapshot(
    cacheName: string,
    name: string,
    tags: { Key: string; Value: string }[],
  ): Promise<'done' | 'exists' | 'missing'>;
  /** Undefined while it is not listed. */
  serverlessSnapshot(name: string): Promise<ServerlessCacheSnapshot | undefined>;
}

export function elastiCacheSnapshotApi(
  client: ElastiCacheClient,
  region: string,
  options: PacedCallOptions = {},
): ElastiCacheSnapshotApi {
  const { call } = pacedCalls(options);
  return {
    region,
    async replicationGroup(ReplicationGroupId) {
      try {
        const r = await call(() => client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId })));
        return r.ReplicationGroups?.[0];
      } catch (err) {
        if (err instanceof ReplicationGroupNotFoundFault) return undefined;
        throw err;
      }
    },
    async createSnapshot(ReplicationGroupId, SnapshotName, Tags) {
      try {
        await call(() => client.send(new CreateSnapshotCommand({ ReplicationGroupId, SnapshotName, Tags })));
        return 'done';
      } catch (err) {
        if (err instanceof SnapshotAlreadyExistsFault) return 'exists';
        if (err instanceof ReplicationGroupNotFoundFault) return 'missing';
        throw err;
      }
    },
    async snapshot(SnapshotName) {
      try {
        const r = await call(() => client.send(new DescribeSnapshotsCommand({ SnapshotName })));
        return r.Snapshots?.[0];
      } catch (err) {
        if (err instanceof SnapshotNotFoundFault) return undefined;
        throw err;
      }
    },
    async serverlessCache(ServerlessCacheName) {
      try {
        const r = await call(() => client.send(new DescribeServerlessCachesCommand({ ServerlessCacheName })));
        return r.ServerlessCaches?.[0];
      } catch (err) {
        if (err instanceof ServerlessCacheNotFoundFault) return undefined;
        throw err;
      }
    },
    async createServerlessSnapshot(ServerlessCacheName, ServerlessCacheSnapshotName, Tags) {
      try {
        await call(() =>
          client.send(
            new CreateServerlessCacheSnapshotCommand({
              ServerlessCacheName,
              ServerlessCacheSnapshotName,
              Tags,
            }),
          ),
        );
        return 'done';
      } catch (err) {
        if (err instanceof ServerlessCacheSnapshotAlreadyExistsFault) return 'exists';
        if (err instanceof ServerlessCacheNotFoundFault) return 'missing';
        throw err;
      }
    },
    async serverlessSnapshot(ServerlessCacheSnapshotName) {
      try {
        const r = await call(() =>
          client.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName })),
        );
        return r.ServerlessCacheSnapshots?.[0];
      } catch (err) {
        if (err instanceof ServerlessCacheSnapshotNotFoundFault) return undefined;
        throw err;
      }
    },
  };
}
