import { describe, expect, it } from 'vitest';
import { fromSnapshot, type SnapshotInfo } from '../../../lib/backup/model.js';
import { missingDays, outsideRetention, retainedIds } from '../../../lib/backup/retention.js';
import { NOW, snapshot } from './fixtures.js';

const daily = (days: number) =>
  Array.from(
    { length: days },
    (_, i) => fromSnapshot(snapshot('db-1', `d${i}`, i * 24 + 1, { SnapshotType: 'manual' })) as SnapshotInfo,
  );

describe('Function: retainedIds', () => {
  it('keeps 7 daily, 4 weekly and 12 monthly snapshots of a daily series', () => {
    // Act
    const keep = retainedIds(daily(400), { daily: 7, weekly: 4, monthly: 12 }, NOW);
    // Assess: days overlap with the current week and month, so fewer than 23 distinct
    expect(keep.has('d0')).toBe(true);
    expect(keep.has('d6')).toBe(true);
    expect(keep.size).toBeGreaterThanOrEqual(18);
    expect(keep.size).toBeLessThanOrEqual(23);
    expect(keep.has('d399')).toBe(false);
  });

  it('always keeps the newest snapshot, even with a policy of zero', () => {
    expect([...retainedIds(daily(3), { daily: 0, weekly: 0, monthly: 0 }, NOW)]).toEqual(['d0']);
  });

  it('never prunes a snapshot without a creation time', () => {
    // Prepare
    const creating = { ...(daily(1)[0] as SnapshotInfo), id: 'x', createdAt: undefined };
    // Act
    const out = outsideRetention([creating, ...daily(100)], { daily: 1, weekly: 0, monthly: 0 }, NOW);
    // Assess
    expect(out.map((s) => s.id)).not.toContain('x');
    expect(out[0]?.id).toBe('d99');
  });
});

describe('Function: missingDays', () => {
  it('lists the past days without a snapshot, not today', () => {
    expect(missingDays(daily(3), 7, NOW)).toEqual(['2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20']);
  });
});
