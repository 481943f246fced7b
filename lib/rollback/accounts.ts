import type { Target } from '../aws/clients.js';

/** The accounts autoRollback serves: the home account and warden's target accounts. */
export interface RollbackAccounts {
  /** Whether an alarm of this account may be acted on (its event may have been forwarded by anyone the bus admits). */
  allows(account: string): Promise<boolean>;
  /** Every (account, region) whose allowed aliases the known-good recorder watches: home first, then the targets. */
  targets(): Promise<Target[]>;
}

export interface RollbackAccountsSource {
  /** The home account and region (the account is learnt late in Lambda, from the invoked ARN). */
  home: () => Target;
  /** warden's targets (explicit list, or the organization's accounts): what dispatch fans out over. */
  resolve: () => Promise<Target[]>;
  now: () => Date;
  /** How long a resolution is used (default 10 minutes). */
  maxAgeMs?: number;
  /** An account not in the cached set re-resolves at most this often (default 1 minute): a new account is seen soon. */
  missRefreshMs?: number;
}

/**
 * The account gate and the watch list of autoRollback, over one cached target resolution. The home account is
 * always served; any other account only while warden targets it, so a forwarded alarm from an account the bus
 * policy admitted but warden does not manage (or a misconfigured bus) changes nothing.
 */
export function rollbackAccounts(src: RollbackAccountsSource): RollbackAccounts {
  const maxAge = src.maxAgeMs ?? 10 * 60_000;
  const missRefresh = src.missRefreshMs ?? 60_000;
  let cached: { at: number; targets: Target[] } | undefined;
  let pending: Promise<Target[]> | undefined;
  const load = (age: number): Promise<Target[]> => {
    if (cached && src.now().getTime() - cached.at < age) return Promise.resolve(cached.targets);
    pending ??= src
      .resolve()
      .then((resolved) => {
        const home = src.home();
        const seen = new Set<string>();
        const targets = [home, ...resolved].filter((t) => {
          const key = `${t.account}/${t.region}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        cached = { at: src.now().getTime(), targets };
        return targets;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  const has = (targets: Target[], account: string) => targets.some((t) => t.account === account);
  return {
    async allows(account) {
      if (account === src.home().account) return true;
      return has(await load(maxAge), account) || has(await load(missRefresh), account);
    },
    targets: () => load(maxAge),
  };
}
