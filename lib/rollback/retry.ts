import { WardenError } from '../errors.js';

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  sleep: (ms: number) => Promise<void>;
}

const RETRYABLE_NAME =
  /Throttl|TooManyRequests|RequestLimitExceeded|ResourceConflict|PreconditionFailed|ServiceException|ServiceUnavailable|InternalFailure|Timeout|ECONNRESET|EPIPE|socket/i;

/** Errors worth another try: throttling, conflicts, server faults, network. Caller mistakes and warden's own errors are not. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof WardenError) return false;
  if (!(err instanceof Error)) return false;
  const meta = err as Error & { $fault?: string; $retryable?: unknown };
  if (meta.$retryable || meta.$fault === 'server') return true;
  return RETRYABLE_NAME.test(err.name) || RETRYABLE_NAME.test(err.message);
}

/**
 * Runs `step` up to `attempts` times with exponential backoff (on top of the SDK's own retries, which do not
 * cover conflicts). `step` gets the attempt number so it can re-check state before repeating a mutation.
 */
export async function withRetries<T>(
  step: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      if (attempt >= options.attempts || !isRetryable(err)) throw err;
      await options.sleep(options.baseMs * 2 ** (attempt - 1));
    }
  }
}
