import * as v from 'valibot';
import type { PasswordPolicy } from '../aws/secretsManager.js';
import type { Config } from '../config.js';
import { looseObject } from '../schemas.js';
import { DEFAULT_PASSWORD_POLICY, STEPS } from './protocol.js';

export const ROTATION_EVENT_NAME = 'Secrets Manager rotation request';

/** What Secrets Manager sends the rotation function (it may add keys, such as RotationToken). */
export const rotationEventSchema = looseObject({
  Step: v.picklist(STEPS),
  SecretId: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)),
  ClientRequestToken: v.pipe(v.string(), v.minLength(32), v.maxLength(64)),
});
export type RotationEvent = v.InferOutput<typeof rotationEventSchema>;

/**
 * The password policy from configuration: WARDEN_ROTATION_PASSWORD_LENGTH and WARDEN_ROTATION_EXCLUDE_CHARACTERS
 * (keys `rotationPasswordLength`, `rotationExcludeCharacters`) once ENV_SPEC has them, else the defaults.
 */
export function passwordPolicyFrom(config: Config): PasswordPolicy {
  const c = config as unknown as { rotationPasswordLength?: unknown; rotationExcludeCharacters?: unknown };
  return {
    length:
      typeof c.rotationPasswordLength === 'number'
        ? c.rotationPasswordLength
        : DEFAULT_PASSWORD_POLICY.length,
    excludeCharacters:
      typeof c.rotationExcludeCharacters === 'string'
        ? c.rotationExcludeCharacters
        : DEFAULT_PASSWORD_POLICY.excludeCharacters,
  };
}
