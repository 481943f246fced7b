import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestFiles } from '../../../lib/cost/backtest.js';
import { iterateServiceDays } from '../../../lib/cost/usageData.js';
import { steady } from './fixtures/series.js';
import { buildUsageResponse } from './fixtures/usage.js';

const dir = mkdtempSync(join(tmpdir(), 'warden-usage-'));
const response = () =>
  buildUsageResponse({
    days: 40,
    services: { 'EC2 - Other': { 'USE1-NatGateway-Bytes': steady(0.1), 'EBS:VolumeUsage.gp2': steady(0.2) } },
  });

function write(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('Function: iterateServiceDays', () => {
  it('sums the usage types of each service exactly, as decimals', () => {
    // Prepare
    const r = response();
    r.ResultsByTime[0]!.Groups = [
      { Keys: ['S', 'a'], Metrics: { UnblendedCost: { Amount: '0.1000000', Unit: 'USD' } } },
      { Keys: ['S', 'b'], Metrics: { UnblendedCost: { Amount: '0.2000000', Unit: 'USD' } } },
    ];

    // Act
    const [first] = iterateServiceDays(r);

    // Assess
    expect(first!.amounts.get('S')).toBe(0.3);
    expect(first!.usage?.get('S')).toEqual(
      new Map([
        ['a', 0.1],
        ['b', 0.2],
      ]),
    );
  });
});

describe('Function: backtestFiles (malformed scenario files)', () => {
  it('refuses a file grouped by something else than SERVICE (+ USAGE_TYPE), naming the file', () => {
    // Prepare
    const file = write('region.json', {
      ...response(),
      GroupDefinitions: [{ Type: 'DIMENSION', Key: 'REGION' }],
    });

    // Act / Assess
    expect(() => backtestFiles([file])).toThrow(
      `${file}: malformed Cost Explorer data on (every day) for '(none)': GroupDefinitions DIMENSION:REGION are not`,
    );
  });

  it('refuses a malformed amount, naming the file, the day and the usage type', () => {
    // Prepare
    const r = response();
    r.ResultsByTime[5]!.Groups[0]!.Metrics.UnblendedCost.Amount = '12,5';
    const file = write('amount.json', r);

    // Act / Assess
    expect(() => backtestFiles([file])).toThrow(
      `${file}: malformed Cost Explorer data on 2026-01-06 for 'EC2 - Other / USE1-NatGateway-Bytes': UnblendedCost.Amount "12,5" is not a number`,
    );
  });

  it('refuses a missing day, naming the file and the day', () => {
    // Prepare
    const r = response();
    r.ResultsByTime.splice(9, 1);
    const file = write('gap.json', r);

    // Act / Assess
    expect(() => backtestFiles([file])).toThrow(`${file}: malformed Cost Explorer data on 2026-01-10`);
    expect(() => backtestFiles([file])).toThrow(/the day is missing \(next day: 2026-01-11\)/);
  });
});
