import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  LimitExceededException,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutomationContext } from '../../../lib/automations/types.js';
import { ClientPool } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import {
  type CostAnomalyOptions,
  costAnomalyAutomation,
  costAnomalyOptions,
} from '../../../lib/cost/automation.js';
import type { CostResponse } from '../../../lib/cost/costData.js';
import { ValidationError } from '../../../lib/errors.js';
import { findingId } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { parseWith } from '../../../lib/validation.js';
import { buildResponse, type CostFn, steady, weekly } from './fixtures/series.js';
import { buildUsageResponse, sumToServices } from './fixtures/usage.js';

const ce = mockClient(CostExplorerClient);
const target = { account: '123456789012', region: 'eu-west-1' };
const env = { WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_HOME_ACCOUNT: target.account };
// 07:00 on 2026-06-15: the lookback is 2026-03-17 .. 2026-06-14, the last two days estimated.
const NOW = new Date('2026-06-15T07:00:00Z');
const START = '2026-03-17';
const LATEST_FINAL = 87;

function context(extraEnv: Record<string, string> = {}, now = NOW) {
  const pool = new ClientPool({
    homeAccount: target.account,
    homeRegion: 'eu-west-1',
    roleName: 'r',
    maxAttempts: 1,
  });
  const metrics = memorySink();
  const ctx: AutomationContext = {
    target,
    aws: pool.for(target),
    config: loadConfig({ ...env, ...extraEnv }),
    now: () => now,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    metrics,
    dryRun: true,
  };
  return { ctx, metrics };
}

const options = (extra: Partial<CostAnomalyOptions> = {}) => parseWith(costAnomalyOptions, extra, 'options');

const SERVICES: Record<string, CostFn> = {
  'Amazon Elastic Compute Cloud - Compute': (i, d) => weekly(30, 0.5)(i, d) * (i === LATEST_FINAL ? 10 : 1),
  'Amazon Simple Storage Service': (i) => steady(8, 3)(i) * (i === LATEST_FINAL ? 6 : 1),
  'Amazon Relational Database Service': (i) => steady(20, 4)(i) * (i === LATEST_FINAL - 1 ? 4 : 1),
  Tax: (_i, d) => (d.getUTCDate() === 1 ? 120 : 0),
};

/** Serves `response` in pages of `pageSize` days, as Cost Explorer does with NextPageToken. */
function serve(
  responses: { SERVICE: CostResponse; TAG?: CostResponse | Error; USAGE?: CostResponse | Error },
  pageSize = 40,
  throttleFirst = 0,
) {
  let throttled = 0;
  ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
    if (input.GroupBy?.[0]?.Type === 'TAG' && responses.TAG instanceof Error) throw responses.TAG;
    if (throttled < throttleFirst) {
      throttled++;
      throw new LimitExceededException({ message: 'Rate exceeded', $metadata: {} });
    }
    const type = input.GroupBy?.[0]?.Type === 'TAG' ? 'TAG' : input.GroupBy?.[1] ? 'USAGE' : 'SERVICE';
    if (responses[type] instanceof Error) throw responses[type];
    // Without a usage-type response, a usage-type request gets the service-level one (no root causes).
    const response = (responses[type] ?? responses.SERVICE) as CostResponse;
    const all = [...(response.ResultsByTime ?? [])];
    const from = Number(input.NextPageToken ?? 0);
    const page = all.slice(from, from + pageSize);
    return {
      GroupDefinitions: response.GroupDefinitions,
      ResultsByTime: page,
      ...(from + pageSize < all.length ? { NextPageToken: String(from + pageSize) } : {}),
    };
  });
}

