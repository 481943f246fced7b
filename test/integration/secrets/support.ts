import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LoggerLike } from '../../../lib/automations/types.js';
import type { Connect } from '../../../lib/secrets/database.js';
import {
  DEFAULT_PASSWORD_POLICY,
  type RotationDeps,
  rotateSecretStep,
  STEPS,
  type Step,
} from '../../../lib/secrets/rotation.js';
import type { SecretStore } from '../../unit/secrets/fakeSecretsManager.js';

/** Errors as a real logger prints them (Powertools: name, message, stack, cause), not as `{}`. */
function errorsInFull(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { name, message, stack, cause } = value;
  return { ...value, name, message, stack, cause };
}

/** A logger that keeps every line as the JSON a real logger would print, errors with their causes. */
export function captureLogger(): LoggerLike & { lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: object[]) => {
      lines.push(JSON.stringify({ level, message, ...Object.assign({}, ...extra) }, errorsInFull));
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function rotationDeps(sm: SecretsManagerClient, connect: Connect, logger: LoggerLike): RotationDeps {
  return {
    sm,
    connect,
    logger,
    password: DEFAULT_PASSWORD_POLICY,
    now: () => new Date('2026-11-26T10:00:00Z'),
  };
}

/**
 * Starts a rotation in the store and runs the four steps, calling `after(step)` after each one (the login checks).
 * Returns the new version id.
 */
export async function fullRotation(
  store: SecretStore,
  deps: RotationDeps,
  arn: string,
  after?: (step: Step, token: string) => Promise<void>,
): Promise<string> {
  const { VersionId: token } = await store.rotate({ SecretId: arn });
  for (const step of STEPS) {
    await rotateSecretStep(deps, { step, secretId: arn, token });
    await after?.(step, token);
  }
  return token;
}
