import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { ClientPool, createClient } from '../aws/clients.js';
import { homeAccount as callerAccount } from '../aws/identity.js';
import { type Config, loadConfig } from '../config.js';
import { createFlagReader, type FlagReader } from '../flags/flags.js';

/** What a handler builds once per container, at module scope. */
export interface Container {
  config: Config;
  pool: ClientPool;
  now: () => Date;
  /** The account this function runs in: WARDEN_HOME_ACCOUNT, else the invoked function's ARN, else STS. */
  homeAccount(context?: Pick<Context, 'invokedFunctionArn'>): Promise<string>;
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Validates the environment (one ConfigError listing every problem) and builds the shared clients. */
export function createContainer(env: NodeJS.ProcessEnv, require: readonly (keyof Config)[] = []): Container {
  const config = loadConfig(env, { require });
  let home = config.homeAccount;
  const pool = new ClientPool({
    homeAccount: () => home,
    homeRegion: config.region,
    roleName: config.executionRoleName,
    externalId: config.externalId,
    maxAttempts: config.awsMaxAttempts,
    sessionName: `warden-${config.stage}`,
  });
  return {
    config,
    pool,
    now: () => new Date(),
    async homeAccount(context) {
      home ??= accountFromArn(context?.invokedFunctionArn) ?? (await callerAccount(config));
      return home;
    },
  };
}

/** The flag reader (SSM through Powertools parameters); only functions that decide dry-run build one. */
export function createFlags(config: Config): FlagReader {
  const ssm = createClient(SSMClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
  return createFlagReader({
    provider: new SSMProvider({ awsSdkV3Client: ssm }),
    path: config.flagsPath,
    maxAgeSeconds: config.flagsMaxAgeSeconds,
    defaultDryRun: config.dryRun,
  });
}
