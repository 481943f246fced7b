import { describe, expect, it } from 'vitest';
import { demo } from '../../../lib/backup/demo.js';

describe('Function: demo', () => {
  it('prints the dry-run verify report of the saved examples, with the non-compliant databases', async () => {
    // Prepare
    const lines: string[] = [];
    const io = {
      out: (l: string) => void lines.push(l),
      err: (l: string) => void lines.push(l),
      progress: () => {},
    };
    // Act
    const findings = await demo(io);
    // Assess
    const text = lines.join('\n');
    expect(text).toContain('backup verify (dry-run)');
    expect(text).toMatch(/legacy-mysql\s+instance.*NO/);
    expect(text).toMatch(/scratch-db\s+instance\s+skip/);
    expect(text).toContain('reports-db: tag warden:rpo-hours="twelve" invalid');
    expect(text).not.toMatch(/analytics-1/);
    expect(findings.map((f) => f.check).sort()).toEqual([
      'bad-tag:warden:rpo-hours',
      'encryption',
      'manual-retention',
      'recovery-point',
      'recovery-point',
      'retention-period',
      'snapshot-health',
    ]);
    expect(findings.every((f) => f.dryRun)).toBe(true);
    expect(lines.at(-1)).toBe('5 databases checked: 2 compliant, 3 not, 0 unverified, 1 skipped');
  });
});
