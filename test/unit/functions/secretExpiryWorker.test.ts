import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../lib/findings/finding.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { lambdaContext, sqsEvent } from '../../support/findings.js';
import { mockSecretsManager, SecretStore } from '../secrets/fakeSecretsManager.js';

const sm = mockSecretsManager();
const ddb = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
type Handler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;
let store: SecretStore;
let table: ReturnType<typeof fakeDynamo>;

const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');
const unit = JSON.stringify({
  automation: 'secretExpiry',
  account: '111111111111',
  region: 'eu-west-1',
  dryRun: false,
  dispatchId: 'd1',
  dispatchedAt: NOW.toISOString(),
});

/** The warning checks the worker published so far. */
function published(): string[] {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => JSON.parse(e.MessageBody!) as Finding)
    .map((f) => `${f.check} ${f.detail.name}`);
}

/** One delivery of the unit at `at`. */
async function deliver(at: Date, id = 'm1'): Promise<SQSBatchResponse> {
  vi.setSystemTime(at);
  return handler(sqsEvent([{ id, body: unit }]), lambdaContext);
}

describe('Handler: secretExpiryWorker', () => {
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.stubEnv('WARDEN_STAGE', 'prod');
    vi.stubEnv('WARDEN_HOME_ACCOUNT', '111111111111');
    vi.stubEnv('WARDEN_STATE_TABLE', 'warden-prod-state');
    vi.stubEnv(
      'WARDEN_FINDINGS_QUEUE_URL',
      'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-prod-findings',
    );
    ({ handler } = (await import('../../../functions/secret-expiry-worker.js')) as unknown as {
      handler: Handler;
    });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });
  beforeEach(() => {
    ddb.reset();
    sqs.reset();
    sm.mock.reset();
    table = fakeDynamo(ddb);
    store = new SecretStore();
    store.clock = () => NOW;
    store.install(sm.mock);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const five = store.add({ name: 'five/db', value: '{}' });
    store.find(five).lastRotatedDate = new Date(NOW.getTime() - 25 * DAY); // due in 5 days
  });

  it('warns a secret first seen inside a tier once, however often the unit is delivered', async () => {
    // Act
    const first = await deliver(NOW);
    await deliver(NOW, 'm1-duplicate');
    await deliver(new Date(NOW.getTime() + DAY));
    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(published()).toEqual(['due-in-7d five/db']);
    expect(ddb).toReceiveCommandWith(PutItemCommand, {
      TableName: 'warden-prod-state',
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
    });
    expect(
      [...table.items.values()].map((i) => [i.pk?.S?.split(':secret:')[1]?.slice(0, 8), i.status?.S]),
    ).toEqual([['five/db-', 'sent']]);
  });

  it('sends the warning on the retry when publishing failed, and the next tier after a missed day', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Successful: [], Failed: [] });
    // Act
    const failed = await deliver(NOW);
    await deliver(new Date(NOW.getTime() + 16 * 60_000)); // redelivered after the visibility timeout
    await deliver(new Date(NOW.getTime() + 3 * DAY)); // day 1 and 2 missed: 1.96 days left
    // Assess
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(published()).toEqual(['due-in-7d five/db', 'due-in-7d five/db', 'due-in-3d five/db']);
  });
});
