import { describe, expect, it } from 'vitest';
import { renderCostHtml } from '../../../lib/cost/html.js';
import { buildCostReport, renderCostTable, withRootCauses } from '../../../lib/cost/report.js';
import { buildResponse, steady, weekly } from './fixtures/series.js';
import { buildUsageResponse } from './fixtures/usage.js';

const response = buildResponse({
  days: 75,
  estimated: 2,
  services: {
    'Amazon EC2': (i, d) => weekly(300, 0.5)(i, d) * (i === 70 ? 2.5 : 1),
    'Amazon <script> & "S3"': steady(40, 3),
    Tax: (_i, d) => (d.getUTCDate() === 1 ? 900 : 0),
  },
});
const options = {
  days: 30,
  minImpactUsd: 25,
  minImpactPct: 25,
  dailyBudgetUsd: 500,
  monthlyBudgetUsd: 20000,
};

describe('Function: buildCostReport', () => {
  it('keeps the last days with expected values and marks the anomalies', () => {
    // Act
    const report = buildCostReport(response, options);

    // Assess
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toBe('2026-03-16');
    const ec2 = report.series.find((s) => s.name === 'Amazon EC2')!;
    expect(ec2.anomalous.filter(Boolean)).toHaveLength(1);
    expect(report.days[ec2.anomalous.indexOf(true)]).toBe('2026-03-12');
    expect(ec2.expected.every((e) => e > 0)).toBe(true);
    expect(report.month).toBe('2026-03');
    expect(report.projectedMonthUsd).toBeGreaterThan(report.monthToDateUsd);
  });
});

describe('Function: renderCostTable', () => {
  it('prints one row per day with anomalies, estimated days and the projection marked', () => {
    // Act
    const lines = renderCostTable(buildCostReport(response, options));

    // Assess
    expect(lines[0]).toMatch(/^day\s+EC2/);
    expect(lines.find((l) => l.startsWith('2026-03-12'))).toMatch(/\*/);
    expect(lines.find((l) => l.startsWith('2026-03-16'))).toMatch(/^2026-03-16~/);
    expect(
      lines.some((l) => /2026-03-12 {2}Amazon EC2: .* USD, expected .* \(\+.* USD, \+\d+ %\)/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/^2026-03: month to date .* projected .* within the 20000 USD budget/);
  });
});

describe('Function: renderCostHtml', () => {
  it('draws a self-contained chart per anomalous service and escapes names', () => {
    // Act
    const html = renderCostHtml(buildCostReport(response, options));

    // Assess
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg/g)).toHaveLength(2); // projection + EC2
    expect(html).toContain('<h2>Amazon EC2</h2>');
    expect(html).toContain('<circle');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/(src|href)="http/);
  });

  it('says so when the period had no anomaly', () => {
    // Prepare
    const quiet = buildResponse({ days: 60, services: { 'Amazon EC2': steady(100) } });

    // Act
    const html = renderCostHtml(buildCostReport(quiet, options));

    // Assess
    expect(html).toContain('No anomaly in this period.');
  });
});

describe('Function: withRootCauses', () => {
  it('names the root cause of each anomaly shown, in the JSON and on its line of the table', () => {
    // Prepare
    const usage = buildUsageResponse({
      days: 75,
      estimated: 2,
      services: {
        'Amazon EC2': {
          'BoxUsage:m5.large': weekly(300, 0.5),
          'EUW2-BoxUsage:g5.xlarge': (i) => (i === 70 ? 450 : 0),
        },
      },
    });
    const report = buildCostReport(usage, options);

    // Act
    const explained = withRootCauses(report, usage, options);

    // Assess
    expect(explained.rootCauses).toEqual([
      {
        series: 'Amazon EC2',
        day: '2026-03-12',
        causes: [
          expect.objectContaining({ usageType: 'EUW2-BoxUsage:g5.xlarge', region: 'eu-west-2', new: true }),
        ],
        breakdown: { layers: ['EUW2-BoxUsage:g5.xlarge', 'other usage types'], daily: expect.any(Array) },
      },
    ]);
    // The stacked chart's data: the new usage type on its day only, and every day's layers add up to the service
    const { daily } = explained.rootCauses[0]!.breakdown;
    const col = report.days.indexOf('2026-03-12');
    expect(daily[0]!.map((v, i) => (i === col ? v : 0))).toEqual(daily[0]);
    expect(daily[0]![col]).toBe(450);
    const ec2 = report.series.find((s) => s.name === 'Amazon EC2')!;
    for (const [i, actual] of ec2.actual.entries())
      expect(daily[0]![i]! + daily[1]![i]!).toBeCloseTo(actual, 1);
    expect(renderCostTable(explained).find((l) => l.startsWith('  2026-03-12'))).toMatch(
      /, mostly EUW2-BoxUsage:g5\.xlarge \(eu-west-2\) \+450\.00 USD, \d+ %, new$/,
    );
    expect(report.rootCauses).toEqual([]);
  });
});
