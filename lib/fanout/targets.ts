import { resolveTargets } from '../automations/targets.js';
import type { Target } from '../aws/clients.js';
import type { AccountUnder, OrganizationsReader } from '../aws/organizations.js';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import { mapLimit } from '../runtime/mapLimit.js';
import { parseTagPairs, type TagFilter, tagVerdict } from './accountTags.js';

/** Where a target account came from: the explicit list, the organization, or the home-account default. */
export type TargetOrigin = 'explicit' | 'organizations' | 'home';

export interface TargetAccount {
  account: string;
  name?: string;
  sources: TargetOrigin[];
  /** The OU (or root) the organization lists it under. */
  parent?: string;
}

/** An account the organization listed that gets no units, and why (its state, or a tag filter). */
export interface SkippedAccount {
  account: string;
  name: string;
  reason: string;
}

export interface TargetResolution {
  source: Config['targetSource'];
  mode: Config['orgTargetMode'];
  accounts: TargetAccount[];
  regions: string[];
  /** accounts x regions: what dispatch fans out over. */
  targets: Target[];
  skipped: SkippedAccount[];
  /** A failed Organizations read (then `accounts` are the explicit ones). */
  findings: Finding[];
}

export interface TargetDeps {
  config: Config;
  homeAccount: string;
  /** Required when `config.targetSource` is `organizations`. */
  org?: OrganizationsReader;
  now: () => Date;
}

/** ListTagsForResource calls in flight at once (Organizations throttles per account, not per caller). */
const TAG_CONCURRENCY = 5;

/** Every account under the configured roots or OUs (the whole organization when none), each listed once. */
async function organizationAccounts(org: OrganizationsReader, units: readonly string[]) {
  const starts = units.length > 0 ? [...new Set(units)] : [await org.rootId()];
  const skip = new Set(starts);
  const lists = await Promise.all(starts.map((id) => org.accountsUnder(id, skip)));
  const seen = new Map<string, AccountUnder>();
  for (const a of lists.flat()) if (!seen.has(a.id)) seen.set(a.id, a);
  return [...seen.values()];
}

async function fromOrganization(deps: TargetDeps & { org: OrganizationsReader }) {
  const { config } = deps;
  const listed = await organizationAccounts(deps.org, config.orgUnits);
  const filter: TagFilter = {
    include: parseTagPairs(config.orgIncludeTags),
    exclude: parseTagPairs(config.orgExcludeTags),
  };
  const skipped: SkippedAccount[] = listed
    .filter((a) => !a.active)
    .map((a) => ({ account: a.id, name: a.name, reason: `state ${a.state}` }));
  let kept = listed.filter((a) => a.active);
  if (filter.include.length > 0 || filter.exclude.length > 0) {
    const verdicts = await mapLimit(kept, TAG_CONCURRENCY, async (a) =>
      tagVerdict(filter, await deps.org.tagsOf(a.id)),
    );
    for (const [i, a] of kept.entries()) {
      const reason = verdicts[i];
      if (reason) skipped.push({ account: a.id, name: a.name, reason });
    }
    kept = kept.filter((_, i) => verdicts[i] === undefined);
  }
  return { kept, skipped };
}

function failureFinding(deps: TargetDeps, err: unknown): Finding {
  return makeFinding({
    automation: 'targets',
    check: 'target-source',
    severity: 'high',
    account: deps.homeAccount,
    region: deps.config.region,
    resourceArn: `warden:${deps.config.stage}:targets:organizations`,
    title: 'warden cannot list the organization accounts: running on the explicit targets only',
    detail: { error: describeError(err).slice(0, 500) },
    observedAt: deps.now(),
    dryRun: deps.config.dryRun,
  });
}

/**
 * The targets of this run: the explicit accounts and, with the `organizations` source, the ACTIVE accounts under
 * the configured OUs that pass the tag filter (merged with or replacing the explicit ones), each with its origin.
 * Accounts the organization reports suspended or closed never get units. When Organizations cannot be read, the
 * explicit targets run and the resolution carries a finding saying so.
 */
export async function resolveTargetSet(deps: TargetDeps): Promise<TargetResolution> {
  const { config } = deps;
  const explicit = resolveTargets(config, deps.homeAccount);
  const regions = [...new Set(explicit.map((t) => t.region))];
  const base = { source: config.targetSource, mode: config.orgTargetMode, regions };
  const explicitOrigin: TargetOrigin = config.targetAccounts.length > 0 ? 'explicit' : 'home';
  const explicitAccounts = [...new Set(explicit.map((t) => t.account))].map(
    (account): TargetAccount => ({ account, sources: [explicitOrigin] }),
  );
  const result = (accounts: TargetAccount[], skipped: SkippedAccount[], findings: Finding[]) => ({
    ...base,
    accounts,
    targets: accounts.flatMap((a) => regions.map((region) => ({ account: a.account, region }))),
    skipped,
    findings,
  });
  if (config.targetSource === 'explicit') return result(explicitAccounts, [], []);
  let org: Awaited<ReturnType<typeof fromOrganization>>;
  try {
    if (!deps.org) throw new Error('no Organizations client was given to target resolution');
    org = await fromOrganization({ ...deps, org: deps.org });
  } catch (err) {
    return result(explicitAccounts, [], [failureFinding(deps, err)]);
  }
  const inactive = new Set(org.skipped.filter((s) => s.reason.startsWith('state ')).map((s) => s.account));
  const accounts = new Map<string, TargetAccount>();
  if (config.orgTargetMode === 'merge' && config.targetAccounts.length > 0)
    for (const a of explicitAccounts) if (!inactive.has(a.account)) accounts.set(a.account, a);
  for (const a of org.kept) {
    const known = accounts.get(a.id);
    accounts.set(a.id, {
      account: a.id,
      name: a.name,
      sources: [...(known?.sources ?? []), 'organizations'],
      parent: a.path.at(-1) ?? '',
    });
  }
  return result([...accounts.values()], org.skipped, []);
}

/** Resolves the targets once and hands every caller of this run the same resolution. */
export function targetResolver(deps: TargetDeps): () => Promise<TargetResolution> {
  let pending: Promise<TargetResolution> | undefined;
  return () => {
    pending ??= resolveTargetSet(deps).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
