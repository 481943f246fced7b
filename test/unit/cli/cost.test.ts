import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { costCommand } from '../../../lib/cli/cost.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import { demo } from '../../../lib/cost/demo.js';
import { ValidationError } from '../../../lib/errors.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { buildResponse, steady, weekly } from '../cost/fixtures/series.js';
import { buildUsageResponse } from '../cost/fixtures/usage.js';

const ce = mockClient(CostExplorerClient);
const target = { account: '123456789012', region: 'eu-west-1' };

function cli(options: { apply?: boolean; json?: boolean; now?: Date } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const published: Finding[] = [];
  const ctx: CliContext = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), progress: (l) => err.push(l) },
    json: options.json ?? false,
    apply: options.apply ?? false,
    config: () =>
      loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_HOME_ACCOUNT: target.account }),
    pool: () =>
      new ClientPool({ homeAccount: target.account, homeRegion: 'eu-west-1', roleName: 'r', maxAttempts: 1 }),
    target: async () => target,
    publish: async (f) => void published.push(...f),
    now: () => options.now ?? new Date('2026-03-31T07:00:00Z'),
  };
  return { ctx, out, err, published };
}

const scenario = (spikeDay: number) =>
  buildResponse({
    days: 90,
    estimated: 2,
    services: {
      'Amazon EC2': (i, d) => weekly(300, 0.5)(i, d) * (i === spikeDay ? 2.5 : 1),
      'Amazon S3': steady(40, 3),
      Tax: (_i, d) => (d.getUTCDate() === 1 ? 900 : 0),
    },
  });

