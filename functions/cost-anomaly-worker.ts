import { costAnomalyAutomation } from '../lib/cost/automation.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';

/** costAnomaly worker: one unit per (account, region) from its work queue, or a selfcheck probe. */
export const handler = createWorkerHandler(costAnomalyAutomation);
