import { describeError } from '../errors.js';

/** A budget entry of the config map: daily spend limit and monthly budget, either optional. */
export interface BudgetEntry {
  dailyUsd?: number | undefined;
  monthlyUsd?: number | undefined;
}

/** An account's resolved budget, with the key of the map each half came from. */
export interface AccountBudget {
  dailyUsd?: number;
  dailySource?: string;
  monthlyUsd?: number;
  monthlySource?: string;
}

/** Reads the accounts under a root or OU, nested OUs included, with their OU path (lib/aws/organizations). */
export type AccountsUnder = (parentId: string) => Promise<{ id: string; path: string[] }[]>;

export interface ResolvedBudgets {
  budgets: Map<string, AccountBudget>;
  /** OUs or roots that could not be read, and why (their accounts fall back to other entries). */
  problems: { key: string; error: string }[];
}

const isAccountId = (key: string) => /^\d{12}$/.test(key);

/**
 * Resolves an `{account | OU | root → budget}` map to a budget per account, field by field: an account's own entry
 * wins over any OU, a deeper OU over the OUs above it. OUs are read concurrently; one that cannot be read is
 * reported and the rest still apply.
 */
export async function resolveBudgets(
  map: Readonly<Record<string, BudgetEntry>>,
  accountsUnder: AccountsUnder | undefined,
): Promise<ResolvedBudgets> {
  // Rank of each (account, key): the account's own key, or its depth below the OU or root (its path length).
  const candidates = new Map<string, { key: string; rank: number; entry: BudgetEntry }[]>();
  const add = (account: string, key: string, rank: number) => {
    const entry = map[key];
    if (!entry) return;
    candidates.set(account, [...(candidates.get(account) ?? []), { key, rank, entry }]);
  };
  const problems: ResolvedBudgets['problems'] = [];
  const scopes = Object.keys(map).filter((k) => !isAccountId(k));
  await Promise.all(
    scopes.map(async (key) => {
      if (!accountsUnder) {
        problems.push({ key, error: 'Organizations is not available to resolve it' });
        return;
      }
      try {
        // The walk starts at `key`; an account's depth below it is its path length.
        for (const a of await accountsUnder(key)) add(a.id, key, a.path.length);
      } catch (err) {
        problems.push({ key, error: describeError(err).slice(0, 300) });
      }
    }),
  );
  for (const key of Object.keys(map)) if (isAccountId(key)) add(key, key, Number.MAX_SAFE_INTEGER);
  const budgets = new Map<string, AccountBudget>();
  for (const [account, list] of candidates) {
    // Most specific first; the first entry with a field set decides that field.
    const ordered = [...list].sort((a, b) => specificity(b) - specificity(a));
    const budget: AccountBudget = {};
    for (const c of ordered) {
      if (budget.dailyUsd === undefined && c.entry.dailyUsd !== undefined) {
        budget.dailyUsd = c.entry.dailyUsd;
        budget.dailySource = c.key;
      }
      if (budget.monthlyUsd === undefined && c.entry.monthlyUsd !== undefined) {
        budget.monthlyUsd = c.entry.monthlyUsd;
        budget.monthlySource = c.key;
      }
    }
    budgets.set(account, budget);
  }
  problems.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { budgets, problems };
}

/** Higher is more specific: an account's own key, then the OU nearest the account (the shortest path to it). */
function specificity(c: { rank: number }): number {
  return c.rank === Number.MAX_SAFE_INTEGER ? c.rank : -c.rank;
}
