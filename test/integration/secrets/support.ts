import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
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

/** The context Lambda gives the rotation function. */
export const rotationContext = {
  awsRequestId: 'req-1',
  functionName: 'warden-dev-rotateSecret',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:warden-dev-rotateSecret',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** Everything the process prints on stdout and stderr until `restore()`: a handler's whole log. */
export function captureOutput(): { output: string[]; restore(): void } {
  const output: string[] = [];
  const keep = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  for (const spy of spies) spy.mockImplementation(keep);
  return {
    output,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * A rotation of a copy of `arn`'s current secret whose master secret holds a wrong password: createSecret
 * succeeds, setSecret must fail. Returns the copy, the token and the pending password the failing step held.
 */
export async function failingMasterRotation(
  store: SecretStore,
  arn: string,
  master: { username: string; wrongPassword: string },
  handler: (
    event: { Step: Step; SecretId: string; ClientRequestToken: string },
    ctx: Context,
  ) => Promise<unknown>,
): Promise<{ secretId: string; token: string; pendingPassword: string }> {
  const badMaster = store.add({
    name: 'bad',
    value: JSON.stringify({ username: master.username, password: master.wrongPassword }),
  });
  const secretId = store.add({
    name: 'app2',
    value: JSON.stringify({ ...JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}'), masterarn: badMaster }),
  });
  const { VersionId: token } = await store.rotate({ SecretId: secretId });
  await handler(
    { Step: 'createSecret', SecretId: secretId, ClientRequestToken: token as string },
    rotationContext,
  );
  const pendingPassword = (JSON.parse(store.value(secretId, 'AWSPENDING') ?? '{}') as { password: string })
    .password;
  return { secretId, token: token as string, pendingPassword };
}
