import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dayNumber } from './calendar.js';
import { CostDataError, type CostDay, type CostResponse } from './costData.js';
import { CostDetector, type DetectorOptions, type Judgment } from './detector.js';
import { readCostExport } from './exportFile.js';
import { type AnomalyExcess, addDay, rankRootCauses, UsageBaselines } from './rootCause.js';
import { everyDay, iterateServiceDays, type ServiceDay } from './usageData.js';

/** One detected event: consecutive anomalous days of one series, as the scorer reads them. */
export interface DetectedEvent {
  scenario: string;
  service: string;
  start: string;
  end: string;
  /** Expected and actual USD on the event's day of largest impact. */
  expected: number;
  actual: number;
  /** On an export grouped by SERVICE and USAGE_TYPE: the usage type that explains most of the excess. */
  rootCause?: { usageType: string; region: string };
}

interface Open {
  event: DetectedEvent;
  last: number;
  peak: number;
  excess: AnomalyExcess;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { minImpactUsd: 25, minImpactPct: 25 };

/**
 * Runs the detector day by day over one scenario (a GetCostAndUsage response) exactly as the daily check does:
 * each final day is judged with the data up to that day only; days Cost Explorer marks Estimated are not judged.
 * On an export grouped by SERVICE and USAGE_TYPE, detection is the same (on the services' sums) and each event
 * also names its root cause, from the usage types' own baselines (also no look-ahead).
 */
export function backtestScenario(
  scenario: string,
  response: CostResponse,
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
  days: (response: CostResponse) => Iterable<ServiceDay> = iterateServiceDays,
): DetectedEvent[] {
  const detector = new CostDetector(options);
  const baselines = new UsageBaselines(options);
  const open = new Map<string, Open>();
  const all: Open[] = [];
  for (const day of days(response)) {
    const judgments = detector.push(day.day, day.amounts);
    const anomalous = day.estimated ? [] : judgments.filter((j) => j.anomalous);
    const usage = day.usage ? baselines.push(day.day, day.usage) : undefined;
    const n = dayNumber(day.day);
    for (const j of anomalous) {
      const current = extend(open, all, scenario, j, n);
      if (usage && current.excess.shift === undefined)
        current.excess.shift = baselines.shiftBefore(j.series, options.minImpactUsd);
      addDay(current.excess, j.impactUsd, usage?.get(j.series), (t) => baselines.born(j.series, t));
    }
  }
  return all.map(({ event, excess }) => {
    if (excess.byUsageType.size === 0) return event;
    const [top] = rankRootCauses(excess, (t) => baselines.born(event.service, t), 1);
    return top ? { ...event, rootCause: { usageType: top.usageType, region: top.region } } : event;
  });
}

function extend(open: Map<string, Open>, all: Open[], scenario: string, j: Judgment, n: number): Open {
  const current = open.get(j.series);
  if (current && current.last === n - 1) {
    current.last = n;
    current.event.end = j.day;
    if (j.impactUsd > current.peak) {
      current.peak = j.impactUsd;
      current.event.expected = round(j.expected);
      current.event.actual = round(j.actual);
    }
    return current;
  }
  const event = {
    scenario,
    service: j.series,
    start: j.day,
    end: j.day,
    expected: round(j.expected),
    actual: round(j.actual),
  };
  const excess = { service: j.series, start: j.day, serviceUsd: 0, byUsageType: new Map() };
  const opened = { event, last: n, peak: j.impactUsd, excess };
  all.push(opened);
  open.set(j.series, opened);
  return opened;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Scenario files of a directory: every `*.json` except `labels.json`, sorted. */
export function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'labels.json')
    .sort()
    .map((f) => join(dir, f));
}

/** A scenario file that cannot be backtested: names the file (and, from the data error, the day). */
export class ScenarioFileError extends CostDataError {
  readonly file: string;
  constructor(file: string, cause: CostDataError) {
    super(cause.day, cause.series, cause.message.replace(/^malformed Cost Explorer data on .*?: /, ''));
    this.message = `${file}: ${this.message}`;
    this.name = 'ScenarioFileError';
    this.file = file;
  }
}

const fileDays = (response: CostResponse): Iterable<CostDay> => everyDay(iterateServiceDays(response));

/**
 * Backtests every scenario file of a directory (or one file); scenario = file name without `.json`. Files are
 * grouped by SERVICE (or a tag) or by SERVICE and USAGE_TYPE, and must hold every day of their period.
 */
export function backtestFiles(
  files: readonly string[],
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const file of files) {
    try {
      const response = readCostExport(readFileSync(file));
      events.push(...backtestScenario(basename(file, '.json'), response, options, fileDays));
    } catch (e) {
      throw e instanceof CostDataError ? new ScenarioFileError(file, e) : e;
    }
  }
  return events;
}
