import { dayNumber, isoDay } from './calendar.js';
import {
  amountOf,
  CostDataError,
  type CostDay,
  type CostResponse,
  dayOf,
  inDateOrder,
  iterateCostDays,
} from './costData.js';

/** One day of cost per service, and, for an export grouped by SERVICE and USAGE_TYPE, per usage type of each. */
export interface ServiceDay extends CostDay {
  /** service → usage type → USD; absent for an export grouped by one dimension or tag. */
  usage?: Map<string, Map<string, number>>;
}

/** How an export is grouped: the group definitions warden reads. */
export type Grouping = 'one' | 'usage';

/** Every export's own days are in date order; amounts are summed in units of 1e-7 USD, so sums are exact decimals. */
const UNIT = 1e7;

/**
 * The grouping of an export: one dimension or tag (SERVICE, a TAG, or no GroupBy), or SERVICE + USAGE_TYPE.
 * Anything else is refused, naming the definitions: summing it per service would give wrong series.
 */
export function groupingOf(response: CostResponse): Grouping {
  const defs = response.GroupDefinitions ?? [];
  const keys = defs.map((d) => `${d.Type ?? '?'}:${d.Key ?? '?'}`);
  if (
    defs.length === 0 ||
    (defs.length === 1 && (keys[0] === 'DIMENSION:SERVICE' || defs[0]?.Type === 'TAG'))
  )
    return 'one';
  if (keys.join(',') === 'DIMENSION:SERVICE,DIMENSION:USAGE_TYPE') return 'usage';
  throw new CostDataError(
    '(every day)',
    '(none)',
    `GroupDefinitions ${keys.join(', ')} are not SERVICE, a TAG, or SERVICE + USAGE_TYPE`,
  );
}

/**
 * The days of an export per service, in date order. An export grouped by SERVICE and USAGE_TYPE gives, per day,
 * each service's amount as the exact sum of its usage types (so detection is the same as on the service-level
 * export) and the usage types themselves in `usage`. Malformed data throws a CostDataError naming the day.
 */
export function* iterateServiceDays(response: CostResponse, metric = 'UnblendedCost'): Generator<ServiceDay> {
  if (groupingOf(response) === 'one') {
    yield* iterateCostDays(response, metric);
    return;
  }
  const results = response.ResultsByTime ?? [];
  let previous = '';
  for (const r of Array.isArray(results) ? inDateOrder(results) : results) {
    const day = dayOf(r, previous);
    previous = day;
    const units = new Map<string, number>();
    const usage = new Map<string, Map<string, number>>();
    for (const g of r.Groups ?? []) {
      const [service, usageType] = g.Keys ?? [];
      if (typeof service !== 'string' || typeof usageType !== 'string')
        throw new CostDataError(day, service ?? '(unknown)', 'a group has no [SERVICE, USAGE_TYPE] Keys');
      const amount = amountOf(g.Metrics, metric, day, `${service} / ${usageType}`);
      units.set(service, (units.get(service) ?? 0) + Math.round(amount * UNIT));
      let types = usage.get(service);
      if (!types) {
        types = new Map();
        usage.set(service, types);
      }
      types.set(usageType, (types.get(usageType) ?? 0) + amount);
    }
    const amounts = new Map<string, number>();
    for (const [service, u] of units) amounts.set(service, u / UNIT);
    yield { day, estimated: r.Estimated === true, amounts, usage };
  }
}

/** Passes days through, refusing a gap: a scenario file must hold every day of its period. */
export function* everyDay<T extends CostDay>(days: Iterable<T>): Generator<T> {
  let last = Number.NaN;
  for (const d of days) {
    const n = dayNumber(d.day);
    if (n > last + 1)
      throw new CostDataError(isoDay(last + 1), '(every series)', `the day is missing (next day: ${d.day})`);
    last = n;
    yield d;
  }
}
