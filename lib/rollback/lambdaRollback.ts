import type { LambdaClient } from '@aws-sdk/client-lambda';
import { getAlias, listPublishedVersions, pointAlias } from '../aws/lambda.js';
import { ExecutionError, ValidationError } from '../errors.js';
import type { NoPlan, Plan } from './plan.js';
import { type RetryOptions, withRetries } from './retry.js';

export interface LambdaTarget {
  functionName: string;
  alias: string;
}

export interface AliasHistory {
  knownGood?: string | undefined;
  rolledBackTo?: string | undefined;
}

export interface LambdaPlanInput {
  /**
   * What warden recorded about the alias (read only when it is not mid-canary): the last known good version,
   * and the version warden itself last rolled the alias back to.
   */
  history: () => Promise<AliasHistory>;
  /** Explicit version (CLI `--to`); must not be newer than the current one. */
  toVersion?: string | undefined;
  retry: RetryOptions;
}

/**
 * Weighted routing (canary in progress): drop the additional weight so all traffic returns to the stable
 * version. Otherwise point the alias at the last known good version, else the previous published one; never at
 * a version newer than the current one.
 */
export async function planLambda(
  lambda: LambdaClient,
  t: LambdaTarget,
  input: LambdaPlanInput,
): Promise<Plan | NoPlan> {
  const name = `${t.functionName}:${t.alias}`;
  const alias = await withRetries(() => getAlias(lambda, t.functionName, t.alias), input.retry);
  const canary = Object.keys(alias.weights)[0];
  if (canary !== undefined && input.toVersion === undefined) {
    const weight = Math.round((alias.weights[canary] ?? 0) * 100);
    return makePlan(lambda, t, input.retry, alias.revisionId, {
      action: 'remove-canary-weights',
      from: canary,
      to: alias.version,
      expect: alias.version,
      message: `canary version ${canary} (${weight} % of traffic) removed, all traffic to version ${alias.version}`,
    });
  }
  const current = Number(alias.version);
  if (!Number.isInteger(current))
    return {
      kind: 'none',
      message: `${name} points at ${alias.version}: no earlier version to roll back to`,
    };

  let to: number | undefined;
  let source = 'requested';
  if (input.toVersion !== undefined) {
    to = Number(input.toVersion);
    if (!Number.isInteger(to) || to < 1 || to > current) {
      throw new ValidationError('rollback request', [
        { field: '--to', expected: `a published version between 1 and the current version ${current}` },
      ]);
    }
  } else {
    const history = await input.history();
    if (history.rolledBackTo === alias.version) {
      return {
        kind: 'none',
        message: `${name} is at version ${current}, where warden rolled it back: not rolling back further (an operator can pass --to)`,
      };
    }
    const good = Number(history.knownGood);
    if (Number.isInteger(good) && good === current) {
      return {
        kind: 'none',
        message: `${name} is at version ${current}, already recorded as last known good: not rolling back`,
      };
    }
    if (Number.isInteger(good) && good > 0 && good < current) {
      to = good;
      source = 'last known good';
    } else {
      const versions = await withRetries(() => listPublishedVersions(lambda, t.functionName), input.retry);
      to = versions.filter((v) => v < current).at(-1);
      source = 'previous published';
    }
  }
  if (to === undefined || (to === current && canary === undefined)) {
    return { kind: 'none', message: `${name} is at version ${current}: no earlier version to roll back to` };
  }
  return makePlan(lambda, t, input.retry, alias.revisionId, {
    action: 'point-alias',
    from: alias.version,
    to: String(to),
    expect: alias.version,
    message: `alias moved from version ${alias.version} to ${to} (${source})`,
  });
}

function makePlan(
  lambda: LambdaClient,
  t: LambdaTarget,
  retry: RetryOptions,
  revisionId: string | undefined,
  p: { action: Plan['action']; from: string; to: string; expect: string; message: string },
): Plan {
  return {
    kind: 'plan',
    action: p.action,
    from: p.from,
    to: p.to,
    message: p.message,
    apply: () =>
      withRetries(async (attempt) => {
        let revision = revisionId;
        if (attempt > 1) {
          // The previous attempt may have landed: converge instead of repeating blindly.
          const now = await getAlias(lambda, t.functionName, t.alias);
          if (now.version === p.to && Object.keys(now.weights).length === 0) return p.to;
          if (now.version !== p.expect) {
            throw new ExecutionError(
              `alias ${t.functionName}:${t.alias} moved to ${now.version} during rollback`,
            );
          }
          revision = now.revisionId;
        }
        await pointAlias(lambda, {
          functionName: t.functionName,
          alias: t.alias,
          version: p.to,
          revisionId: revision,
        });
        return p.to;
      }, retry),
  };
}
