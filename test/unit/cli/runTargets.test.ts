import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.js';
import { recorder } from '../../support/cliIo.js';

const sts = mockClient(STSClient);
const sm = mockClient(SecretsManagerClient);

const env = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  WARDEN_HOME_ACCOUNT: '111111111111',
  WARDEN_TARGET_ACCOUNTS: '111111111111,222222222222',
  WARDEN_TARGET_REGIONS: 'eu-west-1',
};

describe('Command: warden run --all-targets (exit code)', () => {
  beforeEach(() => {
    sts.reset();
    sm.reset();
    sm.on(ListSecretsCommand).resolves({ SecretList: [] });
  });
  afterAll(() => {
    sts.restore();
    sm.restore();
  });

  it('exits 0 when every target was reached and checked', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'A',
        SecretAccessKey: 'S',
        SessionToken: 'T',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const io = recorder();
    // Act
    const code = await main(['run', 'secretExpiry', '--all-targets', '--json'], io, env);
    // Assess
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout.join('\n')) as { units: { account: string; status: string }[] };
    expect(out.units.map((u) => `${u.account}:${u.status}`)).toEqual([
      '111111111111:completed',
      '222222222222:completed',
    ]);
  });

  it('exits 1 when a target could not be reached, after running the others and reporting it', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejects(
        new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'denied' }),
      );
    const io = recorder();
    // Act
    const code = await main(['run', 'secretExpiry', '--all-targets', '--json'], io, env);
    // Assess
    expect(code).toBe(1);
    const out = JSON.parse(io.stdout.join('\n')) as {
      units: { account: string; status: string }[];
      findings: { check: string; account: string }[];
    };
    expect(out.units.map((u) => `${u.account}:${u.status}`)).toEqual([
      '111111111111:completed',
      '222222222222:unreachable',
    ]);
    expect(out.findings).toContainEqual(
      expect.objectContaining({ check: 'target-access', account: '222222222222' }),
    );
  });
});
