import { describe, expect, it } from 'vitest';
import {
  checkDrCopy,
  checkEncryption,
  checkManualRetention,
  checkRecoveryPoint,
  checkRetentionPeriod,
  checkSnapshotHealth,
} from '../../../lib/backup/checks.js';
import { fromInstance, fromSnapshot, type SnapshotInfo } from '../../../lib/backup/model.js';
import { DEFAULT_RETENTION } from '../../../lib/backup/retention.js';
import { hoursAgo, instance, NOW, snapshot } from './fixtures.js';

const snaps = (...s: Parameters<typeof snapshot>[]) =>
  s.map((a) => fromSnapshot(snapshot(...a)) as SnapshotInfo);
const db = (over: Parameters<typeof instance>[1] = {}) => fromInstance(instance('db-1', over))!;

describe('Function: checkRecoveryPoint', () => {
  it('passes when point-in-time recovery is recent even if snapshots are old', () => {
    // Prepare
    const r = db({ LatestRestorableTime: hoursAgo(0.5) });
    // Act
    const result = checkRecoveryPoint(r, snaps(['db-1', 's1', 48]), NOW, 24);
    // Assess
    expect(result).toMatchObject({
      status: 'pass',
      detail: { ageHours: 0.5, rpoHours: 24, source: 'point-in-time' },
    });
  });

  it('fails with the age and the limit when the newest restorable point is older than the RPO', () => {
    // Prepare
    const r = db({ LatestRestorableTime: hoursAgo(30) });
    // Act
    const result = checkRecoveryPoint(r, snaps(['db-1', 's1', 26]), NOW, 24);
    // Assess
    expect(result.status).toBe('fail');
    expect(result.detail).toMatchObject({ ageHours: 26, rpoHours: 24, source: 'snapshot s1' });
    expect(result.reason).toContain('26 h old, over the RPO of 24 h');
  });

  it('fails as critical when there is no restorable point at all', () => {
    // Prepare
    const r = db({ LatestRestorableTime: undefined });
    // Act
    const result = checkRecoveryPoint(r, snaps(['db-1', 's1', 2, { Status: 'creating' }]), NOW, 24);
    // Assess
    expect(result).toMatchObject({ status: 'fail', severity: 'critical' });
  });
});

describe('Function: checkSnapshotHealth', () => {
  const opts = { recentHours: 72, stuckHours: 6 };

  it('passes when the newest snapshot is available, looking past one being created now', () => {
    // Act
    const result = checkSnapshotHealth(
      snaps(['db-1', 'new', 1, { Status: 'creating' }], ['db-1', 'old', 20]),
      NOW,
      opts,
    );
    // Assess
    expect(result).toMatchObject({ status: 'pass', detail: { newestSnapshot: 'old' } });
  });

  it('fails naming failed and stuck snapshots', () => {
    // Act
    const result = checkSnapshotHealth(
      snaps(
        ['db-1', 'a', 10, { Status: 'creating' }],
        ['db-1', 'b', 20, { Status: 'failed' }],
        ['db-1', 'c', 30],
      ),
      NOW,
      opts,
    );
    // Assess
    expect(result.status).toBe('fail');
    expect(result.detail).toMatchObject({
      failed: ['b'],
      stuck: ['a'],
      newestSnapshot: 'a',
      newestStatus: 'creating',
    });
  });

  it('fails when there are no snapshots', () => {
    expect(checkSnapshotHealth([], NOW, opts).status).toBe('fail');
  });
});

describe('Function: checkEncryption', () => {
  it('fails listing unencrypted snapshots and unencrypted storage', () => {
    // Prepare
    const r = db({ StorageEncrypted: false, KmsKeyId: undefined });
    // Act
    const result = checkEncryption(
      r,
      snaps(['db-1', 'a', 1, { Encrypted: false, KmsKeyId: undefined }], ['db-1', 'b', 2]),
    );
    // Assess
    expect(result).toMatchObject({
      status: 'fail',
      detail: { storageEncrypted: false, unencryptedSnapshots: 1, examples: ['a'] },
    });
  });

  it('passes when storage and snapshots use KMS', () => {
    expect(checkEncryption(db(), snaps(['db-1', 'a', 1])).status).toBe('pass');
  });
});

describe('Function: checkRetentionPeriod', () => {
  it('fails with found and expected days when retention is below the policy', () => {
    expect(checkRetentionPeriod(db({ BackupRetentionPeriod: 3 }), 7)).toMatchObject({
      status: 'fail',
      detail: { retentionDays: 3, minRetentionDays: 7 },
    });
  });

  it('fails as critical when automated backups are disabled', () => {
    expect(checkRetentionPeriod(db({ BackupRetentionPeriod: 0 }), 7).severity).toBe('critical');
  });
});

describe('Function: checkDrCopy', () => {
  it('is skipped without a DR region', () => {
    expect(checkDrCopy(undefined, NOW, 24, undefined).status).toBe('skipped');
  });

  it('fails when the newest DR copy is older than the RPO', () => {
    // Act
    const result = checkDrCopy(
      snaps(['db-1', 'dr', 40, { SnapshotType: 'manual' }]),
      NOW,
      24,
      'eu-central-1',
    );
    // Assess
    expect(result).toMatchObject({
      status: 'fail',
      detail: { ageHours: 40, rpoHours: 24, drRegion: 'eu-central-1' },
    });
  });

  it('fails when there is no copy in the DR region', () => {
    expect(checkDrCopy([], NOW, 24, 'eu-central-1').reason).toBe('no available copy in eu-central-1');
  });
});

describe('Function: checkManualRetention', () => {
  it('fails counting manual snapshots kept beyond the policy', () => {
    // Prepare: one snapshot a day for 500 days
    const manual = snaps(
      ...Array.from(
        { length: 500 },
        (_, i) => ['db-1', `m${i}`, i * 24 + 1, { SnapshotType: 'manual' }] as Parameters<typeof snapshot>,
      ),
    );
    // Act
    const result = checkManualRetention(manual, DEFAULT_RETENTION, NOW, false);
    // Assess
    expect(result.status).toBe('fail');
    expect(result.detail.outsideRetention).toBeGreaterThan(470);
  });

  it('fails a managed database that misses daily snapshots', () => {
    // Act
    const result = checkManualRetention(
      snaps(['db-1', 'm', 1, { SnapshotType: 'manual' }]),
      DEFAULT_RETENTION,
      NOW,
      true,
    );
    // Assess
    expect(result.status).toBe('fail');
    expect(result.detail.missingDays).toHaveLength(6);
  });
});
