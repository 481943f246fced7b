import { describe, expect, it } from 'vitest';
import { CostDataError, readCostDays, seriesName, UNTAGGED } from '../../../lib/cost/costData.js';
import { readCostExport } from '../../../lib/cost/exportFile.js';
import { buildResponse, steady } from './fixtures/series.js';

function oneDay(metrics: unknown) {
  return {
    GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    ResultsByTime: [
      {
        TimePeriod: { Start: '2026-03-04', End: '2026-03-05' },
        Groups: [
          { Keys: ['Amazon EC2'], Metrics: { UnblendedCost: { Amount: '12.5', Unit: 'USD' } } },
          { Keys: ['Amazon SageMaker'], Metrics: metrics },
        ],
        Estimated: false,
      },
    ],
  } as never;
}

describe('Function: readCostDays', () => {
  it('reads amounts per series, treats absent groups as absent and keeps the Estimated flag', () => {
    // Prepare
    const response = buildResponse({
      days: 3,
      services: { 'Amazon EC2': steady(10), Tax: (i) => (i === 0 ? 5 : 0) },
      estimated: 1,
    });

    // Act
    const days = readCostDays(response);

    // Assess
    expect(days.map((d) => [d.day, d.estimated, d.amounts.has('Tax')])).toEqual([
      ['2026-01-01', false, true],
      ['2026-01-02', false, false],
      ['2026-01-03', true, false],
    ]);
  });

  it.each([
    [
      'a missing amount',
      { UnblendedCost: { Unit: 'USD' } },
      /2026-03-04 for 'Amazon SageMaker': UnblendedCost.Amount is missing/,
    ],
    ['a missing metric', {}, /2026-03-04 for 'Amazon SageMaker': UnblendedCost.Amount is missing/],
    [
      'a non-numeric amount',
      { UnblendedCost: { Amount: 'n/a', Unit: 'USD' } },
      /2026-03-04 for 'Amazon SageMaker'.*"n\/a" is not a number/,
    ],
    ['an empty amount', { UnblendedCost: { Amount: '', Unit: 'USD' } }, /is not a number/],
    [
      'an unknown unit',
      { UnblendedCost: { Amount: '3.2', Unit: 'EUR' } },
      /2026-03-04 for 'Amazon SageMaker': unit "EUR" is not USD/,
    ],
  ])('gives a clear error naming the day and the service for %s', (_what, metrics, message) => {
    // Prepare
    const response = oneDay(metrics);

    // Act
    const act = () => readCostDays(response);

    // Assess
    expect(act).toThrow(CostDataError);
    expect(act).toThrow(message);
  });

  it('names the entry when a day is not a date, and refuses days out of order in a stream', () => {
    // Prepare
    const bad = { ResultsByTime: [{ TimePeriod: { Start: 'yesterday' }, Groups: [] }] };
    const text = JSON.stringify({
      ResultsByTime: [
        { TimePeriod: { Start: '2026-01-02' }, Groups: [] },
        { TimePeriod: { Start: '2026-01-01' }, Groups: [] },
      ],
    });

    // Act
    const notADate = () => readCostDays(bad);
    const outOfOrder = () => readCostDays(readCostExport(text));

    // Assess
    expect(notADate).toThrow(/"yesterday" is not a date/);
    expect(outOfOrder).toThrow(/not in date order/);
  });

  it('sorts the days of an API response and reads an ungrouped total', () => {
    // Prepare
    const response = {
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-01-02' },
          Total: { UnblendedCost: { Amount: '2', Unit: 'USD' } },
          Groups: [],
        },
        {
          TimePeriod: { Start: '2026-01-01' },
          Total: { UnblendedCost: { Amount: '1', Unit: 'USD' } },
          Groups: [],
        },
      ],
    };

    // Act
    const days = readCostDays(response);

    // Assess
    expect(days.map((d) => [d.day, d.amounts.get('Total')])).toEqual([
      ['2026-01-01', 1],
      ['2026-01-02', 2],
    ]);
  });

  it('strips the tag key from tag groups and names untagged cost', () => {
    // Act / Assess
    expect(seriesName('Project$checkout', 'TAG')).toBe('checkout');
    expect(seriesName('Project$', 'TAG')).toBe(UNTAGGED);
    expect(seriesName('Amazon EC2', 'DIMENSION')).toBe('Amazon EC2');
  });
});

describe('Function: readCostExport', () => {
  it('reads a saved export day by day to the same days as JSON.parse', () => {
    // Prepare: names with quotes, backslashes and brackets must not confuse the scanner.
    const response = buildResponse({
      days: 30,
      services: {
        'Amazon EC2': steady(10),
        'Odd "name" \\ [x] {y}': steady(3),
        Tax: (i) => (i === 0 ? 50 : 0),
      },
      estimated: 2,
    });
    const text = JSON.stringify({ ...response, DimensionValueAttributes: [], Extra: 1.5 }, null, 2);

    // Act
    const streamed = readCostDays(readCostExport(text));
    const parsed = readCostDays(JSON.parse(text));

    // Assess
    expect(streamed).toEqual(parsed);
    expect(readCostExport(text).GroupDefinitions).toEqual(response.GroupDefinitions);
  });

  it('rejects text that is not a JSON object', () => {
    // Act / Assess
    expect(() => readCostExport('[1, 2]')).toThrow(SyntaxError);
    expect(() => readCostExport('{"ResultsByTime": [ {"a": "b}')).toThrow(SyntaxError);
  });
});
