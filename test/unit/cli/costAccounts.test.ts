import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { costCommand } from '../../../lib/cli/cost.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import { ValidationError } from '../../../lib/errors.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { type FakeOrg, mockOrganization } from '../../support/fakeOrganization.js';
import { accountUsage, linkedServices, type Organization, pageOf } from '../cost/fixtures/linked.js';
import { steady } from '../cost/fixtures/series.js';

const PAYER = '999999999999';
const PROD = '111111111111';
const DEV = '222222222222';
const RANGE = { start: '2026-01-01', days: 90, estimated: 2 };
const SPIKE = 87; // 2026-03-29, the last final day of an export ending 2026-03-31

const ORG: Organization = {
  [PROD]: {
    'Amazon EC2': {
      'BoxUsage:m5.large': steady(300, 1),
      'EUW2-BoxUsage:g5.xlarge': (i) => (i >= SPIKE - 1 ? 500 : 0),
    },
  },
  [DEV]: { 'Amazon RDS': { 'InstanceUsage:db.t4g.small': steady(15, 2) } },
};
const FAKE_ORG: FakeOrg = {
  root: 'r-ab12',
  ous: [],
  accounts: [
    { id: PROD, name: 'prod', parent: 'r-ab12' },
    { id: DEV, name: 'dev', parent: 'r-ab12' },
  ],
};

const ce = mockClient(CostExplorerClient);

function cli(json = true) {
  const out: string[] = [];
  const err: string[] = [];
  const published: Finding[] = [];
  const ctx: CliContext = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), progress: (l) => err.push(l) },
    json,
    apply: false,
    config: () => loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_HOME_ACCOUNT: PAYER }),
    pool: () =>
      new ClientPool({ homeAccount: PAYER, homeRegion: 'eu-west-1', roleName: 'r', maxAttempts: 1 }),
    target: async () => ({ account: PAYER, region: 'eu-west-1' }),
    publish: async (f) => void published.push(...f),
    now: () => new Date('2026-04-01T07:00:00Z'),
  };
  return { ctx, out, err, published };
}

function serveLive() {
  const services = linkedServices(ORG, RANGE);
  ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) =>
    input.GroupBy?.[0]?.Key === 'LINKED_ACCOUNT'
      ? pageOf(services, input, 100)
      : pageOf(accountUsage(ORG, input.Filter?.Dimensions?.Values?.[0] ?? '', RANGE), input, 100),
  );
}

describe('Function: costCommand.run (linked accounts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-cost-accounts-'));
  const saved = join(dir, 'by-account.json');
  writeFileSync(
    saved,
    JSON.stringify({
      ...linkedServices(ORG, RANGE),
      DimensionValueAttributes: [{ Value: PROD, Attributes: { description: 'prod' } }],
    }),
  );

  afterEach(() => {
    ce.reset();
  });

  it('checks a saved export by linked account offline, naming accounts from the export', async () => {
    // Prepare
    const { ctx, out, published } = cli();

    // Act
    const code = await costCommand.run(['check', '--from', saved], ctx);

    // Assess: two days of a new 500 USD level in prod, both counted in its money at stake
    expect(code).toBe(0);
    const { report, summary } = JSON.parse(out[0]!);
    expect(summary).toMatch(/^2026-03-29: 2 linked accounts, 1 cost anomaly/);
    expect(report).toMatchObject({ mode: 'linked-accounts', accountNames: 'Cost Explorer' });
    expect(report.anomalies).toEqual([
      expect.objectContaining({ account: PROD, accountName: 'prod', series: 'Amazon EC2', daysOpen: 2 }),
    ]);
    expect(report.anomalies[0].cumulativeExcessUsd).toBeGreaterThan(900);
    expect(report.accounts.map((a: { account: string }) => a.account)).toEqual([PROD, DEV]);
    expect(published.every((f) => f.dryRun)).toBe(true);
    expect(published.find((f) => f.check === 'service-cost-anomaly' && f.status === 'open')?.account).toBe(
      PROD,
    );
  });

  it('reports a saved export by linked account as a table, as JSON and as HTML', async () => {
    // Prepare
    const html = join(dir, 'accounts.html');
    const table = cli(false);
    const json = cli();

    // Act
    await costCommand.run(['report', '--from', saved, '--days', '14', '--html', html], table.ctx);
    await costCommand.run(['report', '--from', saved, '--days', '14'], json.ctx);

    // Assess
    expect(table.out[1]).toMatch(/^111111111111 +prod +[\d.]+ +[\d.]+ +[\d.]+ +2$/);
    expect(
      table.out.filter((l) => /^ {2}2026-03-2[89] {2}prod \(111111111111\): Amazon EC2/.test(l)),
    ).toHaveLength(2);
    const doc = JSON.parse(json.out[0]!);
    expect(doc.mode).toBe('linked-accounts');
    expect(doc.days).toHaveLength(14);
    expect(doc.accounts.map((a: { name?: string }) => a.name)).toEqual(['prod', undefined]);
    expect(readFileSync(html, 'utf8')).toContain('prod (111111111111): Amazon EC2');
  });

  it('reports live per account: one read by LINKED_ACCOUNT, names from Organizations, root causes per account', async () => {
    // Prepare
    serveLive();
    const org = mockOrganization(FAKE_ORG);
    const { ctx, out } = cli();

    // Act
    const code = await costCommand.run(['report', '--by-account', '--days', '10'], ctx);

    // Assess
    expect(code).toBe(0);
    const inputs = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    expect(inputs.filter((i) => i.GroupBy?.[0]?.Key === 'LINKED_ACCOUNT').length).toBeGreaterThan(1); // paged
    expect([...new Set(inputs.flatMap((i) => i.Filter?.Dimensions?.Values ?? []))]).toEqual([PROD]);
    const doc = JSON.parse(out[0]!);
    const prod = doc.accounts.find((a: { account: string }) => a.account === PROD);
    expect(prod.name).toBe('prod');
    expect(prod.report.rootCauses[0].causes[0]).toMatchObject({
      usageType: 'EUW2-BoxUsage:g5.xlarge',
      new: true,
    });
    expect(doc.accounts.find((a: { account: string }) => a.account === DEV).name).toBe('dev');
    org.restore();
  });

  it('runs the live check in linked-account mode', async () => {
    // Prepare
    serveLive();
    const org = mockOrganization(FAKE_ORG);
    const { ctx, out } = cli();

    // Act
    const code = await costCommand.run(['check', '--linked-accounts'], ctx);

    // Assess
    expect(code).toBe(0);
    const { report } = JSON.parse(out[0]!);
    expect(report).toMatchObject({ mode: 'linked-accounts', accountNames: 'Organizations' });
    expect(report.anomalies[0]).toMatchObject({
      account: PROD,
      accountName: 'prod',
    });
    expect(report.anomalies[0].rootCauses[0]).toMatchObject({ usageType: 'EUW2-BoxUsage:g5.xlarge' });
    org.restore();
  });

  it('refuses --by-account on an export that is not grouped by account', async () => {
    // Prepare
    const single = join(dir, 'single.json');
    writeFileSync(
      single,
      JSON.stringify({ GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }], ResultsByTime: [] }),
    );

    // Act
    const act = costCommand.run(['report', '--by-account', '--from', single], cli().ctx);

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
    await expect(costCommand.run(['report', '--by-account', '--from', single], cli().ctx)).rejects.toThrow(
      /--from/,
    );
  });
});
