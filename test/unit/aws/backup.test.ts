import {
  BackupClient,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsBackupApi } from '../../../lib/aws/backup.js';
import { backupPage } from '../../support/protectionPaging.js';

const mock = mockClient(BackupClient);

describe('Function: awsBackupApi', () => {
  beforeEach(() => mock.reset());

  it('reads protected resources, vaults, a vault’s points and completed copy jobs at 1,000 a page', async () => {
    // Prepare
    const points = Array.from({ length: 2500 }, (_, i) => ({ RecoveryPointArn: `rp-${i}` }));
    mock.on(ListRecoveryPointsByBackupVaultCommand).callsFake((input) => {
      const p = backupPage(points, input);
      return { RecoveryPoints: p.items, NextToken: p.NextToken };
    });
    mock.on(ListProtectedResourcesCommand).callsFake((input) => {
      const p = backupPage([{ ResourceArn: 'arn:r' }], input);
      return { Results: p.items, NextToken: p.NextToken };
    });
    mock.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [{ BackupVaultName: 'v' }] });
    mock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
    const api = awsBackupApi(new BackupClient({}), 'eu-west-1');
    const since = new Date('2026-11-01T00:00:00Z');
    // Act
    const got = await api.listRecoveryPoints('v');
    await api.listProtectedResources();
    await api.listVaults();
    await api.listCompletedCopyJobs(since);
    // Assess
    expect(got).toHaveLength(2500);
    expect(mock).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 3);
    expect(mock).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'v',
      MaxResults: 1000,
    });
    expect(mock).toHaveReceivedCommandWith(ListProtectedResourcesCommand, { MaxResults: 1000 });
    expect(mock).toHaveReceivedCommandWith(ListCopyJobsCommand, {
      ByState: 'COMPLETED',
      ByCreatedAfter: since,
      MaxResults: 1000,
    });
  });
});
