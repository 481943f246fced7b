import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AutomationContext } from '../../../lib/automations/types.js';
import { ClientPool } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { costAnomalyAutomation, costAnomalyOptions } from '../../../lib/cost/automation.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { parseWith } from '../../../lib/validation.js';
import { type FakeOrg, mockOrganization } from '../../support/fakeOrganization.js';
import { accountUsage, linkedServices, type Organization, pageOf } from './fixtures/linked.js';
import { steady, weekly } from './fixtures/series.js';

const PAYER = '999999999999';
const PROD = '111111111111';
const DEV = '222222222222';
const SANDBOX = '333333333333';
const BROKEN = '444444444444';
const NOW = new Date('2026-06-15T07:00:00Z');
const RANGE = { start: '2026-03-17', days: 90, estimated: 2 };
const LATEST_FINAL = 87;

// Prod's EC2 jumps on the last final day: new p4d instances in Tokyo. Dev's RDS is steady at ~20 USD a day.
const ORG: Organization = {
  [PROD]: {
    'Amazon Elastic Compute Cloud - Compute': {
      'BoxUsage:m5.large': weekly(30, 0.5),
      'APN1-BoxUsage:p4d.24xlarge': (i) => (i === LATEST_FINAL ? 400 : 0),
    },
    'Amazon Simple Storage Service': { 'TimedStorage-ByteHrs': steady(8, 3) },
  },
  [DEV]: { 'Amazon Relational Database Service': { 'InstanceUsage:db.t4g.medium': steady(20, 4) } },
  [SANDBOX]: { 'AWS Lambda': { 'Lambda-GB-Second': steady(10, 5) } },
  [BROKEN]: { 'AWS Lambda': { 'Lambda-GB-Second': steady(10, 6) } },
};

// Root > Workloads (prod) > Dev (dev); sandbox and the broken one sit at the root.
const FAKE_ORG: FakeOrg = {
  root: 'r-ab12',
  ous: [
    { id: 'ou-ab12-11111111', parent: 'r-ab12' },
    { id: 'ou-ab12-22222222', parent: 'ou-ab12-11111111' },
  ],
  accounts: [
    { id: PAYER, name: 'management', parent: 'r-ab12' },
    { id: PROD, name: 'prod', parent: 'ou-ab12-11111111' },
    { id: DEV, name: 'dev', parent: 'ou-ab12-22222222' },
    { id: SANDBOX, name: 'sandbox', parent: 'r-ab12' },
    { id: BROKEN, name: 'broken', parent: 'r-ab12' },
  ],
};

const ce = mockClient(CostExplorerClient);

/** The organization's cost, with one malformed amount in the broken account's data. */
function serveCost(groupsPerPage = 150) {
  const services = linkedServices(ORG, RANGE);
  const day40 = services.ResultsByTime[40]!;
  const groups = day40.Groups!.map((g) =>
    g.Keys?.[0] === BROKEN ? { ...g, Metrics: { UnblendedCost: { Amount: 'n/a', Unit: 'USD' } } } : g,
  );
  services.ResultsByTime[40] = { ...day40, Groups: groups };
  ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
    if (input.GroupBy?.[0]?.Key === 'LINKED_ACCOUNT') return pageOf(services, input, groupsPerPage);
    const account = input.Filter?.Dimensions?.Values?.[0] ?? '';
    return pageOf(accountUsage(ORG, account, RANGE), input, groupsPerPage);
  });
}

function context() {
  const pool = new ClientPool({ homeAccount: PAYER, homeRegion: 'eu-west-1', roleName: 'r', maxAttempts: 1 });
  const metrics = memorySink();
  const ctx: AutomationContext = {
    target: { account: PAYER, region: 'eu-west-1' },
    aws: pool.for({ account: PAYER, region: 'eu-west-1' }),
    config: loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_HOME_ACCOUNT: PAYER }),
    now: () => NOW,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    metrics,
    dryRun: true,
  };
  return { ctx, metrics };
}

const BUDGETS = {
  'ou-ab12-11111111': { dailyUsd: 1000, monthlyUsd: 30_000 },
  'ou-ab12-22222222': { monthlyUsd: 100 },
  [DEV]: { dailyUsd: 5 },
};

const options = (extra: Record<string, unknown> = {}) =>
  parseWith(costAnomalyOptions, { linkedAccounts: true, accountBudgets: BUDGETS, ...extra }, 'options');

const byCheck = (findings: Finding[], check: string, account?: string) =>
  findings.filter((f) => f.check === check && (account === undefined || f.account === account));

