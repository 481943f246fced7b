import type { Finding } from '../findings/finding.js';
import { formatTable } from './table.js';

/** The findings of a run, most severe first, as the CLI prints them. */
export function findingsTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const sorted = [...findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  return formatTable(
    ['severity', 'status', 'check', 'resource', 'title', 'action'],
    sorted.map((f) => [
      f.severity,
      f.status,
      f.check,
      f.resourceArn.length > 60 ? `...${f.resourceArn.slice(-57)}` : f.resourceArn,
      f.title,
      f.action ? `${f.action.type}:${f.action.result}` : '',
    ]),
  );
}
