import type { MetricSink } from '../../automations/types.js';
import type { Target } from '../../aws/clients.js';
import type { Finding, FindingAction } from '../../findings/finding.js';
import { backupFinding } from '../findings.js';
import type { DrillSettings } from './messages.js';
import { DRILL_AUTOMATION, type DrillSummary, verdict } from './report.js';
import { TABLE_DRILL_PREFIX, type TableDrillMessage } from './tableMessages.js';
import type { DrillTable } from './tableOptions.js';

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:T]/g, '');

/** The first message of a DynamoDB drill; the temporary table is `warden-drill-<table>-<yyyymmddhhmm>`. */
export function newTableDrill(input: {
  target: Target;
  table: string;
  settings: DrillSettings;
  validation: DrillTable;
  now: Date;
  dryRun: boolean;
  /** Why a drill runs dry when its flag applies elsewhere (outside the apply share, deny list). */
  dryRunReason?: string;
}): TableDrillMessage {
  const at = input.now.toISOString();
  const suffix = `-${stamp(input.now)}`;
  const base = input.table.slice(0, 255 - TABLE_DRILL_PREFIX.length - suffix.length);
  return {
    service: 'dynamodb',
    drillId: `${input.table.slice(0, 66)}${suffix}`,
    step: 'restore',
    target: input.target,
    table: input.table,
    tempTable: `${TABLE_DRILL_PREFIX}${base}${suffix}`,
    startedAt: at,
    stepStartedAt: at,
    stepAttempts: 0,
    settings: input.settings,
    validation: input.validation,
    dryRun: input.dryRun,
    ...(input.dryRunReason ? { dryRunReason: input.dryRunReason } : {}),
  };
}

const tableArn = (msg: TableDrillMessage, name: string) =>
  `arn:aws:dynamodb:${msg.target.region}:${msg.target.account}:table/${name}`;

/** The verdict of a finished DynamoDB drill: passed only when validated, within the RTO, and deleted. */
export function summarizeTable(msg: TableDrillMessage): DrillSummary {
  const point = msg.restorePoint ? ` (latest restorable time ${msg.restorePoint})` : '';
  return verdict(msg, msg.table, {
    wouldDo: `would restore ${msg.table}${point} into ${msg.tempTable}`,
    done: `restored ${msg.table}${point}`,
  });
}

/** One verdict finding (plus a critical one when the temporary table may remain) and the drill metrics. */
export function tableDrillReport(
  msg: TableDrillMessage,
  now: Date,
  metrics: MetricSink,
): { summary: DrillSummary; findings: Finding[] } {
  const summary = summarizeTable(msg);
  const scope = { automation: DRILL_AUTOMATION, target: msg.target, now, dryRun: msg.dryRun };
  const verdict = msg.dryRun ? 'planned' : summary.passed ? 'passed' : 'failed';
  const action: FindingAction = {
    type: 'restore-drill',
    result: msg.dryRun ? 'planned' : summary.passed ? 'succeeded' : 'failed',
    detail: {
      drillId: msg.drillId,
      temporaryTable: msg.tempTable,
      deleted: !msg.dryRun && summary.cleanedUp,
    },
  };
  const findings = [
    backupFinding(scope, {
      check: 'restore-drill',
      severity: msg.dryRun || summary.passed ? 'info' : 'high',
      resourceArn: tableArn(msg, msg.table),
      title: `${msg.table}: DynamoDB restore drill ${verdict}: ${summary.reason}`,
      detail: {
        drillId: msg.drillId,
        restorePoint: msg.restorePoint ?? null,
        sourceItemCount: msg.sourceItemCount ?? null,
        restoredItemCount: msg.scan && !msg.scan.cursor ? msg.scan.count : null,
        rtoSeconds: summary.rtoSeconds,
        rtoTargetSeconds: summary.rtoTargetSeconds,
        checks: (msg.outcomes ?? []).map((o) => `${o.passed ? 'pass' : 'FAIL'} ${o.check}: ${o.reason}`),
        failure: msg.failure ?? null,
      },
      action,
    }),
  ];
  if (msg.cleanupFailure) {
    findings.push(
      backupFinding(scope, {
        check: 'drill-cleanup',
        severity: 'critical',
        resourceArn: tableArn(msg, msg.tempTable),
        title: `${msg.tempTable}: temporary drill table could not be deleted: ${msg.cleanupFailure}`,
        detail: { drillId: msg.drillId, source: msg.table, error: msg.cleanupFailure },
      }),
    );
  }
  if (!msg.dryRun) {
    const dims = { dbIdentifier: msg.table };
    if (summary.rtoSeconds !== null)
      metrics.add('RestoreDrillRtoSeconds', 'Seconds', summary.rtoSeconds, dims);
    metrics.add('RestoreDrillPassed', 'Count', summary.passed ? 1 : 0, dims);
  }
  return { summary, findings };
}
