import type { DynamoDbBackupApi } from '../../aws/dynamodb.js';
import type { ElastiCacheSnapshotApi, ServerlessCacheSnapshot, Snapshot } from '../../aws/elasticache.js';
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
 * ElastiCache (Redis OSS / Valkey): a manual snapshot of a replication group, or of a serverless cache of that name.
 * A group's snapshot carries no encryption flag of its own: it is encrypted at rest when its group is (with the
 * group's KMS key, if any). Serverless caches and their snapshots are always encrypted at rest.
 */
export function elastiCacheSnapshotDriver(ec: ElastiCacheSnapshotApi, name: string): SnapshotDriver {
  let encrypted = false;
  let serverless = false;
  return {
    async describeSource() {
      const g = await ec.replicationGroup(name);
      if (g) {
        encrypted = g.AtRestEncryptionEnabled === true;
        return { type: 'replication group', arn: g.ARN ?? name };
      }
      const cache = await ec.serverlessCache(name);
      if (!cache) return undefined;
      serverless = true;
      encrypted = true;
      return { type: 'serverless cache', arn: cache.ARN ?? name };
    },
    async create(id, tags) {
      const outcome = serverless
        ? await ec.createServerlessSnapshot(name, id, tags)
        : await ec.createSnapshot(name, id, tags);
      if (outcome === 'missing')
        throw new ExecutionError(`${name} was deleted before its snapshot could be taken`);
      return { outcome };
    },
    async describe(id) {
      const s = serverless
        ? serverlessState(await ec.serverlessSnapshot(id))
        : groupState(await ec.snapshot(id));
      if (!s) return undefined;
      return {
        id: s.name ?? id,
        arn: s.arn ?? '',
        status: s.status,
        complete: s.status === 'available',
        failed: s.status === 'failed' || s.status === 'deleting',
        encrypted,
        kmsKeyId: s.kmsKeyId,
      };
    },
  };
}

interface CacheSnapshotState {
  name: string | undefined;
  arn: string | undefined;
  status: string;
  kmsKeyId: string | undefined;
}

const groupState = (s: Snapshot | undefined): CacheSnapshotState | undefined =>
  s && { name: s.SnapshotName, arn: s.ARN, status: s.SnapshotStatus ?? 'unknown', kmsKeyId: s.KmsKeyId };

const serverlessState = (s: ServerlessCacheSnapshot | undefined): CacheSnapshotState | undefined =>
  s && {
    name: s.ServerlessCacheSnapshotName,
    arn: s.ARN,
    status: s.Status ?? 'unknown',
    kmsKeyId: s.KmsKeyId,
  };
