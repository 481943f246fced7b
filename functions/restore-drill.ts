import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import * as v from 'valibot';
import { createClient } from '../lib/aws/clients.js';
import { drillProbeSchema } from '../lib/backup/drill/probe.js';
import { drillOptionsParameter, drillScheduleSchema } from '../lib/backup/drill/schedule.js';
import { lambdaValidator } from '../lib/backup/drill/validator.js';
import { drillEntry } from '../lib/backup/drill/wiring.js';
import { sqsPublisher } from '../lib/findings/publisher.js';
import { createContainer, createFlags } from '../lib/runtime/container.js';
import { lazy } from '../lib/runtime/lazy.js';
import { emfSink } from '../lib/runtime/metricSink.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createPool } from '../lib/runtime/pool.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';
import { sqsEventSchema } from '../lib/runtime/sqsEvent.js';

const container = createContainer(process.env, ['findingsQueueUrl']);
const { config } = container;
let home: string | undefined;
const pool = createPool(config, () => home);
const metrics = createMetrics('restoreDrill', config.stage);
const sink = emfSink(metrics);
const client = { region: config.region, maxAttempts: config.awsMaxAttempts };
const sqs = createClient(SQSClient, client);
// Only the monthly start reads SSM (flags, drill options) and only the validate step invokes a validator: those
// clients are made when first needed, not on every cold start of the step path.
const ssm = lazy(() => createClient(SSMClient, client));
const parameters = lazy(() => new SSMProvider({ awsSdkV3Client: ssm() }));
const readFlags = lazy(() => createFlags(config, ssm()));
const validate = lazy(() => lambdaValidator(createClient(LambdaClient, client), config.stage));

const entry = drillEntry({
  pool,
  sqs,
  publish: sqsPublisher({ sqs, queueUrl: config.findingsQueueUrl as string, metrics: sink }),
  metrics: sink,
  logger,
  now: container.now,
  // The validate step asks drillValidatePostgres / drillValidateMysql, which carry the drivers and run in the VPC.
  validate: (msg, now) => validate()(msg, now),
  stage: config.stage,
  region: config.region,
  homeAccount: async (context) => (home = await container.homeAccount(context)),
  flags: () => readFlags()('restoreDrill'),
  loadOptions: () =>
    parameters().get(drillOptionsParameter(config.stage), { transform: 'json', maxAge: 300 }),
});

/** Drill steps from the `drills` queue (partial batch failures), the monthly schedule starting drills, or selfcheck's probe. */
export const handler = middyfy(entry, {
  eventName: 'drill step batch, drill schedule or probe',
  schema: v.union([sqsEventSchema, drillScheduleSchema, drillProbeSchema]),
  metrics,
});
