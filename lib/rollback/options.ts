import * as z from 'zod/mini';
import type { Config } from '../config.js';

/** Closed options of the rollback automation; defaults are the issue's. */
export const rollbackOptionsSchema = z.strictObject({
  /** Targets warden may roll back (`lambda:orders:live`, `codedeploy:app/*`, `*`). Empty: none. */
  allowedTargets: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** Alarms whose name starts with this opt in without the tag. */
  alarmPrefix: z.optional(z.string().check(z.minLength(1))),
  cooldownMinutes: z._default(z.number().check(z.minimum(1), z.maximum(1440)), 15),
  /** How long an alias must keep a version, with no rollback, before warden records it as last known good. */
  healthyMinutes: z._default(z.number().check(z.minimum(1), z.maximum(10080)), 30),
  /** Attempts per AWS step before the decision is reported as failed. */
  attempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 3),
  retryBaseMs: z._default(z.number().check(z.minimum(0), z.maximum(10_000)), 200),
});
export type RollbackOptions = z.infer<typeof rollbackOptionsSchema>;

/** Config keys the lead adds to ENV_SPEC (see docs/rollback.md); read when present, defaults otherwise. */
export interface RollbackConfigKeys {
  rollbackTargets?: readonly string[];
  rollbackAlarmPrefix?: string | undefined;
  rollbackCooldownMinutes?: number;
  rollbackHealthyMinutes?: number;
}

export function rollbackOptionsFromConfig(config: Config): RollbackOptions {
  const c = config as Config & RollbackConfigKeys;
  return rollbackOptionsSchema.parse({
    allowedTargets: [...(c.rollbackTargets ?? [])],
    ...(c.rollbackAlarmPrefix ? { alarmPrefix: c.rollbackAlarmPrefix } : {}),
    ...(c.rollbackCooldownMinutes !== undefined ? { cooldownMinutes: c.rollbackCooldownMinutes } : {}),
    ...(c.rollbackHealthyMinutes !== undefined ? { healthyMinutes: c.rollbackHealthyMinutes } : {}),
  });
}
