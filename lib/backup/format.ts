import { formatTable } from '../cli/table.js';
import type { CheckResult } from './checks.js';
import { CHECKS } from './checks.js';
import type { ResourceReport } from './verify.js';

const MARK: Record<CheckResult['status'], string> = {
  pass: 'ok',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: '-',
};

/** The verify report as text: one row per database, then each failed or unreadable check with its reason. */
export function formatVerifyReport(report: Record<string, unknown>): string[] {
  const resources = (report.resources ?? []) as ResourceReport[];
  const checks = CHECKS;
  const rows = resources.map((r) => [
    r.id,
    r.kind,
    r.mode === 'skip' ? 'skip' : `${r.rpoHours}h`,
    ...checks.map((c) => {
      const found = r.checks.find((x) => x.check === c);
      return found ? MARK[found.status] : '-';
    }),
    r.mode === 'skip' ? 'skipped' : r.compliant ? 'yes' : 'NO',
  ]);
  const out = formatTable(
    ['database', 'kind', 'rpo', 'rpo-age', 'health', 'kms', 'retention', 'dr', 'manual', 'compliant'],
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
  const errors = ((report.apiErrors ?? []) as { scope: string; resourceKey?: string; error: string }[])
    .filter((e) => !e.resourceKey)
    .map((e) => `  could not list ${e.scope}: ${e.error}`);
  if (problems.length + errors.length > 0) out.push('', 'problems:', ...errors, ...problems);
  return out;
}
