import type { Target } from '../aws/clients.js';
import { type Finding, type FindingDetail, makeFinding } from '../findings/finding.js';
import type { CostAnalysis, Dimension, SeriesAnomaly } from './analysis.js';
import { DEFAULT_SEVERITY_THRESHOLDS, type SeverityThresholds, severityFor } from './atStake.js';
import type { RootCause } from './rootCause.js';
import { describeRootCause } from './rootCauseCheck.js';

export const AUTOMATION = 'costAnomaly';

export interface FindingContext {
  target: Target;
  observedAt: Date;
  dryRun: boolean;
  tagKey: string | undefined;
  /** Limits to check the day and the month-end projection against; an unset one is not checked. */
  dailyBudgetUsd: number | undefined;
  monthlyBudgetUsd: number | undefined;
  /** A linked account's name from Organizations (management-account mode). */
  accountName?: string | undefined;
  /** Severity by the money at stake (default DEFAULT_SEVERITY_THRESHOLDS). */
  severityUsd?: SeverityThresholds | undefined;
  /** Budget findings of the whole organization (management-account mode), apart from the payer's own. */
  organization?: boolean | undefined;
}

/** Stable resource of a series, so one service (or tag value) keeps one finding id across runs. */
export function seriesResource(
  account: string,
  dimension: Dimension,
  series: string,
  tagKey?: string,
): string {
  const path = dimension === 'SERVICE' ? `service/${series}` : `tag/${tagKey ?? ''}/${series}`;
  return `arn:aws:ce::${account}:cost/${path}`;
}

function label(a: { dimension: Dimension; series: string }, ctx: FindingContext): string {
  const what = a.dimension === 'SERVICE' ? a.series : `${ctx.tagKey}=${a.series}`;
  return ctx.accountName !== undefined ? `${ctx.accountName} (${ctx.target.account}): ${what}` : what;
}

/** The top root causes in a finding's detail: the first one field by field, all of them one line each. */
function rootCauseDetail(causes: readonly RootCause[] | undefined): FindingDetail {
  const top = causes?.[0];
  if (!causes || !top) return {};
  return {
    rootCauseUsageType: top.usageType,
    rootCauseRegion: top.region,
    rootCauseExcessUsd: top.excessUsd,
    rootCauseShare: top.share,
    rootCauseNew: top.new,
    rootCauses: causes.map(describeRootCause),
  };
}

function mostly(causes: readonly RootCause[] | undefined): string {
  const top = causes?.[0];
  return top ? `, mostly ${top.usageType} (${top.region}${top.new ? ', new' : ''})` : '';
}

function anomalyFinding(a: SeriesAnomaly, ctx: FindingContext): Finding {
  return makeFinding({
    automation: AUTOMATION,
    check: a.dimension === 'SERVICE' ? 'service-cost-anomaly' : 'tag-cost-anomaly',
    severity: severityFor(a.atStakeUsd, ctx.severityUsd ?? DEFAULT_SEVERITY_THRESHOLDS),
    account: ctx.target.account,
    region: ctx.target.region,
    resourceArn: seriesResource(ctx.target.account, a.dimension, a.series, ctx.tagKey),
    title:
      `${label(a, ctx)} cost ${a.actualUsd.toFixed(2)} USD on ${a.day}, expected ${a.expectedUsd.toFixed(2)} (+${a.impactUsd.toFixed(2)} USD, +${a.impactPct} %), ${a.atStakeUsd.toFixed(0)} USD at stake${mostly(a.rootCauses)}`.slice(
        0,
        300,
      ),
    detail: {
      dimension: a.dimension,
      ...(ctx.accountName !== undefined ? { accountName: ctx.accountName } : {}),
      ...(a.dimension === 'TAG' ? { tagKey: ctx.tagKey ?? '' } : {}),
      series: a.series,
      day: a.day,
      expectedUsd: a.expectedUsd,
      actualUsd: a.actualUsd,
      impactUsd: a.impactUsd,
      impactPct: a.impactPct,
      startedOn: a.startedOn,
      daysOpen: a.daysOpen,
      cumulativeExcessUsd: a.cumulativeExcessUsd,
      projectedExcessUsd: a.projectedExcessUsd,
      atStakeUsd: a.atStakeUsd,
      last14Days: a.last14,
      ...rootCauseDetail(a.rootCauses),
    },
    observedAt: ctx.observedAt,
    dryRun: ctx.dryRun,
  });
}

