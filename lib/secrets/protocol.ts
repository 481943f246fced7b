import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LoggerLike } from '../automations/types.js';
import type { PasswordPolicy } from '../aws/secretsManager.js';
import type { Connect } from './database.js';

export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type Step = (typeof STEPS)[number];

export interface RotationRequest {
  step: Step;
  secretId: string;
  token: string;
}

export interface RotationDeps {
  sm: SecretsManagerClient;
  connect: Connect;
  logger: LoggerLike;
  password: PasswordPolicy;
  now: () => Date;
}

/**
 * Tag a failed step leaves on the secret (`<kind> <step> <ISO time>`), read by secretExpiry from ListSecrets at no
 * extra cost; finishSecret removes it. Absent on a stuck secret: the function never reached Secrets Manager.
 */
export const FAILURE_TAG = 'warden:rotation-failure';

export type StepOutcome =
  | 'created'
  | 'reused'
  | 'set'
  | 'already-set'
  | 'tested'
  | 'finished'
  | 'already-current';

export interface StepResult {
  secretArn: string;
  versionId: string;
  step: Step;
  outcome: StepOutcome;
  /** `user@host:port` of each login that went plaintext because the server offered no TLS (`"ssl": "prefer"`). */
  tlsFallback?: string[];
}

/** Characters that break connection strings, URLs, shells and JSON when unquoted. */
export const DEFAULT_EXCLUDED_CHARACTERS = `/@"'\\\`:;?#[]{}%&=+ ,<>|^~$`;
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  length: 32,
  excludeCharacters: DEFAULT_EXCLUDED_CHARACTERS,
};
