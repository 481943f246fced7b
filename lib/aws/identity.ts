import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../config.js';
import { createClient } from './clients.js';

let cached: Promise<string> | undefined;

/** The account warden runs in: WARDEN_HOME_ACCOUNT when set (Lambda), else asked of STS once. */
export function homeAccount(config: Config, sts?: STSClient): Promise<string> {
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
