import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.js';
import { channelProbes } from '../../../lib/notify/probes.js';
import { fakeSecurityHub } from '../../support/fakeSecurityHub.js';
import { everything } from '../../support/leaks.js';

const hub = mockClient(SecurityHubClient);
const sm = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:warden/dev/pagerduty';
const KEY = 'Pl4nt3dPr0b3K3yN0b0dyKn0ws00001';
const clients = {
  securityHub: () => new SecurityHubClient({ region: 'eu-west-1' }),
  secrets: () => new SecretsManagerClient({ region: 'eu-west-1' }),
};
const base = { WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' };
const both = loadConfig({ ...base, WARDEN_SECURITY_HUB: 'true', WARDEN_PAGERDUTY_SECRET_ARN: SECRET });

const run = async (probes: ReturnType<typeof channelProbes>) =>
  Promise.all(
    probes.map(
      async (p) =>
        [
          p.channel,
          await p.probe().then(
            () => 'ok',
            (e: unknown) => e,
          ),
        ] as const,
    ),
  );

describe('Function: channelProbes', () => {
  beforeEach(() => {
    hub.reset();
    sm.reset();
  });

  it('probes nothing when no optional channel is configured', () => {
    // Act / Assess
    expect(channelProbes(loadConfig(base), clients)).toEqual([]);
  });

  it('checks the hub and reads the routing key, sending no event', async () => {
    // Prepare
    fakeSecurityHub(hub);
    sm.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: `${KEY}0` });
    // Act
    const results = await run(channelProbes(both, clients));
    // Assess
    expect(results).toEqual([
      ['securityhub', 'ok'],
      ['pagerduty', 'ok'],
    ]);
    expect(hub).toHaveReceivedCommandTimes(DescribeHubCommand, 1);
    expect(hub.calls()).toHaveLength(1);
  });

  it('fails when Security Hub is not enabled or the secret holds no routing key, never echoing it', async () => {
    // Prepare
    fakeSecurityHub(hub).disabled = true;
    sm.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: `${KEY}-not-a-key` });
    // Act
    const results = await run(channelProbes(both, clients));
    // Assess
    expect(results[0]![1]).toMatchObject({ name: 'InvalidAccessException' });
    expect(String(results[1]![1])).toContain('WARDEN_PAGERDUTY_SECRET_ARN');
    expect(everything(results)).not.toContain(KEY);
  });
});
