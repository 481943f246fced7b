import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Target } from '../aws/clients.js';
import { describeAlarm, listTags } from '../aws/cloudwatch.js';
import { AssumeRoleError, describeError } from '../errors.js';
import { hasShare, modeOf } from '../flags/rollout.js';
import { AUTOMATION, type Decision, type SkipReason } from './decision.js';
import { type AlarmDeps, type RollbackDeps, retryOf } from './deps.js';
import { type AlarmEvent, alarmArnOf, partitionOf } from './event.js';
import { executeRollback } from './execute.js';
import { type DecisionReport, recordDecision } from './record.js';
import { withRetries } from './retry.js';
import { isAllowed, resolveTarget, TARGET_TAG, targetArn, targetKey } from './target.js';

export type AlarmReport =
  | DecisionReport
  | { outcome: 'ignored'; reason: 'not-opted-in'; alarmName: string }
  | { outcome: 'rejected'; reason: 'account-not-allowed'; account: string; alarmName: string };

/** Tolerance between the event's state time and DescribeAlarms' transition time (same source, ms precision). */
const STALE_MARGIN_MS = 1000;

async function decide(deps: RollbackDeps, event: AlarmEvent, dryRun: boolean): Promise<Decision | 'ignored'> {
  const where: Target = { account: event.account, region: event.region };
  const { alarmName, state } = event.detail;
  const alarmArn = alarmArnOf(event);
  const base = { ...where, resourceArn: alarmArn, target: undefined, alarmName, stateTime: state.timestamp };
  const skip = (reason: SkipReason, message: string): Decision => ({
    ...base,
    outcome: 'skipped',
    reason,
    message,
  });
  try {
    if (state.value !== 'ALARM')
      return skip('not-an-alarm-transition', `Alarm ${alarmName} went to ${state.value}`);
    await deps.reach(where);
    const retry = retryOf(deps);
    const cw = deps.clientsFor(where).get(CloudWatchClient);
    const tags = await withRetries(() => listTags(cw, alarmArn), retry);
    const prefix = deps.options.alarmPrefix;
    if (!(TARGET_TAG in tags) && !(prefix && alarmName.startsWith(prefix))) return 'ignored';

    const alarm = await withRetries(() => describeAlarm(cw, alarmName), retry);
    if (!alarm) return skip('alarm-not-found', `Alarm ${alarmName} no longer exists: nothing rolled back`);
    if (alarm.state !== 'ALARM') {
      return skip(
        'alarm-no-longer-in-alarm',
        `Alarm ${alarmName} is ${alarm.state} again: nothing rolled back`,
      );
    }
    const eventTime = Date.parse(state.timestamp);
    if (alarm.transitionedAt && eventTime < alarm.transitionedAt.getTime() - STALE_MARGIN_MS) {
      return skip(
        'stale-event',
        `Alarm ${alarmName} changed state after ${state.timestamp}: a newer event decides`,
      );
    }
    const resolved = resolveTarget(tags, alarm.dimensions);
    if (!resolved.ok) return skip(resolved.reason, `Alarm ${alarmName}: ${resolved.message}`);
    const key = targetKey(resolved.target);
    const resourceArn = targetArn(resolved.target, where, partitionOf(alarmArn));
    if (!isAllowed(key, deps.options.allowedTargets)) {
      return {
        ...skip(
          'target-not-allowed',
          `Alarm ${alarmName} names ${key}, which is not in this stage's rollback allow-list`,
        ),
        target: key,
        resourceArn,
      };
    }
    return await executeRollback(deps, {
      where,
      target: resolved.target,
      resourceArn,
      alarmName,
      stateTime: state.timestamp,
      dryRun,
      guarded: true,
    });
  } catch (err) {
    const why =
      err instanceof AssumeRoleError
        ? `warden cannot act in account ${where.account}: its member role cannot be assumed; roll back by hand`
        : 'rollback check could not run';
    return {
      ...base,
      outcome: 'failed',
      reason: 'aws-error',
      error: describeError(err),
      message: `Alarm ${alarmName}: ${why} (${describeError(err)})`,
    };
  }
}

/**
 * Handles one `CloudWatch Alarm State Change`: an event of an account warden does not serve is rejected before any
 * call in that account (counted in `AlarmEventsRejected`, logged, nothing recorded: a sender outside warden's
 * accounts cannot fill the state table or the findings); alarms that do not opt in (tag or name prefix) are
 * ignored; every other one ends in exactly one recorded decision, in the alarm's own account.
 */
export async function handleAlarmEvent(event: AlarmEvent, deps: AlarmDeps): Promise<AlarmReport> {
  const { account, region } = event;
  if (!(await deps.accounts.allows(account))) {
    deps.metrics.add('AlarmEventsRejected', 'Count', 1);
    deps.logger.warn('alarm event of an account warden does not serve: rejected', {
      account,
      region,
      alarmName: event.detail.alarmName,
    });
    return { outcome: 'rejected', reason: 'account-not-allowed', account, alarmName: event.detail.alarmName };
  }
  const mode = await accountMode(deps, account);
  const { alarmName, state } = event.detail;
  const decision: Decision | 'ignored' = mode.enabled
    ? await decide(deps, event, mode.dryRun)
    : {
        account: event.account,
        region: event.region,
        resourceArn: alarmArnOf(event),
        target: undefined,
        alarmName,
        stateTime: state.timestamp,
        outcome: 'skipped',
        reason: 'automation-disabled',
        message: `Alarm ${alarmName}: autoRollback is disabled by its flag`,
      };
  if (decision === 'ignored') {
    deps.metrics.add('AlarmEventsIgnored', 'Count', 1);
    return { outcome: 'ignored', reason: 'not-opted-in', alarmName };
  }
  if (mode.dryRun && mode.reason) decision.message = `${decision.message} (dry-run: ${mode.reason})`;
  return recordDecision(deps, decision, mode.dryRun);
}

/** The flag's mode for the alarm's account, over every account autoRollback serves (home and warden's targets). */
async function accountMode(
  deps: AlarmDeps,
  account: string,
): Promise<{ enabled: boolean; dryRun: boolean; reason?: string }> {
  const flags = await deps.mode();
  if (!flags.enabled || flags.dryRun || !hasShare(flags))
    return { enabled: flags.enabled, dryRun: flags.dryRun };
  const population = (await deps.accounts.targets()).map((t) => t.account);
  return { enabled: true, ...modeOf(flags, AUTOMATION, account, population) };
}
