import type { StateAttrs, StateItem, StateKey, StateStore } from '../aws/dynamodb.js';

/**
 * The state table in memory, with the DynamoDB store's semantics (conditional put, an expired item counts as
 * absent): for the demo, tests and benchmarks. `readFrom` is a real store consulted for what is not held here,
 * never written: the CLI sees what the deployed functions recorded without recording anything itself.
 */
export function memoryStateStore(now: () => Date, readFrom?: StateStore): StateStore {
  const items = new Map<string, StateItem>();
  const id = (table: string, key: StateKey) => JSON.stringify([table, key.pk, key.sk]);
  const epoch = () => Math.floor(now().getTime() / 1000);
  const live = (item: StateItem | undefined) =>
    item && (typeof item.expiresAt !== 'number' || item.expiresAt > epoch()) ? item : undefined;
  const get = async (table: string, key: StateKey) =>
    live(items.get(id(table, key))) ?? (await readFrom?.get(table, key));
  const put = (table: string, key: StateKey, attrs: StateAttrs, ttlSeconds?: number) => {
    const held = live(items.get(id(table, key)));
    const expiresAt = ttlSeconds === undefined ? held?.expiresAt : epoch() + ttlSeconds;
    items.set(id(table, key), {
      ...held,
      ...attrs,
      ...key,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    } as StateItem);
  };
  return {
    async putIfAbsent(table, key, attrs, ttlSeconds) {
      if (await get(table, key)) return false;
      put(table, key, attrs, ttlSeconds);
      return true;
    },
    get,
    async update(table, key, attrs, ttlSeconds) {
      if (!live(items.get(id(table, key)))) {
        const stored = await readFrom?.get(table, key);
        if (stored) items.set(id(table, key), stored);
      }
      put(table, key, attrs, ttlSeconds);
    },
    async query(table, pk, options = {}) {
      const mine = [...items.entries()]
        .filter(([k, i]) => k === id(table, i) && i.pk === pk && live(i))
        .map(([, i]) => i);
      const theirs = (await readFrom?.query(table, pk, options)) ?? [];
      const all = new Map([...theirs, ...mine].map((i) => [i.sk, i]));
      const sorted = [...all.values()].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
      if (options.newestFirst) sorted.reverse();
      return sorted.slice(0, options.limit ?? 25);
    },
  };
}
