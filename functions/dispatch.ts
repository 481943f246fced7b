import { SQSClient } from '@aws-sdk/client-sqs';
import { resolveTargets } from '../lib/automations/targets.js';
import { createClient } from '../lib/aws/clients.js';
import { queueUrlResolver } from '../lib/aws/queueUrls.js';
import { sendAll } from '../lib/aws/sqs.js';
import { checkAutomationName, dispatch } from '../lib/fanout/dispatch.js';
import { dispatchRequestSchema } from '../lib/fanout/unit.js';
import { createContainer, createFlags } from '../lib/runtime/container.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';

const container = createContainer(process.env);
const { config } = container;
const readFlags = createFlags(config);
const metrics = createMetrics('dispatch', config.stage);
const sqs = createClient(SQSClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
const queueUrl = queueUrlResolver(sqs);

export const handler = middyfy(
  async (event, context) => {
    checkAutomationName(event.automation);
    const url = await queueUrl(`${config.workQueuePrefix}${event.automation}`);
    const report = await dispatch(
      {
        targets: resolveTargets(config, await container.homeAccount(context)),
        flags: await readFlags(event.automation),
        send: (messages) => sendAll(sqs, url, messages),
        now: container.now,
        dispatchId: context.awsRequestId,
      },
      event,
    );
    metrics.addMetric('UnitsDispatched', 'Count', report.units);
    logger.info('dispatched', { report });
    return report;
  },
  { eventName: 'dispatch request', schema: dispatchRequestSchema, metrics },
);