describe('Function: costCommand.run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-cost-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify(scenario(50)));
  writeFileSync(join(dir, 'b.json'), JSON.stringify(scenario(70)));
  writeFileSync(join(dir, 'labels.json'), '[]');
  const exportFile = join(dir, 'a.json');

  beforeEach(() => {
    ce.reset();
  });

  it('backtests every scenario of a directory and writes the events', async () => {
    // Prepare
    const { ctx, out } = cli();
    const file = join(dir, 'events.out');

    // Act
    const code = await costCommand.run(['backtest', '--data', dir, '--out', file], ctx);

    // Assess
    expect(code).toBe(0);
    const events = JSON.parse(readFileSync(file, 'utf8'));
    expect(events.map((e: { scenario: string; start: string }) => [e.scenario, e.start])).toEqual([
      ['a', '2026-02-20'],
      ['b', '2026-03-12'],
    ]);
    expect(events[0]).toEqual(expect.objectContaining({ service: 'Amazon EC2', end: '2026-02-20' }));
    expect(out[0]).toMatch(/^2 scenarios, 2 events in .* s -> /);
  });

  it("backtests a file grouped by SERVICE and USAGE_TYPE and names each event's root cause", async () => {
    // Prepare
    const { ctx } = cli();
    const data = join(dir, 'usage', 'u.json');
    mkdirSync(join(dir, 'usage'), { recursive: true });
    writeFileSync(
      data,
      JSON.stringify(
        buildUsageResponse({
          days: 90,
          services: {
            'Amazon EC2': {
              'BoxUsage:m5.large': steady(200, 1),
              'EUW1-BoxUsage:c5.xlarge': (i) => (i === 50 ? 300 : 60),
            },
          },
        }),
      ),
    );
    const file = join(dir, 'usage.out');

    // Act
    const code = await costCommand.run(['backtest', '--data', data, '--out', file], ctx);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([
      expect.objectContaining({
        scenario: 'u',
        start: '2026-02-20',
        rootCause: { usageType: 'EUW1-BoxUsage:c5.xlarge', region: 'eu-west-1' },
      }),
    ]);
  });

  it('checks a saved export grouped by service and usage type and names the root cause in --json', async () => {
    // Prepare
    const { ctx, out } = cli({ json: true });
    const data = join(dir, 'usage', 'check.json');
    mkdirSync(join(dir, 'usage'), { recursive: true });
    const services = {
      'Amazon EC2': {
        'BoxUsage:m5.large': steady(200, 1),
        'USE2-NatGateway-Bytes': (i: number) => (i === 88 ? 250 : 40),
      },
    };
    writeFileSync(data, JSON.stringify(buildUsageResponse({ days: 89, services })));

    // Act
    const code = await costCommand.run(['check', '--from', data], ctx);

    // Assess
    expect(code).toBe(0);
    const { report } = JSON.parse(out[0]!);
    expect(report.anomalies).toEqual([
      expect.objectContaining({
        series: 'Amazon EC2',
        rootCauses: [
          expect.objectContaining({ usageType: 'USE2-NatGateway-Bytes', region: 'us-east-2', new: false }),
        ],
      }),
    ]);
  });

  it('names the root causes in the report of a saved export grouped by service and usage type', async () => {
    // Prepare
    const { ctx, out } = cli();
    const data = join(dir, 'usage', 'report.json');
    mkdirSync(join(dir, 'usage'), { recursive: true });
    const services = {
      'Amazon EC2': {
        'BoxUsage:m5.large': steady(200, 1),
        'APS2-DataTransfer-Out-Bytes': (i: number) => (i === 80 ? 300 : 30),
      },
    };
    writeFileSync(data, JSON.stringify(buildUsageResponse({ days: 89, services })));

    // Act
    const code = await costCommand.run(['report', '--from', data, '--days', '20'], ctx);

    // Assess
    expect(code).toBe(0);
    expect(out.find((l) => l.startsWith('  2026-03-22'))).toMatch(
      /mostly APS2-DataTransfer-Out-Bytes \(ap-southeast-2\)/,
    );
  });

  it('prints the report table of a saved export and writes the HTML page', async () => {
    // Prepare
    const { ctx, out } = cli();
    const html = join(dir, 'report.html');

    // Act
    const code = await costCommand.run(['report', '--from', exportFile, '--days', '45', '--html', html], ctx);

    // Assess
    expect(code).toBe(0);
    expect(out.filter((l) => /^2026-\d\d-\d\d/.test(l))).toHaveLength(45);
    expect(out.some((l) => l.startsWith('2026-02-20') && l.includes('*'))).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<h2>Amazon EC2</h2>');
  });

  it('reports live Cost Explorer data', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).resolves(scenario(80) as never);
    const { ctx, out } = cli({ json: true });

    // Act
    const code = await costCommand.run(['report', '--days', '10'], ctx);

    // Assess
    expect(code).toBe(0);
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageCommand, {
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    expect(JSON.parse(out[0]!).days).toHaveLength(10);
  });

  it('runs the check on a saved export as a dry-run and publishes its findings', async () => {
    // Prepare
    const { ctx, out, published } = cli();

    // Act
    const code = await costCommand.run(['check', '--from', join(dir, 'b.json')], ctx);

    // Assess
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^2026-03-29: 0 cost anomalies/);
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((f) => f.dryRun)).toBe(true);
  });

  it('runs the automation against Cost Explorer', async () => {
    // Prepare: the export ends 2026-03-31, so 2026-03-29 is the latest final day.
    ce.on(GetCostAndUsageCommand).resolves(scenario(87) as never);
    const { ctx, out, published } = cli({ json: true, now: new Date('2026-04-01T07:00:00Z') });

    // Act
    const code = await costCommand.run(['check'], ctx);

    // Assess
    expect(code).toBe(0);
    const doc = JSON.parse(out[0]!);
    expect(doc.report.anomalies).toEqual([
      expect.objectContaining({ series: 'Amazon EC2', day: '2026-03-29' }),
    ]);
    expect(doc.metrics.map((m: { name: string }) => m.name)).toEqual([
      'DailySpendUsd',
      'ProjectedMonthUsd',
      'CostAnomalies',
      'CostAtStakeUsd',
    ]);
    expect(doc.report.anomalies[0]).toEqual(
      expect.objectContaining({ startedOn: '2026-03-29', daysOpen: 1, atStakeUsd: expect.any(Number) }),
    );
    expect(published.find((f) => f.status === 'open' && f.check === 'service-cost-anomaly')?.dryRun).toBe(
      true,
    );
  });

  it('backtests one file with other thresholds and prints JSON', async () => {
    // Prepare
    const { ctx, out } = cli({ json: true });
    const file = join(dir, 'one.out');

    // Act
    const code = await costCommand.run(
      ['backtest', '--data', exportFile, '--out', file, '--min-impact-usd', '5000', '--min-impact-pct', '25'],
      ctx,
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ scenarios: 1, events: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('uses the default budgets offline when there is no stage configuration', async () => {
    // Prepare
    const { ctx, out } = cli({ json: true });
    ctx.config = () => loadConfig({});

    // Act
    const code = await costCommand.run(['report', '--from', exportFile], ctx);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ dailyBudgetUsd: 100, monthlyBudgetUsd: 2000 });
  });

  it('reports malformed data in a saved export as a finding and on stderr', async () => {
    // Prepare
    const broken = scenario(50);
    (broken.ResultsByTime[40] as { Groups: { Metrics: { UnblendedCost: { Amount: string } } }[] })
      .Groups[0]!.Metrics.UnblendedCost.Amount = 'abc';
    const file = join(dir, 'broken.export');
    writeFileSync(file, JSON.stringify(broken));
    const { ctx, out, err, published } = cli({ json: true });

    // Act
    const code = await costCommand.run(['check', '--from', file], ctx);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!).summary).toMatch(/2026-02-10 for 'Amazon EC2'.*"abc" is not a number/);
    expect(err.join('\n')).toMatch(/malformed cost data/);
    expect(published.map((f) => f.check)).toEqual(['cost-data-malformed']);
  });

  it.each([
    [['report', '--from', '/nonexistent/export.json']],
    [['nope']],
    [['backtest', '--out', 'x']],
    [['backtest', '--data', 'd']],
    [['report', '--days', '0']],
    [['report', '--bogus']],
    [['check', '--lookback-days', '5']],
  ])('rejects bad usage %j with a ValidationError', async (args) => {
    // Prepare
    const { ctx } = cli();

    // Act
    const act = costCommand.run(args, ctx);

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
  });
});

