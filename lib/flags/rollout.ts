import { createHash } from 'node:crypto';
import type { Flags } from './flags.js';

/** Whether one target account runs in apply mode, and why (the reason goes into reports and findings). */
export interface Mode {
  dryRun: boolean;
  reason: string;
}

/** A stable number in [0, 1) for (automation, account): the account's place in the rollout order. */
export function rolloutFraction(automation: string, account: string): number {
  const digest = createHash('sha256').update(`${automation}\u0000${account}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The mode every account gets when the flags themselves say dry-run (or the automation is off). */
function wholeMode(flags: Flags): Mode | undefined {
  if (!flags.enabled) return { dryRun: true, reason: 'disabled by its flag' };
  if (flags.source === 'fallback')
    return { dryRun: true, reason: `flag unusable: ${flags.problem ?? 'unknown'}`.slice(0, 300) };
  if (flags.dryRun) {
    return {
      dryRun: true,
      reason:
        flags.source === 'default' || flags.dryRunByDefault
          ? 'dry-run by default (WARDEN_DRY_RUN)'
          : 'flag dryRun',
    };
  }
  return undefined;
}

/** The accounts in rollout order (ties, if sha256 ever gave one, by account id). */
function inRolloutOrder(automation: string, accounts: readonly string[]): string[] {
  const place = new Map(accounts.map((a) => [a, rolloutFraction(automation, a)]));
  return [...accounts].sort((a, b) => place.get(a)! - place.get(b)! || (a < b ? -1 : 1));
}

/**
 * The mode of each account of `accounts` (the automation's whole target population). With `dryRun` false:
 * `deny` accounts run dry, `allow` accounts apply, and of the others the `applyPercent` share (rounded to whole
 * accounts) with the lowest `rolloutFraction` apply. The order does not depend on the percentage, so raising it
 * only adds accounts; the share is exact for the population given. A malformed flag (`source: 'fallback'`)
 * never applies.
 */
export function assignModes(
  flags: Flags,
  automation: string,
  accounts: readonly string[],
): Map<string, Mode> {
  const unique = [...new Set(accounts)];
  const whole = wholeMode(flags);
  if (whole) return new Map(unique.map((a) => [a, whole]));
  const deny = new Set(flags.deny ?? []);
  const allow = new Set(flags.allow ?? []);
  const percent = flags.applyPercent ?? 100;
  const modes = new Map<string, Mode>();
  const rest: string[] = [];
  for (const a of unique) {
    if (deny.has(a)) modes.set(a, { dryRun: true, reason: 'deny list' });
    else if (allow.has(a)) modes.set(a, { dryRun: false, reason: 'allow list' });
    else rest.push(a);
  }
  const applied = Math.round((percent * rest.length) / 100);
  for (const [i, a] of inRolloutOrder(automation, rest).entries()) {
    modes.set(
      a,
      i < applied
        ? { dryRun: false, reason: `inside applyPercent ${percent}` }
        : { dryRun: true, reason: `outside applyPercent ${percent}` },
    );
  }
  return modes;
}

/**
 * The mode of one account. With its population (every target account of the automation) the share is exact, as
 * in `assignModes`; an account outside it (or no population) applies iff its `rolloutFraction` is below
 * `applyPercent / 100`, which is nested too but only near the share over many accounts.
 */
export function applies(
  flags: Flags,
  account: string,
  automation: string,
  population?: readonly string[],
): Mode {
  if (population?.includes(account)) return assignModes(flags, automation, population).get(account)!;
  const whole = wholeMode(flags);
  if (whole) return whole;
  if (flags.deny?.includes(account)) return { dryRun: true, reason: 'deny list' };
  if (flags.allow?.includes(account)) return { dryRun: false, reason: 'allow list' };
  const percent = flags.applyPercent ?? 100;
  return rolloutFraction(automation, account) < percent / 100
    ? { dryRun: false, reason: `inside applyPercent ${percent}` }
    : { dryRun: true, reason: `outside applyPercent ${percent}` };
}

/** A flag as the per-event automations read it: the whole flag, or just enabled and dryRun where nothing else is set. */
export type ShareFlags = Pick<Flags, 'enabled' | 'dryRun'> &
  Partial<Pick<Flags, 'applyPercent' | 'allow' | 'deny' | 'source' | 'problem' | 'dryRunByDefault'>>;

/**
 * The mode of one account for an automation that decides per event (autoRollback by the alarm's account,
 * restoreDrill by the database's): the flag's own dry-run unless it sets an apply share or allow and deny lists,
 * then the account's place in the rollout over `population` (every account the automation serves).
 */
/** Whether a flag sets an apply share or allow and deny lists (else one mode for every account). */
export function hasShare(flags: ShareFlags): boolean {
  return (flags.applyPercent ?? 100) < 100 || (flags.allow?.length ?? 0) > 0 || (flags.deny?.length ?? 0) > 0;
}

export function modeOf(
  flags: ShareFlags,
  automation: string,
  account: string,
  population: readonly string[],
): { dryRun: boolean; reason?: string } {
  const share =
    (flags.applyPercent ?? 100) < 100 || (flags.allow?.length ?? 0) > 0 || (flags.deny?.length ?? 0) > 0;
  if (!flags.enabled || flags.dryRun || !share) return { dryRun: flags.dryRun };
  const mode = applies({ source: 'ssm', ...flags }, account, automation, [...new Set(population)]);
  return mode.dryRun ? mode : { dryRun: false };
}
