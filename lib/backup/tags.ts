/** The warden:* tags that steer backups. A bad value is a problem to report, and the default applies. */
export const TAGS = {
  backup: 'warden:backup',
  rpoHours: 'warden:rpo-hours',
  retentionDays: 'warden:retention-days',
  snapshots: 'warden:snapshots',
  managed: 'warden:managed',
  drill: 'warden:drill',
  drCache: 'warden:dr-cache',
} as const;

/** An ElastiCache replication group or serverless cache id. */
const CACHE_ID = /^[a-zA-Z][a-zA-Z0-9-]{0,39}$/;

export interface TagProblem {
  tag: string;
  value: string;
  expected: string;
  applied: string;
}

export interface BackupTags {
  mode: 'required' | 'skip';
  rpoHours: number;
  rpoFromTag: boolean;
  retentionDays: number;
  managedSnapshots: boolean;
  /** ElastiCache: the cache in the DR region whose snapshots are this cache's DR copy (a seeded or restored one). */
  drCache?: string;
  problems: TagProblem[];
}

export const MAX_RPO_HOURS = 720;
export const MAX_RETENTION_DAYS = 3650;

/** What applies to a resource without (valid) tags: its kind's default mode and the configured retention. */
export interface TagDefaults {
  mode?: 'required' | 'skip';
  retentionDays?: number;
}

/** Reads the warden:* tags of a resource; the defaults apply when a tag is absent or invalid. */
export function parseBackupTags(
  tags: Record<string, string>,
  defaultRpoHours: number,
  defaults: TagDefaults = {},
): BackupTags {
  const problems: TagProblem[] = [];
  let mode: BackupTags['mode'] = defaults.mode ?? 'required';
  const backup = tags[TAGS.backup];
  if (backup !== undefined) {
    const v = backup.trim().toLowerCase();
    if (v === 'required' || v === 'skip') mode = v;
    else problems.push({ tag: TAGS.backup, value: backup, expected: 'required or skip', applied: mode });
  }
  let retentionDays = defaults.retentionDays ?? 7;
  const retention = tags[TAGS.retentionDays];
  if (retention !== undefined) {
    const n = Number(retention.trim());
    if (retention.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_RETENTION_DAYS)
      retentionDays = n;
    else
      problems.push({
        tag: TAGS.retentionDays,
        value: retention,
        expected: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}`,
        applied: String(retentionDays),
      });
  }
  let rpoHours = defaultRpoHours;
  let rpoFromTag = false;
  const rpo = tags[TAGS.rpoHours];
  if (rpo !== undefined) {
    const n = Number(rpo.trim());
    if (rpo.trim() !== '' && Number.isFinite(n) && n > 0 && n <= MAX_RPO_HOURS) {
      rpoHours = n;
      rpoFromTag = true;
    } else {
      problems.push({
        tag: TAGS.rpoHours,
        value: rpo,
        expected: `a number of hours > 0 and <= ${MAX_RPO_HOURS}`,
        applied: String(defaultRpoHours),
      });
    }
  }
  let managedSnapshots = false;
  const snap = tags[TAGS.snapshots];
  if (snap !== undefined) {
    if (snap.trim().toLowerCase() === 'managed') managedSnapshots = true;
    else problems.push({ tag: TAGS.snapshots, value: snap, expected: 'managed', applied: 'not managed' });
  }
  const drCache = tags[TAGS.drCache];
  const drCacheOk = drCache !== undefined && CACHE_ID.test(drCache.trim());
  if (drCache !== undefined && !drCacheOk)
    problems.push({
      tag: TAGS.drCache,
      value: drCache,
      expected: 'an ElastiCache replication group or serverless cache id in the DR region',
      applied: "the cache's own id",
    });
  return {
    mode,
    rpoHours,
    rpoFromTag,
    retentionDays,
    managedSnapshots,
    ...(drCacheOk ? { drCache: drCache.trim() } : {}),
    problems,
  };
}

/** Tag values are user input: cut them short before they go into a finding. */
export const shortValue = (v: string) => (v.length > 64 ? `${v.slice(0, 61)}...` : v);
