import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStateStore } from '../../../lib/aws/stateStore.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { describeStateStoreContract } from './stateStoreContract.js';

const stub = mockClient(DynamoDBClient);
const ddb = new DynamoDBClient({ region: 'eu-west-1' });

describeStateStoreContract('DynamoDB', (clock) => {
  stub.reset();
  fakeDynamo(stub);
  return createStateStore(ddb, () => clock.now);
});

describe('Function: createStateStore', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const store = createStateStore(ddb, () => now);
  const key = { pk: 'notify#abc', sk: 'state' };
  let items: ReturnType<typeof fakeDynamo>['items'];

  beforeEach(() => {
    stub.reset();
    items = fakeDynamo(stub).items;
  });

  it('claims with attribute_not_exists(pk) or an expired TTL, in one conditional put', async () => {
    // Act
    await store.putIfAbsent('warden-dev-state', key, { by: 'a' }, 60);
    // Assess
    expect(stub).toReceiveCommandWith(PutItemCommand, {
      TableName: 'warden-dev-state',
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':now': { N: String(now.getTime() / 1000) } },
    });
  });

  it('reads strongly consistent and sends an update as SET and ADD with its condition', async () => {
    // Act
    await store.get('t', key);
    await store.update(
      't',
      key,
      { at: 'x' },
      { addToSet: { delivered: ['sns', 'sns'] }, expect: { attribute: 'messageId', equals: 'm1' } },
    );
    // Assess
    expect(stub).toReceiveCommandWith(GetItemCommand, { ConsistentRead: true });
    expect(stub).toReceiveCommandWith(UpdateItemCommand, {
      UpdateExpression: 'SET #a0 = :v0 ADD #s0 :s0',
      ConditionExpression: '#expected = :expected AND (attribute_not_exists(#ttl) OR #ttl > :now)',
      ExpressionAttributeNames: {
        '#a0': 'at',
        '#s0': 'delivered',
        '#expected': 'messageId',
        '#ttl': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':v0': { S: 'x' },
        ':s0': { SS: ['sns'] },
        ':expected': { S: 'm1' },
        ':now': { N: String(now.getTime() / 1000) },
      },
    });
  });

  it('sends nothing for an update with nothing to change', async () => {
    // Act
    const done = await store.update('t', key, {}, { addToSet: { delivered: [] } });
    // Assess
    expect(done).toBe(true);
    expect(stub.calls()).toHaveLength(0);
  });

  it('reads a delivered string set written by the former notify layer as a list', async () => {
    // Prepare
    items.set(`${key.pk}\u0000${key.sk}`, {
      pk: { S: key.pk },
      sk: { S: key.sk },
      messageId: { S: 'm1' },
      notifiedAt: { N: '1764144000000' },
      delivered: { SS: ['sns', 'slack'] },
      expiresAt: { N: '1800000000' },
    });
    // Act
    const item = await store.get('t', key);
    // Assess
    expect(item).toMatchObject({ messageId: 'm1', notifiedAt: 1764144000000, delivered: ['sns', 'slack'] });
  });

  it('propagates errors other than a failed condition', async () => {
    // Prepare
    stub.on(PutItemCommand).rejects(new Error('AccessDeniedException'));
    stub.on(DeleteItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    // Act + Assess
    await expect(store.putIfAbsent('t', key, {}, 60)).rejects.toThrow('AccessDeniedException');
    await expect(store.delete('t', key)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
