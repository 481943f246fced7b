import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../../lib/aws/stateStore.js';
import { memoryStateStore } from '../../../lib/runtime/memoryStateStore.js';
import { describeStateStoreContract } from '../aws/stateStoreContract.js';

describeStateStoreContract('memory', (clock) => memoryStateStore(() => clock.now));

describe('Function: memoryStateStore', () => {
  it('keeps tables apart and hands out copies, not the items it holds', async () => {
    // Prepare
    const store = memoryStateStore(() => new Date('2026-11-26T00:00:00Z'));
    const key = { pk: 'p', sk: 'a' };
    await store.put('t', key, { l: ['x'] });
    await store.put('other', key, { l: ['y'] });
    // Act
    const read = await store.get('t', key);
    (read!.l as string[]).push('mutated');
    // Assess
    expect(await store.get('t', key)).toEqual({ ...key, l: ['x'] });
    expect((await store.query('other', 'p')).map((i) => i.l)).toEqual([['y']]);
  });

  it('reads through to another store and never writes it', async () => {
    // Prepare
    const now = () => new Date('2026-11-26T00:00:00Z');
    const deployed = memoryStateStore(now);
    await deployed.putIfAbsent('t', { pk: 'p', sk: 'held' }, { by: 'worker' }, 600);
    const writes: string[] = [];
    const watched: StateStore = {
      ...deployed,
      putIfAbsent: async (...a) => {
        writes.push('put');
        return deployed.putIfAbsent(...a);
      },
      put: async (...a) => {
        writes.push('put');
        return deployed.put(...a);
      },
      update: async (...a) => {
        writes.push('update');
        return deployed.update(...a);
      },
      delete: async (...a) => {
        writes.push('delete');
        return deployed.delete(...a);
      },
    };
    const cli = memoryStateStore(now, watched);
    // Act
    const taken = await cli.putIfAbsent('t', { pk: 'p', sk: 'held' }, {}, 600);
    const mine = await cli.putIfAbsent('t', { pk: 'p', sk: 'new' }, {}, 600);
    await cli.update('t', { pk: 'p', sk: 'held' }, { seen: true }, { ttlSeconds: 600 });
    const listed = await cli.query('t', 'p');
    // Assess
    expect([taken, mine]).toEqual([false, true]);
    expect(writes).toEqual([]);
    expect(await cli.get('t', { pk: 'p', sk: 'held' })).toMatchObject({ by: 'worker', seen: true });
    expect(await deployed.get('t', { pk: 'p', sk: 'held' })).not.toHaveProperty('seen');
    expect(listed.map((i) => i.sk)).toEqual(['held', 'new']);
  });

  it('checks conditions against the read-through item and hides it once deleted here', async () => {
    // Prepare
    const now = () => new Date('2026-11-26T00:00:00Z');
    const deployed = memoryStateStore(now);
    const key = { pk: 'notify#f', sk: 'state' };
    await deployed.put('t', key, { messageId: 'm1' }, { ttlSeconds: 600 });
    const cli = memoryStateStore(now, deployed);
    // Act
    const stale = await cli.put(
      't',
      key,
      { messageId: 'm2' },
      { expect: { attribute: 'messageId', equals: 'm0' } },
    );
    const marked = await cli.update(
      't',
      key,
      {},
      {
        addToSet: { delivered: ['sns'] },
        expect: { attribute: 'messageId', equals: 'm1' },
      },
    );
    const afterMark = await cli.get('t', key);
    await cli.delete('t', key);
    // Assess
    expect([stale, marked]).toEqual([false, true]);
    expect(afterMark).toMatchObject({ messageId: 'm1', delivered: ['sns'] });
    expect(await cli.get('t', key)).toBeUndefined();
    expect(await cli.query('t', key.pk)).toEqual([]);
    expect(await deployed.get('t', key)).toMatchObject({ messageId: 'm1' });
  });
});
