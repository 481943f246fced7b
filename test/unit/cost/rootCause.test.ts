import { describe, expect, it } from 'vitest';
import { backtestScenario } from '../../../lib/cost/backtest.js';
import { mixShift, rankRootCauses } from '../../../lib/cost/rootCause.js';
import { steady, weekly } from './fixtures/series.js';
import { buildUsageResponse, sumToServices } from './fixtures/usage.js';

const OPTIONS = { minImpactUsd: 25, minImpactPct: 25 };
const EC2 = 'Amazon Elastic Compute Cloud - Compute';
const OTHER = 'EC2 - Other';
const at = (day: number, factor: number) => (i: number) => (i === day ? factor : 1);
const from = (day: number, before: number, after: number) => (i: number) => (i >= day ? after : before);

describe('Function: backtestScenario (root causes)', () => {
  it('names the usage type whose own increase explains the anomaly, with its region', () => {
    // Prepare
    const response = buildUsageResponse({
      days: 90,
      services: {
        [OTHER]: {
          'EBS:VolumeUsage.gp2': steady(200, 1),
          'NatGateway-Bytes': (i, d) => weekly(150, 0.4, 2)(i, d) * at(60, 4)(i),
          'EUW1-NatGateway-Hours': steady(30, 3),
        },
        Tax: { Tax: (_i, d) => (d.getUTCDate() === 1 ? 500 : 0) },
      },
    });

    // Act
    const events = backtestScenario('t', response, OPTIONS);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({
        service: OTHER,
        start: '2026-03-02',
        rootCause: { usageType: 'NatGateway-Bytes', region: 'us-east-1' },
      }),
    ]);
  });

  it('names a usage type that did not exist before the anomaly (a new region) ', () => {
    // Prepare
    const response = buildUsageResponse({
      days: 80,
      services: {
        [EC2]: {
          'USE1-BoxUsage:m5.large': steady(300, 1),
          'APN1-BoxUsage:m5.large': (i) => (i >= 60 ? 400 : 0),
        },
      },
    });

    // Act
    const events = backtestScenario('t', response, OPTIONS);

    // Assess
    expect(events[0]).toEqual(
      expect.objectContaining({
        start: '2026-03-02',
        rootCause: { usageType: 'APN1-BoxUsage:m5.large', region: 'ap-northeast-1' },
      }),
    );
  });

  it('does not blame a mix shift within the service: the migrated-to type is normal at its new level', () => {
    // Prepare: gp2 → gp3 on day 40 (the service does not move), a spike of gp3 and of snapshots later on
    const response = buildUsageResponse({
      days: 90,
      services: {
        [OTHER]: {
          'USE1-EBS:VolumeUsage.gp2': (i) => steady(300, 1)(i) * from(40, 1, 0.2)(i),
          'USE1-EBS:VolumeUsage.gp3': (i) => (i >= 40 ? steady(240, 2)(i) : 0),
          'USE1-EBS:SnapshotUsage': (i) => steady(100, 3)(i) * at(50, 3)(i),
        },
      },
    });

    // Act
    const events = backtestScenario('t', response, OPTIONS);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({
        start: '2026-02-20',
        rootCause: { usageType: 'USE1-EBS:SnapshotUsage', region: 'us-east-1' },
      }),
    ]);
  });

  it('does not blame a migration two days before the anomaly, before its baseline caught up', () => {
    // Prepare: m5 → m6i (which already ran) on day 58, the service flat; snapshots jump on day 60
    const response = buildUsageResponse({
      days: 80,
      services: {
        [EC2]: {
          'USE1-BoxUsage:m5.large': (i) => steady(400, 1)(i) * from(58, 1, 0.25)(i),
          'USE1-BoxUsage:m6i.large': (i) => steady(50, 2)(i) + (i >= 58 ? 300 : 0),
          'USE1-EBS:SnapshotUsage': (i) => steady(100, 3)(i) * at(60, 2.5)(i),
        },
      },
    });

    // Act
    const events = backtestScenario('t', response, OPTIONS);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({
        start: '2026-03-02',
        rootCause: { usageType: 'USE1-EBS:SnapshotUsage', region: 'us-east-1' },
      }),
    ]);
  });

  it('detects on the usage types summed per service exactly as on the service-level export', () => {
    // Prepare: weekday profiles, a 1st-of-month charge, a level shift, a spike, a new service, estimated days
    const usage = buildUsageResponse({
      days: 150,
      estimated: 2,
      services: {
        [EC2]: {
          'BoxUsage:m5.large': (i, d) => weekly(210.1234567, 0.5, 4)(i, d) * at(70, 2.2)(i),
          'USW2-SpotUsage:c5.2xlarge': (i) => steady(95.3, 5)(i) * from(100, 1, 1.6)(i),
        },
        'Amazon Route 53': {
          HostedZone: (_i, d) => (d.getUTCDate() === 1 ? 80 : 0),
          'DNS-Queries': steady(3),
        },
        'Amazon SageMaker': { 'USE1-Notebook:ml.t3.medium': (i) => (i >= 120 ? 140 : 0) },
      },
    });

    // Act
    const fromUsage = backtestScenario('t', usage, OPTIONS);
    const fromServices = backtestScenario('t', sumToServices(usage), OPTIONS);

    // Assess
    expect(fromServices.length).toBeGreaterThanOrEqual(3);
    expect(fromUsage.map(({ rootCause, ...event }) => event)).toEqual(fromServices);
    expect(fromUsage.every((e) => e.rootCause !== undefined)).toBe(true);
    expect(fromServices.every((e) => e.rootCause === undefined)).toBe(true);
  });
});

