import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from '../../../lib/aws/stateStore.js';
import { ExecutionError } from '../../../lib/errors.js';
import type { NotifyState } from '../../../lib/notify/decide.js';
import { notifyKey, notifyStateStore } from '../../../lib/notify/state.js';
import { memoryStateStore } from '../../../lib/runtime/memoryStateStore.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';

const stub = mockClient(DynamoDBClient);
const now = () => new Date('2026-11-26T08:00:00Z');
const TTL = 7 * 86_400;

const stores: [string, () => StateStore][] = [
  ['memory', () => memoryStateStore(now)],
  [
    'DynamoDB',
    () => {
      fakeDynamo(stub);
      return createStateStore(new DynamoDBClient({ region: 'eu-west-1' }), now);
    },
  ],
];

const decision = (messageId: string, over: Partial<NotifyState> = {}): NotifyState => ({
  severity: 'high',
  status: 'open',
  notifiedAt: now().getTime(),
  messageId,
  delivered: [],
  ...over,
});

describe.each(stores)('Function: notifyStateStore (%s)', (_name, make) => {
  let state: ReturnType<typeof notifyStateStore>;

  beforeEach(() => {
    stub.reset();
    state = notifyStateStore({ store: make(), table: 'warden-dev-state' }, TTL);
  });

  it('claims a first decision once, then only from the state that was read', async () => {
    // Act
    const first = await state.claim('f1', decision('m1'), undefined);
    const duplicate = await state.claim('f1', decision('m2'), undefined);
    const stale = await state.claim('f1', decision('m3'), 'm0');
    await state.markDelivered('f1', 'm1', 'sns');
    const next = await state.claim('f1', decision('m4', { status: 'resolved' }), 'm1');
    // Assess
    expect([first, duplicate, stale, next]).toEqual([true, false, false, true]);
    expect(await state.get('f1')).toEqual(decision('m4', { status: 'resolved' }));
  });

  it('marks each channel delivered once, and refuses a mark once another message claimed', async () => {
    // Prepare
    await state.claim('f1', decision('m1'), undefined);
    // Act
    await state.markDelivered('f1', 'm1', 'sns');
    await state.markDelivered('f1', 'm1', 'sns');
    await state.markDelivered('f1', 'm1', 'slack');
    const marked = (await state.get('f1'))?.delivered;
    await state.claim('f1', decision('m2'), 'm1');
    const late = state.markDelivered('f1', 'm1', 'sns');
    // Assess
    expect([...(marked ?? [])].sort()).toEqual(['slack', 'sns']);
    await expect(late).rejects.toThrow(ExecutionError);
    expect((await state.get('f1'))?.delivered).toEqual([]);
  });

  it('refuses a mark for a finding with no state', async () => {
    // Act + Assess
    await expect(state.markDelivered('none', 'm1', 'sns')).rejects.toThrow(/finding none/);
    expect(await state.get('none')).toBeUndefined();
  });
});

describe('Function: notifyStateStore (items of the former notify layer)', () => {
  it('reads an existing item and claims from it with the same key and TTL attribute', async () => {
    // Prepare
    stub.reset();
    const { items } = fakeDynamo(stub);
    const key = notifyKey('f1');
    items.set(`${key.pk}\u0000${key.sk}`, {
      pk: { S: 'notify#f1' },
      sk: { S: 'state' },
      severity: { S: 'medium' },
      status: { S: 'open' },
      notifiedAt: { N: '1764100000000' },
      messageId: { S: 'old' },
      delivered: { SS: ['sns'] },
      expiresAt: { N: '1800000000' },
    });
    const state = notifyStateStore(
      { store: createStateStore(new DynamoDBClient({ region: 'eu-west-1' }), now), table: 't' },
      TTL,
    );
    // Act
    const read = await state.get('f1');
    const claimed = await state.claim('f1', decision('new'), 'old');
    // Assess
    expect(read).toEqual({
      severity: 'medium',
      status: 'open',
      notifiedAt: 1764100000000,
      messageId: 'old',
      delivered: ['sns'],
    });
    expect(claimed).toBe(true);
    expect(stub).toReceiveCommandWith(PutItemCommand, {
      Item: expect.objectContaining({
        pk: { S: 'notify#f1' },
        expiresAt: { N: String(now().getTime() / 1000 + TTL) },
      }),
    });
  });
});
