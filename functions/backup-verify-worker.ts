import { backupVerifyDatabases } from '../lib/backup/parts/databases.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/**
 * backupVerify's first worker: RDS, Aurora, DynamoDB and AWS Backup for one (account, region) unit, or a selfcheck
 * probe. S3 and ElastiCache have their own workers (backup-verify-s3-worker, backup-verify-caches-worker), so that each bundle stays small.
 */
export const handler = createWorkerHandler(backupVerifyDatabases);
