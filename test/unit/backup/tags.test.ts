import { describe, expect, it } from 'vitest';
import { parseBackupTags } from '../../../lib/backup/tags.js';

describe('Function: parseBackupTags', () => {
  it('applies defaults when no warden tag is set', () => {
    expect(parseBackupTags({}, 24)).toEqual({
      mode: 'required',
      rpoHours: 24,
      rpoFromTag: false,
      retentionDays: 7,
      managedSnapshots: false,
      problems: [],
    });
  });

  it('takes the kind default mode and retention when the resource has no warden tag', () => {
    expect(parseBackupTags({}, 24, { mode: 'skip', retentionDays: 14 })).toMatchObject({
      mode: 'skip',
      retentionDays: 14,
      problems: [],
    });
  });

  it('reads warden:retention-days, and reports a bad value naming the tag and the default applied', () => {
    // Act
    const good = parseBackupTags({ 'warden:retention-days': '30' }, 24);
    const bad = parseBackupTags({ 'warden:retention-days': '2.5', 'warden:backup': 'maybe' }, 24, {
      mode: 'skip',
      retentionDays: 10,
    });
    // Assess
    expect(good.retentionDays).toBe(30);
    expect(bad.retentionDays).toBe(10);
    expect(bad.mode).toBe('skip');
    expect(bad.problems).toEqual([
      { tag: 'warden:backup', value: 'maybe', expected: 'required or skip', applied: 'skip' },
      {
        tag: 'warden:retention-days',
        value: '2.5',
        expected: 'a whole number of days from 1 to 3650',
        applied: '10',
      },
    ]);
  });

  it('reads skip, an RPO override and managed snapshots', () => {
    // Act
    const tags = parseBackupTags(
      { 'warden:backup': 'Skip', 'warden:rpo-hours': '6', 'warden:snapshots': 'managed' },
      24,
    );
    // Assess
    expect(tags).toMatchObject({
      mode: 'skip',
      rpoHours: 6,
      rpoFromTag: true,
      managedSnapshots: true,
      problems: [],
    });
  });

  it.each(['abc', '0', '-3', '', '1000', 'NaN'])(
    'reports rpo-hours %j as a problem and applies the default',
    (value) => {
      // Act
      const tags = parseBackupTags({ 'warden:rpo-hours': value }, 12);
      // Assess
      expect(tags.rpoHours).toBe(12);
      expect(tags.problems).toEqual([
        { tag: 'warden:rpo-hours', value, expected: 'a number of hours > 0 and <= 720', applied: '12' },
      ]);
    },
  );

  it('reports an unknown warden:backup value and keeps the database required', () => {
    // Act
    const tags = parseBackupTags({ 'warden:backup': 'maybe', 'warden:snapshots': 'yes' }, 24);
    // Assess
    expect(tags.mode).toBe('required');
    expect(tags.problems.map((p) => p.tag)).toEqual(['warden:backup', 'warden:snapshots']);
  });

  it('reads warden:dr-cache as a cache id, and reports a value that cannot be one', () => {
    // Act
    const ok = parseBackupTags({ 'warden:dr-cache': ' sessions-dr ' }, 24);
    const bad = parseBackupTags({ 'warden:dr-cache': 'sessions dr!' }, 24);
    // Assess
    expect(ok.drCache).toBe('sessions-dr');
    expect(ok.problems).toEqual([]);
    expect(bad.drCache).toBeUndefined();
    expect(bad.problems).toEqual([
      {
        tag: 'warden:dr-cache',
        value: 'sessions dr!',
        expected: 'an ElastiCache replication group or serverless cache id in the DR region',
        applied: "the cache's own id",
      },
    ]);
  });
});
