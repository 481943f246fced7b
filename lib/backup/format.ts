import { formatTable } from '../cli/table.js';
import { CATALOG } from './catalog.js';
import type { CheckName, CheckResult } from './checks.js';
import type { ResourceReport } from './verify.js';

const MARK: Record<CheckResult['status'], string> = {
  pass: 'ok',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: '-',
};

/** Column headers: short, one per check. */
const COLUMN: Record<CheckName, string> = {
  'recovery-point': 'rpo-age',
  'snapshot-health': 'health',
  encryption: 'kms',
  'retention-period': 'retention',
  'dr-copy': 'dr',
  'manual-retention': 'manual',
  pitr: 'pitr',
  'deletion-protection': 'del-prot',
  versioning: 'versioning',
  'public-access': 'public',
  'object-lock': 'obj-lock',
  'vault-lock': 'vault-lock',
};

/** The checks of the scanned kinds in catalog order: one column each, shared by kinds that have the same check. */
function columnsOf(kinds: readonly string[]): CheckName[] {
  const out: CheckName[] = [];
  for (const k of CATALOG.filter((c) => kinds.includes(c.name)))
    for (const c of k.checks) if (!out.includes(c)) out.push(c);
  // AWS Backup's evidence adds vault-lock to other kinds' rows.
  if (kinds.length > 0 && !out.includes('vault-lock') && kinds.includes('backup')) out.push('vault-lock');
  return out;
}

/** The verify report as text: one row per resource, then each failed or unreadable check with its reason. */
export function formatVerifyReport(report: Record<string, unknown>): string[] {
  const resources = (report.resources ?? []) as ResourceReport[];
  const kinds = (report.kinds ?? CATALOG.map((k) => k.name)) as string[];
  const checks = columnsOf(kinds);
  const rows = resources.map((r) => [
    r.id,
    r.kind,
    r.mode === 'skip' ? 'skip' : `${r.rpoHours}h`,
    ...checks.map((c) => {
      const found = r.checks.find((x) => x.check === c);
      return found ? MARK[found.status] : '';
    }),
    r.mode === 'skip' ? '' : (r.evidence?.split(' ')[0] ?? '-'),
    r.mode === 'skip' ? 'skipped' : r.compliant ? 'yes' : 'NO',
  ]);
  const out = formatTable(
    ['resource', 'kind', 'rpo', ...checks.map((c) => COLUMN[c]), 'evidence', 'compliant'],
    rows,
  ).split('\n');
  const problems = resources.flatMap((r) => [
    ...r.tagProblems.map(
      (p) =>
        `  ${r.id}: tag ${p.tag}=${JSON.stringify(p.value)} invalid (expected ${p.expected}); using ${p.applied}`,
    ),
    ...r.checks
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `  ${r.id}: ${c.check} ${MARK[c.status]}: ${c.reason}`),
  ]);
  const errors = (
    (report.apiErrors ?? []) as { scope: string; region?: string; resourceKey?: string; error: string }[]
  )
    .filter((e) => !e.resourceKey)
    .map((e) => `  could not list ${e.scope}${e.region ? ` in ${e.region}` : ''}: ${e.error}`);
  if (problems.length + errors.length > 0) out.push('', 'problems:', ...errors, ...problems);
  return out;
}
