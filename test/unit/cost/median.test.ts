import { describe, expect, it } from 'vitest';
import { median } from '../../../lib/cost/median.js';

describe('Function: median', () => {
  it('returns the middle value, the mean of the middle two, or 0 for nothing', () => {
    // Prepare
    const values = Float64Array.from([9, 1, 5, 3, 7, 100]);

    // Act / Assess
    expect(median(values, 5)).toBe(5);
    expect(median(values, 6)).toBe(6);
    expect(median(values, 2, 3)).toBe(5);
    expect(median(values, 0)).toBe(0);
  });

  it('handles windows longer than its scratch buffer without changing the input', () => {
    // Prepare
    const values = Float64Array.from({ length: 101 }, (_, i) => 100 - i);

    // Act
    const m = median(values, 101);

    // Assess
    expect(m).toBe(50);
    expect(values[0]).toBe(100);
  });
});
