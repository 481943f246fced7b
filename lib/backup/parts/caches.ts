import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { elastiCacheApi } from '../../aws/elasticache.js';
import { clientIn } from '../../aws/regional.js';
import { type ApiFactory, pacedFor } from '../apis.js';
import { elasticacheKind } from '../kinds/elasticache.js';
import type { ProtectionApis } from '../kinds/types.js';
import { type ProbeRead, verifyAutomation } from './part.js';

/** ElastiCache in the target's region and, for the DR checks, the DR region. AWS Backup does not protect caches. */
export const cacheApis: ApiFactory = ({ aws, kinds, drRegion, maxAttempts, throttles }) => {
  if (!kinds.includes('elasticache')) return {};
  const apis: ProtectionApis = {
    elasticache: elastiCacheApi(
      aws.get(ElastiCacheClient),
      aws.target.region,
      pacedFor('elasticache', throttles),
    ),
  };
  if (drRegion)
    apis.drElasticache = elastiCacheApi(
      clientIn(aws, ElastiCacheClient, drRegion, maxAttempts),
      drRegion,
      pacedFor('elasticache', throttles),
    );
  return apis;
};

export const cacheProbes: readonly ProbeRead[] = [
  [
    'elasticache',
    (aws) => aws.get(ElastiCacheClient).send(new DescribeReplicationGroupsCommand({ MaxRecords: 20 })),
  ],
];

/** backupVerify's `caches` worker: ElastiCache replication groups and serverless caches. */
export const backupVerifyCaches = verifyAutomation({
  part: 'caches',
  kinds: [elasticacheKind],
  apis: cacheApis,
  probes: cacheProbes,
  evidence: false,
});
