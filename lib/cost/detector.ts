import { dayNumber, isFirstOfMonth, isoDay, weekday } from './calendar.js';
import { median } from './median.js';

/** The bar an increase must clear on one day: both halves, as the issue and the labels define it. */
export interface DetectorOptions {
  /** actual − expected must be at least this many USD (default 25). */
  minImpactUsd: number;
  /** actual − expected must be at least this percentage of expected (default 25). */
  minImpactPct: number;
  /** Days of history before anything is judged (default 21: three weeks, so the weekday profile exists). */
  warmupDays?: number;
}

/** The verdict on one series for one day. */
export interface Judgment {
  series: string;
  day: string;
  actual: number;
  expected: number;
  impactUsd: number;
  /** Percent over expected; Infinity for a series with no history (a new service). */
  impactPct: number;
  anomalous: boolean;
}
/** Series a day's judgments cover besides those that could clear the bar: all, none, or a predicate. */
export type Selection = boolean | ((series: string) => boolean);

// History per series: a ring of the last RING days (the model reads at most 63 days back, two 1sts of month ago).
const RING = 64;
const MASK = RING - 1;
/** Days of history the level and the weekly profile are estimated from. */
const LONG = 28;
/** Days of the short level: short enough that a level shift is the new normal after its first week. */
const SHORT = 7;
const PROFILE = 42; // days the weekday profile is estimated from
/** Weekday factors closer to 1 than this are noise (real weekend dips are far deeper). */
const PROFILE_NOISE = 0.2;
const MIN_FACTOR = 0.05; // the smallest weekday factor
/** Largest organic growth per day the level is projected forward with. */
const MAX_GROWTH = 1.01;
/** Days the short median trails the judged day by (half its window, plus the day itself). */
const LAG = 4;

interface Series {
  name: string;
  values: Float64Array;
  /** Weekday factors, recomputed once a week (a profile moves slowly) from the data before that week. */
  factors: Float64Array;
  profileWeek: number;
  /** Day it first had a cost. */
  born: number;
}

const scratch = new Float64Array(RING);
const running = new Float64Array(SHORT);
const byWeekday = Array.from({ length: 7 }, () => new Float64Array(8));
const counts = new Int32Array(7);
const dayMedian = new Float64Array(7);
const pool = new Float64Array(7);

/**
 * Incremental cost anomaly detector: days go in in date order (`push`) and each is judged with the history up
 * to it only, so a backtest through it cannot look ahead. Expected cost = a robust level (the larger of the
 * 7- and 28-day medians of usual days, deseasonalised: a dip's recovery is not news, a level shift is normal
 * after a week) × the weekday factor, + on the 1st the once-a-month charge. Decreases never count.
 */
export class CostDetector {
  readonly #options: Required<DetectorOptions>;
  readonly #series = new Map<string, Series>();
  readonly #list: Series[] = [];
  readonly #present = new Uint8Array(RING);
  readonly #first = new Uint8Array(RING);
  #start = Number.NaN;
  #last = Number.NaN;

  constructor(options: DetectorOptions) {
    this.#options = { warmupDays: 21, ...options };
  }

  /** Names of every series seen so far. */
  get seriesNames(): string[] {
    return this.#list.map((s) => s.name);
  }

