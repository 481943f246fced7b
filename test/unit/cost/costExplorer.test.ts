import {
  CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageCommand,
  LimitExceededException,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDailyCost } from '../../../lib/aws/costExplorer.js';
import { readCostDays } from '../../../lib/cost/costData.js';
import { ExecutionError } from '../../../lib/errors.js';

const ce = mockClient(CostExplorerClient);
const group = (name: string, amount: string) => ({
  Keys: [name],
  Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
});
const request = {
  start: '2026-01-01',
  end: '2026-01-03',
  groupBy: { type: 'DIMENSION', key: 'SERVICE' },
} as const;

describe('Function: getDailyCost', () => {
  const slept: number[] = [];
  const deps = () => ({
    ce: new CostExplorerClient({ region: 'us-east-1' }),
    sleep: async (ms: number) => void slept.push(ms),
  });

  beforeEach(() => {
    ce.reset();
    slept.length = 0;
  });

  it('follows NextPageToken and joins a day whose groups span two pages', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-01-01', End: '2026-01-02' },
            Groups: [group('Amazon EC2', '10')],
            Estimated: false,
          },
        ],
        NextPageToken: 'page-2',
      })
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-01-01', End: '2026-01-02' },
            Groups: [group('Tax', '5')],
            Estimated: false,
          },
          {
            TimePeriod: { Start: '2026-01-02', End: '2026-01-03' },
            Groups: [group('Amazon EC2', '11')],
            Estimated: true,
          },
        ],
      });

    // Act
    const response = await getDailyCost(deps(), request);

    // Assess
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 2);
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 2, { NextPageToken: 'page-2' });
    expect(response.pages).toBe(2);
    expect(readCostDays(response).map((d) => [d.day, Object.fromEntries(d.amounts), d.estimated])).toEqual([
      ['2026-01-01', { 'Amazon EC2': 10, Tax: 5 }, false],
      ['2026-01-02', { 'Amazon EC2': 11 }, true],
    ]);
  });

  it('backs off on throttling and gives up with a clear error after its attempts', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).rejects(
      new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }),
    );

    // Act
    const act = getDailyCost({ ...deps(), attempts: 3 }, request);

    // Assess
    await expect(act).rejects.toThrow(ExecutionError);
    await expect(act).rejects.toThrow(
      /kept throttling 2026-01-01..2026-01-03 by DIMENSION SERVICE after 3 attempts/,
    );
    expect(slept).toEqual([200, 400]);
  });

  it('explains that Cost Explorer has no data', async () => {
    // Prepare
    ce.on(GetCostAndUsageCommand).rejects(
      new DataUnavailableException({ message: 'no data', $metadata: {} }),
    );

    // Act
    const act = getDailyCost(deps(), request);

    // Assess
    await expect(act).rejects.toThrow(/no data for .* \(is Cost Explorer enabled\?\)/);
  });

  it('asks for the ungrouped daily total and passes other errors through unchanged', async () => {
    // Prepare
    const denied = new Error('AccessDeniedException');
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-01-01', End: '2026-01-02' },
            Total: { BlendedCost: { Amount: '3', Unit: 'USD' } },
          },
        ],
      })
      .rejectsOnce(denied);

    // Act
    const total = await getDailyCost(deps(), {
      start: '2026-01-01',
      end: '2026-01-02',
      metric: 'BlendedCost',
    });
    const failure = getDailyCost(deps(), { start: '2026-01-01', end: '2026-01-02' });

    // Assess
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 1, { Metrics: ['BlendedCost'] });
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]!.args[0].input.GroupBy).toBeUndefined();
    expect(readCostDays(total, 'BlendedCost')[0]!.amounts.get('Total')).toBe(3);
    await expect(failure).rejects.toBe(denied);
  });
});
