import type { Metrics } from '@aws-lambda-powertools/metrics';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ClientPool, createClient } from '../aws/clients.js';
import { createStateStore } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import type { Publish } from '../findings/publish.js';
import { createFlagReader } from '../flags/flags.js';
import { emfSink } from '../runtime/metricSink.js';
import { createMetrics, logger } from '../runtime/powertools.js';
import { organizationsClient, runTargets } from '../runtime/targets.js';
import { rollbackAccounts } from './accounts.js';
import { AUTOMATION } from './decision.js';
import type { AlarmDeps } from './deps.js';
import { rollbackOptionsFromConfig } from './options.js';

/**
 * The Lambda edge: clients once per container, flags from SSM (kill switch, dry-run), EMF metrics, and the accounts
 * served: home plus warden's targets (explicit, or the organization's with targetSource organizations), resolved
 * as dispatch resolves them and cached. `config` must have been loaded with `require: ['stateTable']`; the home
 * account comes from `homeAccount` (WARDEN_HOME_ACCOUNT, else the invoked function's ARN).
 */
export function lambdaRollbackDeps(
  config: Config,
  publish: Publish,
  homeAccount: () => string | undefined = () => config.homeAccount,
): { deps: AlarmDeps; metrics: Metrics } {
  const settings = { region: config.region, maxAttempts: config.awsMaxAttempts };
  const pool = new ClientPool({
    homeAccount,
    homeRegion: config.region,
    roleName: config.executionRoleName,
    externalId: config.externalId,
    maxAttempts: config.awsMaxAttempts,
    sessionName: 'warden-rollback',
  });
  const flags = createFlagReader({
    provider: new SSMProvider({ awsSdkV3Client: createClient(SSMClient, settings) }),
    path: config.flagsPath,
    maxAgeSeconds: config.flagsMaxAgeSeconds,
    defaultDryRun: config.dryRun,
  });
  const metrics = createMetrics(AUTOMATION, config.stage);
  const now = () => new Date();
  const home = () => ({ account: homeAccount() ?? 'unknown', region: config.region });
  const org = organizationsClient(config);
  const accounts = rollbackAccounts({
    home,
    now,
    resolve: async () => {
      const resolution = await runTargets(config, home().account, now, org)();
      // A failed Organizations read: dispatch raises its finding every schedule; here the explicit targets serve.
      for (const f of resolution.findings) logger.warn(f.title, { check: f.check });
      return resolution.targets;
    },
  });
  const deps: AlarmDeps = {
    clientsFor: (where) => pool.for(where),
    reach: async (where) => {
      await pool.credentialsFor(where.account)?.();
    },
    store: createStateStore(createClient(DynamoDBClient, settings), now),
    table: config.stateTable ?? '',
    publish,
    metrics: emfSink(metrics),
    logger,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    options: rollbackOptionsFromConfig(config),
    mode: () => flags(AUTOMATION),
    accounts,
  };
  return { deps, metrics };
}
