import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { AwsClients } from './clients.js';
import { pacedCalls } from './pacing.js';
import type { RdsApi, RdsApiOptions } from './rdsTypes.js';
import { rdsWrites } from './rdsWrites.js';
import { clientIn } from './regional.js';

export type {
  ClusterInstanceInput,
  ClusterRestoreInput,
  DBCluster,
  DBClusterSnapshot,
  DBInstance,
  DBSnapshot,
  Outcome,
  RdsApi,
  RdsApiOptions,
  RestoreInput,
  SnapshotCopyInput,
  Tag,
} from './rdsTypes.js';

/** Describe*: MaxRecords 20 to 100 (Amazon RDS API Reference); the largest page means the fewest calls. */
const PAGE = 100;

/** Wraps an RDS client: the reads here, the writes in rdsWrites; every call paced and retried when throttled. */
export function rdsApi(client: RDSClient, region: string, options: RdsApiOptions = {}): RdsApi {
  const { call, pages } = pacedCalls(options);
  return {
    region,
    listInstances: () =>
      pages(async (Marker) => {
        const r = await client.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE, Marker }));
        return { items: r.DBInstances ?? [], next: r.Marker };
      }),
    listClusters: () =>
      pages(async (Marker) => {
        const r = await client.send(new DescribeDBClustersCommand({ MaxRecords: PAGE, Marker }));
        return { items: r.DBClusters ?? [], next: r.Marker };
      }),
    listSnapshots: (DBInstanceIdentifier) =>
      pages(async (Marker) => {
        const input = { MaxRecords: PAGE, Marker, ...(DBInstanceIdentifier ? { DBInstanceIdentifier } : {}) };
        try {
          const r = await client.send(new DescribeDBSnapshotsCommand(input));
          return { items: r.DBSnapshots ?? [], next: r.Marker };
        } catch (err) {
          // The instance was deleted between discovery and this call: it has no snapshots to list here.
          if (err instanceof DBInstanceNotFoundFault) return { items: [] };
          throw err;
        }
      }),
    listClusterSnapshots: (DBClusterIdentifier) =>
      pages(async (Marker) => {
        const input = { MaxRecords: PAGE, Marker, ...(DBClusterIdentifier ? { DBClusterIdentifier } : {}) };
        const r = await client.send(new DescribeDBClusterSnapshotsCommand(input));
        return { items: r.DBClusterSnapshots ?? [], next: r.Marker };
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
    async describeCluster(DBClusterIdentifier) {
      try {
        const r = await call(() => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier })));
        return r.DBClusters?.[0];
      } catch (err) {
        if (err instanceof DBClusterNotFoundFault) return undefined;
        throw err;
      }
    },
    ...rdsWrites(client, call),
  };
}

/** An RDS client for another region of the same target (the DR region), with the target's credentials. */
export const rdsClientIn = (aws: AwsClients, region: string, maxAttempts: number): RDSClient =>
  clientIn(aws, RDSClient, region, maxAttempts);
