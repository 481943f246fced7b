import { describe, expect, it } from 'vitest';
import type { AwsBackupApi } from '../../../../lib/aws/backup.js';
import type { CheckResult } from '../../../../lib/backup/checks.js';
import { backupChecks, loadEvidence, withBackupEvidence } from '../../../../lib/backup/kinds/awsBackup.js';
import { DR, evalCtx, hoursAgo, NOW, REGION, REQ, statusOf } from './support.js';

const TABLE = `arn:aws:dynamodb:${REGION}:111122223333:table/orders`;
const VOLUME = `arn:aws:ec2:${REGION}:111122223333:volume/vol-1`;
const point = (arn: string, h: number, o: Record<string, unknown> = {}) => ({
  RecoveryPointArn: `rp-${arn}-${h}`,
  ResourceArn: arn,
  BackupVaultName: 'main',
  Status: 'COMPLETED' as const,
  CreationDate: hoursAgo(h),
  Lifecycle: { DeleteAfterDays: 35 },
  ...o,
});

function fakeApi(over: Partial<AwsBackupApi> = {}): AwsBackupApi {
  return {
    region: REGION,
    listProtectedResources: async () => [
      { ResourceArn: TABLE, ResourceType: 'DynamoDB' },
      {
        ResourceArn: VOLUME,
        ResourceType: 'EBS',
        LastBackupVaultArn: `arn:aws:backup:${REGION}:1:backup-vault:cold`,
        LastBackupTime: hoursAgo(100),
      },
    ],
    listVaults: async () => [
      { BackupVaultName: 'main', Locked: true, MinRetentionDays: 7 },
      { BackupVaultName: 'cold', Locked: false },
    ],
    listRecoveryPoints: async (vault) =>
      vault === 'main'
        ? [point(TABLE, 30), point(TABLE, 2), point(TABLE, 1, { Status: 'PARTIAL' })]
        : [point(VOLUME, 100, { BackupVaultName: 'cold', Lifecycle: { DeleteAfterDays: 3 } })],
    listCompletedCopyJobs: async () => [
      {
        ResourceArn: TABLE,
        DestinationBackupVaultArn: `arn:aws:backup:${DR}:1:backup-vault:dr`,
        CreationDate: hoursAgo(2),
        CompletionDate: hoursAgo(1.5),
      },
    ],
    ...over,
  };
}

describe('Function: backupChecks', () => {
  it('takes the newest COMPLETED point, its retention, its vault lock and the copy in the DR region', async () => {
    // Prepare
    const { evidence } = await loadEvidence(fakeApi(), NOW, true);
    // Act
    const checks = backupChecks(TABLE, evidence!, REQ, evalCtx({ drRegion: DR }));
    // Assess
    expect(statusOf(checks)).toEqual({
      'recovery-point': 'pass',
      'retention-period': 'pass',
      'vault-lock': 'pass',
      'dr-copy': 'pass',
    });
    expect(checks[0]?.detail).toMatchObject({
      ageHours: 2,
      evidence: 'aws-backup',
      source: 'aws-backup main',
    });
  });

  it('fails a stale point, a short retention and an unlocked vault with their numbers', async () => {
    // Prepare
    const { evidence } = await loadEvidence(fakeApi(), NOW, true);
    // Act
    const checks = backupChecks(VOLUME, evidence!, REQ, evalCtx({ drRegion: DR }));
    // Assess
    expect(statusOf(checks)).toEqual({
      'recovery-point': 'fail',
      'retention-period': 'fail',
      'vault-lock': 'fail',
      'dr-copy': 'fail',
    });
    expect(checks.find((c) => c.check === 'retention-period')?.reason).toBe('AWS Backup retention 3 d < 7 d');
  });

  it('reports the resources of an unreadable vault as unverified, leaving the other vaults’ resources checked', async () => {
    // Prepare
    const api = fakeApi({
      listRecoveryPoints: async (vault) => {
        if (vault === 'cold')
          throw Object.assign(new Error('vault policy denies'), { name: 'AccessDeniedException' });
        return [point(TABLE, 2)];
      },
    });
    const { evidence } = await loadEvidence(api, NOW, false);
    // Act
    const volume = backupChecks(VOLUME, evidence!, REQ, evalCtx());
    const table = backupChecks(TABLE, evidence!, REQ, evalCtx());
    // Assess
    expect(statusOf(volume)).toMatchObject({
      'recovery-point': 'error',
      'retention-period': 'error',
      'vault-lock': 'error',
    });
    expect(statusOf(table)).toMatchObject({ 'recovery-point': 'pass', 'dr-copy': 'skipped' });
  });

  it('marks the DR check unverified when copy jobs cannot be listed', async () => {
    // Prepare
    const api = fakeApi({
      listCompletedCopyJobs: async () => {
        throw Object.assign(new Error('no backup:ListCopyJobs'), { name: 'AccessDeniedException' });
      },
    });
    const { evidence } = await loadEvidence(api, NOW, true);
    // Act
    const checks = backupChecks(TABLE, evidence!, REQ, evalCtx({ drRegion: DR }));
    // Assess
    expect(checks.find((c) => c.check === 'dr-copy')).toMatchObject({ status: 'error' });
  });

  it('reports a failed ListProtectedResources as a failure and no evidence', async () => {
    // Prepare
    const api = fakeApi({
      listProtectedResources: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    });
    // Act
    const loaded = await loadEvidence(api, NOW, false);
    // Assess
    expect(loaded.evidence).toBeUndefined();
    expect(loaded.failures).toEqual([
      {
        kind: 'backup',
        scope: 'protected-resources',
        region: REGION,
        error: 'AccessDeniedException: denied',
      },
    ]);
  });
});

describe('Function: withBackupEvidence', () => {
  it('lets a passing AWS Backup check replace a failing native one and adds the checks the kind lacks', () => {
    // Prepare
    const native: CheckResult[] = [
      {
        check: 'recovery-point' as const,
        status: 'fail' as const,
        reason: 'pitr off',
        severity: 'high' as const,
        detail: {},
      },
      {
        check: 'encryption' as const,
        status: 'fail' as const,
        reason: 'owned key',
        severity: 'medium' as const,
        detail: {},
      },
    ];
    const backup: CheckResult[] = [
      {
        check: 'recovery-point' as const,
        status: 'pass' as const,
        reason: 'fresh',
        severity: 'high' as const,
        detail: { evidence: 'aws-backup' },
      },
      {
        check: 'vault-lock' as const,
        status: 'fail' as const,
        reason: 'unlocked',
        severity: 'medium' as const,
        detail: {},
      },
    ];
    // Act
    const merged = withBackupEvidence(native, backup);
    // Assess
    expect(merged.map((c) => `${c.check}:${c.status}`)).toEqual([
      'recovery-point:pass',
      'encryption:fail',
      'vault-lock:fail',
    ]);
  });
});
