import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lib/runtime/powertools.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { aFinding, lambdaContext, sqsEvent } from '../../support/findings.js';

const sns = mockClient(SNSClient);
const ddb = mockClient(DynamoDBClient);
const secrets = mockClient(SecretsManagerClient);
const WEBHOOK = 'https://hooks.slack.example/services/T000/B000/very-secret-token';
const fetchMock = vi.fn<typeof fetch>();

type Handler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

const invoke = (records: { id: string; body: string }[]) => handler(sqsEvent(records), lambdaContext);

describe('Handler: notify', () => {
  beforeAll(async () => {
    vi.stubEnv('WARDEN_STAGE', 'dev');
    vi.stubEnv('WARDEN_ALERTS_TOPIC_ARN', 'arn:aws:sns:eu-west-1:111111111111:warden-dev-alerts');
    vi.stubEnv('WARDEN_STATE_TABLE', 'warden-dev-state');
    vi.stubEnv(
      'WARDEN_SLACK_SECRET_ARN',
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:warden/dev/slack',
    );
    vi.stubGlobal('fetch', fetchMock);
    ({ handler } = (await import('../../../functions/notify.js')) as unknown as { handler: Handler });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
  beforeEach(() => {
    sns.reset();
    ddb.reset();
    secrets.reset();
    fetchMock.mockReset();
    fetchMock.mockResolvedValue(new Response('ok', { status: 200 }));
    fakeDynamo(ddb);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: WEBHOOK }) });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-26T08:00:00Z'));
  });

  it('sends a new finding to SNS and Slack with what, where, since when and the runbook', async () => {
    // Act
    const out = await invoke([{ id: 'a', body: JSON.stringify(aFinding()) }]);
    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const text = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!;
    expect(text).toContain(
      'Where: account 111111111111, eu-west-1, arn:aws:rds:eu-west-1:111111111111:db:orders',
    );
    expect(text).toContain('Since: 2026-11-26T08:00:00.000Z');
    expect(text).toMatch(/Runbook: .*backup-restore\.md/);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]![0]).toBe(WEBHOOK);
  });

  it('does not re-notify the same finding within the suppression window, and does after it', async () => {
    // Act
    await invoke([{ id: 'a', body: JSON.stringify(aFinding()) }]);
    vi.setSystemTime(new Date('2026-11-26T20:00:00Z'));
    await invoke([{ id: 'b', body: JSON.stringify(aFinding()) }]);
    const withinWindow = sns.commandCalls(PublishCommand).length;
    vi.setSystemTime(new Date('2026-11-27T08:00:01Z'));
    await invoke([{ id: 'c', body: JSON.stringify(aFinding()) }]);
    // Assess
    expect(withinWindow).toBe(1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('re-notifies at once when the severity rises', async () => {
    // Act
    await invoke([{ id: 'a', body: JSON.stringify(aFinding({ severity: 'medium' })) }]);
    await invoke([{ id: 'b', body: JSON.stringify(aFinding({ severity: 'critical' })) }]);
    await invoke([{ id: 'c', body: JSON.stringify(aFinding({ severity: 'high' })) }]);
    // Assess
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(sns.commandCalls(PublishCommand)[1]!.args[0].input.Subject).toContain('[warden CRITICAL]');
  });

  it('sends a resolve once, and nothing for a finding that was never notified', async () => {
    // Act
    await invoke([
      { id: 'x', body: JSON.stringify(aFinding({ resourceArn: 'arn:other', status: 'resolved' })) },
    ]);
    await invoke([{ id: 'a', body: JSON.stringify(aFinding()) }]);
    await invoke([{ id: 'b', body: JSON.stringify(aFinding({ status: 'resolved' })) }]);
    await invoke([{ id: 'c', body: JSON.stringify(aFinding({ status: 'resolved' })) }]);
    // Assess
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(sns.commandCalls(PublishCommand)[1]!.args[0].input.Subject).toContain('[warden RESOLVED]');
  });

  it('fails a poison message alone while the rest of its batch is delivered', async () => {
    // Act
    const out = await invoke([
      { id: 'good-1', body: JSON.stringify(aFinding({ resourceArn: 'arn:a' })) },
      { id: 'poison', body: '{"automation": "backupVerify", "severity": "apocalyptic"' },
      { id: 'bad-shape', body: JSON.stringify({ ...aFinding(), severity: 'apocalyptic' }) },
      { id: 'good-2', body: JSON.stringify(aFinding({ resourceArn: 'arn:b' })) },
    ]);
    // Assess
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }, { itemIdentifier: 'bad-shape' }]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('retries a Slack failure without sending to SNS a second time', async () => {
    // Prepare
    fetchMock.mockResolvedValueOnce(new Response('busy', { status: 503 }));
    const body = JSON.stringify(aFinding());
    // Act
    const first = await invoke([{ id: 'a', body }]);
    const retry = await invoke([{ id: 'a', body }]);
    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('sends once when SQS delivers the same message twice', async () => {
    // Prepare
    const body = JSON.stringify(aFinding());
    // Act
    await invoke([{ id: 'a', body }]);
    await invoke([{ id: 'a', body }]);
    // Assess
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the Slack webhook URL out of errors', async () => {
    // Prepare
    fetchMock.mockRejectedValueOnce(new TypeError(`fetch failed for ${WEBHOOK}`));
    const logs: string[] = [];
    const levels = ['debug', 'info', 'warn', 'error'] as const;
    const spies = levels.map((l) =>
      vi.spyOn(logger, l).mockImplementation((...args: unknown[]) => {
        logs.push(
          JSON.stringify(args, (_k, v) =>
            v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v,
          ),
        );
      }),
    );
    // Act
    const out = await invoke([{ id: 'a', body: JSON.stringify(aFinding()) }]);
    const second = await invoke([{ id: 'a', body: JSON.stringify(aFinding()) }]);
    for (const s of spies) s.mockRestore();
    // Assess
    expect(out.batchItemFailures).toHaveLength(1);
    expect(second.batchItemFailures).toHaveLength(0);
    expect(logs.length).toBeGreaterThan(2);
    expect(logs.join('\n')).toContain('notification sent');
    expect(logs.join('\n')).not.toContain('very-secret-token');
  });

  it('rejects an event that is not an SQS event, naming the field, without any AWS call', async () => {
    // Act
    const err = await handler({ Records: [{ messageId: 'a' }] }, lambdaContext).catch((e: unknown) => e);
    // Assess
    expect(String(err)).toMatch(/invalid SQS event: Records\[0\]\.body: expected string/);
    expect(sns.calls()).toHaveLength(0);
    expect(ddb.calls()).toHaveLength(0);
  });
});
