import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createClient } from './clients.js';

/** The settings the home account is learnt from (lib/config's Config has them). */
export interface IdentitySettings {
  readonly homeAccount?: string | undefined;
  readonly region: string;
  readonly awsMaxAttempts: number;
}

let cached: Promise<string> | undefined;

/** The account warden runs in: WARDEN_HOME_ACCOUNT when set (Lambda), else asked of STS once. */
export function homeAccount(config: IdentitySettings, sts?: STSClient): Promise<string> {
  if (config.homeAccount) return Promise.resolve(config.homeAccount);
  cached ??= (sts ?? createClient(STSClient, { region: config.region, maxAttempts: config.awsMaxAttempts }))
    .send(new GetCallerIdentityCommand({}))
    .then((r) => {
      if (!r.Account) throw new Error('STS GetCallerIdentity returned no account');
      return r.Account;
    })
    .catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
  return cached;
}
