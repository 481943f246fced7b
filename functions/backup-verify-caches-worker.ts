import { backupVerifyCaches } from '../lib/backup/parts/caches.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** backupVerify's ElastiCache worker: the caches of one (account, region) unit, or a selfcheck probe. */
export const handler = createWorkerHandler(backupVerifyCaches);
