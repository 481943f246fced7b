import type { SnapshotInfo } from './model.js';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

const DAY_MS = 86_400_000;
const dayIndex = (d: Date) => Math.floor(d.getTime() / DAY_MS);
// 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday.
const weekIndex = (d: Date) => Math.floor((dayIndex(d) + 3) / 7);
const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();

/**
 * Grandfather-father-son: the newest snapshot of each of the last `daily` days, `weekly` ISO weeks and `monthly`
 * months (UTC, counted back from `now`) is kept, and so is the newest snapshot overall. Returns the ids kept.
 */
export function retainedIds(
  snapshots: readonly SnapshotInfo[],
  policy: RetentionPolicy,
  now: Date,
): Set<string> {
  const dated = snapshots
    .filter((s): s is SnapshotInfo & { createdAt: Date } => s.createdAt !== undefined)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const keep = new Set<string>();
  // Undated snapshots are still being created: never a pruning candidate.
  for (const s of snapshots) if (!s.createdAt) keep.add(s.id);
  const newest = dated[0];
  if (newest) keep.add(newest.id);
  const buckets: [number, (d: Date) => number][] = [
    [policy.daily, dayIndex],
    [policy.weekly, weekIndex],
    [policy.monthly, monthIndex],
  ];
  for (const [count, index] of buckets) {
    const current = index(now);
    const seen = new Set<number>();
    for (const s of dated) {
      const b = index(s.createdAt);
      if (b > current - count && b <= current && !seen.has(b)) {
        seen.add(b);
        keep.add(s.id);
      }
    }
  }
  return keep;
}

/** Snapshots outside the policy, oldest first. */
export function outsideRetention(
  snapshots: readonly SnapshotInfo[],
  policy: RetentionPolicy,
  now: Date,
): SnapshotInfo[] {
  const keep = retainedIds(snapshots, policy, now);
  return snapshots
    .filter((s) => !keep.has(s.id))
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/** Days among the last `daily` (excluding today, which may not have run yet) with no snapshot. */
export function missingDays(snapshots: readonly SnapshotInfo[], daily: number, now: Date): string[] {
  const have = new Set(snapshots.flatMap((s) => (s.createdAt ? [dayIndex(s.createdAt)] : [])));
  const today = dayIndex(now);
  const out: string[] = [];
  for (let d = today - 1; d > today - daily; d--) {
    if (!have.has(d)) out.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
  }
  return out;
}
