import type { Finding } from '../findings/finding.js';
import { type Decision, decisionFinding, recordMetric } from './decision.js';
import type { RollbackDeps } from './deps.js';
import { DECISION_TTL_SECONDS, decisionKey } from './stateKeys.js';

/** Report of one decision, returned by the handler and printed by the CLI. */
export interface DecisionReport {
  outcome: Decision['outcome'];
  reason: Decision['reason'];
  target: string | null;
  alarmName: string;
  from: string | null;
  to: string | null;
  message: string;
  findingId: string;
  dryRun: boolean;
}

/**
 * Makes a decision observable: a line in the state table (`warden rollback status`), a finding, a metric.
 * The line is written before publishing, so a publish failure (the handler is retried) leaves a trace.
 */
export async function recordDecision(
  deps: RollbackDeps,
  d: Decision,
  dryRun: boolean,
): Promise<DecisionReport> {
  const at = deps.now();
  const finding: Finding = decisionFinding(d, at, dryRun);
  const report = {
    outcome: d.outcome,
    reason: d.reason,
    target: d.target ?? null,
    alarmName: d.alarmName,
    from: d.from ?? null,
    to: d.to ?? null,
    message: d.message,
    findingId: finding.id,
    dryRun,
  };
  await deps.store.update(
    deps.table,
    decisionKey(at, { account: d.account, region: d.region }, d.target ?? '-', d.alarmName),
    { ...report, message: d.message.slice(0, 500) },
    { ttlSeconds: DECISION_TTL_SECONDS },
  );
  recordMetric(deps.metrics, d);
  const log = d.outcome === 'failed' ? deps.logger.error : deps.logger.info;
  log.call(deps.logger, d.message, {
    outcome: d.outcome,
    reason: d.reason,
    target: d.target,
    alarmName: d.alarmName,
  });
  await deps.publish([finding]);
  return report;
}
