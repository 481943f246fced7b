import type { AwsBackupApi, RecoveryPointByBackupVault } from '../../aws/backup.js';
import { describeError } from '../../errors.js';
import { mapLimit } from '../../runtime/mapLimit.js';
import { type CheckResult, freshness, result, skippedResult } from '../checks.js';
import { HOUR_MS } from '../model.js';
import { MAX_RPO_HOURS } from '../tags.js';
import type {
  BackupEvidence,
  EvalContext,
  KindScan,
  ProtectionKind,
  Requirements,
  ScanFailure,
} from './types.js';

const CHECKS = ['recovery-point', 'retention-period', 'vault-lock', 'dr-copy'] as const;
const DAY_MS = 24 * HOUR_MS;

const byNewest =
  <T>(at: (x: T) => Date | undefined) =>
  (a: T, b: T) =>
    (at(b)?.getTime() ?? 0) - (at(a)?.getTime() ?? 0);

/**
 * Reads AWS Backup once for the region: protected resources, vaults, every vault's recovery points and, with a DR
 * region, the completed copy jobs. A vault that cannot be read leaves the others' evidence standing.
 */
export async function loadEvidence(
  api: AwsBackupApi,
  now: Date,
  withCopies: boolean,
  /** Only this AWS Backup resource type's points and copies (a worker that checks one kind, e.g. `S3`). */
  resourceType?: string,
): Promise<{ evidence?: BackupEvidence; failures: ScanFailure[] }> {
  const failures: ScanFailure[] = [];
  const fail = (scope: string, err: unknown) =>
    failures.push({ kind: 'backup', scope, region: api.region, error: describeError(err) });
  let resources: Awaited<ReturnType<AwsBackupApi['listProtectedResources']>>;
  let vaults: Awaited<ReturnType<AwsBackupApi['listVaults']>>;
  try {
    [resources, vaults] = await Promise.all([api.listProtectedResources(), api.listVaults()]);
  } catch (err) {
    fail('protected-resources', err);
    return { failures };
  }
  const evidence: BackupEvidence = {
    protectedResources: new Map(resources.flatMap((r) => (r.ResourceArn ? [[r.ResourceArn, r]] : []))),
    points: new Map(),
    vaults: new Map(vaults.flatMap((v) => (v.BackupVaultName ? [[v.BackupVaultName, v]] : []))),
    copies: undefined,
    vaultErrors: new Map(),
  };
  const copies = withCopies
    ? api.listCompletedCopyJobs(new Date(now.getTime() - MAX_RPO_HOURS * HOUR_MS), resourceType).then(
        (jobs) => jobs,
        (err: unknown) => {
          evidence.copyError = describeError(err);
          return undefined;
        },
      )
    : Promise.resolve(undefined);
  await mapLimit([...evidence.vaults.keys()], 4, async (name) => {
    try {
      for (const p of await api.listRecoveryPoints(name, resourceType)) {
        if (!p.ResourceArn) continue;
        const list = evidence.points.get(p.ResourceArn);
        if (list) list.push(p);
        else evidence.points.set(p.ResourceArn, [p]);
      }
    } catch (err) {
      evidence.vaultErrors.set(name, describeError(err));
    }
  });
  for (const list of evidence.points.values()) list.sort(byNewest((p) => p.CreationDate));
  const jobs = await copies;
  if (jobs) {
    evidence.copies = new Map();
    for (const j of jobs.sort(byNewest((x) => x.CreationDate))) {
      if (!j.ResourceArn) continue;
      evidence.copies.set(j.ResourceArn, [...(evidence.copies.get(j.ResourceArn) ?? []), j]);
    }
  }
  return { evidence, failures };
}

const retentionDaysOf = (p: RecoveryPointByBackupVault): number | undefined => {
  if (p.Lifecycle?.DeleteAfterDays !== undefined) return p.Lifecycle.DeleteAfterDays;
  const del = p.CalculatedLifecycle?.DeleteAt;
  return del && p.CreationDate ? Math.floor((del.getTime() - p.CreationDate.getTime()) / DAY_MS) : undefined;
};

const error = (check: (typeof CHECKS)[number], why: string): CheckResult => ({
  check,
  status: 'error',
  reason: why,
  severity: 'high',
  detail: { error: why },
});

