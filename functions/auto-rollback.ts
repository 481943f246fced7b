import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { createClient } from '../lib/aws/clients.js';
import { loadConfig } from '../lib/config.js';
import { sqsPublisher } from '../lib/findings/publisher.js';
import { ALARM_EVENT_NAME, alarmEventSchema } from '../lib/rollback/event.js';
import { handleAlarmEvent } from '../lib/rollback/handleAlarm.js';
import { knownGoodWatchSchema, runKnownGoodWatch } from '../lib/rollback/knownGoodWatch.js';
import { lambdaRollbackDeps } from '../lib/rollback/runtime.js';
import { accountFromArn } from '../lib/runtime/container.js';
import { emfSink } from '../lib/runtime/metricSink.js';
import { middyfy } from '../lib/runtime/middyfy.js';

const config = loadConfig(process.env, { require: ['stateTable', 'findingsQueueUrl'] });
const sqs = createClient(SQSClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
let publishMetrics: ReturnType<typeof emfSink> | undefined;
const publish = sqsPublisher({
  sqs,
  queueUrl: config.findingsQueueUrl!,
  metrics: { add: (...a) => publishMetrics?.add(...a) },
});
let home = config.homeAccount;
const { deps, metrics } = lambdaRollbackDeps(config, publish, () => home);
publishMetrics = emfSink(metrics);

/**
 * EventBridge `CloudWatch Alarm State Change` to ALARM, from the home account's default bus or forwarded by a
 * member account to warden's alarm bus -> one rollback decision in the alarm's account (ignored when not opted
 * in, rejected when warden does not serve the account); every 5 minutes, `{ "watch": "knownGood" }` -> record the
 * last known good version of each allowed alias in every account served.
 */
export const handler = middyfy(
  async (event, context) => {
    home ??= accountFromArn(context.invokedFunctionArn);
    if ('watch' in event) return runKnownGoodWatch(deps);
    return handleAlarmEvent(event, deps);
  },
  {
    eventName: ALARM_EVENT_NAME,
    schema: v.union([alarmEventSchema, knownGoodWatchSchema]),
    metrics,
  },
);
