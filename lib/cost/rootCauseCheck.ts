import type { SeriesAnomaly } from './analysis.js';
import type { CostResponse } from './costData.js';
import type { DetectorOptions } from './detector.js';
import { type AnomalyExcess, addDay, type RootCause, rankRootCauses, UsageBaselines } from './rootCause.js';
import { groupingOf, iterateServiceDays } from './usageData.js';

/** Root causes named per anomaly (at most this many, largest first). */
export const TOP_ROOT_CAUSES = 3;

/**
 * The root causes of service anomalies (of any days), from one export of the same days grouped by SERVICE and
 * USAGE_TYPE: each usage type's excess over its own expected level on that day (its baseline fed day by day, no
 * look-ahead), increases only, ranked by USD. Returns anomaly → root causes; an export not grouped by usage type
 * (a saved service-level export) gives none.
 */
export function rootCausesOf<T extends Pick<SeriesAnomaly, 'dimension' | 'series' | 'day' | 'impactUsd'>>(
  usage: CostResponse,
  anomalies: readonly T[],
  options: DetectorOptions,
): Map<T, RootCause[]> {
  const out = new Map<T, RootCause[]>();
  const byDay = new Map<string, T[]>();
  for (const a of anomalies)
    if (a.dimension === 'SERVICE') byDay.set(a.day, [...(byDay.get(a.day) ?? []), a]);
  if (byDay.size === 0 || groupingOf(usage) !== 'usage') return out;
  const baselines = new UsageBaselines(options);
  for (const day of iterateServiceDays(usage)) {
    const excess = baselines.push(day.day, day.usage ?? new Map());
    for (const a of byDay.get(day.day) ?? []) {
      const anomaly: AnomalyExcess = {
        service: a.series,
        start: a.day,
        serviceUsd: 0,
        byUsageType: new Map(),
      };
      anomaly.shift = baselines.shiftBefore(a.series, options.minImpactUsd);
      addDay(anomaly, a.impactUsd, excess.get(a.series), (t) => baselines.born(a.series, t));
      out.set(
        a,
        rankRootCauses(anomaly, (t) => baselines.born(a.series, t), TOP_ROOT_CAUSES),
      );
    }
  }
  return out;
}

/** A root cause in one line, as findings and reports print it. */
export function describeRootCause(c: RootCause): string {
  return `${c.usageType} (${c.region}) +${c.excessUsd.toFixed(2)} USD, ${Math.round(c.share * 100)} %${c.new ? ', new' : ''}`;
}
