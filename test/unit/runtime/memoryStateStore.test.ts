import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../../lib/aws/dynamodb.js';
import { memoryStateStore } from '../../../lib/runtime/memoryStateStore.js';

describe('Function: memoryStateStore', () => {
  it('puts once until the item expires, updates, and queries one partition of one table in order', async () => {
    // Prepare
    let now = new Date('2026-11-26T00:00:00Z');
    const store = memoryStateStore(() => now);
    const key = { pk: 'p', sk: 'b' };
    // Act
    const first = await store.putIfAbsent('t', key, { n: 1 }, 60);
    const second = await store.putIfAbsent('t', key, { n: 2 }, 60);
    await store.putIfAbsent('t', { pk: 'p', sk: 'a' }, {}, 600);
    await store.putIfAbsent('other', { pk: 'p', sk: 'c' }, {}, 600);
    await store.update('t', key, { n: 3 });
    const updated = await store.get('t', key);
    const listed = await store.query('t', 'p', { newestFirst: true });
    now = new Date(now.getTime() + 61_000);
    const expired = await store.get('t', key);
    const third = await store.putIfAbsent('t', key, { n: 4 }, 60);
    // Assess
    expect([first, second, third]).toEqual([true, false, true]);
    expect(updated).toMatchObject({ n: 3, expiresAt: Date.parse('2026-11-26T00:01:00Z') / 1000 });
    expect(listed.map((i) => i.sk)).toEqual(['b', 'a']);
    expect(expired).toBeUndefined();
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
      update: async (...a) => {
        writes.push('update');
        return deployed.update(...a);
      },
    };
    const cli = memoryStateStore(now, watched);
    // Act
    const taken = await cli.putIfAbsent('t', { pk: 'p', sk: 'held' }, {}, 600);
    const mine = await cli.putIfAbsent('t', { pk: 'p', sk: 'new' }, {}, 600);
    await cli.update('t', { pk: 'p', sk: 'held' }, { seen: true }, 600);
    const listed = await cli.query('t', 'p');
    // Assess
    expect([taken, mine]).toEqual([false, true]);
    expect(writes).toEqual([]);
    expect(await cli.get('t', { pk: 'p', sk: 'held' })).toMatchObject({ by: 'worker', seen: true });
    expect(await deployed.get('t', { pk: 'p', sk: 'held' })).not.toHaveProperty('seen');
    expect(listed.map((i) => i.sk)).toEqual(['held', 'new']);
  });
});
