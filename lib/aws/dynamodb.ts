import {
  type AttributeValue,
  type BackupDescription,
  BackupNotFoundException,
  type BackupSummary,
  type ContinuousBackupsDescription,
  CreateBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListBackupsCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  TableAlreadyExistsException,
  type TableDescription,
  TableNotFoundException,
  type Tag,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

export type { ContinuousBackupsDescription, TableDescription, Tag as DynamoTag };

/** ListTables: Limit 1 to 100 (Amazon DynamoDB API Reference). */
export const LIST_TABLES_LIMIT = 100;

/** The DynamoDB control-plane reads of backup verification, paced and retried when throttled. */
export interface DynamoDbApi {
  readonly region: string;
  /** Every table name of the region; `onPage` sees each page as it arrives, so work can start before the last. */
  listTableNames(onPage?: (names: string[]) => void): Promise<string[]>;
  /** Undefined when the table was deleted since it was listed. */
  describeTable(name: string): Promise<TableDescription | undefined>;
  describeContinuousBackups(name: string): Promise<ContinuousBackupsDescription | undefined>;
  listTags(arn: string): Promise<Tag[]>;
}

export function dynamoDbApi(
  client: DynamoDBClient,
  region: string,
  options: PacedCallOptions = {},
): DynamoDbApi {
  const { call, pages } = pacedCalls(options);
  const gone = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call(fn);
    } catch (err) {
      // DescribeTable says ResourceNotFoundException, DescribeContinuousBackups TableNotFoundException.
      if (err instanceof TableNotFoundException || err instanceof ResourceNotFoundException) return undefined;
      throw err;
    }
  };
  return {
    region,
    listTableNames: (onPage) =>
      pages(async (ExclusiveStartTableName) => {
        const r = await client.send(
          new ListTablesCommand({ Limit: LIST_TABLES_LIMIT, ExclusiveStartTableName }),
        );
        return { items: r.TableNames ?? [], next: r.LastEvaluatedTableName };
      }, onPage),
    describeTable: async (TableName) =>
      (await gone(() => client.send(new DescribeTableCommand({ TableName }))))?.Table,
    describeContinuousBackups: async (TableName) =>
      (await gone(() => client.send(new DescribeContinuousBackupsCommand({ TableName }))))
        ?.ContinuousBackupsDescription,
    listTags: (ResourceArn) =>
      pages(async (NextToken) => {
        const r = await client.send(new ListTagsOfResourceCommand({ ResourceArn, NextToken }));
        return { items: r.Tags ?? [], next: r.NextToken };
      }),
  };
}

/** A table restored by a drill: what its steps read. */
export interface RestoredTable {
  status: string;
  arn: string;
  createdAt?: Date | undefined;
  itemCount?: number | undefined;
}

/** A key attribute value as drill options give it. */
export type PlainKey = Record<string, string | number>;

/**
 * The calls of a DynamoDB restore drill: restore to the latest restorable time into a new table, read it, delete
 * it. Expected faults are caught by class here; mutations answer 'exists' / 'missing' on a retry.
 */
export interface DynamoDbDrillApi {
  readonly region: string;
  /** 'exists' when the target table already exists (a retried step); 'missing' when the source is gone. */
  restoreToLatest(source: string, target: string): Promise<'done' | 'exists' | 'missing'>;
  /** Undefined when the table does not exist (DescribeTable's ResourceNotFoundException). */
  table(name: string): Promise<RestoredTable | undefined>;
  /** Point-in-time recovery of a table: enabled, and the latest time it can be restored to. */
  pointInTime(name: string): Promise<{ enabled: boolean; latest?: Date | undefined } | undefined>;
  tag(arn: string, tags: { Key: string; Value: string }[]): Promise<void>;
  /** One page of a Select=COUNT scan; `cursor` (opaque, JSON-safe) continues a previous page. */
  countPage(name: string, cursor?: string): Promise<{ count: number; cursor?: string | undefined }>;
  /** Whether an item with this key exists (strongly consistent, key attributes only). */
  hasItem(name: string, key: PlainKey): Promise<boolean>;
  /** 'missing' when it was already gone. */
  deleteTable(name: string): Promise<'done' | 'missing'>;
  listTableNames(): Promise<string[]>;
  listTags(arn: string): Promise<Tag[]>;
}

type KeyValue = { S: string } | { N: string } | { B: string };

/** LastEvaluatedKey as JSON: binary key attributes travel as base64. */
function encodeCursor(key: Record<string, AttributeValue> | undefined): string | undefined {
  if (!key) return undefined;
  const out: Record<string, KeyValue> = {};
  for (const [name, value] of Object.entries(key)) {
    if (value.S !== undefined) out[name] = { S: value.S };
    else if (value.N !== undefined) out[name] = { N: value.N };
    else if (value.B !== undefined) out[name] = { B: Buffer.from(value.B).toString('base64') };
  }
  return JSON.stringify(out);
}

function decodeCursor(cursor: string | undefined): Record<string, AttributeValue> | undefined {
  if (!cursor) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(JSON.parse(cursor) as Record<string, KeyValue>)) {
    out[name] = 'B' in v ? { B: Buffer.from(v.B, 'base64') } : v;
  }
  return out;
}