/** The AWS Backup checks of one resource ARN from the region's evidence (pure). */
export function backupChecks(
  arn: string,
  ev: BackupEvidence,
  req: Requirements,
  ctx: EvalContext,
): CheckResult[] {
  const completed = (ev.points.get(arn) ?? []).filter((p) => p.Status === 'COMPLETED' && p.CreationDate);
  const newest = completed[0];
  const checks: CheckResult[] = [];
  const lastVault = ev.protectedResources.get(arn)?.LastBackupVaultArn?.split(':').pop();
  const vaultError = lastVault ? ev.vaultErrors.get(lastVault) : [...ev.vaultErrors.values()][0];
  if (!newest && vaultError) {
    const why = `recovery points could not be listed: ${vaultError}`;
    checks.push(error('recovery-point', why), error('retention-period', why), error('vault-lock', why));
  } else if (!newest?.CreationDate) {
    const last = ev.protectedResources.get(arn)?.LastBackupTime;
    checks.push(
      result('recovery-point', false, 'critical', 'no completed AWS Backup recovery point', {
        rpoHours: req.rpoHours,
        lastBackupTime: last?.toISOString() ?? null,
        source: 'aws-backup',
      }),
      result('retention-period', false, 'medium', 'no completed recovery point to hold the retention', {
        requiredDays: req.retentionDays,
      }),
      skippedResult('vault-lock', 'no completed recovery point'),
    );
  } else {
    checks.push(
      freshness(
        'recovery-point',
        'newest AWS Backup recovery point',
        newest.CreationDate,
        ctx.now,
        req.rpoHours,
        {
          source: `aws-backup ${newest.BackupVaultName ?? ''}`.trim(),
          evidence: 'aws-backup',
          recoveryPointArn: newest.RecoveryPointArn ?? null,
        },
      ),
    );
    const days = retentionDaysOf(newest);
    checks.push(
      days === undefined
        ? result('retention-period', true, 'medium', 'recovery point kept until deleted (no lifecycle)', {
            requiredDays: req.retentionDays,
            evidence: 'aws-backup',
          })
        : result(
            'retention-period',
            days >= req.retentionDays,
            'medium',
            `AWS Backup retention ${days} d ${days >= req.retentionDays ? '>=' : '<'} ${req.retentionDays} d`,
            { retentionDays: days, requiredDays: req.retentionDays, evidence: 'aws-backup' },
          ),
    );
    const vault = newest.BackupVaultName ? ev.vaults.get(newest.BackupVaultName) : undefined;
    checks.push(
      result(
        'vault-lock',
        vault?.Locked === true,
        'medium',
        vault?.Locked
          ? `vault ${vault.BackupVaultName} is locked (min ${vault.MinRetentionDays ?? '-'} d)`
          : `vault ${newest.BackupVaultName ?? '?'} is not locked`,
        {
          vault: newest.BackupVaultName ?? null,
          locked: vault?.Locked === true,
          minRetentionDays: vault?.MinRetentionDays ?? null,
          lockDate: vault?.LockDate?.toISOString() ?? null,
        },
      ),
    );
  }
  const dr = ctx.options.drRegion;
  if (!dr) checks.push(skippedResult('dr-copy', 'no DR region configured'));
  else if (!ev.copies)
    checks.push(error('dr-copy', `copy jobs could not be listed: ${ev.copyError ?? 'not read'}`));
  else {
    const copy = (ev.copies.get(arn) ?? []).find((j) => j.DestinationBackupVaultArn?.split(':')[3] === dr);
    const at = copy?.CompletionDate ?? copy?.CreationDate;
    checks.push(
      at
        ? freshness('dr-copy', `AWS Backup copy in ${dr}`, at, ctx.now, req.rpoHours, {
            drRegion: dr,
            source: 'aws-backup copy',
            evidence: 'aws-backup',
            vault: copy?.DestinationBackupVaultArn ?? null,
          })
        : result('dr-copy', false, 'high', `no completed AWS Backup copy to a vault in ${dr}`, {
            drRegion: dr,
            source: 'aws-backup copy',
          }),
    );
  }
  return checks;
}

/**
 * Adds AWS Backup's evidence to a resource of another kind: a check the kind lacks is added, a check that did not
 * pass natively passes on a passing AWS Backup result (its detail says `evidence: aws-backup`).
 */
export function withBackupEvidence(native: CheckResult[], backup: CheckResult[]): CheckResult[] {
  const out = [...native];
  for (const b of backup) {
    const i = out.findIndex((c) => c.check === b.check);
    if (i < 0) out.push(b);
    else if (out[i]?.status !== 'pass' && b.status === 'pass') out[i] = b;
  }
  return out;
}

const nameOf = (arn: string) => arn.split(/[:/]/).pop() ?? arn;

/** Every resource a backup plan protects that no other kind reports: EBS, EFS, EC2, FSx... */
export const backupKind: ProtectionKind = {
  name: 'backup',
  description: 'Resources protected by AWS Backup: newest recovery point, retention, vault lock, DR copy',
  checks: CHECKS,
  permissions: [
    'backup:ListProtectedResources',
    'backup:ListBackupVaults',
    'backup:ListRecoveryPointsByBackupVault',
    'backup:ListCopyJobs',
  ],
  ready: (apis) => apis.backup !== undefined,
  async scan(ctx): Promise<KindScan> {
    const ev = ctx.evidence;
    if (!ev) return { items: [], failures: [] };
    const items = [...ev.protectedResources.values()].map((r) => {
      const arn = r.ResourceArn ?? '';
      return {
        kind: 'backup',
        id: r.ResourceName || nameOf(arn),
        arn,
        engine: r.ResourceType ?? 'unknown',
        // AWS Backup does not return the resource's tags: its rows follow the kind's default.
        tags: {},
        evaluate: (req: Requirements, e: EvalContext) => backupChecks(arn, ev, req, e),
      };
    });
    return { items, failures: [] };
  },
};
