import type { BackupClient } from '@aws-sdk/client-backup';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { awsBackupApi } from '../aws/backup.js';
import { dynamoDbApi } from '../aws/dynamodb.js';
import { elastiCacheApi } from '../aws/elasticache.js';
import { s3Api } from '../aws/s3.js';
import { s3ControlApi } from '../aws/s3control.js';
import { type SavedCalls, savedClient } from '../aws/savedClient.js';
import type { ProtectionApis } from './kinds/types.js';

export interface SavedProtection {
  dynamodb: SavedCalls;
  s3: SavedCalls;
  /** The account's S3 Block Public Access (S3 Control); absent, not read. */
  s3control?: SavedCalls;
  elasticache: SavedCalls;
  backup: SavedCalls;
}

/** The adapters of every kind beyond RDS over saved responses (the demo, and tests of whole reports). */
export function savedProtectionApis(region: string, saved: SavedProtection): ProtectionApis {
  return {
    dynamodb: dynamoDbApi(savedClient<DynamoDBClient>('DynamoDB', saved.dynamodb), region),
    s3: s3Api(savedClient<S3Client>('S3', saved.s3)),
    ...(saved.s3control
      ? { s3Control: s3ControlApi(savedClient<S3ControlClient>('S3 Control', saved.s3control)) }
      : {}),
    elasticache: elastiCacheApi(savedClient<ElastiCacheClient>('ElastiCache', saved.elasticache), region),
    backup: awsBackupApi(savedClient<BackupClient>('AWS Backup', saved.backup), region),
  };
}
