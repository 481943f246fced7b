import type { AutomationResult, LoggerLike, MetricSink } from '../automations/types.js';
import type { Target } from '../aws/clients.js';
import type { RdsApi } from '../aws/rds.js';
import type { Finding } from '../findings/finding.js';
import {
  type CheckResult,
  checkDrCopy,
  checkEncryption,
  checkManualRetention,
  checkRecoveryPoint,
  checkRetentionPeriod,
  checkSnapshotHealth,
  errorResult,
} from './checks.js';
import { backupFinding, type FindingScope, regionArn } from './findings.js';
import { type Inventory, loadInventory } from './inventory.js';
import { type BackupResource, resourceKey } from './model.js';
import type { VerifyOptions } from './options.js';
import { parseBackupTags, shortValue, type TagProblem } from './tags.js';

export const VERIFY_AUTOMATION = 'backupVerify';

export interface VerifyDeps {
  rds: RdsApi;
  /** RDS in the DR region, given when options.drRegion is set. */
  drRds?: RdsApi | undefined;
  target: Target;
  now: () => Date;
  metrics: MetricSink;
  logger: LoggerLike;
  dryRun: boolean;
  /** Stage RPO (WARDEN_RPO_HOURS). */
  defaultRpoHours: number;
}

export interface ResourceReport {
  kind: BackupResource['kind'];
  id: string;
  arn: string;
  engine: string;
  mode: 'required' | 'skip';
  rpoHours: number;
  /** True when every check passed or was skipped; false when one failed or could not run. */
  compliant: boolean;
  verified: boolean;
  tagProblems: TagProblem[];
  checks: CheckResult[];
}

/** The six checks of one database, from data already fetched (pure). */
export function evaluateResource(
  r: BackupResource,
  inv: Pick<Inventory, 'snapshots' | 'drSnapshots' | 'failures'>,
  options: VerifyOptions,
  rpoHours: number,
  managed: boolean,
  now: Date,
): CheckResult[] {
  const key = resourceKey(r.kind, r.id);
  const snapshotError = inv.failures.find((f) => f.scope === 'snapshots' && f.resourceKey === key)?.error;
  const drError = inv.failures.find((f) => f.scope === 'dr-snapshots')?.error;
  const snaps = inv.snapshots.get(key) ?? [];
  const checks: CheckResult[] = [];
  if (snapshotError) {
    const why = `snapshots could not be listed: ${snapshotError}`;
    checks.push(
      errorResult('recovery-point', why),
      errorResult('snapshot-health', why),
      errorResult('encryption', why),
    );
  } else {
    checks.push(
      checkRecoveryPoint(r, snaps, now, rpoHours),
      checkSnapshotHealth(snaps, now, { recentHours: options.recentHours, stuckHours: options.stuckHours }),
      checkEncryption(r, snaps),
    );
  }
  checks.push(checkRetentionPeriod(r, options.minRetentionDays));
  if (options.drRegion && drError)
    checks.push(errorResult('dr-copy', `DR snapshots could not be listed: ${drError}`));
  else
    checks.push(
      checkDrCopy(
        inv.drSnapshots ? (inv.drSnapshots.get(key) ?? []) : undefined,
        now,
        rpoHours,
        options.drRegion,
      ),
    );
  if (snapshotError)
    checks.push(errorResult('manual-retention', `snapshots could not be listed: ${snapshotError}`));
  else
    checks.push(
      checkManualRetention(
        snaps.filter((s) => s.type === 'manual'),
        options.retention,
        now,
        managed,
      ),
    );
  return checks;
}

