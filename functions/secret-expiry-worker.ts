import { createWorkerHandler } from '../lib/fanout/workerHandler.js';
import { secretExpiryAutomation } from '../lib/secrets/automation.js';

/** secretExpiry worker: one unit per (account, region) from its work queue, or a selfcheck probe. */
export const handler = createWorkerHandler(secretExpiryAutomation);
