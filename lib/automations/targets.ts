import type { Target } from '../aws/clients.js';
import type { Config } from '../config.js';

/** accounts x regions from the config; empty lists mean the home account and region only. */
export function resolveTargets(config: Config, homeAccount: string): Target[] {
  const accounts = config.targetAccounts.length > 0 ? [...new Set(config.targetAccounts)] : [homeAccount];
  const regions = config.targetRegions.length > 0 ? [...new Set(config.targetRegions)] : [config.region];
  return accounts.flatMap((account) => regions.map((region) => ({ account, region })));
}
