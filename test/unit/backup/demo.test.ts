import { describe, expect, it } from 'vitest';
import { demo } from '../../../lib/backup/demo.js';

describe('Function: demo', () => {
  it('prints the dry-run verify report of the saved examples, with the non-compliant resources of every kind', async () => {
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
    expect(text).toMatch(/sessions\s+dynamodb\s+24h\s+ok.*aws-backup\s+NO/);
    expect(text).toMatch(/acme-logs\s+s3\s+skip/);
    expect(text).toMatch(/api-cache\s+elasticache.*snapshot\s+NO/);
    expect(text).toMatch(/build-cache\s+backup\s+24h\s+ok.*aws-backup\s+yes/);
    expect(text).toContain('audit-log: tag warden:retention-days="ninety" invalid');
    expect(text).toContain('shared-home: vault-lock FAIL: vault Default is not locked');
    expect(text).toContain(
      'acme-uploads: retention-period FAIL: lifecycle rule tidy-tmp expires noncurrent versions after 3 d < 7 d',
    );
    const kinds = new Set(findings.map((f) => f.detail.kind).filter((k) => k !== undefined));
    expect([...kinds].sort()).toEqual(['backup', 'dynamodb', 'elasticache', 'instance', 's3']);
    expect(findings).toHaveLength(21);
    expect(findings.every((f) => f.dryRun)).toBe(true);
    expect(lines.at(-1)).toBe('15 resources checked: 6 compliant, 9 not, 0 unverified, 3 skipped');
  });
});
