import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LoggerLike, MetricSink } from '../../automations/types.js';
import type { ClientPool } from '../../aws/clients.js';
import { dynamoDbDrillApi } from '../../aws/dynamodb.js';
import { tokenBucket } from '../../aws/pacing.js';
import { rdsApi } from '../../aws/rds.js';
import { sendAll } from '../../aws/sqs.js';
import { ExecutionError } from '../../errors.js';
import type { Publish } from '../../findings/publish.js';
import { modeOf, type ShareFlags } from '../../flags/rollout.js';
import { parseJsonWith, parseWith } from '../../validation.js';
import type { AnyDrillMessage } from './flow.js';
import { type DrillOptions, drillOptionsSchema } from './messages.js';
import { type DrillProbe, probeDrills } from './probe.js';
import { DRILL_AUTOMATION } from './report.js';
import { type DrillDeps, processDrillMessage } from './runner.js';
import { type DrillSchedule, drillsQueueUrl, startScheduledDrills } from './schedule.js';
import { rdsLeftovers, sweepLeftovers, tableLeftovers } from './sweep.js';
import { anyDrillMessageSchema } from './tableMessages.js';
import type { Validate } from './validator.js';

/** SQS caps a message delay at 15 minutes; longer waits are made of several polls. */
export const MAX_DELAY_SECONDS = 900;

/** https://sqs.<region>.amazonaws.com/<account>/<name> from the queue ARN a record came from. */
export function queueUrlFromArn(arn: string): string {
  const [, , , region, account, name] = arn.split(':');
  if (!region || !account || !name)
    throw new ExecutionError(`not an SQS queue ARN: ${arn}`, { resourceArn: arn });
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

/** Enqueues drill messages (through the shared SQS sender); the drill id is the correlation id of every step's logs. */
export function sqsEnqueue(sqs: SQSClient, queueUrl: string): DrillDeps['enqueue'] {
  return async (message: AnyDrillMessage, delaySeconds: number) => {
    await sendAll(sqs, queueUrl, [
      {
        id: 'drill',
        body: JSON.stringify(message),
        delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))),
        attributes: { correlationId: message.drillId },
      },
    ]);
  };
}

export interface DrillRuntime {
  pool: ClientPool;
  sqs: SQSClient;
  publish: Publish;
  metrics: MetricSink;
  logger: LoggerLike;
  now: () => Date;
  /** Validation of a restored database: the dialect's validator function in Lambda, a local connection in the CLI. */
  validate: Validate;
  maxAttempts?: number;
}

/** Deps of the drill handler; `queueUrl` is the queue the batch came from (the drill re-enqueues on it). */
export function drillDeps(rt: DrillRuntime, queueUrl: string): DrillDeps {
  const limiter = tokenBucket({ ratePerSecond: 10 });
  // DynamoDB's control plane allows far more; its own bucket keeps a drill's scan pages from queueing behind RDS.
  const ddbLimiter = tokenBucket({ ratePerSecond: 50 });
  return {
    rdsFor: (target) => rdsApi(rt.pool.for(target).get(RDSClient), target.region, { limiter }),
    dynamoFor: (target) =>
      dynamoDbDrillApi(rt.pool.for(target).get(DynamoDBClient), target.region, { limiter: ddbLimiter }),
    now: rt.now,
    validate: rt.validate,
    logger: rt.logger,
    enqueue: sqsEnqueue(rt.sqs, queueUrl),
    publish: rt.publish,
    metrics: rt.metrics,
  };
}

const depsByQueue = new Map<string, DrillDeps>();

/**
 * Processes a batch of drill messages with Powertools batch processing: a failed record is reported back
 * (partial batch response), so SQS redelivers only it and the drill resumes from that step.
 */
export async function handleDrillBatch(
  rt: DrillRuntime,
  event: SQSEvent,
  context: Context,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const queueUrl = queueUrlFromArn(record.eventSourceARN);
      let deps = depsByQueue.get(queueUrl);
      if (!deps) {
        deps = drillDeps(rt, queueUrl);
        depsByQueue.set(queueUrl, deps);
      }
      const message = parseJsonWith(anyDrillMessageSchema, record.body, `drill message ${record.messageId}`);
      await processDrillMessage(deps, message, Number(record.attributes.ApproximateReceiveCount || 1));
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
}

export interface DrillEntryRuntime extends DrillRuntime {
  stage: string;
  region: string;
  /** The home account, learnt from the invocation. */
  homeAccount(context: Context): Promise<string>;
  /** Kill switch, dry-run and apply share of the restoreDrill automation (SSM flags). */
  flags(): Promise<ShareFlags>;
  /** Reads the drill options parameter (JSON). */
  loadOptions(): Promise<unknown>;
}

/**
 * The restoreDrill function's one entry: a batch from the drills queue runs steps; the monthly schedule starts
 * one drill per configured database (unless the flag disables it; dry-run drills only pick their snapshot), after
 * sweeping what crashed drills left behind; selfcheck's probe tries the drills' reads where they restore.
 */
export function drillEntry(rt: DrillEntryRuntime) {
  return async (
    event: SQSEvent | DrillSchedule | DrillProbe,
    context: Context,
  ): Promise<SQSBatchResponse | { drills: string[] } | { places: string[] }> => {
    const home = await rt.homeAccount(context);
    if ('Records' in event) return handleDrillBatch(rt, event, context);
    if ('probe' in event) {
      let raw: unknown;
      try {
        raw = await rt.loadOptions();
      } catch (err) {
        // A stage without drills has no options parameter: nothing to probe (Powertools wraps the SDK's error).
        const cause = err instanceof Error ? err.cause : undefined;
        if (err instanceof ParameterNotFound || cause instanceof ParameterNotFound) return { places: [] };
        throw err;
      }
      const options = parseWith(drillOptionsSchema, raw, 'drill options parameter');
      return probeDrills(drillDeps(rt, 'probe'), options, { account: home, region: rt.region });
    }
    const flags = await rt.flags();
    if (!flags.enabled) {
      rt.logger.info('restoreDrill is disabled by its flag; no drill started');
      return { drills: [] };
    }
    const homeTarget = { account: home, region: rt.region };
    const apis = drillDeps(rt, 'sweep');
    const finders = [rdsLeftovers(apis.rdsFor), tableLeftovers(apis.dynamoFor)];
    const sweep = async (options: DrillOptions) => {
      const sweepDeps = { finders, now: rt.now, logger: rt.logger, dryRun: flags.dryRun };
      await rt.publish(await sweepLeftovers(sweepDeps, options, homeTarget));
    };
    const deps = {
      sweep,
      enqueue: sqsEnqueue(rt.sqs, drillsQueueUrl(rt.region, home, rt.stage)),
      now: rt.now,
      logger: rt.logger,
      home: homeTarget,
      dryRun: flags.dryRun,
      modeFor: (account: string, population: readonly string[]) =>
        modeOf(flags, DRILL_AUTOMATION, account, population),
      loadOptions: rt.loadOptions,
    };
    return { drills: await startScheduledDrills(deps, event) };
  };
}
