import type { CostResponse, CostResultByTime } from '../aws/costExplorer.js';
import { ExecutionError } from '../errors.js';

export type { CostResponse, CostResultByTime } from '../aws/costExplorer.js';

/** One day of cost, per series (a service, or a tag value). Absent series cost 0 that day. */
export interface CostDay {
  day: string;
  estimated: boolean;
  amounts: Map<string, number>;
}

/** Cost Explorer data that cannot be read: names the day and the series so the operator can look it up. */
export class CostDataError extends ExecutionError {
  readonly day: string;
  readonly series: string;
  constructor(day: string, series: string, problem: string) {
    super(`malformed Cost Explorer data on ${day} for '${series}': ${problem}`);
    this.name = 'CostDataError';
    this.day = day;
    this.series = series;
  }
}

export const UNTAGGED = '(untagged)';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Series name of a group: the SERVICE value, or the tag value without the `key$` prefix Cost Explorer adds. */
export function seriesName(key: string, groupType: string | undefined): string {
  if (groupType !== 'TAG') return key;
  const at = key.indexOf('$');
  const value = at >= 0 ? key.slice(at + 1) : key;
  return value === '' ? UNTAGGED : value;
}

export function amountOf(
  metrics: Record<string, { Amount?: string | undefined; Unit?: string | undefined }> | undefined,
  metric: string,
  day: string,
  series: string,
): number {
  const m = metrics?.[metric];
  if (!m || m.Amount === undefined || m.Amount === null)
    throw new CostDataError(day, series, `${metric}.Amount is missing`);
  const amount = typeof m.Amount === 'string' && m.Amount.trim() !== '' ? Number(m.Amount) : Number.NaN;
  if (!Number.isFinite(amount)) {
    throw new CostDataError(day, series, `${metric}.Amount ${JSON.stringify(m.Amount)} is not a number`);
  }
  if (m.Unit !== 'USD') throw new CostDataError(day, series, `unit ${JSON.stringify(m.Unit)} is not USD`);
  return amount;
}

/**
 * Reads a GetCostAndUsage response grouped by one dimension or tag, one day at a time in date order (a backtest
 * over a large export never holds every day at once). Malformed data (missing or non-numeric amounts, a unit
 * other than USD, a bad date) throws a CostDataError naming the day and the series.
 */
export function* iterateCostDays(response: CostResponse, metric = 'UnblendedCost'): Generator<CostDay> {
  const groupType = response.GroupDefinitions?.[0]?.Type;
  const results = response.ResultsByTime ?? [];
  let previous = '';
  for (const r of Array.isArray(results) ? inDateOrder(results) : results) {
    const day = dayOf(r, previous);
    previous = day;
    const amounts = new Map<string, number>();
    for (const g of r.Groups ?? []) {
      const key = g.Keys?.[0];
      if (typeof key !== 'string') throw new CostDataError(day, '(unknown)', 'a group has no Keys');
      const name = seriesName(key, groupType);
      const amount = amountOf(g.Metrics, metric, day, name);
      amounts.set(name, (amounts.get(name) ?? 0) + amount);
    }
    if (!r.Groups?.length && r.Total?.[metric]) amounts.set('Total', amountOf(r.Total, metric, day, 'Total'));
    yield { day, estimated: r.Estimated === true, amounts };
  }
}

export function dayOf(r: CostResultByTime, previous: string): string {
  const day = r.TimePeriod?.Start;
  if (typeof day !== 'string' || !DAY_RE.test(day)) {
    throw new CostDataError(
      `the day after ${previous || 'the start'}`,
      '(none)',
      `TimePeriod.Start ${JSON.stringify(day)} is not a date`,
    );
  }
  if (day <= previous)
    throw new CostDataError(day, '(none)', `days are not in date order (${day} after ${previous})`);
  return day;
}

export function inDateOrder(results: readonly CostResultByTime[]): CostResultByTime[] {
  const key = (r: CostResultByTime) => (typeof r.TimePeriod?.Start === 'string' ? r.TimePeriod.Start : '');
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every day of a response at once, in date order (see iterateCostDays). */
export function readCostDays(response: CostResponse, metric = 'UnblendedCost'): CostDay[] {
  return Array.from(iterateCostDays(response, metric));
}
