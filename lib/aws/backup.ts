import {
  type BackupClient,
  type BackupVaultListMember,
  type CopyJob,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type ProtectedResource,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

export type { BackupVaultListMember, CopyJob, ProtectedResource, RecoveryPointByBackupVault };

/** ListProtectedResources, ListBackupVaults, ListRecoveryPointsByBackupVault, ListCopyJobs: MaxResults 1 to 1000. */
export const BACKUP_MAX_RESULTS = 1000;

/** The AWS Backup reads of backup verification: four region-wide walks, no call per resource. */
export interface AwsBackupApi {
  readonly region: string;
  listProtectedResources(): Promise<ProtectedResource[]>;
  listVaults(): Promise<BackupVaultListMember[]>;
  /**
   * Every recovery point of one vault. Read by vault rather than by resource: the vault listing carries each
   * point's lifecycle (ListRecoveryPointsByResource does not) and holds up to 1,000 points a page.
   */
  listRecoveryPoints(vaultName: string, resourceType?: string): Promise<RecoveryPointByBackupVault[]>;
  /** Completed copy jobs created after `since` (AWS Backup keeps the last 30 days of jobs), of one type if given. */
  listCompletedCopyJobs(since: Date, resourceType?: string): Promise<CopyJob[]>;
}

export function awsBackupApi(
  client: BackupClient,
  region: string,
  options: PacedCallOptions = {},
): AwsBackupApi {
  const { pages } = pacedCalls(options);
  const MaxResults = BACKUP_MAX_RESULTS;
  return {
    region,
    listProtectedResources: () =>
      pages(async (NextToken) => {
        const r = await client.send(new ListProtectedResourcesCommand({ MaxResults, NextToken }));
        return { items: r.Results ?? [], next: r.NextToken };
      }),
    listVaults: () =>
      pages(async (NextToken) => {
        const r = await client.send(new ListBackupVaultsCommand({ MaxResults, NextToken }));
        return { items: r.BackupVaultList ?? [], next: r.NextToken };
      }),
    listRecoveryPoints: (BackupVaultName, ByResourceType) =>
      pages(async (NextToken) => {
        const r = await client.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName,
            ByResourceType,
            MaxResults,
            NextToken,
          }),
        );
        return { items: r.RecoveryPoints ?? [], next: r.NextToken };
      }),
    listCompletedCopyJobs: (since, ByResourceType) =>
      pages(async (NextToken) => {
        const r = await client.send(
          new ListCopyJobsCommand({
            ByState: 'COMPLETED',
            ByCreatedAfter: since,
            ByResourceType,
            MaxResults,
            NextToken,
          }),
        );
        return { items: r.CopyJobs ?? [], next: r.NextToken };
      }),
  };
}
