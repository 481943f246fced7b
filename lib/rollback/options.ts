import * as v from 'valibot';
import type { Config } from '../config.js';
import { int, number, strictObject } from '../schemas.js';

/** Closed options of the rollback automation; defaults are the issue's. */
export const rollbackOptionsSchema = strictObject({
  /** Targets warden may roll back (`lambda:orders:live`, `codedeploy:app/*`, `*`). Empty: none. */
  allowedTargets: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  /** Alarms whose name starts with this opt in without the tag. */
  alarmPrefix: v.optional(v.pipe(v.string(), v.minLength(1))),
  cooldownMinutes: v.optional(v.pipe(number, v.minValue(1), v.maxValue(1440)), 15),
  /** How long an alias must keep a version, with no rollback, before warden records it as last known good. */
  healthyMinutes: v.optional(v.pipe(number, v.minValue(1), v.maxValue(10080)), 30),
  /** Attempts per AWS step before the decision is reported as failed. */
  attempts: v.optional(v.pipe(int, v.minValue(1), v.maxValue(10)), 3),
  retryBaseMs: v.optional(v.pipe(number, v.minValue(0), v.maxValue(10_000)), 200),
});
export type RollbackOptions = v.InferOutput<typeof rollbackOptionsSchema>;

/** Config keys the lead adds to ENV_SPEC (see docs/rollback.md); read when present, defaults otherwise. */
export interface RollbackConfigKeys {
  rollbackTargets?: readonly string[];
  rollbackAlarmPrefix?: string | undefined;
  rollbackCooldownMinutes?: number;
  rollbackHealthyMinutes?: number;
}

export function rollbackOptionsFromConfig(config: Config): RollbackOptions {
  const c = config as Config & RollbackConfigKeys;
  return v.parse(rollbackOptionsSchema, {
    allowedTargets: [...(c.rollbackTargets ?? [])],
    ...(c.rollbackAlarmPrefix ? { alarmPrefix: c.rollbackAlarmPrefix } : {}),
    ...(c.rollbackCooldownMinutes !== undefined ? { cooldownMinutes: c.rollbackCooldownMinutes } : {}),
    ...(c.rollbackHealthyMinutes !== undefined ? { healthyMinutes: c.rollbackHealthyMinutes } : {}),
  });
}
