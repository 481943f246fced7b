import { type AnalysisOptions, projectMonth, round } from './analysis.js';
import { type CostDay, type CostResponse, readCostDays } from './costData.js';
import { CostDetector } from './detector.js';
import type { RootCause } from './rootCause.js';
import { describeRootCause, rootCausesOf } from './rootCauseCheck.js';
import { iterateServiceDays } from './usageData.js';

export interface ReportSeries {
  name: string;
  totalUsd: number;
  actual: number[];
  expected: number[];
  anomalous: boolean[];
}

/** Daily cost per service over the last `days` days, with what the detector expected and where it flagged. */
export interface CostReport {
  days: string[];
  estimated: boolean[];
  /** Every series, most expensive first. */
  series: ReportSeries[];
  totals: number[];
  month: string | undefined;
  monthToDateUsd: number;
  projectedMonthUsd: number;
  dailyBudgetUsd: number;
  monthlyBudgetUsd: number;
  minImpactUsd: number;
  minImpactPct: number;
  /** Root causes of the anomalies shown, when the usage types were read (see withRootCauses). */
  rootCauses: ReportRootCause[];
}

/** The root causes of one anomaly, and its service's daily cost split into those usage types over the report. */
export interface ReportRootCause {
  series: string;
  day: string;
  causes: RootCause[];
  /** Layers (the root causes' usage types, then `other usage types`) × days of the report, in USD. */
  breakdown: { layers: string[]; daily: number[][] };
}

export const OTHER_USAGE = 'other usage types';

export interface ReportOptions extends AnalysisOptions {
  days: number;
  dailyBudgetUsd: number;
  monthlyBudgetUsd: number;
}

/** Builds the report from a GetCostAndUsage response: the same detector, day by day, over the whole history. */
export function buildCostReport(response: CostResponse, options: ReportOptions): CostReport {
  return buildReportOfDays(readCostDays(response), options);
}

/** buildCostReport on days already read (one linked account's, say). */
export function buildReportOfDays(all: readonly CostDay[], options: ReportOptions): CostReport {
  const detector = new CostDetector(options);
  const from = all.length - options.days;
  const shown = all.slice(Math.max(0, from));
  const rows = new Map<string, ReportSeries>();
  const width = shown.length;
  for (const [i, day] of all.entries()) {
    const judgments = detector.push(day.day, day.amounts, i >= from);
    const col = i - Math.max(0, from);
    if (col < 0) continue;
    for (const j of judgments) {
      let row = rows.get(j.series);
      if (!row) {
        row = {
          name: j.series,
          totalUsd: 0,
          actual: new Array<number>(width).fill(0),
          expected: new Array<number>(width).fill(0),
          anomalous: new Array<boolean>(width).fill(false),
        };
        rows.set(j.series, row);
      }
      row.actual[col] = round(j.actual);
      row.expected[col] = round(j.expected);
      row.anomalous[col] = j.anomalous && !day.estimated;
      row.totalUsd += j.actual;
    }
  }
  const series = [...rows.values()]
    .map((r) => ({ ...r, totalUsd: round(r.totalUsd) }))
    .sort((a, b) => b.totalUsd - a.totalUsd);
  const totals = shown.map((d) => round([...d.amounts.values()].reduce((a, b) => a + b, 0)));
  return {
    days: shown.map((d) => d.day),
    estimated: shown.map((d) => d.estimated),
    series,
    totals,
    ...projectMonth(all, detector),
    dailyBudgetUsd: options.dailyBudgetUsd,
    monthlyBudgetUsd: options.monthlyBudgetUsd,
    minImpactUsd: options.minImpactUsd,
    minImpactPct: options.minImpactPct,
    rootCauses: [],
  };
}

/** The anomalies a report shows, as root-cause analysis takes them. */
export function reportAnomalies(report: CostReport) {
  return report.series.flatMap((s) =>
    s.anomalous.flatMap((a, i) =>
      a
        ? [
            {
              dimension: 'SERVICE' as const,
              series: s.name,
              day: report.days[i]!,
              impactUsd: s.actual[i]! - s.expected[i]!,
            },
          ]
        : [],
    ),
  );
}

/**
 * The report with the root causes of its anomalies, from the same days by SERVICE and USAGE_TYPE, and for each
 * anomaly its service's cost per day split into its root causes' usage types and the rest (the stacked chart).
 */
