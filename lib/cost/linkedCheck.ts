import { describeError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { type AccountDays, namesInResponse, splitByAccount } from './accounts.js';
import { analyseDays, type CostAnalysis, round, type SeriesAnomaly } from './analysis.js';
import { totalAtStake } from './atStake.js';
import { type AccountBudget, type AccountsUnder, type BudgetEntry, resolveBudgets } from './budgets.js';
import { dayNumber, isoDay } from './calendar.js';
import {
  attachRootCauses,
  type CostCheckDeps,
  type CostCheckOptions,
  type CostCheckResult,
  failed,
} from './check.js';
import { CostDataError, type CostResponse } from './costData.js';
import { budgetFindings, costFindings, type FindingContext } from './findings.js';

const LINKED_ACCOUNT = { type: 'DIMENSION', key: 'LINKED_ACCOUNT' } as const;
const SERVICE = { type: 'DIMENSION', key: 'SERVICE' } as const;

export interface LinkedCheckDeps extends CostCheckDeps {
  /** Account names from Organizations (ListAccounts); unset or failing: accounts are named by id. */
  accountNames?: (() => Promise<Map<string, string>>) | undefined;
  /** Accounts under an OU or root, for budgets keyed by OU; unset: OU keys are reported unresolved. */
  accountsUnder?: AccountsUnder | undefined;
}

export interface LinkedCheckOptions extends CostCheckOptions {
  accountBudgets?: Readonly<Record<string, BudgetEntry>> | undefined;
}

/** One linked account's outcome, as the report lists it. */
export interface AccountSummary {
  account: string;
  name: string | undefined;
  dailyTotalUsd: number;
  monthToDateUsd: number;
  projectedMonthUsd: number;
  dailyBudgetUsd: number | undefined;
  monthlyBudgetUsd: number | undefined;
  anomalies: number;
  atStakeUsd: number;
  error?: string;
}

/** Names from Organizations, over those Cost Explorer returned with the data (DimensionValueAttributes). */
async function names(
  deps: LinkedCheckDeps,
  fromCost: Map<string, string>,
): Promise<{ names: Map<string, string>; problem?: string }> {
  if (!deps.accountNames) return { names: fromCost };
  try {
    return { names: new Map([...fromCost, ...(await deps.accountNames())]) };
  } catch (err) {
    deps.logger.warn('account names unavailable', { error: describeError(err) });
    return { names: fromCost, problem: describeError(err).slice(0, 300) };
  }
}

/** Reads one grouping by linked account; undefined (with a finding) when it cannot be read at all. */
async function fetchSplit(
  deps: LinkedCheckDeps,
  period: { start: string; end: string },
  second: { type: 'DIMENSION' | 'TAG'; key: string },
  findings: Finding[],
): Promise<{ split: Map<string, AccountDays>; names: Map<string, string> } | undefined> {
  const what = `daily cost by linked account and ${second.type === 'TAG' ? `tag ${second.key}` : 'service'}`;
  const check = second.type === 'TAG' ? 'tag-cost-data-unavailable' : 'cost-data-unavailable';
  let response: CostResponse;
  try {
    response = await deps.fetchCost({ ...period, groupBy: [LINKED_ACCOUNT, second] });
  } catch (err) {
    deps.logger.error('cost by linked account unavailable', {
      grouping: second.key,
      error: describeError(err),
    });
    findings.push(failed(deps, check, what, err));
    return undefined;
  }
  try {
    return { split: splitByAccount(response), names: namesInResponse(response) };
  } catch (err) {
    if (!(err instanceof CostDataError)) throw err;
    findings.push(failed(deps, 'cost-data-malformed', err.message, err));
    return undefined;
  }
}

type AccountAnomaly = SeriesAnomaly & { account: string; accountName?: string };

interface AccountInput {
  account: string;
  name: string | undefined;
  budget: AccountBudget | undefined;
  data: AccountDays;
  tagData: AccountDays | undefined;
  /** Whether the run reads a tag grouping at all (an account without tag data then has none that day). */
  tagged: boolean;
}

/**
 * Judges one linked account as the single-account check judges an account: its anomalies (with root causes, read
 * once for the account), its findings and budget findings, and its line of the report. Malformed data of the
 * account is its own finding; the caller goes on with the next account.
 */
async function judgeAccount(
  deps: LinkedCheckDeps,
  options: LinkedCheckOptions,
  period: { start: string; end: string },
  findings: Finding[],
  input: AccountInput,
): Promise<{ summary: AccountSummary; anomalies: AccountAnomaly[]; analysis?: CostAnalysis }> {
  const { account, name, budget, data, tagData } = input;
  const summary: AccountSummary = {
    account,
    name,
    dailyTotalUsd: 0,
    monthToDateUsd: 0,
    projectedMonthUsd: 0,
    dailyBudgetUsd: budget?.dailyUsd,
    monthlyBudgetUsd: budget?.monthlyUsd,
    anomalies: 0,
    atStakeUsd: 0,
  };
  const problem = 'error' in data ? data.error : tagData && 'error' in tagData ? tagData.error : undefined;
  if (problem || !('days' in data)) {
    summary.error = problem?.message ?? 'no data';
    findings.push(failed(deps, 'cost-data-malformed', summary.error, problem, account));
    return { summary, anomalies: [] };
  }
  const tagDays = tagData && 'days' in tagData ? tagData.days : input.tagged ? [] : undefined;
  const analysis = analyseDays(data.days, tagDays, options);
  if (analysis.services.anomalies.length > 0) {
    const failure = await attachRootCauses(deps, period, analysis.services.anomalies, options, account);
    if (failure) findings.push(failure);
  }
  const ctx: FindingContext = {
    target: { account, region: deps.target.region },
    observedAt: deps.now(),
    dryRun: deps.dryRun,
    tagKey: options.tagKey,
    dailyBudgetUsd: budget?.dailyUsd,
    monthlyBudgetUsd: budget?.monthlyUsd,
    severityUsd: options.severityUsd,
    accountName: name ?? account,
  };
  findings.push(...costFindings(analysis, ctx));
  const open = [...analysis.services.anomalies, ...(analysis.tags?.anomalies ?? [])];
  Object.assign(summary, {
    dailyTotalUsd: analysis.dailyTotalUsd,
    monthToDateUsd: analysis.monthToDateUsd,
    projectedMonthUsd: analysis.projectedMonthUsd,
    anomalies: open.length,
    atStakeUsd: totalAtStake(open),
  });
  return {
    summary,
    anomalies: open.map((a) => ({ ...a, account, ...(name ? { accountName: name } : {}) })),
    analysis,
  };
}

/**
 * The daily check from the management (payer) account: one read of the lookback by LINKED_ACCOUNT and SERVICE
 * (and one by LINKED_ACCOUNT and the tag), each account judged on its own as the single-account check judges
 * one, root causes read once per account with an anomaly, budgets per account from the map (account, OU or
 * root), and the organization's total against the configured daily and monthly budgets. An account whose data
 * cannot be read is reported; the others complete.
 */
export async function runLinkedCostCheck(
  deps: LinkedCheckDeps,
  options: LinkedCheckOptions,
): Promise<CostCheckResult> {
  const today = dayNumber(deps.now().toISOString().slice(0, 10));
  const period = { start: isoDay(today - options.lookbackDays), end: isoDay(today) };
  const findings: Finding[] = [];
  const read = await fetchSplit(deps, period, SERVICE, findings);
  if (!read) {
    return {
      findings,
      report: { period, error: findings[0]?.title },
      summary: findings[0]?.title ?? '',
      analysis: undefined,
      services: undefined,
    };
  }
  const services = read.split;
  const tags = options.tagKey
    ? (await fetchSplit(deps, period, { type: 'TAG', key: options.tagKey }, findings))?.split
    : undefined;
  const [named, resolved] = await Promise.all([
    names(deps, read.names),
    resolveBudgets(options.accountBudgets ?? {}, deps.accountsUnder),
  ]);
  for (const p of resolved.problems)
    findings.push(
      failed(
        deps,
        'account-budgets-unresolved',
        `the accounts of ${p.key} for its budget`,
        new Error(p.error),
      ),
    );

  const accounts: AccountSummary[] = [];
  const anomalies: AccountAnomaly[] = [];
  let latestFinalDay: string | undefined;
  let month: string | undefined;
  const total = { daily: 0, monthToDate: 0, projected: 0 };
  for (const [account, data] of services) {
    const judged = await judgeAccount(deps, options, period, findings, {
      account,
      name: named.names.get(account),
      budget: resolved.budgets.get(account),
      data,
      tagData: tags?.get(account),
      tagged: tags !== undefined,
    });
    accounts.push(judged.summary);
    anomalies.push(...judged.anomalies);
    const analysis = judged.analysis;
    if (!analysis) continue;
    if (analysis.latestFinalDay && (!latestFinalDay || analysis.latestFinalDay > latestFinalDay)) {
      latestFinalDay = analysis.latestFinalDay;
      month = analysis.month;
    }
    total.daily += analysis.dailyTotalUsd;
    total.monthToDate += analysis.monthToDateUsd;
    total.projected += analysis.projectedMonthUsd;
  }
  anomalies.sort((a, b) => b.atStakeUsd - a.atStakeUsd);
  accounts.sort((a, b) => b.atStakeUsd - a.atStakeUsd || b.dailyTotalUsd - a.dailyTotalUsd);
  const org = {
    day: latestFinalDay ?? '',
    dailyTotalUsd: round(total.daily),
    month,
    monthToDateUsd: round(total.monthToDate),
    projectedMonthUsd: round(total.projected),
  };
  if (latestFinalDay)
    findings.push(
      ...budgetFindings(org, {
        target: deps.target,
        observedAt: deps.now(),
        dryRun: deps.dryRun,
        tagKey: options.tagKey,
        dailyBudgetUsd: deps.dailyBudgetUsd,
        monthlyBudgetUsd: deps.monthlyBudgetUsd,
        organization: true,
      }),
    );
  const atStake = totalAtStake(anomalies);
  deps.metrics.add('DailySpendUsd', 'None', org.dailyTotalUsd);
  deps.metrics.add('ProjectedMonthUsd', 'None', org.projectedMonthUsd);
  deps.metrics.add('CostAnomalies', 'Count', anomalies.length);
  deps.metrics.add('CostAtStakeUsd', 'None', atStake);
  const report = {
    period,
    mode: 'linked-accounts',
    latestFinalDay: latestFinalDay ?? null,
    dailyTotalUsd: org.dailyTotalUsd,
    dailyBudgetUsd: deps.dailyBudgetUsd,
    month: month ?? null,
    monthToDateUsd: org.monthToDateUsd,
    projectedMonthUsd: org.projectedMonthUsd,
    monthlyBudgetUsd: deps.monthlyBudgetUsd,
    atStakeUsd: atStake,
    accountNames: named.problem
      ? `unavailable: ${named.problem}`
      : deps.accountNames
        ? 'Organizations'
        : named.names.size
          ? 'Cost Explorer'
          : 'not read',
    accounts,
    anomalies: anomalies.map(({ last14: _, ...a }) => a),
  };
  const n = anomalies.length;
  const summary = latestFinalDay
    ? `${latestFinalDay}: ${accounts.length} linked accounts, ${n} cost anomal${n === 1 ? 'y' : 'ies'} (${atStake.toFixed(0)} USD at stake), spend ${org.dailyTotalUsd.toFixed(2)} USD (limit ${deps.dailyBudgetUsd}), ${month} projected ${org.projectedMonthUsd.toFixed(2)} USD (budget ${deps.monthlyBudgetUsd})`
    : 'no final day of cost data yet';
  return { findings, report, summary, analysis: undefined, services: undefined };
}
