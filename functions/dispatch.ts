import { SQSClient } from '@aws-sdk/client-sqs';
import { partsOf, workQueueName } from '../lib/automations/catalog.js';
import { createClient } from '../lib/aws/clients.js';
import { queueUrlResolver } from '../lib/aws/queueUrls.js';
import { sendAll } from '../lib/aws/sqs.js';
import { checkAutomationName, dispatch } from '../lib/fanout/dispatch.js';
import { dispatchRequestSchema } from '../lib/fanout/unit.js';
import { sqsPublisher } from '../lib/findings/publisher.js';
import { createContainer, createFlags } from '../lib/runtime/container.js';
import { emfSink } from '../lib/runtime/metricSink.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';
import { organizationsClient, runTargets } from '../lib/runtime/targets.js';

const container = createContainer(process.env);
const { config } = container;
const readFlags = createFlags(config);
const metrics = createMetrics('dispatch', config.stage);
const sqs = createClient(SQSClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
const queueUrl = queueUrlResolver(sqs);
const org = organizationsClient(config);
// A failed Organizations read is a finding (the explicit targets still run).
const publish = sqsPublisher({ sqs, queueUrl: config.findingsQueueUrl ?? '', metrics: emfSink(metrics) });

export const handler = middyfy(
  async (event, context) => {
    checkAutomationName(event.automation);
    // Every queue of the automation is found before anything is sent (a missing one sends nothing).
    const urls = new Map(
      await Promise.all(
        partsOf(event.automation).map(async (part) => {
          const queue = workQueueName(event.automation, part);
          return [queue, await queueUrl(`${config.workQueuePrefix}${queue}`)] as const;
        }),
      ),
    );
    const resolution = await runTargets(config, await container.homeAccount(context), container.now, org)();
    if (resolution.findings.length > 0 && config.findingsQueueUrl) await publish(resolution.findings);
    const report = await dispatch(
      {
        targets: resolution.targets,
        flags: await readFlags(event.automation),
        send: (queue, messages) => sendAll(sqs, urls.get(queue)!, messages),
        now: container.now,
        dispatchId: context.awsRequestId,
      },
      event,
    );
    metrics.addMetric('UnitsDispatched', 'Count', report.units);
    logger.info('dispatched', {
      report,
      targetSource: resolution.source,
      accounts: resolution.accounts.length,
    });
    return report;
  },
  { eventName: 'dispatch request', schema: dispatchRequestSchema, metrics },
);