function findingsOf(scope: FindingScope, r: BackupResource, report: ResourceReport): Finding[] {
  const out: Finding[] = [];
  for (const p of report.tagProblems) {
    out.push(
      backupFinding(scope, {
        check: `bad-tag:${p.tag}`,
        severity: 'low',
        resourceArn: r.arn,
        title: `${r.id}: tag ${p.tag}=${JSON.stringify(shortValue(p.value))} is invalid (expected ${p.expected}); using ${p.applied}`,
        detail: { tag: p.tag, value: shortValue(p.value), expected: p.expected, applied: p.applied },
      }),
    );
  }
  for (const c of report.checks) {
    if (c.status === 'pass' || c.status === 'skipped') continue;
    out.push(
      backupFinding(scope, {
        check: c.status === 'error' ? `api-error:${c.check}` : c.check,
        severity: c.severity,
        resourceArn: r.arn,
        title: `${r.id}: ${c.status === 'error' ? `could not check ${c.check}: ` : ''}${c.reason}`,
        detail: { ...c.detail, resource: r.id, kind: r.kind, engine: r.engine, rpoHours: report.rpoHours },
      }),
    );
  }
  return out;
}

/** backupVerify: discovers every database of the target, runs the six checks, and reports each one. */
export async function verifyBackups(deps: VerifyDeps, options: VerifyOptions): Promise<AutomationResult> {
  const now = deps.now();
  const scope: FindingScope = {
    automation: VERIFY_AUTOMATION,
    target: deps.target,
    now,
    dryRun: deps.dryRun,
  };
  const inv = await loadInventory(deps.rds, options.drRegion ? deps.drRds : undefined);
  const findings: Finding[] = [];
  for (const f of inv.failures) {
    if (f.scope === 'snapshots') continue; // reported per resource, on the checks it prevented
    const what = f.scope === 'instances' ? 'db' : f.scope === 'clusters' ? 'cluster' : 'snapshot';
    const arn =
      f.scope === 'dr-snapshots'
        ? regionArn({ ...deps.target, region: options.drRegion ?? '' }, what)
        : regionArn(deps.target, what);
    findings.push(
      backupFinding(scope, {
        check: `api-error:${f.scope}`,
        severity: 'high',
        resourceArn: arn,
        title: `could not list ${f.scope} in ${f.scope === 'dr-snapshots' ? options.drRegion : deps.target.region}: ${f.error}`,
        detail: { scope: f.scope, error: f.error },
      }),
    );
  }
  const defaultRpo = options.rpoHours ?? deps.defaultRpoHours;
  const resources: ResourceReport[] = [];
  for (const r of inv.resources) {
    const tags = parseBackupTags(r.tags, defaultRpo);
    const base = {
      kind: r.kind,
      id: r.id,
      arn: r.arn,
      engine: r.engine,
      mode: tags.mode,
      rpoHours: tags.rpoHours,
    };
    const checks =
      tags.mode === 'skip'
        ? []
        : evaluateResource(r, inv, options, tags.rpoHours, tags.managedSnapshots, now);
    const verified = checks.every((c) => c.status !== 'error');
    const compliant = checks.every((c) => c.status === 'pass' || c.status === 'skipped');
    const report: ResourceReport = { ...base, compliant, verified, tagProblems: tags.problems, checks };
    resources.push(report);
    findings.push(...findingsOf(scope, r, report));
    if (tags.mode === 'skip') continue;
    const dims = { dbIdentifier: r.id };
    const age = checks.find((c) => c.check === 'recovery-point')?.detail.ageHours;
    if (typeof age === 'number') deps.metrics.add('SnapshotAgeHours', 'None', age, dims);
    deps.metrics.add('BackupCompliant', 'Count', compliant ? 1 : 0, dims);
  }
  const checked = resources.filter((r) => r.mode === 'required');
  const counts = {
    resources: resources.length,
    checked: checked.length,
    compliant: checked.filter((r) => r.compliant).length,
    nonCompliant: checked.filter((r) => !r.compliant).length,
    skipped: resources.length - checked.length,
    unverified: checked.filter((r) => !r.verified).length,
    findings: findings.length,
  };
  deps.logger.info('backup verification done', { counts });
  return {
    findings,
    report: {
      automation: VERIFY_AUTOMATION,
      target: deps.target,
      observedAt: now.toISOString(),
      rpoHoursDefault: defaultRpo,
      drRegion: options.drRegion ?? null,
      counts,
      apiErrors: inv.failures,
      resources,
    },
    summary: `${counts.checked} databases checked: ${counts.compliant} compliant, ${counts.nonCompliant} not, ${counts.unverified} unverified, ${counts.skipped} skipped`,
  };
}
