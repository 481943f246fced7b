import type { SeriesAnomaly } from './analysis.js';
import type { CostResponse } from './costData.js';
import type { DetectorOptions } from './detector.js';
import { type AnomalyExcess, addDay, type RootCause, rankRootCauses, UsageBaselines } from './rootCause.js';
import { groupingOf, iterateServiceDays } from './usageData.js';

/** Root causes named per anomaly (at most this many, largest first). */
export const TOP_ROOT_CAUSES = 3;

/** An anomaly as root-cause analysis takes it: its last day, and the days it has been open (default: that day). */
export type RootCauseAnomaly = Pick<SeriesAnomaly, 'dimension' | 'series' | 'day' | 'impactUsd'> & {
  openDays?: readonly { day: string; excessUsd: number }[];
};

/**
 * The root causes of service anomalies (of any days), from one export of the same days grouped by SERVICE and
 * USAGE_TYPE: each usage type's excess over its own expected level on each day the anomaly has been open (its
 * baseline fed day by day, no look-ahead), increases only, ranked by USD, as the backtest names an event's. Returns
 * anomaly → root causes; an export not grouped by usage type (a saved service-level export) gives none.
 */
export function rootCausesOf<T extends RootCauseAnomaly>(
  usage: CostResponse,
  anomalies: readonly T[],
  options: DetectorOptions,
): Map<T, RootCause[]> {
  const out = new Map<T, RootCause[]>();
  const byDay = new Map<string, { a: T; excessUsd: number }[]>();
  for (const a of anomalies) {
    if (a.dimension !== 'SERVICE') continue;
    for (const d of a.openDays?.length ? a.openDays : [{ day: a.day, excessUsd: a.impactUsd }])
      byDay.set(d.day, [...(byDay.get(d.day) ?? []), { a, excessUsd: d.excessUsd }]);
  }
  if (byDay.size === 0 || groupingOf(usage) !== 'usage') return out;
  const baselines = new UsageBaselines(options);
  const open = new Map<T, AnomalyExcess>();
  for (const day of iterateServiceDays(usage)) {
    const excess = baselines.push(day.day, day.usage ?? new Map());
    for (const { a, excessUsd } of byDay.get(day.day) ?? []) {
      let anomaly = open.get(a);
      if (!anomaly) {
        anomaly = { service: a.series, start: day.day, serviceUsd: 0, byUsageType: new Map() };
        anomaly.shift = baselines.shiftBefore(a.series, options.minImpactUsd);
        open.set(a, anomaly);
      }
      addDay(anomaly, excessUsd, excess.get(a.series), (t) => baselines.born(a.series, t));
      if (day.day === a.day)
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
