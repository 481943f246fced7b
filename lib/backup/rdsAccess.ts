import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { AwsClients } from '../aws/clients.js';
import { tokenBucket } from '../aws/pacing.js';
import { type RdsApi, rdsApi, rdsClientIn } from '../aws/rds.js';

/** RDS control-plane calls per second per region a run allows itself (the API throttles per account and region). */
export const RDS_CALLS_PER_SECOND = 15;

/** The RDS api of the target and, when a DR region is given, of the DR region: paced, one bucket per region. */
export function rdsApisFor(
  aws: AwsClients,
  maxAttempts: number,
  drRegion?: string,
): { rds: RdsApi; drRds?: RdsApi } {
  const paced = { limiter: tokenBucket({ ratePerSecond: RDS_CALLS_PER_SECOND }) };
  const rds = rdsApi(aws.get(RDSClient), aws.target.region, paced);
  if (!drRegion) return { rds };
  const drPaced = { limiter: tokenBucket({ ratePerSecond: RDS_CALLS_PER_SECOND }) };
  return { rds, drRds: rdsApi(rdsClientIn(aws, drRegion, maxAttempts), drRegion, drPaced) };
}

/** Cheap read both RDS automations' selfcheck probes make. */
export const probe = async (aws: AwsClients) => {
  await aws.get(RDSClient).send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
};

/** The reads of both RDS automations. */
export const READ = [
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusters',
  'rds:DescribeDBSnapshots',
  'rds:DescribeDBClusterSnapshots',
];
