import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Target } from '../aws/clients.js';
import { getAlias } from '../aws/lambda.js';
import type { StateStore } from '../aws/stateStore.js';
import { KNOWN_GOOD_TTL_SECONDS, knownGoodKey, observedKey } from './stateKeys.js';
import { type RollbackTarget, targetKey } from './target.js';

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
