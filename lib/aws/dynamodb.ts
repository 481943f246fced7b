import {
  type ContinuousBackupsDescription,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  type TableDescription,
  TableNotFoundException,
  type Tag,
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
      if (err instanceof TableNotFoundException) return undefined;
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
