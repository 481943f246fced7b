import type { Target } from '../aws/clients.js';
import type { StateItem } from '../aws/stateStore.js';
import { ValidationError } from '../errors.js';
import type { RollbackDeps } from './deps.js';
import { executeRollback } from './execute.js';
import { type DecisionReport, recordDecision } from './record.js';
import { DECISION_LOG_PK } from './stateKeys.js';
import { parseTargetSpec, targetArn } from './target.js';

/**
 * An operator's rollback (`warden rollback <target> [--to <version>] [--account <id>]`): no alarm, no allow-list,
 * no cooldown check; it does set the cooldown so an alarm-driven rollback does not follow it at once. In a member
 * account it acts through the member role, as the alarm-driven rollback does.
 */
export async function manualRollback(
  deps: RollbackDeps,
  input: { where: Target; spec: string; toVersion?: string | undefined; dryRun: boolean },
): Promise<DecisionReport> {
  const target = parseTargetSpec(input.spec);
  if (!target) {
    throw new ValidationError('rollback target', [
      {
        field: 'target',
        expected: 'lambda:<function>:<alias> or codedeploy:<application>/<deployment-group>',
      },
    ]);
  }
  if (input.toVersion !== undefined && target.kind !== 'lambda') {
    throw new ValidationError('rollback request', [
      { field: '--to', expected: 'only with a lambda:<function>:<alias> target' },
    ]);
  }
  // A member account's role that cannot be assumed stops here, naming the role (nothing to record: nothing ran).
  await deps.reach(input.where);
  const decision = await executeRollback(deps, {
    where: input.where,
    target,
    resourceArn: targetArn(target, input.where),
    alarmName: 'manual',
    stateTime: deps.now().toISOString(),
    dryRun: input.dryRun,
    guarded: false,
    toVersion: input.toVersion,
  });
  return recordDecision(deps, decision, input.dryRun);
}

/** Recent decisions, newest first, from the state table. */
export async function recentDecisions(
  deps: Pick<RollbackDeps, 'store' | 'table'>,
  limit = 20,
): Promise<StateItem[]> {
  return deps.store.query(deps.table, DECISION_LOG_PK, { newestFirst: true, limit });
}
