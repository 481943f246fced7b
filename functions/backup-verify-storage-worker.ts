import { backupVerifyStorage } from '../lib/backup/parts/storage.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** backupVerify's storage worker: S3 and ElastiCache for one (account, region) unit, or a selfcheck probe. */
export const handler = createWorkerHandler(backupVerifyStorage);
