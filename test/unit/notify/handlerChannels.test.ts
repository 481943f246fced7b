import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lib/runtime/powertools.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { type FakeSecurityHub, fakeSecurityHub } from '../../support/fakeSecurityHub.js';
import { aFinding, lambdaContext, sqsEvent } from '../../support/findings.js';

const sns = mockClient(SNSClient);
const ddb = mockClient(DynamoDBClient);
const secrets = mockClient(SecretsManagerClient);
const hub = mockClient(SecurityHubClient);
const ROUTING_KEY = 'Pl4nt3dR0ut1ngK3yN0b0dyKn0ws0001';
const PD_SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:warden/dev/pagerduty';

type Handler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;
let server: Server;
let pages: { event_action: string; dedup_key: string; routing_key: string }[] = [];
let answers: { status: number; body?: string }[] = [];
let securityHub: FakeSecurityHub;

const invoke = (records: { id: string; body: string }[]) => handler(sqsEvent(records), lambdaContext);
const finding = (i: number, over: Parameters<typeof aFinding>[0] = {}) =>
  aFinding({ resourceArn: `arn:aws:rds:eu-west-1:111111111111:db:d${i}`, ...over });

describe('Handler: notify with Security Hub and PagerDuty', () => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        pages.push(JSON.parse(raw));
        const a = answers.shift() ?? { status: 202, body: '{"status":"success"}' };
        res.writeHead(a.status).end(a.body ?? '');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    vi.stubEnv('WARDEN_STAGE', 'dev');
    vi.stubEnv('WARDEN_ALERTS_TOPIC_ARN', 'arn:aws:sns:eu-west-1:111111111111:warden-dev-alerts');
    vi.stubEnv('WARDEN_STATE_TABLE', 'warden-dev-state');
    vi.stubEnv('WARDEN_SECURITY_HUB', 'true');
    vi.stubEnv('WARDEN_PAGERDUTY_SECRET_ARN', PD_SECRET);
    vi.stubEnv('WARDEN_PAGERDUTY_MIN_SEVERITY', 'high');
    vi.stubEnv(
      'WARDEN_PAGERDUTY_URL',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`,
    );
    ({ handler } = (await import('../../../functions/notify.js')) as unknown as { handler: Handler });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise<void>((done) => server.close(() => done()));
  });
  beforeEach(() => {
    sns.reset();
    ddb.reset();
    secrets.reset();
    hub.reset();
    pages = [];
    answers = [];
    fakeDynamo(ddb);
    securityHub = fakeSecurityHub(hub);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    secrets
      .on(GetSecretValueCommand, { SecretId: PD_SECRET })
      .resolves({ SecretString: JSON.stringify({ routing_key: ROUTING_KEY }) });
  });

  it('delivers a batch to every channel: one Security Hub import for the batch, a page per high finding', async () => {
    // Prepare
    const findings = Array.from({ length: 10 }, (_, i) =>
      finding(i, { severity: i < 4 ? 'high' : 'medium' }),
    );
    // Act
    const out = await invoke(findings.map((f, i) => ({ id: `m${i}`, body: JSON.stringify(f) })));
    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 10);
    expect(securityHub.importSizes).toEqual([10]);
    const imported = hub.commandCalls(BatchImportFindingsCommand)[0]!.args[0].input.Findings!;
    expect(imported.map((f) => f.ProductArn)).toEqual(
      Array(10).fill('arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default'),
    );
    expect(pages.map((p) => [p.event_action, p.dedup_key, p.routing_key])).toEqual(
      findings.slice(0, 4).map((f) => ['trigger', f.id, ROUTING_KEY]),
    );
  });

  it('retries a PagerDuty failure alone: no second e-mail, no second import', async () => {
    // Prepare
    answers = [{ status: 400, body: '{"message":"Event object is invalid"}' }];
    const body = JSON.stringify(finding(1));
    // Act
    const first = await invoke([{ id: 'a', body }]);
    const retry = await invoke([{ id: 'a', body }]);
    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(securityHub.importSizes).toEqual([1]);
    expect(pages).toHaveLength(2);
  });

  it('fails only the message whose finding Security Hub refused, and its retry imports only that one', async () => {
    // Prepare
    const [a, b, c] = [finding(1), finding(2), finding(3)];
    securityHub.refuse.set(b.id, 'InternalException');
    const batch = [a, b, c].map((f, i) => ({ id: `m${i}`, body: JSON.stringify(f) }));
    // Act
    const first = await invoke(batch);
    securityHub.refuse.clear();
    const retry = await invoke([batch[1]!]);
    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(securityHub.importSizes).toEqual([3, 1]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    expect(pages).toHaveLength(3);
    expect(securityHub.findings.size).toBe(3);
  });

  it('resolves in Security Hub (archived, workflow RESOLVED) and in PagerDuty', async () => {
    // Prepare
    const f = finding(1);
    // Act
    await invoke([{ id: 'a', body: JSON.stringify(f) }]);
    await invoke([{ id: 'b', body: JSON.stringify(finding(1, { status: 'resolved' })) }]);
    // Assess
    expect(securityHub.findings.get(f.id)).toMatchObject({
      RecordState: 'ARCHIVED',
      Workflow: { Status: 'RESOLVED' },
    });
    expect(pages.map((p) => p.event_action)).toEqual(['trigger', 'resolve']);
  });

  it('keeps the routing key out of logs and the batch response', async () => {
    // Prepare
    answers = [{ status: 400, body: `{"message":"routing_key ${ROUTING_KEY} is not valid"}` }];
    const logs: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((l) =>
      vi.spyOn(logger, l).mockImplementation((...args: unknown[]) => {
        logs.push(
          JSON.stringify(args, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)),
        );
      }),
    );
    // Act
    const out = await invoke([{ id: 'a', body: JSON.stringify(finding(1)) }]);
    for (const s of spies) s.mockRestore();
    // Assess
    expect(out.batchItemFailures).toHaveLength(1);
    expect(logs.join('\n')).toContain('notification failed');
    expect(logs.join('\n')).not.toContain(ROUTING_KEY);
    expect(JSON.stringify(out)).not.toContain(ROUTING_KEY);
  });
});