describe('Function: costAnomalyAutomation.run', () => {
  beforeEach(() => {
    ce.reset();
  });

  it('fetches every page once and reports the anomalies of the latest final day ranked by dollars', async () => {
    // Prepare
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }) });
    const { ctx, metrics } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess: three pages by service, then (anomalies) three by service and usage type
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 6);
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 4, {
      TimePeriod: { Start: START, End: '2026-06-15' },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      ],
    });
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 1, {
      TimePeriod: { Start: START, End: '2026-06-15' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 2, { NextPageToken: '40' });
    const open = result.findings.filter((f) => f.status === 'open' && f.check === 'service-cost-anomaly');
    expect(open.map((f) => f.detail.series)).toEqual([
      'Amazon Elastic Compute Cloud - Compute',
      'Amazon Simple Storage Service',
    ]);
    // Money at stake: a one-day anomaly so far, and its excess for the 18 days left in June.
    const ec2 = open[0]!.detail;
    expect(ec2).toMatchObject({
      day: '2026-06-12',
      dimension: 'SERVICE',
      startedOn: '2026-06-12',
      daysOpen: 1,
    });
    expect(ec2.cumulativeExcessUsd).toBeCloseTo(Number(ec2.impactUsd), 1);
    expect(ec2.projectedExcessUsd).toBeCloseTo(Number(ec2.impactUsd) * 18, 0);
    expect(ec2.atStakeUsd).toBeCloseTo(Number(ec2.cumulativeExcessUsd) + Number(ec2.projectedExcessUsd), 1);
    // 250+ USD a day for 19 days is over the 5000 USD bar of 'high'; the S3 one (~40 USD a day) is 'medium'.
    expect(open[0]).toMatchObject({ severity: 'high' });
    expect(open[1]).toMatchObject({ severity: 'medium' });
    expect(Number(open[1]!.detail.atStakeUsd)).toBeGreaterThanOrEqual(500);
    expect(Number(open[1]!.detail.atStakeUsd)).toBeLessThan(5000);
    expect(open[0]!.title).toMatch(/, \d+ USD at stake/);
    expect(open[0]!.detail.actualUsd).toBeGreaterThan(250);
    expect(Number(open[0]!.detail.impactUsd)).toBeGreaterThanOrEqual(25);
    expect(Number(open[0]!.detail.impactPct)).toBeGreaterThanOrEqual(25);
    expect(open[0]!.detail.last14Days).toHaveLength(14);
    expect(open[0]!.resourceArn).toBe(
      `arn:aws:ce::${target.account}:cost/service/Amazon Elastic Compute Cloud - Compute`,
    );
    expect(metrics.recorded.map((m) => m.name)).toEqual([
      'DailySpendUsd',
      'ProjectedMonthUsd',
      'CostAnomalies',
      'CostAtStakeUsd',
    ]);
    expect(metrics.recorded[2]!.value).toBe(2);
    expect(metrics.recorded[3]!.value).toBeCloseTo(
      Number(open[0]!.detail.atStakeUsd) + Number(open[1]!.detail.atStakeUsd),
      1,
    );
    expect(result.report).toMatchObject({
      latestFinalDay: '2026-06-12',
      dailyBudgetUsd: 100,
      monthlyBudgetUsd: 2000,
    });
  });

  it('names the root causes of each service anomaly from one read by service and usage type', async () => {
    // Prepare: the EC2 spike is its new p4d instances in Tokyo; the S3 one its requests
    const usage = buildUsageResponse({
      start: START,
      days: 90,
      estimated: 2,
      services: {
        'Amazon Elastic Compute Cloud - Compute': {
          'BoxUsage:m5.large': weekly(30, 0.5),
          'APN1-BoxUsage:p4d.24xlarge': (i) => (i === LATEST_FINAL ? 260 : 0),
        },
        'Amazon Simple Storage Service': {
          'USE1-TimedStorage-ByteHrs': steady(6, 3),
          'EUW1-Requests-Tier1': (i) => steady(2, 5)(i) * (i === LATEST_FINAL ? 20 : 1),
        },
        Tax: { Tax: SERVICES.Tax! },
      },
    });
    serve({ SERVICE: sumToServices(usage), USAGE: usage });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess
    const open = result.findings.filter((f) => f.status === 'open' && f.check === 'service-cost-anomaly');
    expect(
      open.map((f) => [f.detail.rootCauseUsageType, f.detail.rootCauseRegion, f.detail.rootCauseNew]),
    ).toEqual([
      ['APN1-BoxUsage:p4d.24xlarge', 'ap-northeast-1', true],
      ['EUW1-Requests-Tier1', 'eu-west-1', false],
    ]);
    expect(open[0]!.title).toMatch(/, mostly APN1-BoxUsage:p4d\.24xlarge \(ap-northeast-1, new\)$/);
    expect((open[0]!.detail.rootCauses as string[])[0]).toMatch(
      /^APN1-BoxUsage:p4d\.24xlarge \(ap-northeast-1\) \+260\.00 USD, \d+ %, new$/,
    );
    expect(Number(open[0]!.detail.rootCauseShare)).toBeGreaterThan(0.9);
    const report = result.report as { anomalies: { series: string; rootCauses?: { usageType: string }[] }[] };
    expect(report.anomalies[0]!.rootCauses?.[0]?.usageType).toBe('APN1-BoxUsage:p4d.24xlarge');
  });

  it('reports the anomalies without root causes, and says why, when the usage types cannot be read', async () => {
    // Prepare
    const services = buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 });
    serve({ SERVICE: services, USAGE: new Error('AccessDenied') });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess
    const open = result.findings.filter((f) => f.status === 'open');
    expect(open.filter((f) => f.check === 'service-cost-anomaly')).toHaveLength(2);
    expect(open.find((f) => f.check === 'usage-cost-data-unavailable')).toMatchObject({
      severity: 'medium',
      detail: { error: expect.stringContaining('AccessDenied') },
    });
  });

  it('resolves the finding of an anomaly that ended', async () => {
    // Prepare: RDS was anomalous on the day before the latest final day.
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }) });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess
    const rds = result.findings.find((f) => f.detail.series === 'Amazon Relational Database Service');
    expect(rds).toMatchObject({ status: 'resolved', severity: 'info' });
  });

  it('withdraws an anomaly that a restatement made vanish, with the same finding id', async () => {
    // Prepare: yesterday's run saw the spike on 2026-06-12; today Cost Explorer restated that day.
    const restated: Record<string, CostFn> = { ...SERVICES, 'Amazon Simple Storage Service': steady(8, 3) };
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }) });
    const before = await costAnomalyAutomation.run(context().ctx, options());
    ce.reset();
    serve({ SERVICE: buildResponse({ start: '2026-03-18', days: 90, services: restated, estimated: 2 }) });

    // Act
    const after = await costAnomalyAutomation.run(
      context({}, new Date('2026-06-16T07:00:00Z')).ctx,
      options(),
    );

    // Assess
    const opened = before.findings.find((f) => f.detail.series === 'Amazon Simple Storage Service');
    const withdrawn = after.findings.find((f) => f.id === opened?.id);
    expect(opened?.status).toBe('open');
    expect(withdrawn?.status).toBe('resolved');
  });

  it('retries a throttled call and still fetches once per page', async () => {
    // Prepare
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }) }, 100, 1);
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess: one page (after the throttled attempt), then one page by usage type for the root causes
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 3);
    expect(result.findings.some((f) => f.check === 'service-cost-anomaly' && f.status === 'open')).toBe(true);
  });

  it('attributes cost by the configured tag as well', async () => {
    // Prepare
    const tags = buildResponse({
      start: START,
      days: 90,
      estimated: 2,
      groupType: 'TAG',
      services: {
        Project$checkout: (i) => steady(40, 5)(i) * (i === LATEST_FINAL ? 3 : 1),
        Project$: steady(10, 6),
      },
    });
    serve({
      SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }),
      TAG: tags,
    });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options({ tagKey: 'Project' }));

    // Assess
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageCommand, {
      GroupBy: [{ Type: 'TAG', Key: 'Project' }],
    });
    const tag = result.findings.find((f) => f.check === 'tag-cost-anomaly' && f.status === 'open');
    expect(tag?.detail).toMatchObject({ series: 'checkout', tagKey: 'Project', dimension: 'TAG' });
    expect(tag?.title).toMatch(/^Project=checkout cost/);
  });

  it('reports a tag grouping it could not fetch and still judges the services', async () => {
    // Prepare
    serve({
      SERVICE: buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 }),
      TAG: new Error('ValidationException: tag key not activated'),
    });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options({ tagKey: 'warden:function' }));

    // Assess
    const failed = result.findings.find((f) => f.check === 'tag-cost-data-unavailable');
    expect(failed).toMatchObject({ status: 'open', severity: 'medium' });
    expect(failed?.detail.error).toMatch(/tag key not activated/);
    expect(
      result.findings.filter((f) => f.check === 'service-cost-anomaly' && f.status === 'open'),
    ).toHaveLength(2);
  });

  it('checks the daily limit and the month-end projection, counting the 1st-of-month charge once', async () => {
    // Prepare: 50 USD a day and 1,000 USD of Tax on each 1st; 2026-06-12 is the latest final day.
    const flat: Record<string, CostFn> = {
      'Amazon EC2': () => 50,
      Tax: (_i, d) => (d.getUTCDate() === 1 ? 1000 : 0),
    };
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: flat, estimated: 2 }) });
    const { ctx, metrics } = context({ WARDEN_DAILY_BUDGET_USD: '40', WARDEN_MONTHLY_BUDGET_USD: '3000' });

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess: June = 1,000 + 30 x 50 = 2,500 (not 1,000 x 30 extrapolated).
    expect(result.report).toMatchObject({ dailyTotalUsd: 50, monthToDateUsd: 1700, projectedMonthUsd: 2500 });
    expect(metrics.recorded.find((m) => m.name === 'ProjectedMonthUsd')?.value).toBe(2500);
    const daily = result.findings.find((f) => f.check === 'daily-spend-limit');
    const monthly = result.findings.find((f) => f.check === 'monthly-budget-projection');
    expect(daily).toMatchObject({ status: 'open', detail: { actualUsd: 50, limitUsd: 40 } });
    expect(monthly).toMatchObject({ status: 'resolved' });
  });

  it('reports malformed Cost Explorer data as a finding naming the day and service', async () => {
    // Prepare
    const response = buildResponse({ start: START, days: 90, services: SERVICES, estimated: 2 });
    const day = response.ResultsByTime[30] as { Groups: { Metrics: { UnblendedCost: { Unit: string } } }[] };
    day.Groups[1]!.Metrics.UnblendedCost.Unit = 'EUR';
    serve({ SERVICE: response });
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ check: 'cost-data-malformed', status: 'open' });
    expect(result.findings[0]!.title).toMatch(
      /2026-04-16 for 'Amazon Simple Storage Service': unit "EUR" is not USD/,
    );
  });

  it('reports a check that could not run when Cost Explorer keeps failing', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).rejects(new Error('AccessDeniedException: not allowed'));
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess
    expect(result.findings).toEqual([
      expect.objectContaining({
        check: 'cost-data-unavailable',
        id: findingId(
          'costAnomaly',
          'cost-data-unavailable',
          `arn:aws:ce::${target.account}:cost/cost-data-unavailable`,
        ),
      }),
    ]);
  });

  it('says so when Cost Explorer has no final day yet, and rates a large anomaly high', async () => {
    // Prepare
    serve({ SERVICE: { GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }], ResultsByTime: [] } });
    const empty = await costAnomalyAutomation.run(context().ctx, options());
    ce.reset();
    const big = {
      ...SERVICES,
      'Amazon Redshift': (i: number) => steady(900, 7)(i) * (i === LATEST_FINAL ? 3 : 1),
    };
    serve({ SERVICE: buildResponse({ start: START, days: 90, services: big, estimated: 2 }) });

    // Act
    const result = await costAnomalyAutomation.run(context().ctx, options());

    // Assess
    expect(empty.summary).toBe('no final day of cost data yet');
    expect(empty.findings).toEqual([]);
    const first = result.findings[0]!;
    expect(first).toMatchObject({ severity: 'high', detail: { series: 'Amazon Redshift' } });
  });

  it('probes with one ungrouped day of cost', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [] });
    const { ctx } = context();

    // Act
    await costAnomalyAutomation.probe(ctx.aws);

    // Assess
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 1);
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]!.args[0].input.GroupBy).toBeUndefined();
  });
});

describe('Function: costAnomalyOptions', () => {
  it('fills the defaults and refuses unknown keys', () => {
    // Act
    const defaults = options();
    const unknown = () => parseWith(costAnomalyOptions, { lookback: 30 }, 'costAnomaly options');

    // Assess
    expect(defaults).toEqual({ lookbackDays: 90, minImpactUsd: 25, minImpactPct: 25, linkedAccounts: false });
    expect(unknown).toThrow(ValidationError);
    expect(costAnomalyAutomation.permissions).toEqual([
      'ce:GetCostAndUsage',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
    ]);
    expect(costAnomalyAutomation.mutatingPermissions).toEqual([]);
  });
});
