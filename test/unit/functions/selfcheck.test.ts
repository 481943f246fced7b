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
const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

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
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 8);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'warden-staging-costAnomalyWorker',
    });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it('fails naming every problem, and checks the other targets when one role cannot be assumed', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    lambda.on(InvokeCommand, { FunctionName: 'warden-staging-secretExpiryWorker' }).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: encode({
        errorType: 'AccessDeniedException',
        errorMessage: 'not allowed: secretsmanager:ListSecrets',
      }),
    });
    // Act
    const err = (await handler({ automations: ['secretExpiry', 'backupVerify'] }, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(err.name).toBe('ExecutionError');
    expect(err.message).toContain(
      '222222222222/eu-west-1: AssumeRoleError: cannot assume arn:aws:iam::222222222222:role/WardenExecutionRole',
    );
    expect(err.message).toContain(
      '111111111111/eu-west-1 secretExpiry: ExecutionError: warden-staging-secretExpiryWorker failed: AccessDeniedException',
    );
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 2);
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
