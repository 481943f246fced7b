import { describe, expect, it } from 'vitest';
import { backtestScenario, type DetectedEvent } from '../../../lib/cost/backtest.js';
import { readCostDays } from '../../../lib/cost/costData.js';
import { CostDetector } from '../../../lib/cost/detector.js';
import { buildResponse, type CostFn, steady, weekly } from './fixtures/series.js';

const OPTIONS = { minImpactUsd: 25, minImpactPct: 25 };

function detect(services: Record<string, CostFn>, days = 120): DetectedEvent[] {
  return backtestScenario('t', buildResponse({ days, services }), OPTIONS);
}

describe('Function: CostDetector', () => {
  it('flags a one-day spike on a large service and nothing else', () => {
    // Prepare
    const services = { 'Amazon RDS': (i: number) => steady(300)(i) * (i === 60 ? 2 : 1) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({ service: 'Amazon RDS', start: '2026-03-02', end: '2026-03-02' }),
    ]);
    expect(events[0]!.actual).toBeGreaterThan(events[0]!.expected * 1.5);
  });

  it('does not flag charges that recur on the 1st of every month (Tax, Support, Route 53)', () => {
    // Prepare
    const services: Record<string, CostFn> = {
      Tax: (_i, d) => (d.getUTCDate() === 1 ? 4000 + d.getUTCMonth() * 40 : 0),
      'AWS Support (Business)': (_i, d) => (d.getUTCDate() === 1 ? 1500 : 0),
      'Amazon Route 53': (i, d) => steady(3)(i) + (d.getUTCDate() === 1 ? 120 : 0),
    };

    // Act
    const events = detect(services, 150);

    // Assess
    expect(events).toEqual([]);
  });

  it('expects a monthly charge whose previous 1st fell in a dip, or that grew with a level shift', () => {
    // Prepare: a 3-day outage over 2026-03-01; a service whose 1st-of-month charge doubles with its level.
    const services: Record<string, CostFn> = {
      'Amazon WorkSpaces': (i, d) =>
        (steady(10)(i) + (d.getUTCDate() === 1 ? 400 : 0)) * (i >= 59 && i < 62 ? 0.05 : 1),
      'Amazon QuickSight': (i, d) =>
        (steady(30, 5)(i) + (d.getUTCDate() === 1 ? 300 : 0)) * (i >= 75 ? 2 : 1),
    };

    // Act
    const events = detect(services, 130);

    // Assess: only the level shift itself (2026-03-17), not April's or May's 1st.
    expect(events.map((e) => [e.service, e.start])).toEqual([['Amazon QuickSight', '2026-03-17']]);
  });

  it('does not flag Mondays after cheap weekends', () => {
    // Prepare
    const services = { 'Amazon EC2': weekly(400, 0.45), 'AWS Glue': weekly(80, 0.4, 7) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([]);
  });

  it('copes with a weekday-only job and flags it running on a Sunday', () => {
    // Prepare: no cost at all on weekends, then 150 USD on Sunday 2026-03-08 (day 66).
    const services = { 'AWS Batch': (i: number, d: Date) => (i === 66 ? 150 : weekly(120, 0, 4)(i, d)) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([expect.objectContaining({ start: '2026-03-08', end: '2026-03-08' })]);
    expect(Number.isFinite(events[0]!.expected)).toBe(true);
  });

  it('still flags a spike on a weekend day against the weekend level', () => {
    // Prepare: 2026-03-07 is a Saturday (day 65); the spike is below the weekday level.
    const services = { 'Amazon EC2': (i: number, d: Date) => weekly(400, 0.4)(i, d) * (i === 65 ? 1.9 : 1) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([expect.objectContaining({ start: '2026-03-07', end: '2026-03-07' })]);
  });

  it('follows slow organic growth without flagging it', () => {
    // Prepare: +1 % a day compounds to 3.3x over the period.
    const services = { 'Amazon S3': (i: number) => 100 * 1.01 ** i * steady(1, 3)(i) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([]);
  });

  it('never flags decreases, and not the recovery after a temporary dip', () => {
    // Prepare: a 5-day outage, a permanent step down, and a service that is decommissioned.
    const services: Record<string, CostFn> = {
      'Amazon ECS': (i) => steady(200)(i) * (i >= 50 && i < 55 ? 0.1 : 1),
      'Amazon Redshift': (i) => steady(500, 4)(i) * (i >= 70 ? 0.5 : 1),
      'Amazon Kendra': (i) => (i < 80 ? steady(90, 5)(i) : 0),
    };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([]);
  });

  it('ignores large relative jumps on tiny services', () => {
    // Prepare: 0.50 USD a day jumping tenfold is 4.50 USD: under the absolute bar.
    const services = {
      'AWS KMS': (i: number) => (i % 30 === 10 ? 5 : 0.5),
      'Amazon SNS': (i: number) => (i % 3 ? 0.01 : 0),
    };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([]);
  });

  it('ignores small relative bumps on large services', () => {
    // Prepare: +15 % on 2,000 USD is 300 USD but under the relative bar.
    const services = { 'Amazon EC2': (i: number) => steady(2000)(i) * (i === 70 ? 1.15 : 1) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toEqual([]);
  });

  it('flags a new service once, and accepts its level as normal afterwards', () => {
    // Prepare
    const services = {
      'Amazon SageMaker': (i: number) => (i >= 60 ? steady(150, 6)(i) : 0),
      'Amazon EC2': steady(300),
    };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ service: 'Amazon SageMaker', start: '2026-03-02', expected: 0 });
    expect(events[0]!.end <= '2026-03-05').toBe(true);
  });

  it('flags a level shift and treats the new level as normal after its first week', () => {
    // Prepare
    const services = { 'Amazon ElastiCache': (i: number) => steady(100, 8)(i) * (i >= 60 ? 1.8 : 1) };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ start: '2026-03-02' });
    expect(events[0]!.end <= '2026-03-08').toBe(true);
  });

  it('flags a runaway as it compounds', () => {
    // Prepare
    const services = {
      'Amazon EMR': (i: number) => steady(60, 9)(i) * (i >= 60 && i < 66 ? 1.35 ** (i - 59) : 1),
    };

    // Act
    const events = detect(services);

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]!.start >= '2026-03-02' && events[0]!.start <= '2026-03-05').toBe(true);
  });

  it('treats a day missing from the data as unknown, not as a zero-cost day', () => {
    // Prepare
    const response = buildResponse({ days: 90, services: { 'Amazon EC2': steady(300) } });
    response.ResultsByTime.splice(40, 3);

    // Act
    const events = backtestScenario('t', response, OPTIONS);

    // Assess
    expect(events).toEqual([]);
  });

  it('judges nothing during the three-week warm-up', () => {
    // Prepare
    const detector = new CostDetector(OPTIONS);
    const days = readCostDays(
      buildResponse({ days: 21, services: { 'Amazon EC2': (i) => (i === 18 ? 900 : 100) } }),
    );

    // Act
    const flagged = days.flatMap((d) => detector.push(d.day, d.amounts)).filter((j) => j.anomalous);

    // Assess
    expect(flagged).toEqual([]);
  });

  it('refuses days out of order', () => {
    // Prepare
    const detector = new CostDetector(OPTIONS);
    detector.push('2026-01-02', new Map());

    // Act
    const act = () => detector.push('2026-01-01', new Map());

    // Assess
    expect(act).toThrow(/in order/);
  });

  it('forecasts the weekday level for a later day, without the 1st-of-month charge', () => {
    // Prepare
    const detector = new CostDetector(OPTIONS);
    for (const d of readCostDays(buildResponse({ days: 60, services: { 'Amazon EC2': weekly(100, 0.5) } }))) {
      detector.push(d.day, d.amounts);
    }

    // Act
    const monday = detector.forecast('Amazon EC2', '2026-03-02');
    const sunday = detector.forecast('Amazon EC2', '2026-03-08');

    // Assess
    expect(monday).toBeGreaterThan(90);
    expect(sunday).toBeLessThan(60);
    expect(detector.forecast('unknown', '2026-03-02')).toBe(0);
  });
});

