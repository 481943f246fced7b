import type { AutomationResult, LoggerLike, MetricSink } from '../automations/types.js';
import type { Target } from '../aws/clients.js';
import type { RdsApi } from '../aws/rds.js';
import type { Finding } from '../findings/finding.js';
import type { CheckResult } from './checks.js';
import { backupFinding, type FindingScope } from './findings.js';
import { backupChecks, loadEvidence, withBackupEvidence } from './kinds/awsBackup.js';
import { ARN_SERVICES, type KindName } from './kinds/names.js';
import type { ProtectedItem, ProtectionApis, ProtectionKind, ScanFailure } from './kinds/types.js';
import type { VerifyOptions } from './options.js';
import { parseBackupTags, shortValue, type TagProblem } from './tags.js';

export const VERIFY_AUTOMATION = 'backupVerify';

export interface VerifyDeps extends ProtectionApis {
  rds?: RdsApi | undefined;
  target: Target;
  now: () => Date;
  metrics: MetricSink;
  logger: LoggerLike;
  dryRun: boolean;
  /** Stage RPO (WARDEN_RPO_HOURS). */
  defaultRpoHours: number;
  /** Throttled calls retried so far (the adapters count them); reported with the counts. */
  throttled?: () => number;
  /**
   * Selected kinds another worker checks (the automation's parts, WORKER_PARTS): AWS Backup gives no row for their
   * resources here, since that worker reports them with AWS Backup's evidence.
   */
  elsewhere?: readonly KindName[];
  /** Read AWS Backup's points and copies of this resource type only (a worker whose kinds need no other). */
  evidenceType?: string;
}

export interface ResourceReport {
  kind: string;
  id: string;
  arn: string;
  engine: string;
  mode: 'required' | 'skip';
  rpoHours: number;
  retentionDays: number;
  /** Where the freshness came from: point-in-time, snapshot, aws-backup, ... (null when none passed). */
  evidence: string | null;
  /** True when every check passed or was skipped; false when one failed or could not run. */
  compliant: boolean;
  verified: boolean;
  tagProblems: TagProblem[];
  checks: CheckResult[];
}

function findingsOf(scope: FindingScope, item: ProtectedItem, report: ResourceReport): Finding[] {
  const out: Finding[] = [];
  for (const p of report.tagProblems) {
    out.push(
      backupFinding(scope, {
        check: `bad-tag:${p.tag}`,
        severity: 'low',
        resourceArn: item.arn,
        title: `${item.id}: tag ${p.tag}=${JSON.stringify(shortValue(p.value))} is invalid (expected ${p.expected}); using ${p.applied}`,
        detail: { tag: p.tag, value: shortValue(p.value), expected: p.expected, applied: p.applied },
      }),
    );
  }
  if (item.tagError)
    out.push(
      backupFinding(scope, {
        check: 'api-error:tags',
        severity: 'medium',
        resourceArn: item.arn,
        title: `${item.id}: tags could not be read (${item.tagError}); checked with the defaults`,
        detail: { resource: item.id, kind: item.kind, error: item.tagError },
      }),
    );
  for (const c of report.checks) {
    if (c.status === 'pass' || c.status === 'skipped') continue;
    out.push(
      backupFinding(scope, {
        check: c.status === 'error' ? `api-error:${c.check}` : c.check,
        severity: c.severity,
        resourceArn: item.arn,
        title: `${item.id}: ${c.status === 'error' ? `could not check ${c.check}: ` : ''}${c.reason}`,
        detail: {
          ...c.detail,
          resource: item.id,
          kind: item.kind,
          engine: item.engine,
          rpoHours: report.rpoHours,
        },
      }),
    );
  }
  return out;
}

function failureFinding(scope: FindingScope, target: Target, f: ScanFailure): Finding {
  return backupFinding(scope, {
    check: `api-error:${f.scope}`,
    severity: 'high',
    resourceArn: f.resourceArn ?? `arn:aws:${f.kind}:${f.region}:${target.account}:${f.scope}/*`,
    title: `could not list ${f.scope} in ${f.region}: ${f.error}`,
    detail: { kind: f.kind, scope: f.scope, error: f.error },
  });
}

const evidenceOf = (checks: readonly CheckResult[]): string | null => {
  const rp = checks.find((c) => c.check === 'recovery-point' && c.status === 'pass');
  const source = rp?.detail.source;
  return typeof source === 'string' ? source : null;
};

/**
 * backupVerify over the given kinds (the catalog's, or a worker part's): scans every selected one in the target, runs
 * each resource's checks against its tags or the kind's defaults, and reports one row per resource. Takes the kinds
 * rather than importing the catalog, so that a worker's bundle holds only its own kinds' code.
 */
