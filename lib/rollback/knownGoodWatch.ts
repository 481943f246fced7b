import * as v from 'valibot';
import type { Target } from '../aws/clients.js';
import type { Config } from '../config.js';
import { strictObject } from '../schemas.js';
import { rollbackAutomation } from './automation.js';
import type { RollbackDeps } from './deps.js';

/** The constant input of autoRollback's 5-minute schedule: record last known good versions. */
export const knownGoodWatchSchema = strictObject({ watch: v.literal('knownGood') });

/**
 * Runs the scheduled half of autoRollback in the home account with the function's own clients: every
 * allow-listed Lambda alias whose version stayed healthy long enough is recorded as last known good, so a later
 * rollback returns to it rather than merely to the previous version. Its findings go through the pipeline.
 */
export async function runKnownGoodWatch(deps: RollbackDeps, config: Config, home: Target) {
  const mode = await deps.mode();
  if (!mode.enabled) return { watched: 0, skipped: 'disabled by its flag' };
  const result = await rollbackAutomation.run(
    {
      target: home,
      aws: deps.clientsFor(home),
      config,
      now: deps.now,
      logger: deps.logger,
      metrics: deps.metrics,
      dryRun: mode.dryRun,
    },
    deps.options,
  );
  await deps.publish(result.findings);
  return result.report;
}
