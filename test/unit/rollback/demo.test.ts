import { describe, expect, it } from 'vitest';
import { demo } from '../../../lib/rollback/demo.js';

describe('Function: demo', () => {
  it('prints one dry-run decision per sample alarm and changes nothing', async () => {
    // Prepare
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), progress: () => {} };

    // Act
    await demo(io);

    // Assess
    expect(lines).toEqual([
      'autoRollback (dry-run) on examples/rollback:',
      expect.stringContaining('orders-api-errors: planned (remove-canary-weights)'),
      expect.stringContaining(
        'payments-p95-duration: planned (point-alias) Dry-run: would roll back lambda:payments:live: alias moved from version 17 to 15 (last known good)',
      ),
      expect.stringContaining('checkout-5xx: planned (stop-deployment)'),
      expect.stringContaining('billing-errors: skipped (target-not-allowed)'),
      '4 findings; nothing was changed.',
    ]);
  });
});
