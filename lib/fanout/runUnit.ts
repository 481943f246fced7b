import type { AnyAutomation, LoggerLike, MetricSink } from '../automations/types.js';
import type { ClientPool } from '../aws/clients.js';
import { executionRoleArn } from '../aws/credentials.js';
import type { StateTable } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { AssumeRoleError, ValidationError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import type { Publish } from '../findings/publish.js';
import { parseWith } from '../validation.js';
import type { WorkUnit } from './unit.js';

export interface UnitDeps {
  automation: AnyAutomation;
  config: Config;
  pool: ClientPool;
  publish: Publish;
  logger: LoggerLike;
  metrics: MetricSink;
  now: () => Date;
  /** warden's state table, for the automations that remember what they did (see `statePermissions`). */
  state?: StateTable;
}

export interface UnitReport {
  automation: string;
  part?: string;
  account: string;
  region: string;
  dryRun: boolean;
  /** Why the unit ran in dry-run (from dispatch: the flag, the deny list, outside the apply share). */
  dryRunReason?: string;
  status: 'completed' | 'unreachable';
  findings: number;
  summary: string;
  report?: Record<string, unknown>;
}

/** The unit's dry-run reason in the detail of each of its dry-run findings, so that they say why nothing changed. */
export function withDryRunReason(findings: readonly Finding[], unit: WorkUnit): Finding[] {
  const reason = unit.dryRunReason;
  if (!reason) return [...findings];
  return findings.map((f) => (f.dryRun ? { ...f, detail: { ...f.detail, dryRunReason: reason } } : f));
}

/**
 * Runs one unit: checks it belongs to this automation, reaches the target (a role that cannot be assumed is a
 * finding, not a retry storm), runs the automation and publishes its findings.
 */
export async function runUnit(deps: UnitDeps, unit: WorkUnit): Promise<UnitReport> {
  const { automation } = deps;
  if (unit.automation !== automation.name) {
    throw new ValidationError('work unit', [
      { field: 'automation', expected: `"${automation.name}" (this worker's automation)` },
    ]);
  }
  if (unit.part !== automation.part) {
    throw new ValidationError('work unit', [
      { field: 'part', expected: automation.part ? `"${automation.part}" (this worker's part)` : 'absent' },
    ]);
  }
  const options = parseWith(automation.options, unit.options ?? {}, `options of ${automation.name}`);
  const target = { account: unit.account, region: unit.region };
  const base = {
    automation: automation.name,
    ...(unit.part ? { part: unit.part } : {}),
    ...target,
    dryRun: unit.dryRun,
    ...(unit.dryRunReason ? { dryRunReason: unit.dryRunReason } : {}),
  };
  try {
    await deps.pool.credentialsFor(unit.account)?.();
  } catch (err) {
    if (!(err instanceof AssumeRoleError)) throw err;
    const finding = makeFinding({
      automation: automation.name,
      check: 'target-access',
      severity: 'high',
      account: unit.account,
      region: unit.region,
      resourceArn: executionRoleArn(unit.account, deps.config.executionRoleName),
      title: `warden cannot assume ${deps.config.executionRoleName} in ${unit.account}`,
      detail: { error: err.message.slice(0, 500) },
      observedAt: deps.now(),
      dryRun: unit.dryRun,
    });
    await deps.publish(withDryRunReason([finding], unit));
    deps.metrics.add('TargetsUnreachable', 'Count', 1);
    return { ...base, status: 'unreachable', findings: 1, summary: finding.title };
  }
  const result = await automation.run(
    {
      target,
      aws: deps.pool.for(target),
      config: deps.config,
      now: deps.now,
      logger: deps.logger,
      metrics: deps.metrics,
      dryRun: unit.dryRun,
      ...(deps.state ? { state: deps.state } : {}),
    },
    options,
  );
  await deps.publish(withDryRunReason(result.findings, unit));
  await result.afterPublish?.();
  deps.metrics.add('UnitsCompleted', 'Count', 1);
  return {
    ...base,
    status: 'completed',
    findings: result.findings.length,
    summary: result.summary,
    report: result.report,
  };
}
