import { BackupServiceException } from '@aws-sdk/client-backup';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { ElastiCacheServiceException } from '@aws-sdk/client-elasticache';
import { S3ServiceException } from '@aws-sdk/client-s3';

/**
 * Page limits of the reads backupVerify makes beyond RDS, as each API reference states them, and fakes that enforce
 * them the way the services do. Benchmark bounds come from these and the inventory, never from the calls made.
 */
/** DynamoDB ListTables: Limit 1 to 100. */
export const DYNAMODB_LIST_TABLES_MAX = 100;
/** ElastiCache DescribeReplicationGroups, DescribeGlobalReplicationGroups: MaxRecords 20 to 100. */
export const ELASTICACHE_MAX_RECORDS = 100;
/** ElastiCache DescribeSnapshots: MaxRecords 20 to 50. */
export const ELASTICACHE_SNAPSHOTS_MAX = 50;
/** DescribeServerlessCaches: MaxResults up to 100; DescribeServerlessCacheSnapshots: up to 50. */
export const SERVERLESS_CACHES_MAX = 100;
export const SERVERLESS_SNAPSHOTS_MAX = 50;
/** AWS Backup list calls: MaxResults 1 to 1000. */
export const BACKUP_MAX_RESULTS = 1000;
/** S3 ListBuckets: MaxBuckets 1 to 10,000. */
export const S3_MAX_BUCKETS = 10_000;

const meta = { $fault: 'client', $metadata: { httpStatusCode: 400 } } as const;

function slice<T>(items: readonly T[], token: string | undefined, size: number, invalid: () => Error) {
  let start = 0;
  if (token !== undefined) {
    const m = /^page-(\d+)$/.exec(token);
    if (!m || Number(m[1]) > items.length) throw invalid();
    start = Number(m[1]);
  }
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? `page-${end}` : undefined };
}

const checkSize = (size: number, min: number, max: number, fail: (msg: string) => Error) => {
  if (!Number.isInteger(size) || size < min || size > max)
    throw fail(
      `Value '${size}' at 'maxResults' failed to satisfy constraint: Member must be between ${min} and ${max}`,
    );
};

/** ListTables: pages follow ExclusiveStartTableName (the last name of the previous page). */
export function listTablesPage(
  names: readonly string[],
  input: { Limit?: number; ExclusiveStartTableName?: string },
) {
  const size = input.Limit ?? DYNAMODB_LIST_TABLES_MAX;
  checkSize(
    size,
    1,
    DYNAMODB_LIST_TABLES_MAX,
    (message) => new DynamoDBServiceException({ name: 'ValidationException', ...meta, message }),
  );
  const start =
    input.ExclusiveStartTableName === undefined ? 0 : names.indexOf(input.ExclusiveStartTableName) + 1;
  const items = names.slice(start, start + size);
  return {
    TableNames: items,
    ...(start + size < names.length ? { LastEvaluatedTableName: items.at(-1) } : {}),
  };
}

/** An ElastiCache Describe* page (Marker, MaxRecords min..max): InvalidParameterValue outside it. */
export function elastiCachePage<T>(
  items: readonly T[],
  input: { MaxRecords?: number | undefined; Marker?: string | undefined },
  max: number,
) {
  const invalid = (message: string) =>
    new ElastiCacheServiceException({ name: 'InvalidParameterValue', ...meta, message });
  checkSize(input.MaxRecords ?? max, 20, max, invalid);
  const p = slice(items, input.Marker, input.MaxRecords ?? max, () => invalid('Invalid marker'));
  return { items: p.items, Marker: p.next };
}

/** A serverless ElastiCache page (NextToken, MaxResults 1..max). */
export function serverlessPage<T>(
  items: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  max: number,
) {
  const invalid = (message: string) =>
    new ElastiCacheServiceException({ name: 'InvalidParameterValue', ...meta, message });
  checkSize(input.MaxResults ?? max, 1, max, invalid);
  const p = slice(items, input.NextToken, input.MaxResults ?? max, () => invalid('Invalid token'));
  return { items: p.items, NextToken: p.next };
}

/** An AWS Backup list page (NextToken, MaxResults 1..1000): InvalidParameterValueException outside it. */
export function backupPage<T>(
  items: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
) {
  const invalid = (message: string) =>
    new BackupServiceException({ name: 'InvalidParameterValueException', ...meta, message });
  checkSize(input.MaxResults ?? BACKUP_MAX_RESULTS, 1, BACKUP_MAX_RESULTS, invalid);
  const p = slice(items, input.NextToken, input.MaxResults ?? BACKUP_MAX_RESULTS, () =>
    invalid('Invalid token'),
  );
  return { items: p.items, NextToken: p.next };
}

/** ListBuckets (ContinuationToken, MaxBuckets 1..10,000). */
export function listBucketsPage<T>(
  items: readonly T[],
  input: { MaxBuckets?: number | undefined; ContinuationToken?: string | undefined },
) {
  const invalid = (message: string) => new S3ServiceException({ name: 'InvalidArgument', ...meta, message });
  checkSize(input.MaxBuckets ?? S3_MAX_BUCKETS, 1, S3_MAX_BUCKETS, invalid);
  const p = slice(items, input.ContinuationToken, input.MaxBuckets ?? S3_MAX_BUCKETS, () =>
    invalid('Invalid token'),
  );
  return { Buckets: p.items, ...(p.next ? { ContinuationToken: p.next } : {}) };
}

/** An S3 "not configured" answer, shaped as the SDK throws it (a service exception with that name). */
export const s3NotConfigured = (name: string) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 404 }, message: name });
