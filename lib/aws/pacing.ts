/** Client-side pacing for AWS control-plane calls: a token bucket, and a bounded retry of throttled calls. */

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RateLimiter {
  /** Resolves when the caller may make one call. */
  acquire(): Promise<void>;
}

export interface TokenBucketOptions {
  /** Sustained calls per second. */
  ratePerSecond: number;
  /** Calls allowed at once after an idle period; 1 spaces calls evenly, which is what a per-second throttle wants. */
  burst?: number;
  /** Monotonic clock in ms (performance.now by default). */
  clock?: () => number;
  sleep?: Sleep;
}

/**
 * A token bucket. Callers are served in order: each reservation takes the next free slot, so concurrent callers
 * never exceed the rate and never starve.
 */
export function tokenBucket(options: TokenBucketOptions): RateLimiter {
  const interval = 1000 / options.ratePerSecond;
  const burst = Math.max(1, options.burst ?? 1);
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  let next = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      const now = clock();
      const slot = Math.max(now - (burst - 1) * interval, next);
      next = slot + interval;
      const wait = slot - now;
      if (wait > 0) await sleep(wait);
    },
  };
}

export const unlimited: RateLimiter = { acquire: async () => {} };

const THROTTLE_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // S3 answers 503 SlowDown when a prefix or the account's request rate is exceeded.
  'SlowDown',
]);

/** AWS reports throttling under several codes and without an exported class; the SDK's own list, by name. */
export function isThrottle(err: unknown): boolean {
  return err instanceof Error && THROTTLE_NAMES.has(err.name);
}

export interface RetryOptions {
  limiter: RateLimiter;
  /** Attempts per call including the first (the SDK's own adaptive retries run inside each attempt). */
  maxAttempts: number;
  baseDelayMs: number;
  sleep: Sleep;
  /** Called once per throttled attempt: the benchmark and the report count them. */
  onThrottle?: () => void;
}

/** Runs `call` after taking a token; a throttled call is retried with exponential backoff, anything else propagates. */
export async function paced<T>(options: RetryOptions, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await options.limiter.acquire();
    try {
      return await call();
    } catch (err) {
      if (!isThrottle(err) || attempt >= options.maxAttempts) throw err;
      options.onThrottle?.();
      await options.sleep(options.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

export interface PacedCallOptions {
  limiter?: RateLimiter | undefined;
  /** Attempts per call when throttled (on top of the SDK's own retries). */
  maxAttempts?: number | undefined;
  baseDelayMs?: number | undefined;
  sleep?: Sleep | undefined;
  /** Counters for reports and the benchmark. */
  onCall?: (() => void) | undefined;
  onThrottle?: (() => void) | undefined;
}

/** One page of a listing: its items and the token of the next page, if any. */
export interface Page<T> {
  items: T[];
  next?: string | undefined;
}

/** The paced `call` of one adapter and the `pages` walk built on it (each page handed to `onPage` as it comes). */
export function pacedCalls(options: PacedCallOptions = {}) {
  const retry: RetryOptions = {
    limiter: options.limiter ?? unlimited,
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 200,
    sleep: options.sleep ?? realSleep,
    ...(options.onThrottle ? { onThrottle: options.onThrottle } : {}),
  };
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    options.onCall?.();
    return paced(retry, fn);
  };
  async function pages<T>(
    fetch: (token: string | undefined) => Promise<Page<T>>,
    onPage?: (items: T[]) => void,
  ): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const page = await call(() => fetch(token));
      out.push(...page.items);
      onPage?.(page.items);
      token = page.next;
    } while (token);
    return out;
  }
  return { call, pages };
}
