import { beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../../lib/aws/stateStore.js';

export interface ContractClock {
  now: Date;
}

const T0 = new Date('2026-11-26T10:00:00Z');
const epoch = (iso: string) => Date.parse(iso) / 1000;

/**
 * What every StateStore does, whatever holds the items: the DynamoDB store (over a fake that honours
 * ConditionExpression as DynamoDB does) and the in-memory one run the same cases.
 */
export function describeStateStoreContract(name: string, make: (clock: ContractClock) => StateStore): void {
  describe(`Contract: StateStore (${name})`, () => {
    const clock: ContractClock = { now: T0 };
    let store: StateStore;
    const key = { pk: 'notify#abc', sk: 'state' };

    beforeEach(() => {
      clock.now = T0;
      store = make(clock);
    });

    it('claims once: a second putIfAbsent loses while the first item is live', async () => {
      // Act
      const first = await store.putIfAbsent('t', key, { by: 'a' }, 60);
      const second = await store.putIfAbsent('t', key, { by: 'b' }, 60);
      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await store.get('t', key)).toEqual({
        ...key,
        by: 'a',
        expiresAt: epoch('2026-11-26T10:01:00Z'),
      });
    });

    it('lets exactly one of two concurrent claims win', async () => {
      // Act
      const won = await Promise.all([
        store.putIfAbsent('t', key, { by: 'a' }, 60),
        store.putIfAbsent('t', key, { by: 'b' }, 60),
      ]);
      // Assess
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('treats an expired item as absent: not read, not listed, claimable again', async () => {
      // Prepare
      await store.putIfAbsent('t', key, { by: 'a' }, 60);
      clock.now = new Date('2026-11-26T10:01:00Z');
      // Act
      const read = await store.get('t', key);
      const listed = await store.query('t', key.pk);
      const again = await store.putIfAbsent('t', key, { by: 'b' }, 60);
      // Assess
      expect(read).toBeUndefined();
      expect(listed).toEqual([]);
      expect(again).toBe(true);
      expect(await store.get('t', key)).toMatchObject({ by: 'b' });
    });

    it('puts only when the expected attribute still holds the value that was read', async () => {
      // Prepare
      await store.put('t', key, { messageId: 'm1', n: 1 }, { ttlSeconds: 600 });
      // Act
      const stale = await store.put(
        't',
        key,
        { messageId: 'm3' },
        { expect: { attribute: 'messageId', equals: 'm0' } },
      );
      const fresh = await store.put(
        't',
        key,
        { messageId: 'm2' },
        { expect: { attribute: 'messageId', equals: 'm1' } },
      );
      const missing = await store.put(
        't',
        { pk: 'notify#none', sk: 'state' },
        { messageId: 'x' },
        { expect: { attribute: 'messageId', equals: 'm1' } },
      );
      // Assess
      expect([stale, fresh, missing]).toEqual([false, true, false]);
      // A put replaces the whole item: no n, and no expiry without ttlSeconds.
      expect(await store.get('t', key)).toEqual({ ...key, messageId: 'm2' });
      expect(await store.get('t', { pk: 'notify#none', sk: 'state' })).toBeUndefined();
    });

    it('refuses an expected value on an expired item', async () => {
      // Prepare
      await store.put('t', key, { version: 3 }, { ttlSeconds: 60 });
      clock.now = new Date('2026-11-26T10:05:00Z');
      // Act
      const written = await store.update(
        't',
        key,
        { version: 4 },
        { expect: { attribute: 'version', equals: 3 } },
      );
      // Assess
      expect(written).toBe(false);
    });

    it('updates: creates without a condition, merges, keeps the expiry unless told, expires at ttlSeconds 0', async () => {
      // Act
      await store.update('t', key, { a: 'x', n: 1 }, { ttlSeconds: 120 });
      await store.update('t', key, { n: 2 });
      const merged = await store.get('t', key);
      await store.update('t', key, { released: true }, { ttlSeconds: 0 });
      const released = await store.get('t', key);
      // Assess
      expect(merged).toEqual({ ...key, a: 'x', n: 2, expiresAt: epoch('2026-11-26T10:02:00Z') });
      expect(released).toBeUndefined();
    });

    it('updates with an expected version only while it holds, and never creates the item then', async () => {
      // Prepare
      await store.update('t', key, { version: 1 });
      // Act
      const bumped = await store.update(
        't',
        key,
        { version: 2 },
        { expect: { attribute: 'version', equals: 1 } },
      );
      const lost = await store.update(
        't',
        key,
        { version: 9 },
        { expect: { attribute: 'version', equals: 1 } },
      );
      const absent = await store.update(
        't',
        { pk: 'p', sk: 'none' },
        { version: 1 },
        { expect: { attribute: 'version', equals: 0 } },
      );
      // Assess
      expect([bumped, lost, absent]).toEqual([true, false, false]);
      expect((await store.get('t', key))?.version).toBe(2);
      expect(await store.get('t', { pk: 'p', sk: 'none' })).toBeUndefined();
    });

    it('adds to a string set once per member (idempotent delivery marks)', async () => {
      // Prepare
      await store.put('t', key, { messageId: 'm1' }, { ttlSeconds: 600 });
      const mark = (channel: string, messageId: string) =>
        store.update(
          't',
          key,
          {},
          { addToSet: { delivered: [channel] }, expect: { attribute: 'messageId', equals: messageId } },
        );
      // Act
      const marks = [
        await mark('sns', 'm1'),
        await mark('sns', 'm1'),
        await mark('slack', 'm1'),
        await mark('x', 'm0'),
      ];
      const nothing = await store.update('t', key, {}, { addToSet: { delivered: [] } });
      // Assess
      expect(marks).toEqual([true, true, true, false]);
      expect(nothing).toBe(true);
      const delivered = (await store.get('t', key))?.delivered;
      expect(Array.isArray(delivered) ? [...delivered].sort() : delivered).toEqual(['slack', 'sns']);
    });

    it('deletes, and only while the expected attribute holds', async () => {
      // Prepare
      await store.put('t', key, { messageId: 'm1' });
      // Act
      const refused = await store.delete('t', key, { expect: { attribute: 'messageId', equals: 'm0' } });
      const kept = await store.get('t', key);
      const deleted = await store.delete('t', key, { expect: { attribute: 'messageId', equals: 'm1' } });
      // Assess
      expect([refused, deleted]).toEqual([false, true]);
      expect(kept).toMatchObject({ messageId: 'm1' });
      expect(await store.get('t', key)).toBeUndefined();
      expect(await store.delete('t', key)).toBe(true);
    });

    it('refuses a malformed write, naming the field, before writing anything', async () => {
      // Act
      const badTtl = store.put('t', key, { by: 'a' }, { ttlSeconds: Number.NaN });
      const keyInAttrs = store.update('t', key, { pk: 'other' });
      const expiryInAttrs = store.putIfAbsent('t', key, { expiresAt: 1 }, 60);
      // Assess
      await expect(badTtl).rejects.toThrow(/ttlSeconds: expected a whole number of seconds/);
      await expect(keyInAttrs).rejects.toThrow(/attrs\.pk: expected the key argument only/);
      await expect(expiryInAttrs).rejects.toThrow(/attrs\.expiresAt: expected ttlSeconds instead/);
      expect(await store.get('t', key)).toBeUndefined();
    });

    it('round-trips every value type and queries one partition in sk order, newest first, limited', async () => {
      // Prepare
      await store.update('t', { pk: 'p', sk: '1' }, { s: 'x', n: 2.5, b: true, z: null, l: ['a', 'b'] });
      await store.update('t', { pk: 'p', sk: '2' }, { s: 'y' }, { ttlSeconds: 3600 });
      await store.update('t', { pk: 'p', sk: '3' }, { s: 'z' });
      await store.update('t', { pk: 'q', sk: '4' }, { s: 'other partition' });
      // Act
      const newest = await store.query('t', 'p', { newestFirst: true, limit: 2 });
      const oldest = await store.query('t', 'p');
      // Assess
      expect(newest.map((i) => i.sk)).toEqual(['3', '2']);
      expect(oldest.map((i) => i.sk)).toEqual(['1', '2', '3']);
      expect(oldest[0]).toEqual({ pk: 'p', sk: '1', s: 'x', n: 2.5, b: true, z: null, l: ['a', 'b'] });
    });
  });
}