export async function verifyKinds(
  catalog: readonly ProtectionKind[],
  deps: VerifyDeps,
  options: VerifyOptions,
): Promise<AutomationResult> {
  const now = deps.now();
  const scope: FindingScope = {
    automation: VERIFY_AUTOMATION,
    target: deps.target,
    now,
    dryRun: deps.dryRun,
  };
  const selected = catalog.filter((k) => options.kinds.includes(k.name));
  const defaultRpo = options.rpoHours ?? deps.defaultRpoHours;
  const defaultsOf = (kind: KindName) => ({
    mode: options.defaults[kind],
    retentionDays: options.minRetentionDays,
  });
  // AWS Backup is read alongside the kinds' scans: only its own rows wait for it.
  const loading = deps.backup
    ? loadEvidence(deps.backup, now, options.drRegion !== undefined, deps.evidenceType)
    : Promise.resolve({ failures: [] as ScanFailure[], evidence: undefined });
  const scanCtx = {
    apis: deps,
    target: deps.target,
    options,
    now,
    evidence: undefined,
    wanted: (kind: KindName, tags: Record<string, string>) =>
      parseBackupTags(tags, defaultRpo, defaultsOf(kind)).mode === 'required',
  };
  const ready = selected.filter((k) => k.ready(deps));
  const scans = await Promise.all(
    ready.map(async (k) => ({
      kind: k.name,
      scan: await k.scan(k.name === 'backup' ? { ...scanCtx, evidence: (await loading).evidence } : scanCtx),
    })),
  );
  const loaded = await loading;
  const evidence = loaded.evidence;
  const failures: ScanFailure[] = [...loaded.failures, ...scans.flatMap((s) => s.scan.failures)];
  const findings: Finding[] = failures.map((f) => failureFinding(scope, deps.target, f));
  // A resource reported by its own kind takes AWS Backup's evidence there, not a second row.
  const covered = new Set(
    scans.filter((s) => s.kind !== 'backup').flatMap((s) => s.scan.items.map((i) => i.arn)),
  );
  const elsewhere = new Set<string>(deps.elsewhere ?? []);
  const resources: ResourceReport[] = [];
  const ctx = { now, options, evidence };
  for (const { kind, scan } of scans) {
    for (const item of scan.items) {
      if (kind === 'backup' && (covered.has(item.arn) || elsewhere.has(kindOfArn(item.arn)))) continue;
      const tags = parseBackupTags(item.tags ?? {}, defaultRpo, defaultsOf(kind));
      const req = {
        rpoHours: tags.rpoHours,
        retentionDays: tags.retentionDays,
        ...(tags.drCache ? { drCache: tags.drCache } : {}),
      };
      let checks = tags.mode === 'skip' ? [] : item.evaluate(req, ctx);
      if (tags.mode === 'required' && kind !== 'backup' && evidence?.protectedResources.has(item.arn))
        checks = withBackupEvidence(checks, backupChecks(item.arn, evidence, req, ctx));
      const verified = checks.every((c) => c.status !== 'error') && !item.tagError;
      const compliant = verified && checks.every((c) => c.status === 'pass' || c.status === 'skipped');
      const report: ResourceReport = {
        kind: item.kind,
        id: item.id,
        arn: item.arn,
        engine: item.engine,
        mode: tags.mode,
        rpoHours: tags.rpoHours,
        retentionDays: tags.retentionDays,
        evidence: evidenceOf(checks),
        compliant,
        verified,
        tagProblems: tags.problems,
        checks,
      };
      resources.push(report);
      findings.push(...findingsOf(scope, item, report));
      // Per-resource metrics for databases only: one custom metric per table, bucket or cache would cost more than
      // the per-kind counts below tell (the report and the findings name each resource).
      if (tags.mode === 'skip' || kindOf(item.kind) !== 'rds') continue;
      const dims = { dbIdentifier: item.id };
      const age = checks.find((c) => c.check === 'recovery-point')?.detail.ageHours;
      if (typeof age === 'number') deps.metrics.add('SnapshotAgeHours', 'None', age, dims);
      deps.metrics.add('BackupCompliant', 'Count', compliant ? 1 : 0, dims);
    }
  }
  const checked = resources.filter((r) => r.mode === 'required');
  for (const k of ready) {
    const mine = checked.filter((r) => kindOf(r.kind) === k.name);
    deps.metrics.add('BackupNonCompliant', 'Count', mine.filter((r) => !r.compliant).length, {
      kind: k.name,
    });
    deps.metrics.add('BackupUnverified', 'Count', mine.filter((r) => !r.verified).length, { kind: k.name });
  }
  const counts = {
    resources: resources.length,
    checked: checked.length,
    compliant: checked.filter((r) => r.compliant).length,
    nonCompliant: checked.filter((r) => !r.compliant).length,
    skipped: resources.length - checked.length,
    unverified: checked.filter((r) => !r.verified).length,
    findings: findings.length,
    /** Listings that failed: resources there may exist unseen, so the run is not a clean pass. */
    listingErrors: failures.length,
    throttledCalls: deps.throttled?.() ?? 0,
  };
  const notScanned = selected.filter((k) => !k.ready(deps)).map((k) => k.name);
  deps.logger.info('backup verification done', { counts, notScanned });
  const noun = selected.every((k) => k.name === 'rds') ? 'databases' : 'resources';
  return {
    findings,
    report: {
      automation: VERIFY_AUTOMATION,
      target: deps.target,
      observedAt: now.toISOString(),
      rpoHoursDefault: defaultRpo,
      drRegion: options.drRegion ?? null,
      kinds: ready.map((k) => k.name),
      notScanned,
      counts,
      apiErrors: failures,
      resources,
    },
    summary: `${counts.checked} ${noun} checked: ${counts.compliant} compliant, ${counts.nonCompliant} not, ${counts.unverified} unverified, ${counts.skipped} skipped${failures.length > 0 ? `; ${failures.length} listings failed` : ''}`,
  };
}

/** The catalog kind whose scan reports the resource of an ARN (`arn:<partition>:<service>:...`), else `backup`. */
export const kindOfArn = (arn: string): KindName => {
  const service = arn.split(':')[2] ?? '';
  const kind = (Object.keys(ARN_SERVICES) as (keyof typeof ARN_SERVICES)[]).find(
    (k) => ARN_SERVICES[k] === service,
  );
  return kind ?? 'backup';
};

/** The catalog kind of a report row (RDS rows say instance or cluster). */
export const kindOf = (rowKind: string): KindName =>
  rowKind === 'instance' || rowKind === 'cluster' ? 'rds' : (rowKind as KindName);
