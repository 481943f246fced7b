import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dayNumber } from './calendar.js';
import { type CostResponse, iterateCostDays } from './costData.js';
import { CostDetector, type DetectorOptions, type Judgment } from './detector.js';
import { readCostExport } from './exportFile.js';

/** One detected event: consecutive anomalous days of one series, as the scorer reads them. */
export interface DetectedEvent {
  scenario: string;
  service: string;
  start: string;
  end: string;
  /** Expected and actual USD on the event's day of largest impact. */
  expected: number;
  actual: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { minImpactUsd: 25, minImpactPct: 25 };

/**
 * Runs the detector day by day over one scenario (a GetCostAndUsage response) exactly as the daily check does:
 * each final day is judged with the data up to that day only; days Cost Explorer marks Estimated are not judged.
 */
export function backtestScenario(
  scenario: string,
  response: CostResponse,
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): DetectedEvent[] {
  const detector = new CostDetector(options);
  const open = new Map<string, { event: DetectedEvent; last: number; peak: number }>();
  const events: DetectedEvent[] = [];
  for (const day of iterateCostDays(response)) {
    const judgments = detector.push(day.day, day.amounts);
    if (day.estimated) continue;
    const n = dayNumber(day.day);
    for (const j of judgments) if (j.anomalous) extend(open, events, scenario, j, n);
  }
  return events;
}

function extend(
  open: Map<string, { event: DetectedEvent; last: number; peak: number }>,
  events: DetectedEvent[],
  scenario: string,
  j: Judgment,
  n: number,
): void {
  const current = open.get(j.series);
  if (current && current.last === n - 1) {
    current.last = n;
    current.event.end = j.day;
    if (j.impactUsd > current.peak) {
      current.peak = j.impactUsd;
      current.event.expected = round(j.expected);
      current.event.actual = round(j.actual);
    }
    return;
  }
  const event = {
    scenario,
    service: j.series,
    start: j.day,
    end: j.day,
    expected: round(j.expected),
    actual: round(j.actual),
  };
  events.push(event);
  open.set(j.series, { event, last: n, peak: j.impactUsd });
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

/** Backtests every scenario file of a directory (or one file); scenario = file name without `.json`. */
export function backtestFiles(
  files: readonly string[],
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const file of files) {
    events.push(...backtestScenario(basename(file, '.json'), readCostExport(readFileSync(file)), options));
  }
  return events;
}
