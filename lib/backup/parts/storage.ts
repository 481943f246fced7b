import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { elastiCacheApi } from '../../aws/elasticache.js';
import { clientIn } from '../../aws/regional.js';
import { s3Api } from '../../aws/s3.js';
import { type ApiFactory, pacedFor } from '../apis.js';
import { elasticacheKind } from '../kinds/elasticache.js';
import { s3Kind } from '../kinds/s3.js';
import type { ProtectionApis } from '../kinds/types.js';
import { backupApis, backupProbe } from './awsBackup.js';
import { type ProbeRead, verifyAutomation } from './part.js';

/** S3 and ElastiCache (and its DR region), with AWS Backup for the buckets' evidence. */
export const storageApis: ApiFactory = (scope) => {
  const { aws, kinds, drRegion, maxAttempts, throttles } = scope;
  const region = aws.target.region;
  // AWS Backup protects buckets, not caches: read only for S3.
  const apis: ProtectionApis = kinds.includes('s3') ? backupApis(scope) : {};
  if (kinds.includes('s3')) apis.s3 = s3Api(aws.get(S3Client), pacedFor('s3', throttles));
  if (kinds.includes('elasticache')) {
    apis.elasticache = elastiCacheApi(aws.get(ElastiCacheClient), region, pacedFor('elasticache', throttles));
    if (drRegion)
      apis.drElasticache = elastiCacheApi(
        clientIn(aws, ElastiCacheClient, drRegion, maxAttempts),
        drRegion,
        pacedFor('elasticache', throttles),
      );
  }
  return apis;
};

export const storageProbes: readonly ProbeRead[] = [
  ['s3', (aws) => aws.get(S3Client).send(new ListBucketsCommand({ MaxBuckets: 1 }))],
  [
    'elasticache',
    (aws) => aws.get(ElastiCacheClient).send(new DescribeReplicationGroupsCommand({ MaxRecords: 20 })),
  ],
  backupProbe,
];

/**
 * backupVerify's `storage` worker: S3 buckets and ElastiCache caches, in a bundle of its own. AWS Backup holds
 * recovery points of buckets (not of caches), so it reads only those.
 */
export const backupVerifyStorage = verifyAutomation({
  part: 'storage',
  kinds: [elasticacheKind, s3Kind],
  apis: storageApis,
  probes: storageProbes,
  evidenceType: 'S3',
});
