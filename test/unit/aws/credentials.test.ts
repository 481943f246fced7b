import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { assumeRoleProvider } from '../../../lib/aws/credentials.js';
import { AssumeRoleError } from '../../../lib/errors.js';

const sts = mockClient(STSClient);
const params = {
  account: '222222222222',
  roleArn: 'arn:aws:iam::222222222222:role/WardenExecutionRole',
  externalId: 'ext',
  sessionName: 'warden',
};
const creds = (expiresAt: number) => ({
  Credentials: {
    AccessKeyId: 'AKIA',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(expiresAt),
  },
});

describe('Function: assumeRoleProvider', () => {
  beforeEach(() => sts.reset());

  it('assumes the role once and reuses the credentials until five minutes before expiry', async () => {
    // Prepare
    let now = 0;
    sts.on(AssumeRoleCommand).resolves(creds(3_600_000));
    const provider = assumeRoleProvider(new STSClient({ region: 'eu-west-1' }), params, () => now);
    // Act
    await provider();
    now = 3_600_000 - 5 * 60_000 - 1;
    await provider();
    const callsBeforeRefresh = sts.commandCalls(AssumeRoleCommand).length;
    now = 3_600_000 - 5 * 60_000 + 1;
    await provider();
    // Assess
    expect(callsBeforeRefresh).toBe(1);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: params.roleArn, ExternalId: 'ext' });
  });

  it('shares one STS call between concurrent callers', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(creds(Date.now() + 3_600_000));
    const provider = assumeRoleProvider(new STSClient({ region: 'eu-west-1' }), params);
    // Act
    const all = await Promise.all([provider(), provider(), provider()]);
    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(new Set(all).size).toBe(1);
  });

  it('raises an AssumeRoleError naming account and role, and does not cache the failure', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
      .resolves(creds(Date.now() + 3_600_000));
    const provider = assumeRoleProvider(new STSClient({ region: 'eu-west-1', maxAttempts: 1 }), params);
    // Act
    const first = await provider().catch((e: unknown) => e);
    const second = await provider();
    // Assess
    expect(first).toBeInstanceOf(AssumeRoleError);
    expect((first as AssumeRoleError).message).toBe(
      'cannot assume arn:aws:iam::222222222222:role/WardenExecutionRole in account 222222222222: AccessDenied: not authorized',
    );
    expect(second.accessKeyId).toBe('AKIA');
  });
});
