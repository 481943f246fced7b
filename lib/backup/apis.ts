import type { AwsClients } from '../aws/clients.js';
import { type PacedCallOptions, tokenBucket } from '../aws/pacing.js';
import type { KindName } from './kinds/names.js';
import type { ProtectionApis } from './kinds/types.js';
import { RDS_CALLS_PER_SECOND } from './rdsAccess.js';

/**
 * Control-plane calls per second per region a run allows itself, per service (each API throttles per account and
 * region; these stay under the documented or observed defaults so a run leaves room for everyone else).
 */
export const CALLS_PER_SECOND = {
  rds: RDS_CALLS_PER_SECOND,
  dynamodb: 40,
  s3: 50,
  elasticache: 15,
  backup: 10,
  kms: 20,
} as const;

/** Throttled calls retried by the adapters of one run (a run reports them). */
export interface ThrottleCounter {
  onThrottle(): void;
  count(): number;
}

export function throttleCounter(): ThrottleCounter {
  let n = 0;
  return { onThrottle: () => void n++, count: () => n };
}

/** What the adapters of one run share: the target's clients, its retries, the DR region and the throttle count. */
export interface ApiScope {
  aws: AwsClients;
  maxAttempts: number;
  kinds: readonly KindName[];
  drRegion?: string | undefined;
  throttles: ThrottleCounter;
}

/** Makes the adapters of the kinds it knows that the scope selects (each worker part has its own, lib/backup/parts). */
export type ApiFactory = (scope: ApiScope) => ProtectionApis;

/** One service's own pace for a run (its calls per second) and the run's throttle count. */
export const pacedFor = (
  service: keyof typeof CALLS_PER_SECOND,
  throttles: ThrottleCounter,
): PacedCallOptions => ({
  limiter: tokenBucket({ ratePerSecond: CALLS_PER_SECOND[service] }),
  onThrottle: throttles.onThrottle,
});
