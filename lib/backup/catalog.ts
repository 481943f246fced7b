import { backupKind } from './kinds/awsBackup.js';
import { dynamodbKind } from './kinds/dynamodb.js';
import { elasticacheKind } from './kinds/elasticache.js';
import { rdsKind } from './kinds/rds.js';
import { s3Kind } from './kinds/s3.js';
import type { ProtectionKind } from './kinds/types.js';

/**
 * Every kind backupVerify covers, in report order. Adding a kind: its module under lib/backup/kinds/ and one line
 * here; its checks, permissions, report columns and `--kind` name follow from the entry.
 */
export const CATALOG: readonly ProtectionKind[] = [
  rdsKind,
  dynamodbKind,
  elasticacheKind,
  s3Kind,
  backupKind,
];
