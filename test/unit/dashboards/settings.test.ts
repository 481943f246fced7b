import { describe, expect, it } from 'vitest';
import { durationBudgetMs, parseBudgets } from '../../../lib/dashboards/settings.js';
import { FUNCTIONS, SETTINGS } from './fixtures.js';

describe('Function: parseBudgets', () => {
  it('parses comma-separated function=milliseconds entries', () => {
    // Act
    const budgets = parseBudgets(' rotateSecret=20000, restoreDrill = 600000 ,');

    // Assess
    expect(budgets).toEqual({ rotateSecret: 20000, restoreDrill: 600000 });
    expect(parseBudgets('')).toEqual({});
  });

  it('rejects an entry without a positive number', () => {
    // Assess
    expect(() => parseBudgets('notify=fast')).toThrow('durationBudgetsMs: bad entry "notify=fast"');
    expect(() => parseBudgets('=100')).toThrow(TypeError);
    expect(() => parseBudgets('notify=0')).toThrow(TypeError);
  });
});

describe('Function: durationBudgetMs', () => {
  it('uses the named budget, else the share of the timeout', () => {
    // Prepare
    const [notify, drill] = FUNCTIONS;

    // Assess
    expect(durationBudgetMs(notify as never, SETTINGS)).toBe(24_000);
    expect(durationBudgetMs(drill as never, SETTINGS)).toBe(600_000);
  });
});
