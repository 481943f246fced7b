import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  TableNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbApi } from '../../../lib/aws/dynamodb.js';
import { listTablesPage } from '../../support/protectionPaging.js';

const mock = mockClient(DynamoDBClient);
const names = Array.from({ length: 250 }, (_, i) => `t-${String(i).padStart(3, '0')}`);

describe('Function: dynamoDbApi', () => {
  beforeEach(() => mock.reset());

  it('walks ListTables at 100 a page, handing each page on as it comes', async () => {
    // Prepare
    mock.on(ListTablesCommand).callsFake((input) => listTablesPage(names, input));
    const pages: number[] = [];
    // Act
    const all = await dynamoDbApi(new DynamoDBClient({}), 'eu-west-1').listTableNames((p) =>
      pages.push(p.length),
    );
    // Assess
    expect(all).toEqual(names);
    expect(pages).toEqual([100, 100, 50]);
    expect(mock).toHaveReceivedCommandTimes(ListTablesCommand, 3);
    expect(mock).toHaveReceivedNthCommandWith(ListTablesCommand, 3, {
      Limit: 100,
      ExclusiveStartTableName: 't-199',
    });
  });

  it('answers undefined for a table deleted since it was listed, and retries a throttled call', async () => {
    // Prepare
    // DescribeTable answers a missing table with ResourceNotFoundException (as the service does)
    mock
      .on(DescribeTableCommand)
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    mock
      .on(DescribeContinuousBackupsCommand)
      .rejects(new TableNotFoundException({ message: 'Table not found: gone', $metadata: {} }));
    mock
      .on(ListTagsOfResourceCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({ Tags: [{ Key: 'warden:backup', Value: 'skip' }] });
    let throttled = 0;
    const api = dynamoDbApi(new DynamoDBClient({}), 'eu-west-1', {
      sleep: async () => {},
      onThrottle: () => throttled++,
    });
    // Act
    const table = await api.describeTable('gone');
    const pitr = await api.describeContinuousBackups('gone');
    const tags = await api.listTags('arn:aws:dynamodb:eu-west-1:111122223333:table/t');
    // Assess
    expect(table).toBeUndefined();
    expect(pitr).toBeUndefined();
    expect(tags).toEqual([{ Key: 'warden:backup', Value: 'skip' }]);
    expect(throttled).toBe(1);
  });
});
