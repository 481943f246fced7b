import type { DynamoDbBackupApi } from '../../aws/dynamodb.js';
import type { ElastiCacheSnapshotApi } from '../../aws/elasticache.js';
import { ExecutionError } from '../../errors.js';
import type { SnapshotDriver } from './take.js';

/**
 * DynamoDB: an on-demand backup (CreateBackup). Backup names are not unique, so a retried command first looks for
 * a backup of its name and reuses it. Every DynamoDB table is encrypted at rest: with no SSE description it is the
 * AWS owned key.
 */
export function dynamoDbSnapshotDriver(ddb: DynamoDbBackupApi, table: string): SnapshotDriver {
  return {
    async describeSource() {
      const t = await ddb.table(table);
      return t && { type: 'table', arn: t.arn };
    },
    async create(name) {
      const existing = (await ddb.listUserBackups(table)).find((b) => b.BackupName === name);
      if (existing?.BackupArn) return { outcome: 'exists', arn: existing.BackupArn };
      const arn = await ddb.createBackup(table, name);
      if (!arn) throw new ExecutionError(`table ${table} was deleted before its backup could be taken`);
      return { outcome: 'done', arn };
    },
    async describe(_name, arn) {
      if (!arn) return undefined;
      const d = await ddb.describeBackup(arn);
      const details = d?.BackupDetails;
      if (!details) return undefined;
      const status = details.BackupStatus ?? 'UNKNOWN';
      const sse = d.SourceTableFeatureDetails?.SSEDescription;
      return {
        id: details.BackupName ?? '',
        arn: details.BackupArn ?? arn,
        status,
        complete: status === 'AVAILABLE',
        failed: status === 'DELETED',
        encrypted: sse === undefined || sse.Status === 'ENABLED' || sse.Status === 'UPDATING',
        kmsKeyId: sse?.KMSMasterKeyArn ?? 'AWS owned key',
      };
    },
  };
}

/**
 * ElastiCache (Redis OSS / Valkey): a manual snapshot of a replication group. A snapshot carries no encryption
 * flag of its own: it is encrypted at rest when its group is (with the group's KMS key, if any).
 */
export function elastiCacheSnapshotDriver(ec: ElastiCacheSnapshotApi, groupId: string): SnapshotDriver {
  let encrypted = false;
  return {
    async describeSource() {
      const g = await ec.replicationGroup(groupId);
      if (!g) return undefined;
      encrypted = g.AtRestEncryptionEnabled === true;
      return { type: 'replication group', arn: g.ARN ?? groupId };
    },
    async create(name, tags) {
      const outcome = await ec.createSnapshot(groupId, name, tags);
      if (outcome === 'missing')
        throw new ExecutionError(`${groupId} was deleted before its snapshot could be taken`);
      return { outcome };
    },
    async describe(name) {
      const s = await ec.snapshot(name);
      if (!s) return undefined;
      const status = s.SnapshotStatus ?? 'unknown';
      return {
        id: s.SnapshotName ?? name,
        arn: s.ARN ?? '',
        status,
        complete: status === 'available',
        failed: status === 'failed' || status === 'deleting',
        encrypted,
        kmsKeyId: s.KmsKeyId,
      };
    },
  };
}
