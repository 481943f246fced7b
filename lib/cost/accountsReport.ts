import { type AccountDays, splitByAccount } from './accounts.js';
import { round } from './analysis.js';
import type { CostResponse } from './costData.js';
import { buildReportOfDays, type CostReport, type ReportOptions } from './report.js';

/** One linked account in the report: its own cost report, or why its data could not be read. */
export interface AccountReport {
  account: string;
  name: string | undefined;
  /** Cost over the days shown. */
  totalUsd: number;
  /** Anomalous (service, day) pairs shown. */
  anomalies: number;
  report: CostReport | undefined;
  error?: string;
}

/** The report of a management account: every linked account's report, most expensive first, and their sum. */
export interface AccountsReport {
  mode: 'linked-accounts';
  days: string[];
  /** The organization's cost per day shown. */
  totals: number[];
  monthToDateUsd: number;
  projectedMonthUsd: number;
  month: string | undefined;
  dailyBudgetUsd: number;
  monthlyBudgetUsd: number;
  accounts: AccountReport[];
}

function accountReport(
  account: string,
  data: AccountDays,
  name: string | undefined,
  options: ReportOptions,
): AccountReport {
  if ('error' in data)
    return { account, name, totalUsd: 0, anomalies: 0, report: undefined, error: data.error.message };
  const report = buildReportOfDays(data.days, options);
  return {
    account,
    name,
    totalUsd: round(report.totals.reduce((a, b) => a + b, 0)),
    anomalies: report.series.reduce((n, s) => n + s.anomalous.filter(Boolean).length, 0),
    report,
  };
}

/**
 * Builds the per-account report from a response grouped by LINKED_ACCOUNT and SERVICE: the same detector per
 * account as the daily check, one account's malformed data reported without hiding the others.
 */
export function buildAccountsReport(
  response: CostResponse,
  options: ReportOptions,
  names: ReadonlyMap<string, string> = new Map(),
): AccountsReport {
  const accounts = [...splitByAccount(response)].map(([id, data]) =>
    accountReport(id, data, names.get(id), options),
  );
  accounts.sort((a, b) => b.anomalies - a.anomalies || b.totalUsd - a.totalUsd);
  const shown = accounts.flatMap((a) => (a.report ? [a.report] : []));
  const days = shown[0]?.days ?? [];
  const sum = (pick: (r: CostReport) => number) => round(shown.reduce((s, r) => s + pick(r), 0));
  return {
    mode: 'linked-accounts',
    days,
    totals: days.map((_, i) => sum((r) => r.totals[i] ?? 0)),
    monthToDateUsd: sum((r) => r.monthToDateUsd),
    projectedMonthUsd: sum((r) => r.projectedMonthUsd),
    month: shown[0]?.month,
    dailyBudgetUsd: options.dailyBudgetUsd,
    monthlyBudgetUsd: options.monthlyBudgetUsd,
    accounts,
  };
}

const usd = (x: number) => (x >= 1000 ? x.toFixed(0) : x.toFixed(2));

/** The per-account report as text: a row per account, then each anomaly with its account and top root cause. */
export function renderAccountsTable(report: AccountsReport): string[] {
  const lines = [
    `${'account'.padEnd(14)}${'name'.padEnd(24)}${'USD shown'.padStart(12)}${'month to date'.padStart(15)}${'projected'.padStart(12)}${'anomalies'.padStart(11)}`,
  ];
  for (const a of report.accounts) {
    const name = (a.name ?? '').slice(0, 22).padEnd(24);
    if (!a.report) {
      lines.push(`${a.account.padEnd(14)}${name}  unreadable: ${a.error ?? 'no data'}`);
      continue;
    }
    lines.push(
      `${a.account.padEnd(14)}${name}${usd(a.totalUsd).padStart(12)}${usd(a.report.monthToDateUsd).padStart(15)}${usd(a.report.projectedMonthUsd).padStart(12)}${String(a.anomalies).padStart(11)}`,
    );
  }
  lines.push('');
  for (const a of report.accounts) {
    const r = a.report;
    if (!r) continue;
    for (const s of r.series)
      for (const [i, flagged] of s.anomalous.entries()) {
        if (!flagged) continue;
        const top = r.rootCauses.find((c) => c.series === s.name && c.day === r.days[i])?.causes[0];
        lines.push(
          `  ${r.days[i]}  ${a.name ? `${a.name} (${a.account})` : a.account}: ${s.name} ${usd(s.actual[i]!)} USD, expected ${usd(s.expected[i]!)}${top ? `, mostly ${top.usageType} (${top.region})` : ''}`,
        );
      }
  }
  if (report.month) {
    const verdict = report.projectedMonthUsd > report.monthlyBudgetUsd ? 'OVER' : 'within';
    lines.push(
      `${report.month}: organization month to date ${usd(report.monthToDateUsd)} USD, projected ${usd(report.projectedMonthUsd)} USD, ${verdict} the ${usd(report.monthlyBudgetUsd)} USD budget`,
    );
  }
  return lines;
}