function clearedFinding(dimension: Dimension, series: string, day: string, ctx: FindingContext): Finding {
  return makeFinding({
    automation: AUTOMATION,
    check: dimension === 'SERVICE' ? 'service-cost-anomaly' : 'tag-cost-anomaly',
    severity: 'info',
    status: 'resolved',
    account: ctx.target.account,
    region: ctx.target.region,
    resourceArn: seriesResource(ctx.target.account, dimension, series, ctx.tagKey),
    title: `${label({ dimension, series }, ctx)} cost is within its expected range on ${day}`.slice(0, 300),
    detail: { dimension, series, day },
    observedAt: ctx.observedAt,
    dryRun: ctx.dryRun,
  });
}

function thresholdFinding(
  check: 'daily-spend-limit' | 'monthly-budget-projection',
  actual: number,
  limit: number,
  what: string,
  ctx: FindingContext,
): Finding {
  const over = actual > limit;
  return makeFinding({
    automation: AUTOMATION,
    check,
    severity: over ? (check === 'monthly-budget-projection' ? 'high' : 'medium') : 'info',
    status: over ? 'open' : 'resolved',
    account: ctx.target.account,
    region: ctx.target.region,
    resourceArn: `arn:aws:ce::${ctx.target.account}:cost/${ctx.organization ? 'organization/' : ''}${check}`,
    title: `${what} ${actual.toFixed(2)} USD ${over ? 'exceeds' : 'is within'} the ${limit.toFixed(2)} USD limit`,
    detail: { actualUsd: actual, limitUsd: limit, overUsd: Math.round((actual - limit) * 100) / 100 },
    observedAt: ctx.observedAt,
    dryRun: ctx.dryRun,
  });
}

/**
 * Findings of one run: an open finding per anomalous series (ranked by money at stake), a resolved one (same id)
 * for each series that could have been flagged in the last days and is not anomalous now (the anomaly ended, or a
 * restatement made it vanish), and the two thresholds that have a limit, open when exceeded and resolved otherwise.
 */
export function costFindings(analysis: CostAnalysis, ctx: FindingContext): Finding[] {
  const day = analysis.latestFinalDay;
  if (!day) return [];
  const out: Finding[] = [];
  const anomalies = [...analysis.services.anomalies, ...(analysis.tags?.anomalies ?? [])].sort(
    (a, b) => b.atStakeUsd - a.atStakeUsd,
  );
  for (const a of anomalies) out.push(anomalyFinding(a, ctx));
  for (const s of analysis.services.cleared) out.push(clearedFinding('SERVICE', s, day, ctx));
  for (const s of analysis.tags?.cleared ?? []) out.push(clearedFinding('TAG', s, day, ctx));
  out.push(...budgetFindings({ day, ...analysis }, ctx));
  return out;
}

/** The daily limit and the month-end projection against the budget, each only when it has a limit. */
export function budgetFindings(
  spend: { day: string; dailyTotalUsd: number; month: string | undefined; projectedMonthUsd: number },
  ctx: FindingContext,
): Finding[] {
  const who = ctx.organization
    ? ' of the organization'
    : ctx.accountName !== undefined
      ? ` of ${ctx.accountName} (${ctx.target.account})`
      : '';
  const out: Finding[] = [];
  if (ctx.dailyBudgetUsd !== undefined)
    out.push(
      thresholdFinding(
        'daily-spend-limit',
        spend.dailyTotalUsd,
        ctx.dailyBudgetUsd,
        `Daily spend${who} on ${spend.day}`,
        ctx,
      ),
    );
  if (ctx.monthlyBudgetUsd !== undefined)
    out.push(
      thresholdFinding(
        'monthly-budget-projection',
        spend.projectedMonthUsd,
        ctx.monthlyBudgetUsd,
        `Projected spend${who} for ${spend.month}`,
        ctx,
      ),
    );
  return out;
}
