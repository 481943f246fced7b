import {
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/findings.js';

const sqs = mockClient(SQSClient);
const ssm = mockClient(SSMClient);
type Handler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
let handler: Handler;

describe('Handler: dispatch', () => {
  beforeAll(() => {
    vi.stubEnv('WARDEN_STAGE', 'prod');
    vi.stubEnv('WARDEN_TARGET_ACCOUNTS', '111111111111,222222222222');
    vi.stubEnv('WARDEN_TARGET_REGIONS', 'eu-west-1,us-east-1');
    vi.stubEnv('WARDEN_DRY_RUN', 'false');
  });
  afterAll(() => vi.unstubAllEnvs());
  beforeEach(async () => {
    vi.resetModules();
    ({ handler } = (await import('../../../functions/dispatch.js')) as unknown as { handler: Handler });
    sqs.reset();
    ssm.reset();
    sqs.on(GetQueueUrlCommand).callsFake(async (input: { QueueName: string }) => ({
      QueueUrl: `https://sqs.eu-west-1.amazonaws.com/111111111111/${input.QueueName}`,
    }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'none', $metadata: {} }));
  });

  it("puts one unit per account and region on each of the automation's work queues (one per part)", async () => {
    // Act
    const report = await handler({ automation: 'backupVerify' }, lambdaContext);
    // Assess
    expect(report).toMatchObject({
      automation: 'backupVerify',
      enabled: true,
      dryRun: false,
      units: 12,
      queues: { backupVerify: 4, 'backupVerify-s3': 4, 'backupVerify-caches': 4 },
      flagsSource: 'default',
    });
    const onQueue = (name: string) =>
      sqs
        .commandCalls(SendMessageBatchCommand)
        .filter((c) => c.args[0].input.QueueUrl?.endsWith(`/${name}`))
        .flatMap((c) => c.args[0].input.Entries ?? []);
    const expected = [
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/eu-west-1',
      '222222222222/us-east-1',
    ];
    for (const [queue, part] of [
      ['warden-prod-work-backupVerify', undefined],
      ['warden-prod-work-backupVerify-s3', 's3'],
      ['warden-prod-work-backupVerify-caches', 'caches'],
    ] as const) {
      expect(sqs).toHaveReceivedCommandWith(GetQueueUrlCommand, { QueueName: queue });
      const units = onQueue(queue).map((e) => JSON.parse(e.MessageBody!));
      expect(units.map((u) => `${u.account}/${u.region}`).sort()).toEqual(expected);
      expect(units.every((u) => u.part === part)).toBe(true);
      expect(onQueue(queue)[0]?.MessageAttributes?.correlationId?.StringValue).toBe('req-1');
    }
  });

  it('sends nothing when one of the parts has no queue', async () => {
    // Prepare
    sqs
      .on(GetQueueUrlCommand, { QueueName: 'warden-prod-work-backupVerify-caches' })
      .rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));
    // Act
    const call = handler({ automation: 'backupVerify' }, lambdaContext);
    // Assess
    await expect(call).rejects.toThrow(/does not exist/);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('enqueues nothing when the SSM kill switch disables the automation', async () => {
    // Prepare
    ssm
      .on(GetParameterCommand, { Name: '/warden/prod/flags/secretExpiry' })
      .resolves({ Parameter: { Value: '{"enabled":false}' } });
    // Act
    const report = await handler({ automation: 'secretExpiry' }, lambdaContext);
    // Assess
    expect(report).toMatchObject({ enabled: false, units: 0, flagsSource: 'ssm' });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('rejects an unknown automation or a malformed request naming the field, before any AWS call', async () => {
    // Act
    const unknown = (await handler({ automation: 'deleteEverything' }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    const extra = (await handler({ automation: 'backupVerify', force: true }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(unknown.message).toMatch(
      /automation: expected one of backupVerify, snapshotLifecycle, secretExpiry, costAnomaly/,
    );
    expect(extra.message).toMatch(
      /^invalid dispatch request: \(root\): expected no unknown keys \(found force\)/,
    );
    expect(sqs.calls()).toHaveLength(0);
    expect(ssm.calls()).toHaveLength(0);
  });
});
