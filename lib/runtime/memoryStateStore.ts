import { checkWrite } from '../aws/stateExpressions.js';
import type { Expected, StateItem, StateKey, StateStore, StateValue } from '../aws/stateStore.js';

/** One key written here: its item, or undefined once deleted here (the read-through store is then not consulted). */
interface Entry {
  table: string;
  key: StateKey;
  item: StateItem | undefined;
}

const copy = (item: StateItem): StateItem =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) as StateItem;

function holds(expect: Expected | undefined, current: StateItem | undefined): boolean {
  if (!expect) return true;
  if ('absent' in expect) return current === undefined;
  return current !== undefined && current[expect.attribute] === expect.equals;
}

/**
 * The state table in memory, with the DynamoDB store's semantics (the same conditions, an expired item counts as
 * absent, update merges into the stored item, set additions are idempotent): for the demo, tests and benchmarks.
 * `readFrom` is a real store consulted for what is not held here, never written: the CLI sees what the deployed
 * functions recorded without recording anything itself.
 */
export function memoryStateStore(now: () => Date, readFrom?: StateStore): StateStore {
  const entries = new Map<string, Entry>();
  const id = (table: string, key: StateKey) => JSON.stringify([table, key.pk, key.sk]);
  const epoch = () => Math.floor(now().getTime() / 1000);
  const live = (item: StateItem | undefined) =>
    item && (typeof item.expiresAt !== 'number' || item.expiresAt > epoch()) ? item : undefined;
  /** The stored item, expired or not, as DynamoDB holds it until TTL deletion. */
  const stored = async (table: string, key: StateKey) => {
    const entry = entries.get(id(table, key));
    return entry ? entry.item : await readFrom?.get(table, key);
  };
  const current = async (table: string, key: StateKey) => live(await stored(table, key));
  const write = (table: string, key: StateKey, item: StateItem | undefined) =>
    entries.set(id(table, key), { table, key: { pk: key.pk, sk: key.sk }, item });
  // A condition and its write are one step, as in DynamoDB: writes run one after another.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
  const expiry = (ttlSeconds: number | undefined) =>
    ttlSeconds === undefined ? {} : { expiresAt: epoch() + ttlSeconds };

  const store: StateStore = {
    async get(table, key) {
      const item = await current(table, key);
      return item && copy(item);
    },
    put: (table, key, attrs, options = {}) =>
      serial(async () => {
        checkWrite(attrs, options);
        if (!holds(options.expect, await current(table, key))) return false;
        write(table, key, copy({ ...attrs, ...key, ...expiry(options.ttlSeconds) } as StateItem));
        return true;
      }),
    putIfAbsent: (table, key, attrs, ttlSeconds) =>
      store.put(table, key, attrs, { ttlSeconds, expect: { absent: true } }),
    update: (table, key, attrs, options = {}) =>
      serial(async () => {
        checkWrite(attrs, options);
        const additions = Object.entries(options.addToSet ?? {}).filter(([, m]) => m.length > 0);
        if (Object.keys(attrs).length === 0 && options.ttlSeconds === undefined && additions.length === 0)
          return true;
        if (!holds(options.expect, await current(table, key))) return false;
        // Merged into the stored item even when expired, as DynamoDB's UpdateItem does before TTL deletion.
        const next: Record<string, StateValue> = { ...(await stored(table, key)), ...attrs, ...key };
        Object.assign(next, expiry(options.ttlSeconds));
        for (const [name, members] of additions) {
          const held = Array.isArray(next[name]) ? (next[name] as readonly string[]) : [];
          next[name] = [...new Set([...held, ...members])];
        }
        write(table, key, copy(next as StateItem));
        return true;
      }),
    delete: (table, key, options = {}) =>
      serial(async () => {
        if (!holds(options.expect, await current(table, key))) return false;
        write(table, key, undefined);
        return true;
      }),
    async query(table, pk, options = {}) {
      const mine = [...entries.values()].filter((e) => e.table === table && e.key.pk === pk);
      const shadowed = new Set(mine.map((e) => e.key.sk));
      const theirs = ((await readFrom?.query(table, pk, options)) ?? []).filter((i) => !shadowed.has(i.sk));
      const all = [...theirs, ...mine.flatMap((e) => live(e.item) ?? [])].map(copy);
      all.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
      if (options.newestFirst) all.reverse();
      return all.slice(0, options.limit ?? 25);
    },
  };
  return store;
}
