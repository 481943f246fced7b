import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { createClient } from '../aws/clients.js';
import { type Config, loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { createFlagReader, type FlagReader } from '../flags/flags.js';

/** What a handler builds once per container, at module scope. */
export interface Container {
  config: Config;
  now: () => Date;
  /** The account this function runs in: WARDEN_HOME_ACCOUNT, else the invoked function's ARN, else `lookup`. */
  homeAccount(context?: Pick<Context, 'invokedFunctionArn'>): Promise<string>;
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * Validates the environment (one ConfigError listing every problem). `lookupAccount` (STS, for functions that
 * already carry it) is the last resort for the home account; the others fail clearly without one.
 */
export function createContainer(
  env: NodeJS.ProcessEnv,
  require: readonly (keyof Config)[] = [],
  lookupAccount?: (config: Config) => Promise<string>,
): Container {
  const config = loadConfig(env, { require });
  let home = config.homeAccount;
  return {
    config,
    now: () => new Date(),
    async homeAccount(context) {
      home ??= accountFromArn(context?.invokedFunctionArn) ?? (await lookupAccount?.(config));
      if (!home) {
        throw new ConfigError([
          {
            field: 'WARDEN_HOME_ACCOUNT',
            expected: 'a 12-digit account id (not in the function ARN)',
            found: 'nothing (unset)',
          },
        ]);
      }
      return home;
    },
  };
}

/** The flag reader (SSM through Powertools parameters); only functions that decide dry-run build one. */
export function createFlags(
  config: Config,
  ssm: SSMClient = createClient(SSMClient, { region: config.region, maxAttempts: config.awsMaxAttempts }),
): FlagReader {
  return createFlagReader({
    provider: new SSMProvider({ awsSdkV3Client: ssm }),
    path: config.flagsPath,
    maxAgeSeconds: config.flagsMaxAgeSeconds,
    defaultDryRun: config.dryRun,
  });
}
