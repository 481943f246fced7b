import { remove, waitDeleted } from './cleanup.js';
import { type AnyDrillMessage, fail, go, type StepDeps, type StepResult } from './flow.js';
import type { DrillMessage } from './messages.js';
import { restore, waitAvailable } from './restore.js';
import { runTableStep } from './tableSteps.js';

export { MAX_DELETE_ATTEMPTS, MAX_RESTORE_ATTEMPTS, type StepDeps, type StepResult } from './flow.js';

/** Step 3: run the validation queries; the drill goes on to cleanup whatever they say. */
async function validate(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  if (!msg.endpoint) return fail(msg, now, 'no endpoint recorded for the restored instance');
  const run = await deps.validate(msg, now);
  if ('connectError' in run)
    return fail(msg, now, `cannot connect to the restored database: ${run.connectError}`);
  const { outcomes } = run;
  const failed = outcomes.filter((o) => !o.passed);
  if (run.tlsFallback)
    deps.logger.warn('drill validated in plaintext: the restored database offers no TLS (tls "prefer")', {
      drillId: msg.drillId,
      step: msg.step,
    });
  const patch: Partial<DrillMessage> = {
    outcomes,
    ...(run.tlsFallback ? { tlsFallback: true } : {}),
    ...(failed.length === 0 ? { validatedAt: now.toISOString() } : {}),
  };
  if (failed.length > 0)
    patch.failure = `validation failed: ${failed.map((o) => `${o.check}: ${o.reason}`).join('; ')}`;
  return go(msg, 'delete', now, patch);
}

/** Runs the step named in the message; every step is safe to run twice (a redelivered or timed-out message). */
export async function runStep(deps: StepDeps, msg: AnyDrillMessage): Promise<StepResult> {
  if (msg.service === 'dynamodb') return runTableStep(deps, msg);
  const now = deps.now();
  // A dry-run drill never gets past choosing its snapshot; a message claiming otherwise changes nothing.
  if (msg.dryRun && msg.step !== 'restore') return go(msg, 'report', now);
  switch (msg.step) {
    case 'restore':
      return restore(deps, msg, now);
    case 'waitAvailable':
      return waitAvailable(deps, msg, now);
    case 'validate':
      return validate(deps, msg, now);
    case 'delete':
      return remove(deps, msg, now);
    case 'waitDeleted':
      return waitDeleted(deps, msg, now);
    case 'report':
      return {};
  }
}