describe('Function: backtestScenario (no look-ahead)', () => {
  it('decides each day exactly as it would with the data up to that day only', () => {
    // Prepare: the full series and, for every cut, the series truncated after that day.
    const services: Record<string, CostFn> = {
      'Amazon EC2': (i, d) => weekly(300, 0.5)(i, d) * (i === 50 ? 2.2 : 1),
      'Amazon S3': (i) => steady(90, 3)(i) * (i >= 70 ? 1.9 : 1),
      Tax: (_i, d) => (d.getUTCDate() === 1 ? 700 : 0),
    };
    const full = buildResponse({ days: 100, services });
    const flaggedFull = new Set<string>();
    const detector = new CostDetector(OPTIONS);
    for (const d of readCostDays(full)) {
      for (const j of detector.push(d.day, d.amounts))
        if (j.anomalous) flaggedFull.add(`${j.series}@${j.day}`);
    }

    // Act: changing everything after day d must not change the verdict on day d.
    const mismatches: string[] = [];
    for (let cut = 20; cut < 100; cut++) {
      const altered = buildResponse({ days: 100, services });
      for (const r of altered.ResultsByTime.slice(cut + 1) as {
        Groups: { Metrics: { UnblendedCost: { Amount: string } } }[];
      }[]) {
        for (const g of r.Groups) g.Metrics.UnblendedCost.Amount = '99999';
      }
      const verdicts = new CostDetector(OPTIONS);
      const days = readCostDays(altered);
      for (const [i, d] of days.entries()) {
        const js = verdicts.push(d.day, d.amounts);
        if (i !== cut) continue;
        for (const j of js)
          if (j.anomalous !== flaggedFull.has(`${j.series}@${j.day}`))
            mismatches.push(`${j.series}@${j.day}`);
      }
    }

    // Assess
    expect(flaggedFull.size).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });

  it('merges consecutive anomalous days into one event and does not judge estimated days', () => {
    // Prepare: a 3-day spike, and a spike on the last (estimated) day.
    const services = {
      'Amazon EC2': (i: number) => steady(300)(i) * (i >= 60 && i <= 62 ? 2.5 : i === 89 ? 3 : 1),
    };

    // Act
    const events = backtestScenario('t', buildResponse({ days: 90, services, estimated: 2 }), OPTIONS);

    // Assess
    expect(events).toEqual([
      expect.objectContaining({ scenario: 't', start: '2026-03-02', end: '2026-03-04' }),
    ]);
  });
});
