import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Target } from '../aws/clients.js';
import { getAlias } from '../aws/lambda.js';
import type { StateStore } from '../aws/stateStore.js';
import { describeError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import { AUTOMATION } from './decision.js';
import { KNOWN_GOOD_TTL_SECONDS, knownGoodKey, observedKey } from './stateKeys.js';
import { parseTargetSpec, type RollbackTarget, targetArn, targetKey } from './target.js';

export type Observation = 'canary-in-progress' | 'observed' | 'waiting' | 'unchanged' | 'recorded';

export interface KnownGoodDeps {
  store: StateStore;
  table: string;
  now: () => Date;
  healthyMinutes: number;
}

/**
 * Records the alias's version as last known good once it has served all traffic for `healthyMinutes` without
 * warden rolling it back (a rollback resets the observation to the version it rolled back to).
 */
export async function observeAlias(
  deps: KnownGoodDeps,
  lambda: LambdaClient,
  where: Target,
  t: Extract<RollbackTarget, { kind: 'lambda' }>,
): Promise<{ observation: Observation; version: string }> {
  const alias = await getAlias(lambda, t.functionName, t.alias);
  const version = alias.version;
  if (Object.keys(alias.weights).length > 0) return { observation: 'canary-in-progress', version };
  const key = targetKey(t);
  const now = deps.now();
  const seen = await deps.store.get(deps.table, observedKey(where, key));
  if (seen?.version !== version || typeof seen.since !== 'string') {
    await deps.store.update(deps.table, observedKey(where, key), {
      version,
      since: now.toISOString(),
      by: null,
    });
    return { observation: 'observed', version };
  }
  if (now.getTime() - Date.parse(seen.since) < deps.healthyMinutes * 60_000)
    return { observation: 'waiting', version };
  const good = await deps.store.get(deps.table, knownGoodKey(where, key));
  if (good?.version === version) return { observation: 'unchanged', version };
  await deps.store.update(
    deps.table,
    knownGoodKey(where, key),
    { version, since: seen.since, recordedAt: now.toISOString() },
    { ttlSeconds: KNOWN_GOOD_TTL_SECONDS },
  );
  return { observation: 'recorded', version };
}

export interface AliasWatch {
  findings: Finding[];
  /** target key -> `<observation>:<version>`, or `error`. */
  observations: Record<string, string>;
}

/**
 * Observes every allow-listed Lambda alias (exact entries; a wildcard names no alias) in one account and region,
 * with that account's Lambda client and warden's own state table. An alias that cannot be read is a finding and
 * the others go on.
 */
export async function watchAliases(
  deps: KnownGoodDeps & { dryRun: boolean },
  lambda: LambdaClient,
  where: Target,
  allowedTargets: readonly string[],
): Promise<AliasWatch> {
  const findings: Finding[] = [];
  const observations: Record<string, string> = {};
  for (const spec of allowedTargets.filter((s) => !s.includes('*'))) {
    const t = parseTargetSpec(spec);
    if (t?.kind !== 'lambda') continue;
    const key = targetKey(t);
    const base = {
      automation: AUTOMATION,
      account: where.account,
      region: where.region,
      resourceArn: targetArn(t, where),
      observedAt: deps.now(),
      dryRun: deps.dryRun,
    };
    try {
      const seen = await observeAlias(deps, lambda, where, t);
      observations[key] = `${seen.observation}:${seen.version}`;
      if (seen.observation === 'recorded') {
        findings.push(
          makeFinding({
            ...base,
            check: 'known-good-recorded',
            severity: 'info',
            title: `${key}: version ${seen.version} recorded as last known good`,
            detail: { target: key, version: seen.version },
          }),
        );
      }
    } catch (err) {
      observations[key] = 'error';
      findings.push(
        makeFinding({
          ...base,
          check: 'known-good-watch-failed',
          severity: 'medium',
          title: `${key}: cannot observe the alias (${describeError(err)})`.slice(0, 300),
          detail: { target: key, error: describeError(err) },
        }),
      );
    }
  }
  return { findings, observations };
}
