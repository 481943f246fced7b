import * as v from 'valibot';
import { ValidationError } from '../errors.js';
import { coercedInt, looseObject } from '../schemas.js';
import { parseWith } from '../validation.js';
import type { TlsMode } from './database.js';

export const ENGINES = ['postgres', 'mysql', 'mariadb'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The JSON of a database secret, as RDS and AWS's rotation templates write it. Unknown keys are kept so that a
 * rotation never drops fields other tools put there.
 */
export const secretValueSchema = looseObject({
  engine: v.pipe(
    v.string(),
    v.transform((e) =>
      e === 'postgresql' || e === 'aurora-postgresql'
        ? 'postgres'
        : e === 'aurora-mysql' || e === 'aurora'
          ? 'mysql'
          : e,
    ),
    v.check((e) => (ENGINES as readonly string[]).includes(e)),
  ),
  host: v.pipe(v.string(), v.minLength(1)),
  port: v.optional(v.pipe(coercedInt, v.minValue(1), v.maxValue(65535))),
  username: v.pipe(v.string(), v.minLength(1), v.maxLength(63)),
  password: v.pipe(v.string(), v.minLength(1)),
  dbname: v.optional(v.pipe(v.string(), v.minLength(1))),
  masterarn: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Absent: verified TLS. `false` alone allows plaintext; `"prefer"` falls back to it when TLS is not offered. */
  ssl: v.optional(v.union([v.boolean(), v.picklist(['true', 'false', 'require', 'verify-full', 'prefer'])])),
  /** Default: alternating when `masterarn` is set, single otherwise. */
  strategy: v.optional(v.picklist(['single', 'alternating'])),
});

export type Strategy = 'single' | 'alternating';

export interface SecretValue {
  engine: Engine;
  host: string;
  port?: number | undefined;
  username: string;
  password: string;
  dbname?: string | undefined;
  masterarn?: string | undefined;
  ssl?: boolean | 'true' | 'false' | 'require' | 'verify-full' | 'prefer' | undefined;
  strategy?: Strategy | undefined;
  /** Other keys are kept as they are. */
  [key: string]: unknown;
}

/** Parses a secret string; errors name the field and the version, never a value. */
export function parseSecretValue(raw: string | undefined, what: string): SecretValue {
  if (raw === undefined)
    throw new ValidationError(what, [
      { field: '(root)', expected: 'a secret string (the version has none)' },
    ]);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ValidationError(what, [{ field: '(root)', expected: 'a JSON object' }]);
  }
  return parseWith(secretValueSchema, json, what) as SecretValue;
}

export function defaultPort(engine: Engine): number {
  return engine === 'postgres' ? 5432 : 3306;
}

export function strategyOf(value: Pick<SecretValue, 'strategy' | 'masterarn'>): Strategy {
  return value.strategy ?? (value.masterarn ? 'alternating' : 'single');
}

/**
 * How to reach the database a secret describes: verified TLS unless the secret says `"ssl": false` (plaintext) or
 * `"ssl": "prefer"` (verified TLS, plaintext when the server offers no TLS). Secrets RDS or users create usually
 * carry no `ssl` field, and RDS for PostgreSQL 15+ (`rds.force_ssl`) refuses plaintext by default.
 */
export function tlsModeOf(value: Pick<SecretValue, 'ssl'>): TlsMode {
  if (value.ssl === false || value.ssl === 'false') return 'off';
  return value.ssl === 'prefer' ? 'prefer' : 'verify';
}

export const CLONE_SUFFIX = '_clone';

/** The user the alternating strategy switches to: `app` <-> `app_clone`. */
export function otherUser(username: string): string {
  return username.endsWith(CLONE_SUFFIX)
    ? username.slice(0, -CLONE_SUFFIX.length)
    : `${username}${CLONE_SUFFIX}`;
}

/** The base (owner) user of an alternating pair. */
export function baseUser(username: string): string {
  return username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username;
}
