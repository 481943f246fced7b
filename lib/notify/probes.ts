import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { createClient } from '../aws/clients.js';
import { getSecretString } from '../aws/secretsManager.js';
import { describeHub } from '../aws/securityHub.js';
import type { Config } from '../config.js';
import type { ChannelProbe } from '../selfcheck/selfcheck.js';
import { routingKeyFromSecret } from './pagerDuty.js';

export interface ProbeClients {
  securityHub: () => SecurityHubClient;
  secrets: () => SecretsManagerClient;
}

function defaultClients(config: Config): ProbeClients {
  const settings = { region: config.region, maxAttempts: config.awsMaxAttempts };
  let hub: SecurityHubClient | undefined;
  let sm: SecretsManagerClient | undefined;
  return {
    securityHub: () => (hub ??= createClient(SecurityHubClient, settings)),
    secrets: () => (sm ??= createClient(SecretsManagerClient, settings)),
  };
}

/**
 * Selfcheck's probe of each configured optional channel, without notifying anyone: Security Hub is enabled in the
 * home account and region (DescribeHub); the PagerDuty routing key is readable and well-formed (no event is sent).
 */
export function channelProbes(
  config: Config,
  clients: ProbeClients = defaultClients(config),
): ChannelProbe[] {
  const probes: ChannelProbe[] = [];
  if (config.securityHub) {
    probes.push({
      channel: 'securityhub',
      probe: async () => void (await describeHub(clients.securityHub())),
    });
  }
  const pagerDutySecret = config.pagerDutySecretArn;
  if (pagerDutySecret) {
    probes.push({
      channel: 'pagerduty',
      probe: async () =>
        void routingKeyFromSecret(await getSecretString(clients.secrets(), pagerDutySecret, {})),
    });
  }
  return probes;
}
