import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createClient } from '../lib/aws/clients.js';
import { createStateStore } from '../lib/aws/stateStore.js';
import { createWorkerHandler } from '../lib/fanout/workerHandler.js';
import { secretExpiryAutomation } from '../lib/secrets/automation.js';

/**
 * secretExpiry worker: one unit per (account, region) from its work queue, or a selfcheck probe. The warnings it
 * sent are kept in the state table of the home account (the worker's own credentials), whatever the target.
 */
export const handler = createWorkerHandler(secretExpiryAutomation, {
  stateStore: (config, now) =>
    createStateStore(
      createClient(DynamoDBClient, { region: config.region, maxAttempts: config.awsMaxAttempts }),
      now,
    ),
});
