import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Target } from '../aws/clients.js';
import { describeError, ValidationError } from '../errors.js';
import { planCodeDeploy } from './codedeployRollback.js';
import type { Decision, SkipReason } from './decision.js';
import { type RollbackDeps, retryOf } from './deps.js';
import { planLambda } from './lambdaRollback.js';
import type { NoPlan, Plan } from './plan.js';
import { cooldownKey, EVENT_TTL_SECONDS, eventKey, observedKey } from './stateKeys.js';
import { type RollbackTarget, targetKey } from './target.js';

export interface RollbackRequest {
  where: Target;
  target: RollbackTarget;
  resourceArn: string;
  alarmName: string;
  stateTime: string;
  dryRun: boolean;
  /** Alarm-driven: claim the event (idempotency) and the target (cooldown). Manual: neither. */
  guarded: boolean;
  toVersion?: string | undefined;
}

async function plan(deps: RollbackDeps, req: RollbackRequest): Promise<Plan | NoPlan> {
  const aws = deps.clientsFor(req.where);
  const retry = retryOf(deps);
  const t = req.target;
  if (t.kind === 'lambda') {
    const pk = observedKey(req.where, targetKey(t)).pk;
    return planLambda(aws.get(LambdaClient), t, {
      history: async () => {
        // One query: the target's observed, known-good and cooldown items share the partition.
        const items = await deps.store.query(deps.table, pk, { limit: 10 });
        const observed = items.find((i) => i.sk === 'observed');
        return {
          knownGood: items.find((i) => i.sk === 'known-good')?.version?.toString(),
          rolledBackTo: observed?.by === 'rollback' ? observed.version?.toString() : undefined,
        };
      },
      toVersion: req.toVersion,
      retry,
    });
  }
  return planCodeDeploy(aws.get(CodeDeployClient), t, { reason: `alarm ${req.alarmName}`, retry });
}

/**
 * Idempotency claim, cooldown claim, plan, act (or plan only in dry-run). Dry-run reads the claims but writes
 * none, so turning dry-run off never finds a target in a cooldown it did not use.
 */
export async function executeRollback(deps: RollbackDeps, req: RollbackRequest): Promise<Decision> {
  const key = targetKey(req.target);
  const base = {
    account: req.where.account,
    region: req.where.region,
    resourceArn: req.resourceArn,
    target: key,
    alarmName: req.alarmName,
    stateTime: req.stateTime,
  };
  const skip = (reason: SkipReason, message: string): Decision => ({
    ...base,
    outcome: 'skipped',
    reason,
    message,
  });
  const { store, table } = deps;
  const cooldownSeconds = deps.options.cooldownMinutes * 60;
  const ck = cooldownKey(req.where, key);
  const at = deps.now().toISOString();

  if (req.guarded) {
    const ek = eventKey(req.where, req.alarmName, req.stateTime);
    const fresh = req.dryRun
      ? (await store.get(table, ek)) === undefined
      : await store.putIfAbsent(table, ek, { target: key, at }, EVENT_TTL_SECONDS);
    if (!fresh)
      return skip('duplicate-event', `Alarm ${req.alarmName} state change ${req.stateTime} already handled`);
    const free = req.dryRun
      ? (await store.get(table, ck)) === undefined
      : await store.putIfAbsent(table, ck, { alarmName: req.alarmName, at }, cooldownSeconds);
    if (!free) {
      return skip('cooldown', `${key} was rolled back less than ${deps.options.cooldownMinutes} minutes ago`);
    }
  }
  // A claim that led to no change must not block the next alarm for this target.
  const release = () =>
    req.guarded && !req.dryRun ? store.update(table, ck, { released: true }, { ttlSeconds: 0 }) : undefined;
  let p: Plan | NoPlan;
  let to: string;
  try {
    p = await plan(deps, req);
    if (p.kind === 'none') {
      await release();
      return skip('nothing-to-roll-back', p.message);
    }
    if (req.dryRun) {
      const message = `Dry-run: would roll back ${key}: ${p.message}`;
      return {
        ...base,
        action: p.action,
        from: p.from,
        to: p.to,
        outcome: 'planned',
        reason: p.action,
        message,
      };
    }
    to = await p.apply();
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    await release();
    return {
      ...base,
      outcome: 'failed',
      reason: 'aws-error',
      error: describeError(err),
      message: `Rollback of ${key} after alarm ${req.alarmName} failed: roll back manually (${describeError(err)})`,
    };
  }
  const performed: Decision = {
    ...base,
    action: p.action,
    from: p.from,
    to,
    outcome: 'performed',
    reason: p.action,
    message: `Rolled back ${key}: ${p.message}`,
  };
  try {
    await store.update(
      table,
      ck,
      { action: p.action, from: p.from, to, at },
      { ttlSeconds: cooldownSeconds },
    );
    if (req.target.kind === 'lambda') {
      await store.update(table, observedKey(req.where, key), { version: to, since: at, by: 'rollback' });
    }
  } catch (err) {
    // The rollback happened: report it as such; only the bookkeeping is missing (the claim still holds the cooldown).
    deps.logger.error('rollback performed but its state was not recorded', {
      target: key,
      error: describeError(err),
    });
    performed.error = `state not recorded: ${describeError(err)}`;
  }
  return performed;
}
