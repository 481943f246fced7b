import { snapshotLifecycleAutomation } from '../lib/backup/lifecycleAutomation.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** snapshotLifecycle worker: one unit per (account, region) from its work queue, or a selfcheck probe. */
export const handler = createWorkerHandler(snapshotLifecycleAutomation);
