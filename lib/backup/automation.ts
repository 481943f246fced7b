import { BackupClient, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { Automation, AutomationContext } from '../automations/types.js';
import type { AwsClients } from '../aws/clients.js';
import { ExecutionError } from '../errors.js';
import { protectionApis, throttleCounter } from './apis.js';
import { CATALOG_PERMISSIONS } from './catalog.js';
import { type VerifyOptions, verifyOptionsSchema } from './options.js';
import { probe } from './rdsAccess.js';
import { VERIFY_AUTOMATION, verifyBackups } from './verify.js';

/**
 * backupVerify's probe: one cheap read per service it reads, all made, so selfcheck names every missing
 * permission at once instead of the first.
 */
export const protectionProbe = async (aws: AwsClients) => {
  const reads: [string, () => Promise<unknown>][] = [
    ['rds', () => probe(aws)],
    ['dynamodb', () => aws.get(DynamoDBClient).send(new ListTablesCommand({ Limit: 1 }))],
    ['s3', () => aws.get(S3Client).send(new ListBucketsCommand({ MaxBuckets: 1 }))],
    [
      'elasticache',
      () => aws.get(ElastiCacheClient).send(new DescribeReplicationGroupsCommand({ MaxRecords: 20 })),
    ],
    ['backup', () => aws.get(BackupClient).send(new ListProtectedResourcesCommand({ MaxResults: 1 }))],
  ];
  const results = await Promise.allSettled(reads.map(([, read]) => read()));
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [`${reads[i]?.[0]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`]
      : [],
  );
  if (failed.length > 0) throw new ExecutionError(`backupVerify reads refused: ${failed.join('; ')}`);
};

export const backupVerifyAutomation: Automation<VerifyOptions> = {
  name: VERIFY_AUTOMATION,
  description:
    'Verifies RDS, Aurora, DynamoDB, ElastiCache, S3 and AWS Backup protected resources can be restored within their RPO.',
  options: verifyOptionsSchema,
  permissions: CATALOG_PERMISSIONS,
  mutatingPermissions: [],
  schedule: 'rate(6 hours)',
  probe: protectionProbe,
  run(ctx: AutomationContext, options: VerifyOptions) {
    const throttles = throttleCounter();
    const apis = protectionApis(
      ctx.aws,
      ctx.config.awsMaxAttempts,
      options.kinds,
      options.drRegion,
      throttles,
    );
    return verifyBackups(
      {
        ...apis,
        throttled: throttles.count,
        target: ctx.target,
        now: ctx.now,
        metrics: ctx.metrics,
        logger: ctx.logger,
        dryRun: ctx.dryRun,
        defaultRpoHours: ctx.config.rpoHours,
      },
      options,
    );
  },
};
