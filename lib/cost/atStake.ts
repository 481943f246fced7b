import type { Severity } from '../findings/finding.js';
import { dayNumber, lastDayOfMonth } from './calendar.js';

/** The money an open anomaly puts at stake: what it cost so far, and what it will cost by month end if it stays. */
export interface MoneyAtStake {
  /** First day of the anomaly still open on the judged day (consecutive anomalous days). */
  startedOn: string;
  /** Consecutive anomalous days, the judged day included. */
  daysOpen: number;
  /** Sum of actual − expected over those days. */
  cumulativeExcessUsd: number;
  /** The judged day's excess for every day left in its month, as if the new level persisted. */
  projectedExcessUsd: number;
  /** cumulative + projected: what findings rank by and severity is judged on. */
  atStakeUsd: number;
  /** Each day of the open anomaly, oldest first, with its excess (what root causes are read over). */
  openDays: { day: string; excessUsd: number }[];
}

/** Severity thresholds on the money at stake, in USD (configurable per automation). */
export interface SeverityThresholds {
  medium: number;
  high: number;
  critical: number;
}

export const DEFAULT_SEVERITY_THRESHOLDS: SeverityThresholds = { medium: 500, high: 5000, critical: 50_000 };

export function severityFor(
  atStakeUsd: number,
  t: SeverityThresholds = DEFAULT_SEVERITY_THRESHOLDS,
): Severity {
  if (atStakeUsd >= t.critical) return 'critical';
  if (atStakeUsd >= t.high) return 'high';
  if (atStakeUsd >= t.medium) return 'medium';
  return 'low';
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * Open anomalies per series, fed day by day with the series flagged that day: a series not flagged on a day
 * closes its streak, so what is left on the judged day is the anomaly still running, with its excess so far.
 */
export class Streaks {
  readonly #open = new Map<
    string,
    { start: string; days: { day: string; excessUsd: number }[]; excess: number }
  >();

  /** Records one day: `flagged` maps each anomalous series to its excess (actual − expected) that day. */
  push(day: string, flagged: ReadonlyMap<string, number>): void {
    for (const series of this.#open.keys()) if (!flagged.has(series)) this.#open.delete(series);
    for (const [series, excess] of flagged) {
      const s = this.#open.get(series);
      if (s) {
        s.days.push({ day, excessUsd: excess });
        s.excess += excess;
      } else this.#open.set(series, { start: day, days: [{ day, excessUsd: excess }], excess });
    }
  }

  /** The money at stake of a series' open anomaly as of `day` (the last day pushed), with `impactUsd` that day. */
  atStake(series: string, day: string, impactUsd: number): MoneyAtStake {
    const s = this.#open.get(series) ?? {
      start: day,
      days: [{ day, excessUsd: impactUsd }],
      excess: impactUsd,
    };
    const n = dayNumber(day);
    const projected = Math.max(0, impactUsd) * (lastDayOfMonth(n) - n);
    return {
      startedOn: s.start,
      daysOpen: s.days.length,
      cumulativeExcessUsd: cents(s.excess),
      projectedExcessUsd: cents(projected),
      atStakeUsd: cents(s.excess + projected),
      openDays: s.days.map((d) => ({ day: d.day, excessUsd: cents(d.excessUsd) })),
    };
  }
}

/** The money at stake of several open anomalies, in cents. */
export function totalAtStake(anomalies: readonly Pick<MoneyAtStake, 'atStakeUsd'>[]): number {
  return cents(anomalies.reduce((sum, a) => sum + a.atStakeUsd, 0));
}
