import {
  amountOf,
  CostDataError,
  type CostDay,
  type CostResponse,
  dayOf,
  inDateOrder,
  seriesName,
} from './costData.js';

/** One linked account's days, or why its data could not be read (the other accounts still are). */
export type AccountDays = { days: CostDay[] } | { error: CostDataError };

/** Whether a response is grouped by LINKED_ACCOUNT first (the management-account mode). */
export function isByAccount(response: CostResponse): boolean {
  const first = response.GroupDefinitions?.[0];
  return first?.Type === 'DIMENSION' && first.Key === 'LINKED_ACCOUNT';
}

/**
 * Splits a response grouped by LINKED_ACCOUNT and a second dimension or tag into each account's days, every
 * account with every day of the response (a day without its groups costs it 0). Malformed data fails only the
 * account it belongs to, named with the day and the series.
 */
export function splitByAccount(response: CostResponse, metric = 'UnblendedCost'): Map<string, AccountDays> {
  const defs = response.GroupDefinitions ?? [];
  if (!isByAccount(response) || defs.length !== 2) {
    throw new CostDataError(
      'every day',
      '(grouping)',
      `expected GroupDefinitions LINKED_ACCOUNT then one more, got ${JSON.stringify(defs.map((d) => d.Key))}`,
    );
  }
  const secondType = defs[1]?.Type;
  const results = response.ResultsByTime ?? [];
  const days: { day: string; estimated: boolean }[] = [];
  const byAccount = new Map<string, { amounts: Map<number, Map<string, number>>; error?: CostDataError }>();
  let previous = '';
  for (const r of Array.isArray(results) ? inDateOrder(results) : results) {
    const day = dayOf(r, previous);
    previous = day;
    const index = days.push({ day, estimated: r.Estimated === true }) - 1;
    for (const g of r.Groups ?? []) {
      const [account, key] = g.Keys ?? [];
      if (typeof account !== 'string' || typeof key !== 'string')
        throw new CostDataError(day, '(unknown)', 'a group has no account and series Keys');
      let entry = byAccount.get(account);
      if (!entry) {
        entry = { amounts: new Map() };
        byAccount.set(account, entry);
      }
      if (entry.error) continue;
      const series = seriesName(key, secondType);
      try {
        const amount = amountOf(g.Metrics, metric, day, `${account} ${series}`);
        let amounts = entry.amounts.get(index);
        if (!amounts) {
          amounts = new Map();
          entry.amounts.set(index, amounts);
        }
        amounts.set(series, (amounts.get(series) ?? 0) + amount);
      } catch (err) {
        if (!(err instanceof CostDataError)) throw err;
        entry.error = err;
      }
    }
  }
  const out = new Map<string, AccountDays>();
  for (const [account, entry] of [...byAccount].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.set(
      account,
      entry.error
        ? { error: entry.error }
        : {
            days: days.map((d, i) => ({ ...d, amounts: entry.amounts.get(i) ?? new Map<string, number>() })),
          },
    );
  }
  return out;
}

/** Account names Cost Explorer returned with a LINKED_ACCOUNT grouping (DimensionValueAttributes description). */
export function namesInResponse(response: CostResponse): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of response.DimensionValueAttributes ?? []) {
    const name = a.Attributes?.description;
    if (a.Value && name) out.set(a.Value, name);
  }
  return out;
}
