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
import { AUTOMATION } from './decision.js';
import type { RollbackDeps } from './deps.js';
import { rollbackOptionsFromConfig } from './options.js';

/**
 * The Lambda edge: clients once per container, flags from SSM (kill switch, dry-run), EMF metrics.
 * `config` must have been loaded with `require: ['stateTable']`; the home account comes from `homeAccount`
 * (WARDEN_HOME_ACCOUNT, else the invoked function's ARN).
 */
export function lambdaRollbackDeps(
  config: Config,
  publish: Publish,
  homeAccount: () => string | undefined = () => config.homeAccount,
): { deps: RollbackDeps; metrics: Metrics } {
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
  const deps: RollbackDeps = {
    clientsFor: (where) => pool.for(where),
    store: createStateStore(createClient(DynamoDBClient, settings), now),
    table: config.stateTable ?? '',
    publish,
    metrics: emfSink(metrics),
    logger,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    options: rollbackOptionsFromConfig(config),
    mode: () => flags(AUTOMATION),
  };
  return { deps, metrics };
}
