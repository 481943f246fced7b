import { backupVerifyAutomation } from '../lib/backup/automation.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** backupVerify worker: one unit per (account, region) from its work queue, or a selfcheck probe. */
export const handler = createWorkerHandler(backupVerifyAutomation);
