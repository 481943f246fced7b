import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createClient } from '../aws/clients.js';
import { organizationsReader } from '../aws/organizations.js';
import type { Config } from '../config.js';
import { type TargetResolution, targetResolver } from '../fanout/targets.js';

/** The Organizations client of the home account, made only when the organizations source is configured. */
export function organizationsClient(config: Config): OrganizationsClient | undefined {
  return config.targetSource === 'organizations'
    ? createClient(OrganizationsClient, { region: config.region, maxAttempts: config.awsMaxAttempts })
    : undefined;
}

/** The targets of one run (a dispatch, a selfcheck, a CLI command), resolved once on first use. */
export function runTargets(
  config: Config,
  homeAccount: string,
  now: () => Date,
  org: OrganizationsClient | undefined = organizationsClient(config),
): () => Promise<TargetResolution> {
  return targetResolver({ config, homeAccount, now, ...(org ? { org: organizationsReader(org) } : {}) });
}
