import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { findingSchema } from '../lib/findings/findingSchema.js';
import { notifyFinding } from '../lib/notify/notify.js';
import { notifyDeps } from '../lib/notify/wiring.js';
import { createContainer } from '../lib/runtime/container.js';
import { emfSink } from '../lib/runtime/metricSink.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';
import { sqsEventSchema } from '../lib/runtime/sqsEvent.js';
import { parseJsonWith } from '../lib/validation.js';

const { config } = createContainer(process.env, ['alertsTopicArn', 'stateTable']);
const metrics = createMetrics('notify', config.stage);
let functionArn: string | undefined;
const deps = notifyDeps(config, logger, emfSink(metrics), () => functionArn);
const processor = new BatchProcessor(EventType.SQS);

/** One finding per message; a bad message fails alone (retried, then the DLQ), the rest are delivered. */
async function record(r: SQSRecord): Promise<void> {
  const finding = parseJsonWith(findingSchema, r.body, `finding in message ${r.messageId}`);
  const outcome = await notifyFinding(deps, finding, r.messageId);
  logger.debug('finding handled', { findingId: finding.id, outcome });
}

export const handler = middyfy(
  async (event, context) => {
    functionArn = context.invokedFunctionArn;
    return processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false });
  },
  { eventName: 'SQS event', schema: sqsEventSchema, metrics },
);
