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
}

const SEP = '\u0000';

/**
 * Expected cost of every usage type, each with its own baseline computed exactly as the detector computes a
 * service's (its own detector, fed day by day: no look-ahead). `push` a day's usage types (service → usage type →
 * USD) and ask for the services that were anomalous that day: it returns their usage types' actual − expected.
 */
export class UsageBaselines {
  readonly #detector: CostDetector;
  /** Service + usage type → the first day it had a cost. */
  readonly #born = new Map<string, string>();

  constructor(options: DetectorOptions) {
    this.#detector = new CostDetector(options);
  }

  push(
    day: string,
    usage: ReadonlyMap<string, ReadonlyMap<string, number>>,
    services: ReadonlySet<string>,
  ): Map<string, Map<string, number>> {
    const flat = new Map<string, number>();
    for (const [service, types] of usage) {
      for (const [usageType, amount] of types) {
        const key = service + SEP + usageType;
        flat.set(key, amount);
        if (amount !== 0 && !this.#born.has(key)) this.#born.set(key, day);
      }
    }
    const out = new Map<string, Map<string, number>>();
    if (services.size === 0) {
      this.#detector.push(day, flat);
      return out;
    }
    const select = (key: string) => services.has(key.slice(0, key.indexOf(SEP)));
    for (const j of this.#detector.push(day, flat, select)) {
      const at = j.series.indexOf(SEP);
      const service = j.series.slice(0, at);
      if (!services.has(service)) continue;
      let types = out.get(service);
      if (!types) {
        types = new Map();
        out.set(service, types);
      }
      types.set(j.series.slice(at + 1), j.actual - j.expected);
    }
    return out;
  }

  /** The first day a usage type of a service had a cost, if it has had one. */
  born(service: string, usageType: string): string | undefined {
    return this.#born.get(service + SEP + usageType);
  }
}

/** Adds one anomalous day of a service to its anomaly: the service's excess and its usage types'. */
export function addDay(
  excess: AnomalyExcess,
  serviceUsd: number,
  usage: ReadonlyMap<string, number> | undefined,
) {
  excess.serviceUsd += serviceUsd;
  for (const [usageType, usd] of usage ?? [])
    excess.byUsageType.set(usageType, (excess.byUsageType.get(usageType) ?? 0) + usd);
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
