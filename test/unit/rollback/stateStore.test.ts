import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStateStore } from '../../../lib/aws/dynamodb.js';
import { fakeDynamo } from './helpers.js';

const stub = mockClient(DynamoDBClient);
const ddb = new DynamoDBClient({ region: 'eu-west-1' });

describe('Function: createStateStore', () => {
  const clock = { now: new Date('2026-11-26T10:00:00Z') };
  const store = createStateStore(ddb, () => clock.now);
  const key = { pk: 'notify#abc', sk: 'suppress' };

  beforeEach(() => {
    stub.reset();
    fakeDynamo(stub);
    clock.now = new Date('2026-11-26T10:00:00Z');
  });

  it('writes once and refuses a second put while the first is live', async () => {
    // Act
    const first = await store.putIfAbsent('t', key, { by: 'a' }, 60);
    const second = await store.putIfAbsent('t', key, { by: 'b' }, 60);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await store.get('t', key)).toMatchObject({
      by: 'a',
      expiresAt: Date.parse('2026-11-26T10:01:00Z') / 1000,
    });
    expect(stub).toReceiveCommandWith(PutItemCommand, {
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
    });
  });

  it('treats an expired item as absent before TTL deletion removes it', async () => {
    // Prepare
    await store.putIfAbsent('t', key, { by: 'a' }, 60);
    clock.now = new Date('2026-11-26T10:01:00Z');

    // Act
    const missing = await store.get('t', key);
    const again = await store.putIfAbsent('t', key, { by: 'b' }, 60);

    // Assess
    expect(missing).toBeUndefined();
    expect(again).toBe(true);
  });

  it('updates attributes of every supported type and queries newest first', async () => {
    // Prepare
    await store.update('t', { pk: 'p', sk: '1' }, { s: 'x', n: 2, b: true, z: null, l: ['a', 'b'] });
    await store.update('t', { pk: 'p', sk: '2' }, { s: 'y' }, 3600);
    await store.update('t', { pk: 'p', sk: '3' }, {});

    // Act
    const items = await store.query('t', 'p', { newestFirst: true, limit: 5 });

    // Assess
    expect(items.map((i) => i.sk)).toEqual(['2', '1']);
    expect(items[1]).toEqual({ pk: 'p', sk: '1', s: 'x', n: 2, b: true, z: null, l: ['a', 'b'] });
  });

  it('propagates errors other than a failed condition', async () => {
    // Prepare
    stub.on(PutItemCommand).rejects(new Error('AccessDeniedException'));

    // Act + Assess
    await expect(store.putIfAbsent('t', key, {}, 60)).rejects.toThrow('AccessDeniedException');
  });
});
