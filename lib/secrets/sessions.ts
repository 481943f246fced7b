import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import { getSecretString } from '../aws/secretsManager.js';
import { ValidationError } from '../errors.js';
import { looseObject } from '../schemas.js';
import { parseWith } from '../validation.js';
import { type Connect, type DbLogin, type DbSession, withSession } from './database.js';
import type { EngineOps } from './engineOps.js';
import { DatabaseError } from './errors.js';
import { mysqlOps } from './mysql.js';
import { postgresOps } from './postgres.js';
import { defaultPort, type Engine, type SecretValue, tlsModeOf } from './secretValue.js';

export function opsFor(engine: Engine): EngineOps {
  return engine === 'postgres' ? postgresOps : mysqlOps;
}

/** The login a secret describes. */
export function userLogin(value: SecretValue): DbLogin {
  return {
    engine: value.engine,
    host: value.host,
    port: value.port ?? defaultPort(value.engine),
    username: value.username,
    password: value.password,
    dbname: value.dbname,
    tls: tlsModeOf(value),
  };
}

// An RDS-managed master secret holds only username and password: the endpoint is the user secret's.
const masterSchema = looseObject({
  username: v.pipe(v.string(), v.minLength(1)),
  password: v.pipe(v.string(), v.minLength(1)),
});

/** The master user's login on the database of `value` (its `masterarn`, AWSCURRENT). */
export async function masterLogin(sm: SecretsManagerClient, value: SecretValue): Promise<DbLogin> {
  if (!value.masterarn)
    throw new ValidationError('secret', [
      { field: 'masterarn', expected: 'the ARN of the master secret (required here)' },
    ]);
  const raw = await getSecretString(sm, value.masterarn, { stage: 'AWSCURRENT' });
  if (raw === undefined)
    throw new ValidationError('master secret', [
      { field: '(root)', expected: 'an AWSCURRENT version with a value' },
    ]);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ValidationError('master secret', [{ field: '(root)', expected: 'a JSON object' }]);
  }
  const master = parseWith(masterSchema, json, 'master secret');
  return { ...userLogin(value), username: master.username, password: master.password };
}

/** True when the login works, false when the database rejects the credentials; anything else is thrown. */
export async function canLogin(connect: Connect, login: DbLogin): Promise<boolean> {
  try {
    await withSession(connect, login, async () => undefined);
    return true;
  } catch (err) {
    if (err instanceof DatabaseError && err.kind === 'authentication') return false;
    throw err;
  }
}

/**
 * The first candidate login the database accepts, then the master's. Only authentication failures move on to the
 * next candidate: an unreachable database is reported at once.
 */
export async function firstLogin(
  connect: Connect,
  candidates: readonly { login: DbLogin; asSelf: boolean }[],
  master: (() => Promise<DbLogin>) | undefined,
): Promise<{ session: DbSession; asSelf: boolean }> {
  let last: unknown;
  for (const c of candidates) {
    try {
      return { session: await connect(c.login), asSelf: c.asSelf };
    } catch (err) {
      if (!(err instanceof DatabaseError && err.kind === 'authentication')) throw err;
      last = err;
    }
  }
  if (master) return { session: await connect(await master()), asSelf: false };
  throw last;
}

/** Through the master login: the privileges of `from` that `to` lacks. */
export function privilegeGap(connect: Connect, master: DbLogin, from: string, to: string): Promise<string[]> {
  return withSession(connect, master, (s) => opsFor(master.engine).missingPrivileges(s, from, to));
}
