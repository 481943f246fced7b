import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import * as v from 'valibot';
import { workQueueName } from '../automations/catalog.js';
import type { AnyAutomation } from '../automations/types.js';
import { createClient } from '../aws/clients.js';
import { homeAccount } from '../aws/identity.js';
import type { StateStore } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { describeError, ValidationError } from '../errors.js';
import { makeFinding } from '../findings/finding.js';
import { sqsPublisher } from '../findings/publisher.js';
import { createContainer } from '../runtime/container.js';
import { emfSink } from '../runtime/metricSink.js';
import { middyfy } from '../runtime/middyfy.js';
import { createPool } from '../runtime/pool.js';
import { createMetrics, logger } from '../runtime/powertools.js';
import { sqsEventSchema } from '../runtime/sqsEvent.js';
import { strictObject } from '../schemas.js';
import { parseJsonWith } from '../validation.js';
import { runUnit, type UnitDeps, withDryRunReason } from './runUnit.js';
import { workUnitSchema } from './unit.js';

const probeSchema = strictObject({
  probe: strictObject({ account: v.optional(v.string()), region: v.optional(v.string()) }),
});
const workerEventSchema = v.union([probeSchema, sqsEventSchema]);

export interface WorkerEdge {
  /**
   * The state table's store, for an automation that remembers what it did: made here, in the worker's own module,
   * so that only its bundle carries the DynamoDB client. The worker then requires WARDEN_STATE_TABLE.
   */
  stateStore?: (config: Config, now: () => Date) => StateStore;
}

/**
 * The Lambda handler of one automation's worker: consumes its work queue with partial batch failures, and
 * answers selfcheck's direct `{ "probe": {...} }` invocation with the automation's cheap read call.
 */
export function createWorkerHandler(automation: AnyAutomation, edge: WorkerEdge = {}) {
  const container = createContainer(
    process.env,
    edge.stateStore ? ['findingsQueueUrl', 'stateTable'] : ['findingsQueueUrl'],
    homeAccount,
  );
  const { config } = container;
  let home: string | undefined;
  const pool = createPool(config, () => home);
  const metrics = createMetrics(automation.name, config.stage);
  const sink = emfSink(metrics);
  const sqs = createClient(SQSClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
  const deps: UnitDeps = {
    automation,
    config,
    pool,
    publish: sqsPublisher({ sqs, queueUrl: config.findingsQueueUrl!, metrics: sink }),
    logger,
    metrics: sink,
    now: container.now,
    ...(edge.stateStore
      ? { state: { store: edge.stateStore(config, container.now), table: config.stateTable! } }
      : {}),
  };
  const processor = new BatchProcessor(EventType.SQS);
  // The part's failure is its own finding (an automation split across workers fails per part): named as its queue.
  const label = workQueueName(automation.name, automation.part);

  const record = async (r: SQSRecord) => {
    const unit = parseJsonWith(workUnitSchema, r.body, `work unit in message ${r.messageId}`);
    try {
      const report = await runUnit(deps, unit);
      logger.info('unit done', { unit: { account: unit.account, region: unit.region }, report });
    } catch (err) {
      const receives = Number(r.attributes?.ApproximateReceiveCount ?? 1);
      if (!(err instanceof ValidationError) && receives >= config.maxReceives) {
        await deps.publish(
          withDryRunReason(
            [
              makeFinding({
                automation: automation.name,
                check: 'automation-failed',
                severity: 'high',
                account: unit.account,
                region: unit.region,
                resourceArn: `warden:${config.stage}:${label}:${unit.account}:${unit.region}`,
                title: `${label} failed ${receives} times in ${unit.account}/${unit.region}`,
                detail: { error: describeError(err).slice(0, 500), receives },
                observedAt: container.now(),
                dryRun: unit.dryRun,
              }),
            ],
            unit,
          ),
        );
      }
      throw err;
    }
  };

  return middyfy(
    async (event, context) => {
      home = await container.homeAccount(context);
      if ('probe' in event) {
        const target = {
          account: event.probe.account ?? (await container.homeAccount(context)),
          region: event.probe.region ?? config.region,
        };
        await pool.credentialsFor(target.account)?.();
        await automation.probe(pool.for(target));
        return { automation: automation.name, ...target, ok: true };
      }
      return processPartialResponse(event, record, processor, { context, throwOnFullBatchFailure: false });
    },
    { eventName: `${automation.name} worker event`, schema: workerEventSchema, metrics },
  );
}
