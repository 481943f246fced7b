import { type Finding, type Severity, severityRank } from '../findings/finding.js';

/** What was last notified for a finding id (the suppression state). */
export interface NotifyState {
  severity: Severity;
  status: Finding['status'];
  notifiedAt: number;
  /** SQS message id that claimed the last notification, and the channels it reached. */
  messageId: string;
  delivered: string[];
}

export type Decision =
  | { send: true; kind: 'open' | 'escalated' | 'resolved' | 'reminder' }
  | { send: false; reason: 'suppressed' | 'already resolved' | 'never opened' };

/**
 * Whether a finding should be notified: the same id is not re-notified within the window unless its severity
 * rises or it resolves (once).
 */
export function decide(state: NotifyState | undefined, f: Finding, now: number, windowMs: number): Decision {
  if (f.status === 'resolved') {
    if (!state) return { send: false, reason: 'never opened' };
    if (state.status === 'resolved') return { send: false, reason: 'already resolved' };
    return { send: true, kind: 'resolved' };
  }
  if (!state || state.status === 'resolved') return { send: true, kind: 'open' };
  if (severityRank(f.severity) > severityRank(state.severity)) return { send: true, kind: 'escalated' };
  if (now - state.notifiedAt >= windowMs) return { send: true, kind: 'reminder' };
  return { send: false, reason: 'suppressed' };
}
