import { CostDetector, type DetectorOptions } from './detector.js';
import { regionOfUsageType } from './regions.js';

/** One usage type behind a service anomaly. */
export interface RootCause {
  usageType: string;
  /** From the usage type's prefix (see regions.ts): a region, `global`, or `unknown`. */
  region: string;
  /** Its own excess over its own expected level, USD, summed over the anomaly's days. */
  excessUsd: number;
  /** excessUsd over the service's excess (0..1). */
  share: number;
  /** The usage type had no cost before the anomaly's first day. */
  new: boolean;
}

/** The excess of one anomaly, accumulated day by day: the service's and each of its usage types'. */
export interface AnomalyExcess {
  service: string;
  start: string;
  serviceUsd: number;
  byUsageType: Map<string, number>;
  /** Mix shift under way before the anomaly (see UsageBaselines.shiftBefore), taken off each day's excess. */
  shift?: ReadonlyMap<string, number>;
}

/** One usage type on one day: actual USD and actual − expected. */
export interface UsageDay {
  excess: number;
  actual: number;
}

/** A mix shift moves cost between usage types: what the decreases cancel is at least this share of the increases. */
const SHIFT_RATIO = 0.5;

/**
 * Of a service's usage-type residuals on one day, the increases that decreases cancelled, spread over the increases;
 * empty unless it is a mix shift (the decreases cancel most of the increases, and by at least minImpactUsd), so the
 * noise of a quiet service or the first day of a real increase is not taken for one.
 */
export function mixShift(
  residuals: ReadonlyMap<string, UsageDay> | undefined,
  minImpactUsd: number,
): Map<string, number> {
  let up = 0;
  let down = 0;
  for (const { excess } of residuals?.values() ?? []) {
    if (excess > 0) up += excess;
    else down -= excess;
  }
  const out = new Map<string, number>();
  const cancelled = Math.min(up, down);
  if (cancelled < minImpactUsd || cancelled < SHIFT_RATIO * up) return out;
  for (const [usageType, { excess }] of residuals ?? [])
    if (excess > 0) out.set(usageType, (excess * cancelled) / up);
  return out;
}

const SEP = '\u0000';

/**
 * Expected cost of every usage type, each with its own baseline computed exactly as the detector computes a
 * service's (its own detector, fed day by day: no look-ahead). `push` a day's usage types (service → usage type →
 * USD): it returns, per service, each usage type's actual − expected that day, for every service that cost at least
 * minImpactUsd that day (only those can be anomalous that day, or show a mix shift that matters the day before one).
 */
export class UsageBaselines {
  readonly #detector: CostDetector;
  /** Service + usage type → the first day it had a cost. */
  readonly #born = new Map<string, string>();
  #latest = new Map<string, Map<string, UsageDay>>();
  #previous = new Map<string, Map<string, UsageDay>>();
  /** Service + usage type → service. */
  readonly #serviceOf = new Map<string, string>();
  readonly #minImpactUsd: number;

  constructor(options: DetectorOptions) {
    // Usage types are judged for their expected level only, when `push` selects their service (never by the bar).
    this.#detector = new CostDetector({ ...options, minImpactUsd: Number.POSITIVE_INFINITY });
    this.#minImpactUsd = options.minImpactUsd;
  }

  push(
    day: string,
    usage: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ): Map<string, Map<string, UsageDay>> {
    const flat = new Map<string, number>();
    const judged = new Set<string>();
    for (const [service, types] of usage) {
      let total = 0;
      for (const [usageType, amount] of types) {
        const key = service + SEP + usageType;
        flat.set(key, amount);
        total += amount;
        if (amount !== 0 && !this.#born.has(key)) {
          this.#born.set(key, day);
          this.#serviceOf.set(key, service);
        }
      }
      if (total >= this.#minImpactUsd) judged.add(service);
    }
    const out = new Map<string, Map<string, UsageDay>>();
    // The day before an anomaly tells a mix shift already under way, so services are judged every day, not only then.
    const select = (key: string) => judged.has(this.#serviceOf.get(key) ?? '');
    for (const j of this.#detector.push(day, flat, select)) {
      const at = j.series.indexOf(SEP);
      const service = j.series.slice(0, at);
      let types = out.get(service);
      if (!types) {
        types = new Map();
        out.set(service, types);
      }
      types.set(j.series.slice(at + 1), { excess: j.actual - j.expected, actual: j.actual });
    }
    this.#previous = this.#latest;
    this.#latest = out;
    return out;
  }

  /**
   * The mix shift under way in a service on the day before the latest: the part of its usage types' increases that
   * others' decreases cancelled (the service did not move), per usage type. An anomaly starting on the latest day
   * is judged net of it: the migrated-to type is not "up" because its baseline has not caught up yet.
   */
  shiftBefore(service: string, minImpactUsd: number): Map<string, number> {
    return mixShift(this.#previous.get(service), minImpactUsd);
  }

  /** The first day a usage type of a service had a cost, if it has had one. */
  born(service: string, usageType: string): string | undefined {
    return this.#born.get(service + SEP + usageType);
  }
}

/**
 * Adds one anomalous day of a service to its anomaly: the service's excess and its usage types', net of a mix shift
 * under way before it. A usage type born on or after the anomaly's first day has an expected level of 0: all of
 * its cost is excess (its own baseline would take its first days as its normal).
 */
export function addDay(
  excess: AnomalyExcess,
  serviceUsd: number,
  usage: ReadonlyMap<string, UsageDay> | undefined,
  born: (usageType: string) => string | undefined,
): void {
  excess.serviceUsd += serviceUsd;
  for (const [usageType, day] of usage ?? []) {
    const first = born(usageType);
    const isNew = first !== undefined && first >= excess.start;
    const net = isNew ? day.actual : day.excess - (excess.shift?.get(usageType) ?? 0);
    excess.byUsageType.set(usageType, (excess.byUsageType.get(usageType) ?? 0) + net);
  }
}

/**
 * The usage types that explain an anomaly, largest first. Only increases count: a usage type that fell does not
 * explain an increase, and one that rose while another fell by as much (a mix shift within the service) is
 * recognised by the service's own excess, which the shift does not change (see `rootCauses` in the docs).
 */
export function rankRootCauses(
  excess: AnomalyExcess,
  born: (usageType: string) => string | undefined,
  limit = 3,
): RootCause[] {
  const total = excess.serviceUsd;
  const rising = [...excess.byUsageType].filter(([, usd]) => usd > 0).sort((a, b) => b[1] - a[1]);
  return rising.slice(0, limit).map(([usageType, usd]) => {
    const first = born(usageType);
    return {
      usageType,
      region: regionOfUsageType(excess.service, usageType),
      excessUsd: Math.round(usd * 100) / 100,
      share: total > 0 ? Math.round(Math.min(1, usd / total) * 1000) / 1000 : 0,
      new: first === undefined || first >= excess.start,
    };
  });
}
