import { ClientPool } from '../../../lib/aws/clients.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import { collectingPublisher } from '../../../lib/findings/publisher.js';
import { ACCOUNT, NOW, REGION, TARGET } from './fixtures.js';

/**
 * A CLI context for the backup commands against mocked clients: stdout and stderr recorded, findings collected.
 * `progress` lines go to stderr when asked (a test that searches all output), else nowhere.
 */
export function backupCli(flags: { json?: boolean; apply?: boolean; progress?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: REGION, WARDEN_HOME_ACCOUNT: ACCOUNT });
  const pool = new ClientPool({
    homeAccount: ACCOUNT,
    homeRegion: REGION,
    roleName: 'WardenExecutionRole',
    maxAttempts: 1,
  });
  const publish = collectingPublisher();
  const ctx: CliContext = {
    io: {
      out: (l) => void out.push(l),
      err: (l) => void err.push(l),
      progress: (l) => void (flags.progress ? err.push(l) : undefined),
    },
    json: flags.json ?? false,
    apply: flags.apply ?? false,
    config: () => config,
    pool: () => pool,
    target: async () => TARGET,
    publish,
    now: () => NOW,
  };
  return { ctx, out, err, publish };
}
