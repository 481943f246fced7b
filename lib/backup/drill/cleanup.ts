import { describeError } from '../../errors.js';
import {
  go,
  instanceIdOf,
  MAX_DELETE_ATTEMPTS,
  restoreTargetOf,
  type StepDeps,
  type StepResult,
  stay,
  waitedTooLong,
} from './flow.js';
import type { DrillMessage } from './messages.js';

/** A delete call failed: retry after the poll delay, up to MAX_DELETE_ATTEMPTS, then report the cleanup failure. */
function retryDelete(deps: StepDeps, msg: DrillMessage, now: Date, what: string, err: unknown): StepResult {
  const attempts = msg.stepAttempts + 1;
  const error = describeError(err);
  if (attempts >= MAX_DELETE_ATTEMPTS) {
    return go(msg, 'report', now, { cleanupFailure: `deleting ${what} failed ${attempts} times: ${error}` });
  }
  deps.logger.warn('deleting a drill resource failed; retrying', { what, attempts, error });
  return { next: { message: { ...msg, stepAttempts: attempts }, delaySeconds: msg.settings.pollSeconds } };
}

/** Step 4: delete the temporary instance (always reached, whatever failed before). */
export async function remove(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  const id = instanceIdOf(msg);
  try {
    await deps.rdsFor(restoreTargetOf(msg)).deleteInstance(id, msg.kind === 'cluster');
  } catch (err) {
    return retryDelete(deps, msg, now, id, err);
  }
  const deleteRequests = (msg.deleteRequests ?? 0) + 1;
  return go(msg, 'waitDeleted', now, { deleteRequests }, msg.settings.pollSeconds);
}

/** Step 5: poll until the instance is gone (then, for Aurora, delete the cluster and wait for it too). */
export async function waitDeleted(deps: StepDeps, msg: DrillMessage, now: Date): Promise<StepResult> {
  const rds = deps.rdsFor(restoreTargetOf(msg));
  const instance = await rds.describeInstance(instanceIdOf(msg));
  if (instance) {
    const status = instance.DBInstanceStatus ?? 'unknown';
    if (status !== 'deleting') {
      if ((msg.deleteRequests ?? 0) >= MAX_DELETE_ATTEMPTS) {
        return go(msg, 'report', now, {
          cleanupFailure: `still ${status} after ${msg.deleteRequests} delete requests`,
        });
      }
      // The delete did not take (the instance was still modifying): ask again.
      return go(msg, 'delete', now, {}, msg.settings.pollSeconds);
    }
  } else if (msg.kind === 'cluster') {
    const cluster = await rds.describeCluster(msg.tempId);
    if (!cluster) return go(msg, 'report', now);
    if (cluster.Status !== 'deleting') {
      try {
        await rds.deleteCluster(msg.tempId);
      } catch (err) {
        return retryDelete(deps, msg, now, msg.tempId, err);
      }
    }
  } else {
    return go(msg, 'report', now);
  }
  if (waitedTooLong(msg, now)) {
    return go(msg, 'report', now, {
      cleanupFailure: `still deleting after ${msg.settings.maxWaitMinutes} min`,
    });
  }
  return stay(msg);
}
