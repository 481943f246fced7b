import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** build/long-slim.cjs stands in for the `long` package inside mysql2 in the Lambda bundles: same answers. */
const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..', '..');
type LongCtor = new (
  low: number,
  high: number,
  unsigned?: boolean,
) => { toString(): string; toNumber(): number };
const Slim = require(join(root, 'build/long-slim.cjs')) as LongCtor;
const Long = require(require.resolve('long', { paths: [join(root, 'node_modules/mysql2')] })) as LongCtor;

describe('Unit: long-slim', () => {
  it('turns two 32-bit words into the same string and number as long, signed and unsigned', () => {
    // Prepare: edges and a fixed pseudo-random spread (words as mysql2 reads them: unsigned 32-bit)
    const words = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x001fffff, 0x00200000];
    let seed = 42;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      words.push((seed * 2 + (i & 1)) >>> 0);
    }
    const pairs = words.flatMap((low, i) => [
      [low, words[(i * 7 + 3) % words.length] as number],
      [low, low],
    ]);
    // Act + Assess
    for (const [low, high] of pairs) {
      for (const unsigned of [true, false]) {
        const want = new Long(low as number, high as number, unsigned);
        const got = new Slim(low as number, high as number, unsigned);
        expect(got.toString(), `${low},${high},${unsigned}`).toBe(want.toString());
        expect(got.toNumber(), `${low},${high},${unsigned}`).toBe(want.toNumber());
      }
    }
  });
});
