import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** build/lru-map.cjs stands in for mnemonist's LRUCache inside DynamoDB's endpoint cache: same answers. */
const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..', '..');
interface Lru {
  has(k: string): boolean;
  peek(k: string): unknown;
  get(k: string): unknown;
  set(k: string, v: unknown): unknown;
  clear(): void;
  readonly size: number;
}
type LruCtor = new (capacity: number) => Lru;
const Slim = require(join(root, 'build/lru-map.cjs')) as LruCtor;
const Mnemonist = require(
  require.resolve('mnemonist/lru-cache', { paths: [join(root, 'node_modules/@aws-sdk/endpoint-cache')] }),
) as LruCtor;

describe('Unit: lru-map', () => {
  it('evicts, refreshes and peeks like mnemonist over a long random sequence of operations', () => {
    // Prepare
    const slim = new Slim(4);
    const ref = new Mnemonist(4);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // Act + Assess
    for (let i = 0; i < 5000; i++) {
      const key = `k${rand(9)}`;
      const op = rand(i % 997 === 0 ? 6 : 5);
      if (op === 0) expect(slim.get(key), `get ${i}`).toEqual(ref.get(key));
      else if (op === 1) expect(slim.peek(key), `peek ${i}`).toEqual(ref.peek(key));
      else if (op === 2) expect(slim.has(key), `has ${i}`).toBe(ref.has(key));
      else if (op === 5) {
        slim.clear();
        ref.clear();
      } else {
        slim.set(key, i);
        ref.set(key, i);
      }
      expect(slim.size).toBe(ref.size);
    }
  });
});
