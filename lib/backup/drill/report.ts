import type { MetricSink } from '../../automations/types.js';
import type { Finding, FindingAction } from '../../findings/finding.js';
import { backupFinding } from '../findings.js';
import { type AnyDrillMessage, networkOf, restoreTargetOf } from './flow.js';
import type { DrillMessage } from './messages.js';
import { tableDrillReport } from './tableReport.js';

export const DRILL_AUTOMATION = 'restoreDrill';

export interface DrillSummary {
  drillId: string;
  dbId: string;
  passed: boolean;
  dryRun: boolean;
  rtoSeconds: number | null;
  rtoTargetSeconds: number;
  reason: string;
  cleanedUp: boolean;
}

export const dbArn = (msg: DrillMessage, id: string, region = msg.target.region) =>
  `arn:aws:rds:${region}:${msg.target.account}:db:${id}`;

/** The verdict of a finished drill: passed only when validated, within the RTO, and cleaned up. */
export function summarize(msg: DrillMessage): DrillSummary {
  const where = msg.restoreRegion ? ` in the DR region ${msg.restoreRegion}` : '';
  return verdict(msg, msg.dbId, {
    wouldDo: `would restore ${msg.snapshotId} into ${msg.tempId} (${msg.settings.instanceClass})${where}`,
    done: `restored ${msg.snapshotId}${where}`,
  });
}

/** What every drill's verdict reads off its finished message, whatever it restored. */
export interface FinishedDrill {
  drillId: string;
  startedAt: string;
  validatedAt?: string | undefined;
  settings: { rtoHours: number };
  dryRun: boolean;
  dryRunReason?: string | undefined;
  failure?: string | undefined;
  cleanupFailure?: string | undefined;
}

/**
 * The verdict of a finished drill: passed only when validated, within the RTO target, and cleaned up; a dry-run
 * says what it would have done (and why it ran dry), a failure every problem it met.
 */
export function verdict(
  msg: FinishedDrill,
  id: string,
  text: { wouldDo: string; done: string },
): DrillSummary {
  const rtoTargetSeconds = Math.round(msg.settings.rtoHours * 3600);
  const rtoSeconds = msg.validatedAt
    ? Math.round((Date.parse(msg.validatedAt) - Date.parse(msg.startedAt)) / 1000)
    : null;
  const problems: string[] = [];
  if (msg.failure) problems.push(msg.failure);
  if (rtoSeconds !== null && rtoSeconds > rtoTargetSeconds)
    problems.push(`RTO ${rtoSeconds} s over the target of ${rtoTargetSeconds} s`);
  if (msg.cleanupFailure) problems.push(`cleanup failed: ${msg.cleanupFailure}`);
  const passed = !msg.dryRun && problems.length === 0 && rtoSeconds !== null;
  const dry = msg.dryRunReason ? `dry-run (${msg.dryRunReason})` : 'dry-run';
  const reason = msg.dryRun
    ? `${dry}: ${msg.failure ?? text.wouldDo}`
    : passed
      ? `${text.done} and validated in ${rtoSeconds} s (target ${rtoTargetSeconds} s)`
      : problems.join('; ') || 'not validated';
  return {
    drillId: msg.drillId,
    dbId: id,
    passed,
    dryRun: msg.dryRun,
    rtoSeconds,
    rtoTargetSeconds,
    reason,
    cleanedUp: !msg.cleanupFailure,
  };
}

/** Findings and metrics of a finished drill: one verdict, plus a critical one when the temporary instance may remain. */
export function drillReport(
  msg: DrillMessage,
  now: Date,
  metrics: MetricSink,
): { summary: DrillSummary; findings: Finding[] } {
  const summary = summarize(msg);
  const scope = { automation: DRILL_AUTOMATION, target: msg.target, now, dryRun: msg.dryRun };
  const action: FindingAction = {
    type: 'restore-drill',
    result: msg.dryRun ? 'planned' : summary.passed ? 'succeeded' : 'failed',
    detail: {
      drillId: msg.drillId,
      temporaryInstance: msg.tempId,
      instanceClass: msg.settings.instanceClass,
      subnetGroup: networkOf(msg).subnetGroup,
      region: restoreTargetOf(msg).region,
      deleted: !msg.dryRun && summary.cleanedUp,
    },
  };
  const findings = [
    backupFinding(scope, {
      check: 'restore-drill',
      severity: msg.dryRun || summary.passed ? 'info' : 'high',
      resourceArn: dbArn(msg, msg.dbId),
      title: `${msg.dbId}: restore drill ${msg.dryRun ? 'planned' : summary.passed ? 'passed' : 'failed'}: ${summary.reason}`,
      detail: {
        drillId: msg.drillId,
        snapshot: msg.snapshotId ?? null,
        from: msg.restoreRegion ? `DR copy in ${msg.restoreRegion}` : 'home region',
        rtoSeconds: summary.rtoSeconds,
        rtoTargetSeconds: summary.rtoTargetSeconds,
        checks: (msg.outcomes ?? []).map((o) => `${o.passed ? 'pass' : 'FAIL'} ${o.check}: ${o.reason}`),
        failure: msg.failure ?? null,
        ...(msg.tlsFallback
          ? { tls: 'plaintext: the restored database offered no TLS, and tls "prefer" allowed it' }
          : {}),
      },
      action,
    }),
  ];
  if (msg.cleanupFailure) {
    findings.push(
      backupFinding(scope, {
        check: 'drill-cleanup',
        severity: 'critical',
        resourceArn:
          msg.kind === 'cluster'
            ? `arn:aws:rds:${restoreTargetOf(msg).region}:${msg.target.account}:cluster:${msg.tempId}`
            : dbArn(msg, msg.tempId, restoreTargetOf(msg).region),
        title: `${msg.tempId}: temporary drill instance could not be deleted: ${msg.cleanupFailure}`,
        detail: {
          drillId: msg.drillId,
          source: msg.dbId,
          error: msg.cleanupFailure,
          tag: `warden:drill=${msg.drillId}`,
        },
      }),
    );
  }
  if (!msg.dryRun) {
    const dims = { dbIdentifier: msg.dbId };
    if (summary.rtoSeconds !== null)
      metrics.add('RestoreDrillRtoSeconds', 'Seconds', summary.rtoSeconds, dims);
    metrics.add('RestoreDrillPassed', 'Count', summary.passed ? 1 : 0, dims);
  }
  return { summary, findings };
}

/** The report of a finished drill of either kind. */
export function reportOf(
  msg: AnyDrillMessage,
  now: Date,
  metrics: MetricSink,
): { summary: DrillSummary; findings: Finding[] } {
  return msg.service === 'dynamodb' ? tableDrillReport(msg, now, metrics) : drillReport(msg, now, metrics);
}