  /**
   * Adds one day (after every earlier one) and judges it. Returns the judgments of the series that could clear
   * the bar (actual ≥ minImpactUsd), or of every series `all` selects (reports, projections; root causes).
   */
  push(day: string, amounts: ReadonlyMap<string, number>, all: Selection = false): Judgment[] {
    const n = dayNumber(day);
    if (n <= this.#last)
      throw new RangeError(`days must be pushed in order: ${day} after ${isoDay(this.#last)}`);
    if (Number.isNaN(this.#start)) this.#start = n;
    // Days missing from the data are unknown, not zero: they drop out of the statistics.
    for (let g = Number.isNaN(this.#last) ? n : this.#last + 1; g < n; g++) this.#present[g & MASK] = 0;
    this.#present[n & MASK] = 1;
    this.#first[n & MASK] = isFirstOfMonth(n) ? 1 : 0;
    this.#last = n;
    for (const [name, amount] of amounts) {
      if (!this.#series.has(name) && amount !== 0) {
        const s: Series = {
          name,
          values: new Float64Array(RING),
          factors: new Float64Array(7),
          profileWeek: -1,
          born: n,
        };
        this.#series.set(name, s);
        this.#list.push(s);
      }
    }
    const judged = n - this.#start >= this.#options.warmupDays;
    const out: Judgment[] = [];
    const pick = typeof all === 'function' ? all : () => all;
    for (const s of this.#list) {
      const actual = amounts.get(s.name) ?? 0;
      s.values[n & MASK] = actual;
      if (pick(s.name) || (judged && actual >= this.#options.minImpactUsd)) {
        const j = this.#judge(s, n, day, actual);
        if (!judged) j.anomalous = false;
        out.push(j);
      }
    }
    return out;
  }

  /** What a series is expected to cost on a later day, from the history so far (no 1st-of-month charge). */
  forecast(series: string, day: string): number {
    const s = this.#series.get(series);
    if (!s || Number.isNaN(this.#last)) return 0;
    return this.#level(s, this.#last + 1) * s.factors[weekday(dayNumber(day))]!;
  }

  #judge(s: Series, n: number, day: string, actual: number): Judgment {
    let expected = this.#level(s, n) * s.factors[weekday(n)]!;
    if (this.#first[n & MASK]) expected += this.#monthlyCharge(s, n, expected);
    const impactUsd = actual - expected;
    const impactPct =
      expected > 0 ? (impactUsd / expected) * 100 : impactUsd > 0 ? Number.POSITIVE_INFINITY : 0;
    const { minImpactUsd, minImpactPct } = this.#options;
    return {
      series: s.name,
      day,
      actual,
      expected,
      impactUsd,
      impactPct,
      anomalous: impactUsd >= minImpactUsd && impactPct >= minImpactPct,
    };
  }

  #usable(d: number, before: number): boolean {
    return d >= this.#start && d < before && this.#present[d & MASK] === 1 && this.#first[d & MASK] === 0;
  }

  /** Deseasonalised level from the usual days before `n`, with the growth the medians trail by. */
  #level(s: Series, n: number): number {
    const week = Math.floor(n / 7);
    if (s.profileWeek !== week) {
      s.profileWeek = week;
      this.#profile(s, week * 7);
    }
    const factors = s.factors;
    let k = 0;
    for (let d = n - 1; d >= n - LONG; d--) {
      if (this.#usable(d, n)) scratch[k++] = s.values[d & MASK]! / factors[weekday(d)]!;
    }
    // Days without cost in the last week (a service that just started, a paused job) say nothing about its
    // level once it runs: the short level is that of the days it had a cost.
    let m = 0;
    for (let i = 0; i < Math.min(SHORT, k); i++) if (scratch[i]! > 0) running[m++] = scratch[i]!;
    // A service younger than a week has no weekday profile yet: its new normal is the most it has cost.
    const short = n - s.born <= SHORT ? Math.max(0, ...running.subarray(0, m)) : median(running, m);
    // The oldest week of the window against the latest one: organic growth, which the medians trail by days.
    const old = k >= LONG - 6 ? median(scratch, SHORT, k - SHORT) : 0;
    const growth = old > 0 && short > old ? Math.min((short / old) ** (1 / (LONG - SHORT)), MAX_GROWTH) : 1;
    const long = median(scratch, k);
    return Math.max(short * growth ** LAG, long);
  }

  /**
   * Weekday factors from the days before `n`. A day's ratio is its cost over the mean of the week centred on it,
   * so a level shift only blurs the few ratios whose week straddles it. Factors are relative to the median
   * weekday (the typical day); a weekday keeps its own factor only when it differs by 20 % or more and nearly
   * all of its weeks agree; otherwise it is noise, and estimating it would only add error.
   */
  #profile(s: Series, n: number): void {
    const factors = s.factors;
    counts.fill(0);
    for (let d = n - 4; d >= n - PROFILE; d--) {
      if (!this.#usable(d, n)) continue;
      let sum = 0;
      let c = 0;
      for (let e = d - 3; e <= d + 3; e++) {
        if (this.#usable(e, n)) {
          sum += s.values[e & MASK]!;
          c++;
        }
      }
      if (c < 5 || sum <= 0) continue;
      const w = weekday(d);
      byWeekday[w]![counts[w]!++] = (s.values[d & MASK]! * c) / sum;
    }
    let seen = 0;
    for (let w = 0; w < 7; w++) {
      if (counts[w]! < 3) break;
      dayMedian[w] = median(byWeekday[w]!, counts[w]!);
      pool[seen++] = dayMedian[w]!;
    }
    factors.fill(1);
    if (seen < 7) return;
    const typical = median(pool, 7);
    if (typical <= 0) return;
    for (let w = 0; w < 7; w++) {
      const f = dayMedian[w]! / typical;
      if (Math.abs(f - 1) < PROFILE_NOISE) continue;
      const samples = byWeekday[w]!;
      let agree = 0;
      for (let i = 0; i < counts[w]!; i++) {
        const r = samples[i]! / typical;
        if (f < 1 ? r < 1 - PROFILE_NOISE / 2 : r > 1 + PROFILE_NOISE / 2) agree++;
      }
      // A weekday without cost (a weekday-only job) keeps a small factor: levels are divided by it.
      if (agree >= counts[w]! - 1) factors[w] = Math.max(f, MIN_FACTOR);
    }
  }

  /**
   * The once-a-month charge expected on a 1st, on top of the day's usual cost `base`: what the last two 1sts cost
   * above the usual level of the week after them, read both as an amount (Tax, Support, hosted zones) and as a
   * ratio (a charge that grew with the service). The larger counts, so a month whose 1st fell in a dip or before
   * a level shift does not make the next 1st look anomalous.
   */
  #monthlyCharge(s: Series, n: number, base: number): number {
    let charge = 0;
    let months = 0;
    for (let p = n - 1; p >= n - 62 && p >= this.#start && months < 2; p--) {
      if (this.#present[p & MASK] !== 1 || this.#first[p & MASK] !== 1) continue;
      months++;
      let k = 0;
      for (let d = p + 1; d <= p + SHORT && d < n; d++) {
        if (this.#usable(d, n)) scratch[k++] = s.values[d & MASK]!;
      }
      const usual = median(scratch, k);
      const onFirst = s.values[p & MASK]!;
      charge = Math.max(charge, onFirst - usual, usual > 0 ? base * (onFirst / usual - 1) : 0);
    }
    return charge;
  }
}
