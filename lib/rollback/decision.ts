import type { MetricSink } from '../automations/types.js';
import { type Finding, type FindingDetail, makeFinding, type Severity } from '../findings/finding.js';

export const AUTOMATION = 'autoRollback';

export type Outcome = 'performed' | 'planned' | 'skipped' | 'failed';

export type SkipReason =
  | 'automation-disabled'
  | 'not-an-alarm-transition'
  | 'alarm-not-found'
  | 'alarm-no-longer-in-alarm'
  | 'stale-event'
  | 'target-invalid'
  | 'target-unresolved'
  | 'target-not-allowed'
  | 'duplicate-event'
  | 'cooldown'
  | 'nothing-to-roll-back';

export type RollbackAction =
  | 'remove-canary-weights'
  | 'point-alias'
  | 'stop-deployment'
  | 'redeploy-revision';

/** One rollback decision, acted or not: it becomes a finding, a metric and a line in the state table. */
export interface Decision {
  outcome: Outcome;
  /** Why: a SkipReason, the action taken, or `aws-error`. */
  reason: SkipReason | RollbackAction | 'aws-error';
  account: string;
  region: string;
  /** The target's ARN when resolved, else the alarm's. */
  resourceArn: string;
  target: string | undefined;
  alarmName: string;
  /** Alarm state-change time (`manual` for the CLI). */
  stateTime: string;
  action?: RollbackAction | undefined;
  /** Versions or deployment ids. */
  from?: string | undefined;
  to?: string | undefined;
  message: string;
  error?: string | undefined;
}

const SKIP_SEVERITY: Partial<Record<SkipReason, Severity>> = {
  'target-invalid': 'medium',
  'target-unresolved': 'medium',
  'target-not-allowed': 'medium',
  'nothing-to-roll-back': 'low',
  'automation-disabled': 'low',
};

export function severityOf(d: Decision): Severity {
  if (d.outcome === 'failed') return 'critical';
  if (d.outcome === 'performed') return 'high';
  if (d.outcome === 'planned') return 'medium';
  return SKIP_SEVERITY[d.reason as SkipReason] ?? 'info';
}

const RESULT = { performed: 'succeeded', planned: 'planned', skipped: 'skipped', failed: 'failed' } as const;

export function decisionFinding(d: Decision, at: Date, dryRun: boolean): Finding {
  const detail: FindingDetail = {
    alarmName: d.alarmName,
    stateTime: d.stateTime,
    target: d.target ?? null,
    outcome: d.outcome,
    reason: d.reason,
  };
  if (d.from !== undefined) detail.from = d.from;
  if (d.to !== undefined) detail.to = d.to;
  if (d.error !== undefined) detail.error = d.error;
  return makeFinding({
    automation: AUTOMATION,
    check: d.outcome === 'skipped' ? 'rollback-skipped' : 'alarm-rollback',
    severity: severityOf(d),
    account: d.account,
    region: d.region,
    resourceArn: d.resourceArn,
    title: d.message.slice(0, 300),
    detail,
    observedAt: at,
    dryRun,
    action: {
      type: d.action ?? 'rollback',
      result: RESULT[d.outcome],
      detail: { reason: d.reason, from: d.from ?? null, to: d.to ?? null },
    },
  });
}

/**
 * RollbacksPerformed, RollbacksFailed or RollbacksSkipped (dry-run plans count as skipped). No per-reason
 * dimension: the reason is in the finding and the log, and a dimensioned metric would be flushed on its own,
 * leaving the invocation's metric set empty.
 */
export function recordMetric(metrics: MetricSink, d: Decision): void {
  if (d.outcome === 'performed') metrics.add('RollbacksPerformed', 'Count', 1);
  else if (d.outcome === 'failed') metrics.add('RollbacksFailed', 'Count', 1);
  else
    metrics.add('RollbacksSkipped', 'Count', 1, { reason: d.outcome === 'planned' ? 'dry-run' : d.reason });
}
