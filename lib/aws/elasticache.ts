import {
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  DescribeSnapshotsCommand,
  type ElastiCacheClient,
  type GlobalReplicationGroup,
  ListTagsForResourceCommand,
  type ReplicationGroup,
  type ServerlessCache,
  type ServerlessCacheSnapshot,
  type Snapshot,
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
