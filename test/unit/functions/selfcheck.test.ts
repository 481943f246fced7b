import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/findings.js';

const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const lambda = mockClient(LambdaClient);
type Handler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
let handler: Handler;
const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)) as never;

describe('Handler: selfcheck', () => {
  beforeAll(async () => {
    vi.stubEnv('WARDEN_STAGE', 'staging');
    vi.stubEnv('WARDEN_TARGET_ACCOUNTS', '111111111111,222222222222');
  });
  afterAll(() => vi.unstubAllEnvs());
  beforeEach(async () => {
    // A fresh container each time: credentials and flags are cached per container.
    vi.resetModules();
    ({ handler } = (await import('../../../functions/selfcheck.js')) as unknown as { handler: Handler });
    sts.reset();
    ssm.reset();
    lambda.reset();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'none', $metadata: {} }));
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'A',
        SecretAccessKey: 'S',
        SessionToken: 'T',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ ok: true }) });
  });

  it('passes when every target can be reached and every worker probe succeeds', async () => {
    // Act
    const report = await handler({}, lambdaContext);
    // Assess
    expect(report).toMatchObject({ ok: true, stage: 'staging', homeAccount: '111111111111', problems: [] });
    // 6 workers (4 automations, backupVerify in three parts) × 2 targets, and restoreDrill's probe of the places
    // drills restore to
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 13);
    for (const worker of [
      'costAnomalyWorker',
      'backupVerifyWorker',
      'backupVerifyS3Worker',
      'backupVerifyCachesWorker',
    ])
      expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
        FunctionName: `warden-staging-${worker}:live`,
      });
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'warden-staging-restoreDrill:live',
    });
    const payloads = lambda
      .commandCalls(InvokeCommand)
      .map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)) as unknown);
    expect(payloads).toContainEqual({ probe: { account: '222222222222', region: 'eu-west-1' } });
    // Each worker reaches its target with its own role; selfcheck itself assumes nothing.
    expect(sts.calls()).toHaveLength(0);
  });

  it('fails naming every problem, and checks the other targets when one role cannot be assumed', async () => {
    // Prepare
    const reply = (errorType: string, errorMessage: string) => ({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: encode({ errorType, errorMessage }),
    });
    lambda.on(InvokeCommand).callsFake((input: { FunctionName: string; Payload: Uint8Array }) => {
      const { probe } = JSON.parse(new TextDecoder().decode(input.Payload)) as {
        probe: { account?: string };
      };
      if (probe.account === '222222222222') {
        return reply(
          'AssumeRoleError',
          'cannot assume arn:aws:iam::222222222222:role/WardenExecutionRole in account 222222222222',
        );
      }
      if (input.FunctionName === 'warden-staging-secretExpiryWorker:live') {
        return reply('AccessDeniedException', 'not allowed: secretsmanager:ListSecrets');
      }
      return { StatusCode: 200, Payload: encode({ ok: true }) };
    });
    // Act
    const err = (await handler({ automations: ['secretExpiry', 'backupVerify'] }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(err.name).toBe('ExecutionError');
    // Each of backupVerify's workers was refused, each named.
    expect(err.message).toContain(
      '222222222222/eu-west-1 backupVerify: ExecutionError: warden-staging-backupVerifyWorker:live failed: AssumeRoleError: cannot assume',
    );
    expect(err.message).toContain(
      '; warden-staging-backupVerifyS3Worker:live failed: AssumeRoleError: cannot assume',
    );
    expect(err.message).toContain(
      '111111111111/eu-west-1 secretExpiry: ExecutionError: warden-staging-secretExpiryWorker:live failed: AccessDeniedException',
    );
    expect(err.message).not.toContain('111111111111/eu-west-1 backupVerify');
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 9); // 4 workers × 2 targets + the drill probe
  });

  it('rejects a malformed request naming the field, before any AWS call', async () => {
    // Act
    const err = (await handler({ automations: ['dropTables'] }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(err.name).toBe('ValidationError');
    expect(err.message).toMatch(
      /^invalid selfcheck request: automations\[0\]: expected one of "backupVerify"/,
    );
    expect(lambda.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    expect(ssm.calls()).toHaveLength(0);
  });
});
