import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { awsBackupApi } from '../aws/backup.js';
import type { AwsClients } from '../aws/clients.js';
import { dynamoDbApi } from '../aws/dynamodb.js';
import { elastiCacheApi } from '../aws/elasticache.js';
import { kmsApi } from '../aws/kms.js';
import { tokenBucket } from '../aws/pacing.js';
import { rdsApi } from '../aws/rds.js';
import { clientIn } from '../aws/regional.js';
import { s3Api } from '../aws/s3.js';
import type { KindName } from './kinds/names.js';
import type { ProtectionApis } from './kinds/types.js';
import { RDS_CALLS_PER_SECOND } from './rdsAccess.js';

/**
 * Control-plane calls per second per region a run allows itself, per service (each API throttles per account and
 * region; these stay under the documented or observed defaults so a run leaves room for everyone else).
 */
export const CALLS_PER_SECOND = {
  rds: RDS_CALLS_PER_SECOND,
  dynamodb: 40,
  s3: 50,
  elasticache: 15,
  backup: 10,
  kms: 20,
} as const;

/** Throttled calls retried by the adapters of one run (a run reports them). */
export interface ThrottleCounter {
  onThrottle(): void;
  count(): number;
}

export function throttleCounter(): ThrottleCounter {
  let n = 0;
  return { onThrottle: () => void n++, count: () => n };
}

/** The adapters the selected kinds need, in the target's region and (for the DR checks) the DR region. */
export function protectionApis(
  aws: AwsClients,
  maxAttempts: number,
  kinds: readonly KindName[],
  drRegion?: string,
  throttles: ThrottleCounter = throttleCounter(),
): ProtectionApis {
  const region = aws.target.region;
  const paced = (service: keyof typeof CALLS_PER_SECOND) => ({
    limiter: tokenBucket({ ratePerSecond: CALLS_PER_SECOND[service] }),
    onThrottle: throttles.onThrottle,
  });
  const has = (k: KindName) => kinds.includes(k);
  const apis: ProtectionApis = {};
  if (has('rds')) {
    apis.rds = rdsApi(aws.get(RDSClient), region, paced('rds'));
    if (drRegion)
      apis.drRds = rdsApi(clientIn(aws, RDSClient, drRegion, maxAttempts), drRegion, paced('rds'));
  }
  if (has('dynamodb')) {
    apis.dynamodb = dynamoDbApi(aws.get(DynamoDBClient), region, paced('dynamodb'));
    // Only `dynamodbKms: customer` asks who manages a table's key (making the client sends nothing).
    apis.kms = kmsApi(aws.get(KMSClient), paced('kms'));
  }
  if (has('s3')) apis.s3 = s3Api(aws.get(S3Client), paced('s3'));
  if (has('elasticache')) {
    apis.elasticache = elastiCacheApi(aws.get(ElastiCacheClient), region, paced('elasticache'));
    if (drRegion)
      apis.drElasticache = elastiCacheApi(
        clientIn(aws, ElastiCacheClient, drRegion, maxAttempts),
        drRegion,
        paced('elasticache'),
      );
  }
  // AWS Backup's evidence serves every kind; its own rows only with `backup` selected.
  apis.backup = awsBackupApi(aws.get(BackupClient), region, paced('backup'));
  return apis;
}
