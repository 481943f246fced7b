import type { Finding } from '../findings/finding.js';

const RUNBOOKS: Record<string, string> = {
  backupVerify: 'backup-restore.md',
  snapshotLifecycle: 'backup-restore.md',
  restoreDrill: 'backup-restore.md',
  secretExpiry: 'secret-rotation.md',
  rotateSecret: 'secret-rotation.md',
  costAnomaly: 'cost-monitoring.md',
  autoRollback: 'rollback.md',
};

export function runbookFor(automation: string, baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${RUNBOOKS[automation] ?? 'incident-response.md'}`;
}

export interface Notification {
  /** <= 100 characters (the SNS e-mail subject limit). */
  subject: string;
  text: string;
}

function detailLine(detail: Finding['detail']): string {
  return Object.entries(detail)
    .slice(0, 8)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.slice(-14).join(', ')}]` : String(v)}`)
    .join('  ');
}

/** Short and actionable: what, where, since when, what was done, the runbook. */
export function formatNotification(
  f: Finding,
  kind: 'open' | 'escalated' | 'resolved' | 'reminder',
  runbookUrl: string,
): Notification {
  const tag = kind === 'resolved' ? 'RESOLVED' : f.severity.toUpperCase();
  const subject = `[warden ${tag}] ${f.title}`;
  const lines = [
    `${kind === 'resolved' ? 'Resolved' : kind === 'escalated' ? 'Escalated' : 'Problem'}: ${f.title}`,
    `Where: account ${f.account}, ${f.region}, ${f.resourceArn}`,
    `Since: ${f.observedAt} (${f.automation}/${f.check}${f.dryRun ? ', dry-run' : ''})`,
  ];
  const detail = detailLine(f.detail);
  if (detail) lines.push(`Detail: ${detail}`);
  if (f.action)
    lines.push(
      `Action: ${f.action.type} ${f.action.result}${f.action.detail ? ` ${detailLine(f.action.detail)}` : ''}`,
    );
  lines.push(`Runbook: ${runbookFor(f.automation, runbookUrl)}`, `Finding: ${f.id}`);
  return { subject: subject.length > 100 ? `${subject.slice(0, 97)}...` : subject, text: lines.join('\n') };
}
