import { describe, expect, it } from 'vitest';
import { isThrottle, paced, tokenBucket, unlimited } from '../../../lib/aws/pacing.js';

function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    clock: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('Function: tokenBucket', () => {
  it('spaces calls evenly at the rate, never more than the rate in any second', async () => {
    // Prepare
    const time = fakeTime();
    const bucket = tokenBucket({ ratePerSecond: 20, clock: time.clock, sleep: time.sleep });
    // Act
    const starts: number[] = [];
    for (let i = 0; i < 41; i++) {
      await bucket.acquire();
      starts.push(time.clock());
    }
    // Assess
    expect(starts[0]).toBe(0);
    expect(starts[20]).toBe(1000);
    expect(starts[40]).toBe(2000);
  });

  it('lets a burst through after an idle period', async () => {
    // Prepare
    const time = fakeTime();
    const bucket = tokenBucket({ ratePerSecond: 10, burst: 3, clock: time.clock, sleep: time.sleep });
    time.advance(10_000);
    // Act
    for (let i = 0; i < 4; i++) await bucket.acquire();
    // Assess
    expect(time.waits).toEqual([100]);
  });
});

describe('Function: paced', () => {
  it('retries throttling with exponential backoff and then succeeds', async () => {
    // Prepare
    const time = fakeTime();
    let n = 0;
    const call = async () => {
      n++;
      if (n < 3) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      return 'ok';
    };
    // Act
    const r = await paced({ limiter: unlimited, maxAttempts: 5, baseDelayMs: 100, sleep: time.sleep }, call);
    // Assess
    expect(r).toBe('ok');
    expect(time.waits).toEqual([100, 200]);
  });

  it('recognises the throttling codes AWS uses', () => {
    expect(isThrottle(Object.assign(new Error(''), { name: 'Throttling' }))).toBe(true);
    // S3 throttles with 503 SlowDown, under no other name.
    expect(isThrottle(Object.assign(new Error(''), { name: 'SlowDown' }))).toBe(true);
    expect(isThrottle(Object.assign(new Error(''), { name: 'AccessDenied' }))).toBe(false);
    expect(isThrottle('Throttling')).toBe(false);
  });
});
