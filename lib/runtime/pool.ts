import { ClientPool } from '../aws/clients.js';
import type { Config } from '../config.js';

/** Per-target clients for the functions that act in target accounts (workers). */
export function createPool(config: Config, homeAccount: () => string | undefined): ClientPool {
  return new ClientPool({
    homeAccount,
    homeRegion: config.region,
    roleName: config.executionRoleName,
    externalId: config.externalId,
    maxAttempts: config.awsMaxAttempts,
    sessionName: `warden-${config.stage}`,
  });
}
