import { describe, expect, it } from 'vitest';
import { analyseCost } from '../../../lib/cost/analysis.js';
import { Streaks, severityFor } from '../../../lib/cost/atStake.js';
import { costAnomalyOptions } from '../../../lib/cost/automation.js';
import { costFindings } from '../../../lib/cost/findings.js';
import { ValidationError } from '../../../lib/errors.js';
import { parseWith } from '../../../lib/validation.js';
import { buildResponse, steady } from './fixtures/series.js';

const DETECTOR = { minImpactUsd: 25, minImpactPct: 25 };

describe('Class: Streaks', () => {
  it('adds up the excess of consecutive anomalous days and starts over after a normal day', () => {
    // Prepare
    const streaks = new Streaks();

    // Act
    streaks.push('2026-06-08', new Map([['EC2', 50]]));
    streaks.push('2026-06-09', new Map());
    streaks.push('2026-06-10', new Map([['EC2', 100]]));
    streaks.push('2026-06-11', new Map([['EC2', 120]]));
    const open = streaks.atStake('EC2', '2026-06-11', 120);

    // Assess: 10 and 11 June; 19 days left in June at 120 USD a day
    expect(open).toEqual({
      startedOn: '2026-06-10',
      daysOpen: 2,
      cumulativeExcessUsd: 220,
      projectedExcessUsd: 2280,
      atStakeUsd: 2500,
      openDays: [
        { day: '2026-06-10', excessUsd: 100 },
        { day: '2026-06-11', excessUsd: 120 },
      ],
    });
    expect(streaks.atStake('EC2', '2026-06-30', 120).projectedExcessUsd).toBe(0);
  });

  it('judges severity on the money at stake with configurable thresholds', () => {
    // Act
    const defaults = [0, 499, 500, 4999, 5000, 50_000].map((usd) => severityFor(usd));
    const custom = severityFor(150, { medium: 10, high: 100, critical: 1000 });

    // Assess
    expect(defaults).toEqual(['low', 'low', 'medium', 'medium', 'high', 'critical']);
    expect(custom).toBe('high');
  });
});

describe('Function: analyseCost (money at stake)', () => {
  // 60 days from 2026-05-01; the last final day is 2026-06-27 (two days estimated).
  const LAST = 57;

  it('ranks an anomaly open for three days above a larger one-day spike', () => {
    // Prepare: RDS moved to a new level (+100 USD) three days ago; EC2 spiked +110 USD on the last day only
    const response = buildResponse({
      start: '2026-05-01',
      days: 60,
      estimated: 2,
      services: {
        'Amazon Relational Database Service': (i) => steady(100, 3)(i) + (i >= LAST - 2 ? 100 : 0),
        'Amazon Elastic Compute Cloud - Compute': (i) => steady(100, 4)(i) + (i === LAST ? 110 : 0),
      },
    });

    // Act
    const analysis = analyseCost({ services: response }, DETECTOR);
    const findings = costFindings(analysis, {
      target: { account: '123456789012', region: 'us-east-1' },
      observedAt: new Date('2026-06-30T07:00:00Z'),
      dryRun: true,
      tagKey: undefined,
      dailyBudgetUsd: undefined,
      monthlyBudgetUsd: undefined,
      severityUsd: { medium: 100, high: 2000, critical: 100_000 },
    });

    // Assess
    const [rds, ec2] = analysis.services.anomalies;
    expect(rds).toMatchObject({
      series: 'Amazon Relational Database Service',
      startedOn: '2026-06-25',
      daysOpen: 3,
    });
    expect(ec2).toMatchObject({ series: 'Amazon Elastic Compute Cloud - Compute', daysOpen: 1 });
    expect(ec2!.impactUsd).toBeGreaterThan(rds!.impactUsd);
    expect(rds!.cumulativeExcessUsd).toBeGreaterThan(250);
    expect(rds!.projectedExcessUsd).toBeCloseTo(rds!.impactUsd * 3, 1);
    expect(rds!.atStakeUsd).toBeGreaterThan(ec2!.atStakeUsd);
    expect(findings.map((f) => f.detail.series)).toEqual([rds!.series, ec2!.series]);
    expect(findings.map((f) => f.severity)).toEqual(['medium', 'medium']);
    // No budgets given: no threshold findings
    expect(findings.some((f) => f.check === 'daily-spend-limit')).toBe(false);
  });
});

describe('Function: costAnomalyOptions (severity)', () => {
  it('refuses thresholds out of order, naming the field', () => {
    // Act
    const parse = () =>
      parseWith(
        costAnomalyOptions,
        { severityUsd: { medium: 900, high: 100, critical: 1000 } },
        'costAnomaly options',
      );

    // Assess
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/severityUsd/);
  });
});
