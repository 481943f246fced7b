import { LambdaClient } from '@aws-sdk/client-lambda';
import * as v from 'valibot';
import type { Target } from '../aws/clients.js';
import { AssumeRoleError, describeError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import { mapLimit } from '../runtime/mapLimit.js';
import { strictObject } from '../schemas.js';
import { AUTOMATION } from './decision.js';
import type { AlarmDeps } from './deps.js';
import { watchAliases } from './knownGood.js';

/** The constant input of autoRollback's 5-minute schedule: record last known good versions. */
export const knownGoodWatchSchema = strictObject({ watch: v.literal('knownGood') });

/** Accounts and regions watched at once (each a few GetAlias calls and state reads). */
const WATCH_CONCURRENCY = 8;

function unreachableFinding(err: AssumeRoleError, where: Target, at: Date, dryRun: boolean): Finding {
  return makeFinding({
    automation: AUTOMATION,
    check: 'known-good-watch-failed',
    severity: 'medium',
    account: where.account,
    region: where.region,
    resourceArn: err.roleArn,
    title:
      `account ${where.account}: cannot assume the member role, its aliases are not watched (${describeError(err)})`.slice(
        0,
        300,
      ),
    detail: { roleArn: err.roleArn, error: describeError(err) },
    observedAt: at,
    dryRun,
  });
}

/**
 * The scheduled half of autoRollback: in every account and region it serves (home and warden's targets), each
 * allow-listed Lambda alias whose version stayed healthy long enough is recorded as last known good, in the state
 * table of the home account, so a later rollback there returns to it rather than merely to the previous version.
 * An account whose member role cannot be assumed gives one finding and the others complete.
 */
export async function runKnownGoodWatch(deps: AlarmDeps) {
  const mode = await deps.mode();
  if (!mode.enabled) return { watched: 0, skipped: 'disabled by its flag' };
  // Only exact lambda: entries name an alias; without one there is nothing to watch anywhere (no role assumed).
  if (!deps.options.allowedTargets.some((t) => t.startsWith('lambda:') && !t.includes('*')))
    return { watched: 0, skipped: 'no exact lambda:<function>:<alias> in rollbackTargets' };
  const targets = await deps.accounts.targets();
  const unreachable = new Set<string>();
  const watch = { ...deps, healthyMinutes: deps.options.healthyMinutes, dryRun: mode.dryRun };
  const results = await mapLimit(targets, WATCH_CONCURRENCY, async (where) => {
    const at = `${where.account}/${where.region}`;
    const unavailable = { at, findings: [] as Finding[], observations: { '*': 'role-unavailable' } };
    if (unreachable.has(where.account)) return unavailable;
    try {
      await deps.reach(where);
    } catch (err) {
      if (!(err instanceof AssumeRoleError)) throw err;
      // One finding per account, however many of its regions are watched.
      if (unreachable.has(where.account)) return unavailable;
      unreachable.add(where.account);
      return { ...unavailable, findings: [unreachableFinding(err, where, deps.now(), mode.dryRun)] };
    }
    const lambda = deps.clientsFor(where).get(LambdaClient);
    return { at, ...(await watchAliases(watch, lambda, where, deps.options.allowedTargets)) };
  });
  const findings = results.flatMap((r) => r.findings);
  await deps.publish(findings);
  const observations = Object.fromEntries(results.map((r) => [r.at, r.observations]));
  return {
    watched: results.reduce((n, r) => n + Object.keys(r.observations).filter((k) => k !== '*').length, 0),
    recorded: findings.filter((f) => f.check === 'known-good-recorded').length,
    unreachable: [...unreachable],
    observations,
  };
}
