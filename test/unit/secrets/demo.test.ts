import { describe, expect, it } from 'vitest';
import { demo } from '../../../lib/secrets/demo.js';

describe('Function: demo', () => {
  it('runs secretExpiry in dry-run on the saved ListSecrets pages', async () => {
    // Prepare
    const out: string[] = [];
    // Act
    await demo({ out: (l) => out.push(l), err: (l) => out.push(`ERR ${l}`), progress: () => {} });
    // Assess
    expect(out[0]).toBe(
      'secretExpiry (dry-run, examples/secrets, as of 2026-11-26T06:00:00Z): 9 secrets: 2 overdue, 5 due within 7 days (5 warned now, 0 warned before for the same tier), 2 failed rotation(s)',
    );
    // Every secret counted as due is warned: the demo starts with nothing remembered.
    expect(out.filter((l) => / due-in-\dd: /.test(l))).toHaveLength(5);
    expect(out.filter((l) => l.includes('rotation-failed'))).toHaveLength(2);
    expect(out.at(-1)).toBe('  metrics: SecretsDueForRotation=5 SecretsOverdue=2 SecretsRotationFailed=2');
  });
});
