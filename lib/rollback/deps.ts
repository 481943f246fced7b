import type { LoggerLike, MetricSink } from '../automations/types.js';
import type { AwsClients, Target } from '../aws/clients.js';
import type { StateStore } from '../aws/stateStore.js';
import type { Publish } from '../findings/publish.js';
import type { ShareFlags } from '../flags/rollout.js';
import type { RollbackAccounts } from './accounts.js';
import type { RollbackOptions } from './options.js';
import type { RetryOptions } from './retry.js';

/** Everything the rollback domain uses; built at the edge (handler, CLI, bench, demo). */
export interface RollbackDeps {
  clientsFor(where: Target): AwsClients;
  /**
   * Makes sure warden can act in `where`'s account before the first call there: assumes the member role (a no-op at
   * home), raising an AssumeRoleError when it cannot.
   */
  reach(where: Target): Promise<void>;
  store: StateStore;
  table: string;
  publish: Publish;
  metrics: MetricSink;
  logger: LoggerLike;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  options: RollbackOptions;
  /**
   * Kill switch and dry-run, read per invocation (SSM flag, env default); with an apply share or allow and deny
   * lists, the alarm's account decides (lib/flags/rollout).
   */
  mode: () => Promise<RollbackMode>;
}

/** The alarm-driven and scheduled halves also know which accounts they serve (the CLI names its account itself). */
/** The flag as autoRollback reads it: the whole flag in Lambda, just enabled and dryRun where nothing else is set. */
export type RollbackMode = ShareFlags;

export interface AlarmDeps extends RollbackDeps {
  accounts: RollbackAccounts;
}

export function retryOf(deps: RollbackDeps): RetryOptions {
  return { attempts: deps.options.attempts, baseMs: deps.options.retryBaseMs, sleep: deps.sleep };
}