export function dynamoDbDrillApi(
  client: DynamoDBClient,
  region: string,
  options: PacedCallOptions = {},
): DynamoDbDrillApi {
  const { call } = pacedCalls(options);
  const read = dynamoDbApi(client, region, options);
  return {
    region,
    async restoreToLatest(SourceTableName, TargetTableName) {
      try {
        await call(() =>
          client.send(
            new RestoreTableToPointInTimeCommand({
              SourceTableName,
              TargetTableName,
              UseLatestRestorableTime: true,
              // On demand: the drill's scan is never throttled by a small provisioned capacity, and costs per read.
              BillingModeOverride: 'PAY_PER_REQUEST',
            }),
          ),
        );
        return 'done';
      } catch (err) {
        if (err instanceof TableAlreadyExistsException) return 'exists';
        if (err instanceof TableNotFoundException) return 'missing';
        throw err;
      }
    },
    async table(TableName) {
      try {
        const t = (await call(() => client.send(new DescribeTableCommand({ TableName })))).Table;
        return (
          t && {
            status: t.TableStatus ?? 'UNKNOWN',
            arn: t.TableArn ?? '',
            createdAt: t.CreationDateTime,
            itemCount: t.ItemCount,
          }
        );
      } catch (err) {
        if (err instanceof ResourceNotFoundException) return undefined;
        throw err;
      }
    },
    async pointInTime(name) {
      const d = await read.describeContinuousBackups(name);
      if (!d) return undefined;
      const pitr = d.PointInTimeRecoveryDescription;
      return {
        enabled: pitr?.PointInTimeRecoveryStatus === 'ENABLED',
        latest: pitr?.LatestRestorableDateTime,
      };
    },
    async tag(ResourceArn, Tags) {
      await call(() => client.send(new TagResourceCommand({ ResourceArn, Tags })));
    },
    async countPage(TableName, cursor) {
      const r = await call(() =>
        client.send(new ScanCommand({ TableName, Select: 'COUNT', ExclusiveStartKey: decodeCursor(cursor) })),
      );
      return { count: r.Count ?? 0, cursor: encodeCursor(r.LastEvaluatedKey) };
    },
    async hasItem(TableName, key) {
      const Key: Record<string, AttributeValue> = {};
      const names: Record<string, string> = {};
      for (const [i, [name, value]] of Object.entries(key).entries()) {
        Key[name] = typeof value === 'number' ? { N: String(value) } : { S: value };
        names[`#k${i}`] = name;
      }
      const r = await call(() =>
        client.send(
          new GetItemCommand({
            TableName,
            Key,
            ConsistentRead: true,
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: names,
          }),
        ),
      );
      return r.Item !== undefined;
    },
    async deleteTable(TableName) {
      try {
        await call(() => client.send(new DeleteTableCommand({ TableName })));
        return 'done';
      } catch (err) {
        if (err instanceof ResourceNotFoundException) return 'missing';
        throw err;
      }
    },
    listTableNames: () => read.listTableNames(),
    listTags: (arn) => read.listTags(arn),
  };
}

/** The calls of an on-demand DynamoDB backup (`warden backup snapshot dynamodb:<table>`). */
export interface DynamoDbBackupApi {
  readonly region: string;
  table(name: string): Promise<RestoredTable | undefined>;
  /** The table's on-demand (USER) backups; backup names are not unique, so a retry looks for its name first. */
  listUserBackups(table: string): Promise<BackupSummary[]>;
  /** The new backup's ARN; undefined when the table is gone. */
  createBackup(table: string, name: string): Promise<string | undefined>;
  /** Undefined when there is no such backup. */
  describeBackup(arn: string): Promise<BackupDescription | undefined>;
}

export function dynamoDbBackupApi(
  client: DynamoDBClient,
  region: string,
  options: PacedCallOptions = {},
): DynamoDbBackupApi {
  const { call, pages } = pacedCalls(options);
  const drill = dynamoDbDrillApi(client, region, options);
  return {
    region,
    table: (name) => drill.table(name),
    listUserBackups: (TableName) =>
      pages(async (ExclusiveStartBackupArn) => {
        const r = await client.send(
          new ListBackupsCommand({ TableName, BackupType: 'USER', ExclusiveStartBackupArn }),
        );
        return { items: r.BackupSummaries ?? [], next: r.LastEvaluatedBackupArn };
      }),
    async createBackup(TableName, BackupName) {
      try {
        const r = await call(() => client.send(new CreateBackupCommand({ TableName, BackupName })));
        return r.BackupDetails?.BackupArn;
      } catch (err) {
        if (err instanceof TableNotFoundException) return undefined;
        throw err;
      }
    },
    async describeBackup(BackupArn) {
      try {
        return (await call(() => client.send(new DescribeBackupCommand({ BackupArn })))).BackupDescription;
      } catch (err) {
        if (err instanceof BackupNotFoundException) return undefined;
        throw err;
      }
    },
  };
}
