import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  ACTIVE_STATUSES,
  deployRevision,
  describeDeployments,
  getDeployment,
  getGroupState,
  listDeploymentIds,
  stopWithRollback,
} from '../aws/codedeploy.js';
import type { NoPlan, Plan } from './plan.js';
import { type RetryOptions, withRetries } from './retry.js';

/** Marks the deployments warden starts, so it never rolls back its own rollback. */
export const ROLLBACK_DESCRIPTION = 'warden rollback of';

export interface CodeDeployTarget {
  application: string;
  group: string;
}

/**
 * An active deployment is stopped with automatic rollback. When the last deployment already succeeded, the
 * previous successful revision is deployed again.
 */
export async function planCodeDeploy(
  cd: CodeDeployClient,
  t: CodeDeployTarget,
  input: { reason: string; retry: RetryOptions },
): Promise<Plan | NoPlan> {
  const name = `${t.application}/${t.group}`;
  const active = await withRetries(
    () => listDeploymentIds(cd, t.application, t.group, ACTIVE_STATUSES),
    input.retry,
  );
  const running = active[0];
  if (running !== undefined) {
    return {
      kind: 'plan',
      action: 'stop-deployment',
      from: running,
      to: 'automatic rollback',
      message: `deployment ${running} stopped with automatic rollback`,
      apply: () =>
        withRetries(async (attempt) => {
          if (attempt > 1) {
            const d = await getDeployment(cd, running);
            if (d.status === 'Stopped' || d.status === 'Failed') return 'automatic rollback';
          }
          await stopWithRollback(cd, running);
          return 'automatic rollback';
        }, input.retry),
    };
  }
  const group = await withRetries(() => getGroupState(cd, t.application, t.group), input.retry);
  if (group.lastAttemptedStatus !== 'Succeeded' || group.lastSuccessfulId === undefined) {
    return {
      kind: 'none',
      message: `${name} has no deployment in progress and its last deployment did not succeed`,
    };
  }
  const lastId = group.lastSuccessfulId;
  const succeeded = await withRetries(async () => {
    const ids = await listDeploymentIds(cd, t.application, t.group, ['Succeeded']);
    return describeDeployments(cd, ids);
  }, input.retry);
  const current = succeeded.find((d) => d.id === lastId);
  if (current?.creator === 'codeDeployRollback' || current?.description?.startsWith(ROLLBACK_DESCRIPTION)) {
    return {
      kind: 'none',
      message: `${name}: the last deployment ${lastId} is itself a rollback: not rolling back further`,
    };
  }
  const previous = succeeded.find(
    (d) =>
      d.id !== lastId &&
      d.revision !== undefined &&
      (current?.createTime === undefined || (d.createTime?.getTime() ?? 0) < current.createTime.getTime()) &&
      JSON.stringify(d.revision) !== JSON.stringify(current?.revision),
  );
  if (!previous?.revision) {
    return { kind: 'none', message: `${name}: no earlier successful revision to redeploy` };
  }
  const revision = previous.revision;
  return {
    kind: 'plan',
    action: 'redeploy-revision',
    from: lastId,
    to: previous.id,
    message: `revision of ${previous.id} redeployed over ${lastId}`,
    apply: () =>
      withRetries(async (attempt) => {
        if (attempt > 1) {
          // A lost response may hide a deployment we already started.
          const started = await listDeploymentIds(cd, t.application, t.group, ACTIVE_STATUSES);
          if (started[0] !== undefined) return started[0];
        }
        return deployRevision(cd, {
          application: t.application,
          group: t.group,
          revision,
          description: `${ROLLBACK_DESCRIPTION} ${lastId}: ${input.reason}`,
        });
      }, input.retry),
  };
}
