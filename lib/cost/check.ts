import type { AutomationResult, LoggerLike, MetricSink } from '../automations/types.js';
import type { Target } from '../aws/clients.js';
import type { DailyCostRequest } from '../aws/costExplorer.js';
import { describeError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import { type AnalysisOptions, analyseCost, type CostAnalysis, type SeriesAnomaly } from './analysis.js';
import { type SeverityThresholds, totalAtStake } from './atStake.js';
import { dayNumber, isoDay } from './calendar.js';
import { CostDataError, type CostResponse } from './costData.js';
import { AUTOMATION, costFindings } from './findings.js';
import { rootCausesOf } from './rootCauseCheck.js';

const SERVICE = { type: 'DIMENSION', key: 'SERVICE' } as const;
const USAGE_TYPE = { type: 'DIMENSION', key: 'USAGE_TYPE' } as const;

export interface CostCheckOptions extends AnalysisOptions {
  lookbackDays: number;
  /** Cost-allocation tag to attribute cost by as well (e.g. `Project`); unset: services only. */
  tagKey?: string | undefined;
  /** Severity thresholds on the money at stake (default DEFAULT_SEVERITY_THRESHOLDS). */
  severityUsd?: SeverityThresholds | undefined;
}

export interface CostCheckDeps {
  /** Fetches one grouping over the period, every page (lib/aws/costExplorer.getDailyCost in Lambda). */
  fetchCost(request: DailyCostRequest): Promise<CostResponse>;
  now: () => Date;
  target: Target;
  dailyBudgetUsd: number;
  monthlyBudgetUsd: number;
  metrics: MetricSink;
  logger: LoggerLike;
  dryRun: boolean;
}

export interface CostCheckResult extends AutomationResult {
  analysis: CostAnalysis | undefined;
  services: CostResponse | undefined;
}

/** A check that could not run, as a finding of `account` (the target's own by default). */
export function failed(
  deps: Pick<CostCheckDeps, 'target' | 'now' | 'dryRun'>,
  check: string,
  what: string,
  err: unknown,
  account = deps.target.account,
): Finding {
  return makeFinding({
    automation: AUTOMATION,
    check,
    severity: 'medium',
    account,
    region: deps.target.region,
    resourceArn: `arn:aws:ce::${account}:cost/${check}`,
    title: `Cost check could not run: ${what}`,
    detail: { error: describeError(err).slice(0, 500) },
    observedAt: deps.now(),
    dryRun: deps.dryRun,
  });
}

/**
 * Names the root causes of the service anomalies: one more call, the same days by SERVICE and USAGE_TYPE (every
 * page), only on a day with an anomaly. If it fails, the anomalies are reported without them, with a finding why.
 */
export async function attachRootCauses(
  deps: CostCheckDeps,
  period: { start: string; end: string },
  anomalies: SeriesAnomaly[],
  options: CostCheckOptions,
  account?: string,
): Promise<Finding | undefined> {
  try {
    const usage = await deps.fetchCost({
      ...period,
      groupBy: [SERVICE, USAGE_TYPE],
      ...(account ? { filter: { dimension: 'LINKED_ACCOUNT', values: [account] } } : {}),
    });
    const causes = rootCausesOf(usage, anomalies, options);
    for (const a of anomalies) {
      const found = causes.get(a);
      if (found) a.rootCauses = found;
    }
    return undefined;
  } catch (err) {
    deps.logger.error('cost by usage type unavailable', { account, error: describeError(err) });
    return failed(
      deps,
      'usage-cost-data-unavailable',
      'daily cost by usage type (root causes)',
      err,
      account,
    );
  }
}

/**
 * The daily cost check: fetches daily cost by service (and by tag) once over the lookback, judges the latest
 * final day, checks the daily limit and the month-end projection, and returns findings and metrics. A fetch or
 * data problem becomes a finding of its own; nothing is swallowed.
 */
export async function runCostCheck(deps: CostCheckDeps, options: CostCheckOptions): Promise<CostCheckResult> {
  const today = dayNumber(deps.now().toISOString().slice(0, 10));
  const period = { start: isoDay(today - options.lookbackDays), end: isoDay(today) };
  let services: CostResponse;
  try {
    services = await deps.fetchCost({ ...period, groupBy: SERVICE });
  } catch (err) {
    deps.logger.error('cost by service unavailable', { error: describeError(err) });
    const finding = failed(deps, 'cost-data-unavailable', 'daily cost by service', err);
    return {
      findings: [finding],
      report: { error: describeError(err) },
      summary: finding.title,
      analysis: undefined,
      services: undefined,
    };
  }
  const findings: Finding[] = [];
  let tags: CostResponse | undefined;
  if (options.tagKey) {
    try {
      tags = await deps.fetchCost({ ...period, groupBy: { type: 'TAG', key: options.tagKey } });
    } catch (err) {
      deps.logger.error('cost by tag unavailable', { tagKey: options.tagKey, error: describeError(err) });
      findings.push(failed(deps, 'tag-cost-data-unavailable', `daily cost by tag ${options.tagKey}`, err));
    }
  }
  let analysis: CostAnalysis;
  try {
    analysis = analyseCost({ services, tags }, options);
  } catch (err) {
    if (!(err instanceof CostDataError)) throw err;
    deps.logger.error('malformed cost data', { day: err.day, series: err.series, error: err.message });
    const finding = failed(deps, 'cost-data-malformed', err.message, err);
    return {
      findings: [finding],
      report: { error: err.message },
      summary: finding.title,
      analysis: undefined,
      services,
    };
  }
  if (analysis.services.anomalies.length > 0) {
    const failure = await attachRootCauses(deps, period, analysis.services.anomalies, options);
    if (failure) findings.push(failure);
  }
  findings.unshift(
    ...costFindings(analysis, {
      target: deps.target,
      observedAt: deps.now(),
      dryRun: deps.dryRun,
      tagKey: options.tagKey,
      severityUsd: options.severityUsd,
      dailyBudgetUsd: deps.dailyBudgetUsd,
      monthlyBudgetUsd: deps.monthlyBudgetUsd,
    }),
  );
  const open = [...analysis.services.anomalies, ...(analysis.tags?.anomalies ?? [])];
  const anomalies = open.length;
  const atStake = totalAtStake(open);
  deps.metrics.add('DailySpendUsd', 'None', analysis.dailyTotalUsd);
  deps.metrics.add('ProjectedMonthUsd', 'None', analysis.projectedMonthUsd);
  deps.metrics.add('CostAnomalies', 'Count', anomalies);
  deps.metrics.add('CostAtStakeUsd', 'None', atStake);
  const report = {
    period,
    latestFinalDay: analysis.latestFinalDay ?? null,
    dailyTotalUsd: analysis.dailyTotalUsd,
    dailyBudgetUsd: deps.dailyBudgetUsd,
    month: analysis.month ?? null,
    monthToDateUsd: analysis.monthToDateUsd,
    projectedMonthUsd: analysis.projectedMonthUsd,
    monthlyBudgetUsd: deps.monthlyBudgetUsd,
    atStakeUsd: atStake,
    anomalies: open.sort((a, b) => b.atStakeUsd - a.atStakeUsd).map(({ last14: _, ...a }) => a),
  };
  const summary = analysis.latestFinalDay
    ? `${analysis.latestFinalDay}: ${anomalies} cost anomal${anomalies === 1 ? 'y' : 'ies'}${anomalies ? ` (${atStake.toFixed(0)} USD at stake)` : ''}, spend ${analysis.dailyTotalUsd.toFixed(2)} USD (limit ${deps.dailyBudgetUsd}), ${analysis.month} projected ${analysis.projectedMonthUsd.toFixed(2)} USD (budget ${deps.monthlyBudgetUsd})`
    : 'no final day of cost data yet';
  return { findings, report, summary, analysis, services };
}
