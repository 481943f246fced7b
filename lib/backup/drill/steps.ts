import { describeError } from '../../errors.js';
import { remove, waitDeleted } from './cleanup.js';
import { fail, go, type StepDeps, type StepResult } from './flow.js';
import type { DrillMessage } from './messages.js';
import { restore, waitAvailable } from './restore.js';
import { runValidation, type SqlClient } from './validate.js';

export { MAX_DELETE_ATTEMPTS, MAX_RESTORE_ATTEMPTS, type StepDeps, type StepResult } from './flow.js';

/** Step 3: run the validation queries; the drill goes on to cleanup whatever they say. */
async function validate(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  if (!msg.endpoint) return fail(msg, now, 'no endpoint recorded for the restored instance');
  let db: SqlClient;
  try {
    db = await deps.connect(msg.endpoint, msg);
  } catch (err) {
    return fail(msg, now, `cannot connect to the restored database: ${describeError(err)}`);
  }
  try {
    const outcomes = await runValidation(db, msg.validation.checks, now, msg.settings.rpoHours, msg.dialect);
    const failed = outcomes.filter((o) => !o.passed);
    const patch: Partial<DrillMessage> = {
      outcomes,
      ...(failed.length === 0 ? { validatedAt: now.toISOString() } : {}),
    };
    if (failed.length > 0)
      patch.failure = `validation failed: ${failed.map((o) => `${o.check}: ${o.reason}`).join('; ')}`;
    return go(msg, 'delete', now, patch);
  } finally {
    await db
      .end()
      .catch((err: unknown) =>
        deps.logger.warn('closing the drill connection failed', { error: describeError(err) }),
      );
  }
}

/** Runs the step named in the message; every step is safe to run twice (a redelivered or timed-out message). */
export async function runStep(deps: StepDeps, msg: DrillMessage): Promise<StepResult> {
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
