import type { FindingDetail, Severity } from '../findings/finding.js';
import { ageHours, type BackupResource, HOUR_MS, type SnapshotInfo } from './model.js';
import { missingDays, outsideRetention, type RetentionPolicy } from './retention.js';

export const CHECKS = [
  'recovery-point',
  'snapshot-health',
  'encryption',
  'retention-period',
  'dr-copy',
  'manual-retention',
  'pitr',
  'deletion-protection',
  'versioning',
  'public-access',
  'object-lock',
  'vault-lock',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckResult {
  check: CheckName;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  reason: string;
  /** Severity of the finding raised when the check does not pass. */
  severity: Severity;
  detail: FindingDetail;
}

export const result = (
  check: CheckName,
  ok: boolean,
  severity: Severity,
  reason: string,
  detail: FindingDetail = {},
): CheckResult => ({ check, status: ok ? 'pass' : 'fail', reason, severity, detail });

const FAILED = new Set(['failed', 'incompatible-restore', 'incompatible-parameters', 'incompatible-network']);
export const list = (ids: string[]) => ids.slice(0, 10);

/** 1. The newest restorable point (available snapshot or LatestRestorableTime) is within the RPO. */
export function checkRecoveryPoint(
  r: BackupResource,
  snapshots: readonly SnapshotInfo[],
  now: Date,
  rpoHours: number,
): CheckResult {
  const snapshot = snapshots.find((s) => s.status === 'available' && s.createdAt);
  const candidates = [r.latestRestorableTime, snapshot?.createdAt].filter((d): d is Date => d !== undefined);
  if (candidates.length === 0) {
    return result(
      'recovery-point',
      false,
      'critical',
      'no restorable point: no available snapshot and no point-in-time recovery',
      {
        rpoHours,
      },
    );
  }
  const newest = new Date(Math.max(...candidates.map((d) => d.getTime())));
  const age = ageHours(now, newest);
  const source =
    r.latestRestorableTime?.getTime() === newest.getTime() ? 'point-in-time' : `snapshot ${snapshot?.id}`;
  const detail = { ageHours: age, rpoHours, newestRestorablePoint: newest.toISOString(), source };
  return age <= rpoHours
    ? result(
        'recovery-point',
        true,
        'high',
        `newest restorable point is ${age} h old (RPO ${rpoHours} h)`,
        detail,
      )
    : result(
        'recovery-point',
        false,
        'high',
        `newest restorable point is ${age} h old, over the RPO of ${rpoHours} h`,
        detail,
      );
}

/** 2. The newest snapshot is available; no recent snapshot failed or is stuck creating. */
export function checkSnapshotHealth(
  snapshots: readonly SnapshotInfo[],
  now: Date,
  opts: { recentHours: number; stuckHours: number },
): CheckResult {
  if (snapshots.length === 0) return result('snapshot-health', false, 'high', 'no snapshots at all', {});
  const recent = snapshots.filter(
    (s) => !s.createdAt || now.getTime() - s.createdAt.getTime() <= opts.recentHours * HOUR_MS,
  );
  const failed = recent.filter((s) => FAILED.has(s.status)).map((s) => s.id);
  const stuck = recent
    .filter(
      (s) =>
        s.status === 'creating' &&
        s.createdAt &&
        now.getTime() - s.createdAt.getTime() > opts.stuckHours * HOUR_MS,
    )
    .map((s) => s.id);
  // A snapshot being created right now is not the newest usable one yet: look past it.
  const newest = snapshots.find((s) => !(s.status === 'creating' && !stuck.includes(s.id)));
  const detail: FindingDetail = {
    newestSnapshot: newest?.id ?? null,
    newestStatus: newest?.status ?? null,
    failed: list(failed),
    stuck: list(stuck),
    stuckAfterHours: opts.stuckHours,
  };
  const problems: string[] = [];
  if (newest && newest.status !== 'available')
    problems.push(`newest snapshot ${newest.id} is ${newest.status}`);
  if (failed.length > 0) problems.push(`${failed.length} failed in the last ${opts.recentHours} h`);
  if (stuck.length > 0) problems.push(`${stuck.length} creating for more than ${opts.stuckHours} h`);
  if (problems.length > 0) return result('snapshot-health', false, 'high', problems.join('; '), detail);
  return result(
    'snapshot-health',
    true,
    'high',
    newest ? `newest snapshot ${newest.id} is available` : 'only snapshots in progress',
    detail,
  );
}

/** 3. Storage and every snapshot are encrypted with KMS. */
export function checkEncryption(r: BackupResource, snapshots: readonly SnapshotInfo[]): CheckResult {
  const plain = snapshots.filter((s) => !s.encrypted || !s.kmsKeyId).map((s) => s.id);
  const storage = r.encrypted && r.kmsKeyId !== undefined;
  const detail = { storageEncrypted: storage, unencryptedSnapshots: plain.length, examples: list(plain) };
  const problems: string[] = [];
  if (!storage) problems.push('storage is not encrypted with KMS');
  if (plain.length > 0) problems.push(`${plain.length} of ${snapshots.length} snapshots not encrypted`);
  return problems.length > 0
    ? result('encryption', false, 'high', problems.join('; '), detail)
    : result(
        'encryption',
        true,
        'high',
        `storage and ${snapshots.length} snapshots encrypted with KMS`,
        detail,
      );
}

/** 4. Automated backup retention is at least the policy. */
export function checkRetentionPeriod(r: BackupResource, minDays: number): CheckResult {
  const detail = { retentionDays: r.retentionDays, minRetentionDays: minDays };
  if (r.retentionDays === 0)
    return result(
      'retention-period',
      false,
      'critical',
      'automated backups are disabled (retention 0 days)',
      detail,
    );
  return r.retentionDays >= minDays
    ? result(
        'retention-period',
        true,
        'medium',
        `automated backup retention ${r.retentionDays} d >= ${minDays} d`,
        detail,
      )
    : result(
        'retention-period',
        false,
        'medium',
        `automated backup retention ${r.retentionDays} d < ${minDays} d`,
        detail,
      );
}

/** 5. A copy in the DR region within the RPO (skipped when no DR region is configured). */
export function checkDrCopy(
  drSnapshots: readonly SnapshotInfo[] | undefined,
  now: Date,
  rpoHours: number,
  drRegion: string | undefined,
): CheckResult {
  if (!drRegion || !drSnapshots) {
    return {
      check: 'dr-copy',
      status: 'skipped',
      reason: 'no DR region configured',
      severity: 'info',
      detail: {},
    };
  }
  const newest = drSnapshots.find((s) => s.status === 'available' && s.createdAt);
  if (!newest?.createdAt)
    return result('dr-copy', false, 'high', `no available copy in ${drRegion}`, { drRegion, rpoHours });
  const age = ageHours(now, newest.createdAt);
  const detail = { drRegion, newestCopy: newest.id, ageHours: age, rpoHours };
  return age <= rpoHours
    ? result('dr-copy', true, 'high', `copy in ${drRegion} is ${age} h old (RPO ${rpoHours} h)`, detail)
    : result(
        'dr-copy',
        false,
        'high',
        `newest copy in ${drRegion} is ${age} h old, over the RPO of ${rpoHours} h`,
        detail,
      );
}

/** 6. Manual snapshots follow the retention policy: none kept beyond it, and managed ones cover every day. */
export function checkManualRetention(
  manual: readonly SnapshotInfo[],
  policy: RetentionPolicy,
  now: Date,
  managed: boolean,
): CheckResult {
  const extra = outsideRetention(manual, policy, now);
  const missing = managed ? missingDays(manual, policy.daily, now) : [];
  const detail: FindingDetail = {
    manualSnapshots: manual.length,
    outsideRetention: extra.length,
    examples: list(extra.map((s) => s.id)),
    missingDays: missing,
    policy: `${policy.daily} daily, ${policy.weekly} weekly, ${policy.monthly} monthly`,
  };
  const problems: string[] = [];
  if (extra.length > 0) problems.push(`${extra.length} manual snapshots outside the retention policy`);
  if (missing.length > 0)
    problems.push(`no managed snapshot on ${missing.length} of the last ${policy.daily - 1} days`);
  return problems.length > 0
    ? result('manual-retention', false, 'low', problems.join('; '), detail)
    : result('manual-retention', true, 'low', `${manual.length} manual snapshots within the policy`, detail);
}

/** A check that could not run: its own status, never a pass. */
export function errorResult(check: CheckName, reason: string): CheckResult {
  return { check, status: 'error', reason, severity: 'high', detail: { error: reason } };
}

/** A check that does not apply (no DR region configured, nothing of that kind present): reported, never a failure. */
export function skippedResult(check: CheckName, reason: string, detail: FindingDetail = {}): CheckResult {
  return { check, status: 'skipped', reason, severity: 'info', detail };
}

/** Whether `at` is within `rpoHours` of `now`, as a pass or a fail with the age and the RPO. */
export function freshness(
  check: CheckName,
  what: string,
  at: Date,
  now: Date,
  rpoHours: number,
  detail: FindingDetail,
): CheckResult {
  const age = ageHours(now, at);
  const d = { ...detail, ageHours: age, rpoHours, newestRestorablePoint: at.toISOString() };
  return age <= rpoHours
    ? result(check, true, 'high', `${what} is ${age} h old (RPO ${rpoHours} h)`, d)
    : result(check, false, 'high', `${what} is ${age} h old, over the RPO of ${rpoHours} h`, d);
}
