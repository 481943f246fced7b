import {
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { elastiCacheApi } from '../../../lib/aws/elasticache.js';
import {
  ELASTICACHE_MAX_RECORDS,
  ELASTICACHE_SNAPSHOTS_MAX,
  elastiCachePage,
  SERVERLESS_SNAPSHOTS_MAX,
  serverlessPage,
} from '../../support/protectionPaging.js';

const mock = mockClient(ElastiCacheClient);
const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

describe('Function: elastiCacheApi', () => {
  beforeEach(() => mock.reset());

  it('walks each listing at its own largest page (groups 100, snapshots 50)', async () => {
    // Prepare
    const groups = many(150, (i) => ({ ReplicationGroupId: `g${i}` }));
    const snaps = many(120, (i) => ({ SnapshotName: `s${i}` }));
    const serverless = many(60, (i) => ({ ServerlessCacheSnapshotName: `v${i}` }));
    mock.on(DescribeReplicationGroupsCommand).callsFake((input) => {
      const p = elastiCachePage(groups, input, ELASTICACHE_MAX_RECORDS);
      return { ReplicationGroups: p.items, Marker: p.Marker };
    });
    mock.on(DescribeSnapshotsCommand).callsFake((input) => {
      const p = elastiCachePage(snaps, input, ELASTICACHE_SNAPSHOTS_MAX);
      return { Snapshots: p.items, Marker: p.Marker };
    });
    mock.on(DescribeServerlessCacheSnapshotsCommand).callsFake((input) => {
      const p = serverlessPage(serverless, input, SERVERLESS_SNAPSHOTS_MAX);
      return { ServerlessCacheSnapshots: p.items, NextToken: p.NextToken };
    });
    mock.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [] });
    const api = elastiCacheApi(new ElastiCacheClient({}), 'eu-west-1');
    // Act
    const [g, s, v] = await Promise.all([
      api.listReplicationGroups(),
      api.listSnapshots(),
      api.listServerlessSnapshots(),
    ]);
    await api.listGlobalReplicationGroups();
    // Assess
    expect([g.length, s.length, v.length]).toEqual([150, 120, 60]);
    expect(mock).toHaveReceivedCommandTimes(DescribeReplicationGroupsCommand, 2);
    expect(mock).toHaveReceivedCommandTimes(DescribeSnapshotsCommand, 3);
    expect(mock).toHaveReceivedCommandTimes(DescribeServerlessCacheSnapshotsCommand, 2);
    expect(mock).toHaveReceivedCommandWith(DescribeGlobalReplicationGroupsCommand, { ShowMemberInfo: true });
  });
});