describe('Function: costAnomalyAutomation.run (linked accounts)', () => {
  afterEach(() => {
    ce.reset();
  });

  it('judges every linked account from one paged read, with names, root causes and budgets per account', async () => {
    // Prepare
    serveCost();
    const org = mockOrganization(FAKE_ORG);
    const { ctx, metrics } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess: the grouped read is paged (90 days × 5 groups at 150 a page), then one usage read, for prod only
    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    const grouped = calls.filter((c) => c.GroupBy?.[0]?.Key === 'LINKED_ACCOUNT');
    expect(grouped.length).toBe(3);
    expect(grouped[0]).toMatchObject({
      TimePeriod: { Start: '2026-03-17', End: '2026-06-15' },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
    const usage = calls.filter((c) => c.Filter);
    expect(usage.every((c) => c.Filter?.Dimensions?.Values?.[0] === PROD)).toBe(true);
    expect(usage[0]).toMatchObject({
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PROD] } },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      ],
    });
    const anomalies = byCheck(result.findings, 'service-cost-anomaly').filter((f) => f.status === 'open');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({
      account: PROD,
      resourceArn: `arn:aws:ce::${PROD}:cost/service/Amazon Elastic Compute Cloud - Compute`,
      detail: {
        accountName: 'prod',
        rootCauseUsageType: 'APN1-BoxUsage:p4d.24xlarge',
        rootCauseRegion: 'ap-northeast-1',
        rootCauseNew: true,
      },
    });
    expect(anomalies[0]!.title).toMatch(/^prod \(111111111111\): Amazon Elastic Compute Cloud/);
    // Budgets: dev's own daily limit (5) and its nearest OU's monthly budget (100); prod's from Workloads
    const devDaily = byCheck(result.findings, 'daily-spend-limit', DEV)[0]!;
    expect(devDaily).toMatchObject({ status: 'open', detail: { limitUsd: 5 } });
    expect(byCheck(result.findings, 'monthly-budget-projection', DEV)[0]).toMatchObject({
      status: 'open',
      detail: { limitUsd: 100 },
    });
    expect(byCheck(result.findings, 'monthly-budget-projection', PROD)[0]).toMatchObject({
      status: 'resolved',
      detail: { limitUsd: 30_000 },
    });
    expect(byCheck(result.findings, 'daily-spend-limit', SANDBOX)).toEqual([]);
    // The broken account is reported; the others complete
    expect(byCheck(result.findings, 'cost-data-malformed', BROKEN)[0]!.title).toMatch(/2026-04-26.*n\/a/);
    // The organization's total against the payer's configured budgets, apart from any account's own
    const orgDaily = result.findings.find((f) =>
      f.resourceArn.endsWith(':cost/organization/daily-spend-limit'),
    );
    expect(orgDaily).toMatchObject({ account: PAYER, detail: { limitUsd: 100 } });
    expect(result.report).toMatchObject({
      mode: 'linked-accounts',
      latestFinalDay: '2026-06-12',
      accountNames: 'Organizations',
    });
    const accounts = (result.report as { accounts: { account: string; name: string; error?: string }[] })
      .accounts;
    expect(accounts.map((a) => [a.account, a.name])).toEqual([
      [PROD, 'prod'],
      [DEV, 'dev'],
      [SANDBOX, 'sandbox'],
      [BROKEN, 'broken'],
    ]);
    expect(accounts[3]!.error).toMatch(/n\/a/);
    expect(result.summary).toMatch(/^2026-06-12: 4 linked accounts, 1 cost anomaly \(\d+ USD at stake\)/);
    expect(metrics.recorded.find((m) => m.name === 'CostAnomalies')?.value).toBe(1);
    org.restore();
  });

  it('names accounts by id when Organizations cannot be read, and reports the OU budget it could not resolve', async () => {
    // Prepare
    serveCost();
    const org = mockClient(OrganizationsClient);
    org.onAnyCommand().rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options());

    // Assess: the account's own budget still applies; the OU ones are reported, each once
    expect(result.report).toMatchObject({
      accountNames: expect.stringMatching(/^unavailable: .*not authorized/),
    });
    const unresolved = byCheck(result.findings, 'account-budgets-unresolved');
    expect(unresolved.map((f) => f.title)).toEqual([
      expect.stringContaining('ou-ab12-11111111'),
      expect.stringContaining('ou-ab12-22222222'),
    ]);
    expect(byCheck(result.findings, 'daily-spend-limit', DEV)[0]).toMatchObject({ detail: { limitUsd: 5 } });
    const anomaly = byCheck(result.findings, 'service-cost-anomaly', PROD).find((f) => f.status === 'open')!;
    expect(anomaly.title).toMatch(/^111111111111 \(111111111111\): /);
    expect(org).toHaveReceivedCommand(ListAccountsCommand);
    org.restore();
  });

  it('reports a read it could not make at all, and judges nothing from half the data', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const org = mockOrganization(FAKE_ORG);
    const { ctx } = context();

    // Act
    const result = await costAnomalyAutomation.run(ctx, options({ accountBudgets: {} }));

    // Assess
    expect(result.findings.map((f) => f.check)).toEqual(['cost-data-unavailable']);
    expect(result.summary).toMatch(/linked account/);
    org.restore();
  });
});