describe('Function: rankRootCauses', () => {
  it('ranks only increases, by USD, with their share of the service excess', () => {
    // Prepare
    const excess = {
      service: EC2,
      start: '2026-03-02',
      serviceUsd: 500,
      byUsageType: new Map([
        ['USE1-BoxUsage:m5.large', -120],
        ['EUW1-BoxUsage:m6i.large', 120],
        ['APS1-BoxUsage:p4d.24xlarge', 450],
        ['BoxUsage:t3.micro', 50],
      ]),
    };
    const born = (t: string) => (t.startsWith('APS1') ? '2026-03-02' : '2026-01-01');

    // Act
    const ranked = rankRootCauses(excess, born);

    // Assess
    expect(ranked).toEqual([
      {
        usageType: 'APS1-BoxUsage:p4d.24xlarge',
        region: 'ap-southeast-1',
        excessUsd: 450,
        share: 0.9,
        new: true,
      },
      { usageType: 'EUW1-BoxUsage:m6i.large', region: 'eu-west-1', excessUsd: 120, share: 0.24, new: false },
      { usageType: 'BoxUsage:t3.micro', region: 'us-east-1', excessUsd: 50, share: 0.1, new: false },
    ]);
  });
});

describe('Function: mixShift', () => {
  const day = (excess: number) => ({ excess, actual: 100 + excess });

  it('takes the increases that decreases cancel for a shift, spread over the increases', () => {
    // Act
    const shift = mixShift(
      new Map([
        ['a', day(300)],
        ['b', day(100)],
        ['c', day(-320)],
      ]),
      25,
    );

    // Assess
    expect([...shift]).toEqual([
      ['a', 240],
      ['b', 80],
    ]);
  });

  it('sees no shift in noise, nor in an increase that nothing cancels', () => {
    // Act / Assess
    expect(
      mixShift(
        new Map([
          ['a', day(10)],
          ['b', day(-12)],
        ]),
        25,
      ).size,
    ).toBe(0);
    expect(
      mixShift(
        new Map([
          ['a', day(92)],
          ['b', day(-10)],
          ['c', day(-14)],
        ]),
        25,
      ).size,
    ).toBe(0);
  });
});