describe('Function: demo', () => {
  it('runs the check on the example export and prints the report table', async () => {
    // Prepare
    const out: string[] = [];

    // Act
    await demo({ out: (l) => out.push(l), err: () => {}, progress: () => {} });

    // Assess
    expect(out[0]).toMatch(/^costAnomaly \(dry-run, examples\/cost\): 2026-11-23: 2 cost anomalies/);
    expect(out.some((l) => l.includes('Amazon Elastic Compute Cloud - Compute cost'))).toBe(true);
    expect(out.some((l) => l.includes('Project=checkout cost'))).toBe(true);
    expect(out.some((l) => /^2026-11-23 .*\*/.test(l))).toBe(true);
    // The management-account mode on the export by linked account: names, money at stake, a budget per account
    expect(out).toContain(
      'costAnomaly by linked account (dry-run, examples/cost/cost-by-account.json): 2026-11-23: 4 linked accounts, 2 cost anomalies (2529 USD at stake), spend 589.08 USD (limit 1000), 2026-11 projected 11146.36 USD (budget 20000)',
    );
    expect(
      out.some((l) => /^ {2}\[medium\] prod \(111122223333\): EC2 - Other cost .* 930 USD at stake$/.test(l)),
    ).toBe(true);
    expect(
      out.some((l) => l.includes('Projected spend of prod (111122223333) for 2026-11 7137.74 USD exceeds')),
    ).toBe(true);
  });
});
