import { backupVerifyS3 } from '../lib/backup/parts/s3.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** backupVerify's S3 worker: the buckets of one (account, region) unit, or a selfcheck probe. */
export const handler = createWorkerHandler(backupVerifyS3);