export function withRootCauses(
  report: CostReport,
  usage: CostResponse,
  options: AnalysisOptions,
): CostReport {
  const causes = rootCausesOf(usage, reportAnomalies(report), options);
  if (causes.size === 0) return { ...report, rootCauses: [] };
  const column = new Map(report.days.map((d, i) => [d, i]));
  const entries = [...causes].map(([a, c]): ReportRootCause => {
    const layers = [...c.map((x) => x.usageType), OTHER_USAGE];
    const daily = layers.map(() => new Array<number>(report.days.length).fill(0));
    return { series: a.series, day: a.day, causes: c, breakdown: { layers, daily } };
  });
  for (const day of iterateServiceDays(usage)) {
    const col = column.get(day.day);
    if (col === undefined) continue;
    for (const e of entries) {
      const other = e.breakdown.layers.length - 1;
      for (const [type, amount] of day.usage?.get(e.series) ?? []) {
        const k = e.breakdown.layers.indexOf(type);
        e.breakdown.daily[k >= 0 && k < other ? k : other]![col]! += amount;
      }
    }
  }
  for (const e of entries) e.breakdown.daily = e.breakdown.daily.map((row) => row.map(round));
  return { ...report, rootCauses: entries };
}

const usd = (x: number) => (x >= 1000 ? x.toFixed(0) : x.toFixed(2));

/**
 * The report as a text table: one row per day, one column per top service (plus every service with an anomaly),
 * the rest summed in "other". `*` marks an anomalous day, `~` an estimated one.
 */
export function renderCostTable(report: CostReport, maxColumns = 6): string[] {
  const flagged = report.series.filter((s) => s.anomalous.some(Boolean));
  const top = report.series
    .filter((s) => !flagged.includes(s))
    .slice(0, Math.max(0, maxColumns - flagged.length));
  const columns = [...flagged, ...top].sort((a, b) => b.totalUsd - a.totalUsd);
  const head = (name: string) => {
    const s = name.replace(/^(Amazon|AWS) /, '');
    return s.length > 15 ? `${s.slice(0, 14)}…` : s;
  };
  const cell = (s: string) => s.padStart(16);
  const lines: string[] = [];
  lines.push(
    ['day         ', ...columns.map((c) => cell(head(c.name))), cell('other'), cell('total')].join(' '),
  );
  for (const [i, day] of report.days.entries()) {
    let shownSum = 0;
    const cells = columns.map((c) => {
      shownSum += c.actual[i]!;
      return cell(`${usd(c.actual[i]!)}${c.anomalous[i] ? '*' : ' '}`);
    });
    const total = report.totals[i]!;
    const mark = report.estimated[i] ? '~' : ' ';
    const over = total > report.dailyBudgetUsd ? '!' : ' ';
    lines.push(
      [
        `${day}${mark}  `,
        ...cells,
        cell(`${usd(Math.max(0, total - shownSum))} `),
        cell(`${usd(total)}${over}`),
      ].join(' '),
    );
  }
  lines.push('');
  lines.push(
    '* anomaly (actual − expected ≥ both thresholds)   ~ estimated by Cost Explorer   ! over the daily limit',
  );
  const anomalies = report.series.flatMap((s) =>
    s.anomalous.flatMap((a, i) => (a ? [{ s, i, impact: s.actual[i]! - s.expected[i]! }] : [])),
  );
  anomalies.sort((a, b) => b.impact - a.impact);
  for (const { s, i, impact } of anomalies) {
    const pct = s.expected[i]! > 0 ? `+${Math.round((impact / s.expected[i]!) * 100)} %` : 'new';
    const top = report.rootCauses.find((r) => r.series === s.name && r.day === report.days[i])?.causes[0];
    lines.push(
      `  ${report.days[i]}  ${s.name}: ${usd(s.actual[i]!)} USD, expected ${usd(s.expected[i]!)} (+${usd(impact)} USD, ${pct})${top ? `, mostly ${describeRootCause(top)}` : ''}`,
    );
  }
  if (report.month) {
    const verdict = report.projectedMonthUsd > report.monthlyBudgetUsd ? 'OVER' : 'within';
    lines.push(
      `${report.month}: month to date ${usd(report.monthToDateUsd)} USD, projected ${usd(report.projectedMonthUsd)} USD, ${verdict} the ${usd(report.monthlyBudgetUsd)} USD budget`,
    );
  }
  return lines;
}
