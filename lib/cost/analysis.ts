import { type MoneyAtStake, Streaks } from './atStake.js';
import { dayNumber, firstDayOfMonth, isoDay, lastDayOfMonth } from './calendar.js';
import { type CostDay, type CostResponse, readCostDays } from './costData.js';
import { CostDetector, type DetectorOptions } from './detector.js';
import type { RootCause } from './rootCause.js';

export type Dimension = 'SERVICE' | 'TAG';

/** An anomaly on the latest final day, with what a reader needs to judge it and the money it puts at stake. */
export interface SeriesAnomaly extends MoneyAtStake {
  dimension: Dimension;
  series: string;
  day: string;
  expectedUsd: number;
  actualUsd: number;
  impactUsd: number;
  impactPct: number;
  /** Daily cost of the series over the 14 days up to `day`, oldest first. */
  last14: number[];
  /** For a service: the usage types behind it, largest first (when the usage types could be read). */
  rootCauses?: RootCause[];
}

export type AnalysisOptions = DetectorOptions;

export interface DimensionAnalysis {
  anomalies: SeriesAnomaly[];
  /**
   * Every other series of the lookback: not anomalous on the latest final day. An earlier run may have flagged
   * one on data Cost Explorer has restated since (unknowable now), so each gets a resolved finding.
   */
  cleared: string[];
}

export interface CostAnalysis {
  /** Latest day Cost Explorer no longer marks Estimated: the day judged. */
  latestFinalDay: string | undefined;
  /** Latest day with data at all (possibly estimated). */
  lastDay: string | undefined;
  dailyTotalUsd: number;
  month: string | undefined;
  monthToDateUsd: number;
  projectedMonthUsd: number;
  services: DimensionAnalysis;
  tags: DimensionAnalysis | undefined;
}

function last14(days: readonly CostDay[], index: number, series: string): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, index - 13); i <= index; i++) out.push(round(days[i]!.amounts.get(series) ?? 0));
  return out;
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Judges the latest final day of one grouping, day by day exactly as the backtest does (no look-ahead), on the
 * data as Cost Explorer states it now. Returns the detector, fed with every day, for projections.
 */
export function analyseDimension(
  days: readonly CostDay[],
  dimension: Dimension,
  options: AnalysisOptions,
): DimensionAnalysis & { detector: CostDetector; latestFinal: number } {
  const detector = new CostDetector(options);
  let latestFinal = -1;
  for (let i = days.length - 1; i >= 0; i--) {
    if (!days[i]!.estimated) {
      latestFinal = i;
      break;
    }
  }
  const anomalies: SeriesAnomaly[] = [];
  const flagged = new Set<string>();
  const streaks = new Streaks();
  for (const [i, day] of days.entries()) {
    const judgments = detector.push(day.day, day.amounts);
    if (i > latestFinal) continue;
    streaks.push(day.day, new Map(judgments.filter((j) => j.anomalous).map((j) => [j.series, j.impactUsd])));
    if (i !== latestFinal) continue;
    for (const j of judgments) {
      if (!j.anomalous) continue;
      flagged.add(j.series);
      anomalies.push({
        ...streaks.atStake(j.series, j.day, j.impactUsd),
        dimension,
        series: j.series,
        day: j.day,
        expectedUsd: round(j.expected),
        actualUsd: round(j.actual),
        impactUsd: round(j.impactUsd),
        impactPct: Number.isFinite(j.impactPct) ? Math.round(j.impactPct) : 100,
        last14: last14(days, i, j.series),
      });
    }
  }
  anomalies.sort((a, b) => b.atStakeUsd - a.atStakeUsd);
  const cleared = detector.seriesNames.filter((s) => !flagged.has(s)).sort();
  return { anomalies, cleared, detector, latestFinal };
}

/**
 * Month-end projection: month to date (every day with data, once-a-month charges included once) plus the
 * expected run-rate of each service for the days left, which never includes a 1st-of-month charge.
 */
export function projectMonth(
  days: readonly CostDay[],
  detector: CostDetector,
): { month: string | undefined; monthToDateUsd: number; projectedMonthUsd: number } {
  const last = days.at(-1);
  if (!last) return { month: undefined, monthToDateUsd: 0, projectedMonthUsd: 0 };
  const n = dayNumber(last.day);
  const first = isoDay(firstDayOfMonth(n));
  let monthToDate = 0;
  for (const d of days) if (d.day >= first) for (const v of d.amounts.values()) monthToDate += v;
  let remainder = 0;
  for (let d = n + 1; d <= lastDayOfMonth(n); d++) {
    const day = isoDay(d);
    for (const s of detector.seriesNames) remainder += detector.forecast(s, day);
  }
  return {
    month: first.slice(0, 7),
    monthToDateUsd: round(monthToDate),
    projectedMonthUsd: round(monthToDate + remainder),
  };
}

/** Everything the daily check decides, from the responses alone: a pure function, shared by Lambda and CLI. */
export function analyseCost(
  input: { services: CostResponse; tags?: CostResponse | undefined },
  options: AnalysisOptions,
): CostAnalysis {
  return analyseDays(
    readCostDays(input.services),
    input.tags ? readCostDays(input.tags) : undefined,
    options,
  );
}

/** analyseCost on days already read (one linked account's share of an organization's data, say). */
export function analyseDays(
  days: readonly CostDay[],
  tagDays: readonly CostDay[] | undefined,
  options: AnalysisOptions,
): CostAnalysis {
  const services = analyseDimension(days, 'SERVICE', options);
  const final = days[services.latestFinal];
  let dailyTotal = 0;
  for (const v of final?.amounts.values() ?? []) dailyTotal += v;
  const tags = tagDays ? analyseDimension(tagDays, 'TAG', options) : undefined;
  return {
    latestFinalDay: final?.day,
    lastDay: days.at(-1)?.day,
    dailyTotalUsd: round(dailyTotal),
    ...projectMonth(days, services.detector),
    services: { anomalies: services.anomalies, cleared: services.cleared },
    tags: tags ? { anomalies: tags.anomalies, cleared: tags.cleared } : undefined,
  };
}
