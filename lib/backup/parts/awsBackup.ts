import { BackupClient, ListProtectedResourcesCommand } from '@aws-sdk/client-backup';
import { awsBackupApi } from '../../aws/backup.js';
import { type ApiScope, pacedFor } from '../apis.js';
import type { ProtectionApis } from '../kinds/types.js';
import type { ProbeRead } from './part.js';

/** AWS Backup's adapter: its evidence serves every kind, its own rows only with `backup` selected. */
export const backupApis = ({ aws, throttles }: ApiScope): ProtectionApis => ({
  backup: awsBackupApi(aws.get(BackupClient), aws.target.region, pacedFor('backup', throttles)),
});

export const backupProbe: ProbeRead = [
  'backup',
  (aws) => aws.get(BackupClient).send(new ListProtectedResourcesCommand({ MaxResults: 1 })),
];
