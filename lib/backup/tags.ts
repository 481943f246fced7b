/** The warden:* tags that steer backups. A bad value is a problem to report, and the default applies. */
export const TAGS = {
  backup: 'warden:backup',
  rpoHours: 'warden:rpo-hours',
  snapshots: 'warden:snapshots',
  managed: 'warden:managed',
  drill: 'warden:drill',
} as const;

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
  managedSnapshots: boolean;
  problems: TagProblem[];
}

export const MAX_RPO_HOURS = 720;

/** Reads the warden:* tags of a database; `defaultRpoHours` applies when the tag is absent or invalid. */
export function parseBackupTags(tags: Record<string, string>, defaultRpoHours: number): BackupTags {
  const problems: TagProblem[] = [];
  let mode: BackupTags['mode'] = 'required';
  const backup = tags[TAGS.backup];
  if (backup !== undefined) {
    const v = backup.trim().toLowerCase();
    if (v === 'required' || v === 'skip') mode = v;
    else
      problems.push({ tag: TAGS.backup, value: backup, expected: 'required or skip', applied: 'required' });
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
  return { mode, rpoHours, rpoFromTag, managedSnapshots, problems };
}

/** Tag values are user input: cut them short before they go into a finding. */
export const shortValue = (v: string) => (v.length > 64 ? `${v.slice(0, 61)}...` : v);
