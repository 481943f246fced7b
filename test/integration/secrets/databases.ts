import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Connect, DbLogin } from '../../../lib/secrets/database.js';
import { connectMysql, connectPostgres } from '../../../lib/secrets/drivers.js';
import { DatabaseError } from '../../../lib/secrets/errors.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';

/** Random lower-case suffix so parallel test files never share a user. */
export const suffix = () => randomBytes(4).toString('hex');

/** The plain PostgreSQL (no TLS; the local one trusts every 127.0.0.1 login). */
export function pgUrl(): URL {
  return new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
}

/** The PostgreSQL that checks passwords (scram-sha-256) and requires TLS, started by test/globalSetup.ts. */
export function authPgUrl(): URL {
  const url = process.env.TEST_PGAUTH_URL;
  if (!url) throw new Error('TEST_PGAUTH_URL is not set: run the tests through vitest (test/globalSetup.ts)');
  return new URL(url);
}

/** Its superuser, over TLS verified against the CA the setup generated. */
/**
 * The test's own login to the password-checking server, with pg directly (not the code under test) over TLS
 * verified against the setup's CA: the user the server says the session belongs to, or why it was refused.
 */
export async function testLogin(value: Pick<SecretValue, 'username' | 'password'>): Promise<string> {
  const u = authPgUrl();
  const c = new pg.Client({
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: value.username,
    password: value.password,
    ssl: { ca: readFileSync(process.env.TEST_PGAUTH_CA as string, 'utf8') },
  });
  try {
    await c.connect();
    const { rows } = await c.query('SELECT session_user AS who');
    return rows[0].who as string;
  } catch (err) {
    return `refused ${(err as { code?: string }).code ?? (err as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function authPgAdmin(): Promise<pg.Client> {
  const u = authPgUrl();
  const c = new pg.Client({
    host: u.hostname,
    port: Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
    ssl: { ca: readFileSync(process.env.TEST_PGAUTH_CA as string, 'utf8') },
  });
  await c.connect();
  return c;
}
export function mysqlUrl(): URL {
  return new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
}

export async function pgAdmin(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: pgUrl().toString() });
  await c.connect();
  return c;
}

export async function mysqlAdmin(): Promise<mysql.Connection> {
  const u = mysqlUrl();
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || undefined,
  });
}

/**
 * Benchmark only (bench/secrets.bench.ts runs without the test setup): the tests log in to a server that checks
 * passwords itself. Checks a password against a PostgreSQL SCRAM-SHA-256 verifier exactly as the server does at login
 * (RFC 5802: StoredKey = H(HMAC(SaltedPassword, "Client Key"))). Written independently of lib/secrets/postgres.ts
 * and itself tested against verifiers the server made.
 */
export function scramMatches(verifier: string | null | undefined, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier ?? '');
  if (!m) return false;
  const [, iterations, salt, storedKey, serverKey] = m as unknown as [string, string, string, string, string];
  const salted = pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iterations), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const stored = createHash('sha256').update(clientKey).digest('base64');
  const server = createHmac('sha256', salted).update('Server Key').digest('base64');
  return stored === storedKey && server === serverKey;
}

/**
 * The local PostgreSQL trusts every 127.0.0.1 login (pg_hba `trust`), so a wrong password would log in. This
 * Connect enforces passwords the way `scram-sha-256` would: the login goes through only when the password matches
 * the role's stored verifier, else it fails as the server would (28P01). MariaDB enforces passwords itself.
 */
export function enforcingConnect(admin: pg.Client): Connect {
  return async (login: DbLogin) => {
    if (login.engine !== 'postgres') return connectMysql(login);
    if (login.port === Number(pgUrl().port || 5432) && login.host === pgUrl().hostname) {
      const r = await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1 AND rolcanlogin', [
        login.username,
      ]);
      if (!scramMatches(r.rows[0]?.rolpassword as string | undefined, login.password)) {
        throw new DatabaseError(
          `cannot log in to postgres at ${login.host}:${login.port} as ${JSON.stringify(login.username)}: authentication failed (28P01)`,
          {
            kind: 'authentication',
            engine: 'postgres',
            endpoint: `${login.host}:${login.port}`,
            user: login.username,
            code: '28P01',
          },
        );
      }
    }
    return connectPostgres(login);
  };
}

/** The code under test's driver for the login's engine (both servers check passwords themselves). */
export const connectEither: Connect = (login) =>
  login.engine === 'postgres' ? connectPostgres(login) : connectMysql(login);

/**
 * A secret for the test server of `engine`: PostgreSQL is the one that checks passwords and requires TLS (the
 * secret has no `ssl` field, as RDS writes it: verified TLS); the local MariaDB has no TLS, so its secrets say
 * `"ssl": false`, the documented opt-out.
 */
export function secretFor(
  engine: 'postgres' | 'mysql',
  fields: Partial<SecretValue> & { username: string; password: string },
): SecretValue {
  const u = engine === 'postgres' ? authPgUrl() : mysqlUrl();
  return {
    engine: engine === 'postgres' ? 'postgres' : 'mysql',
    host: u.hostname,
    port: Number(u.port || (engine === 'postgres' ? 5432 : 3306)),
    dbname: u.pathname.slice(1) || undefined,
    ...(engine === 'mysql' ? { ssl: false } : {}),
    ...fields,
  };
}

/** A secret for the plain PostgreSQL (TEST_PG_URL, no TLS), saying `"ssl": false` unless `fields` say otherwise. */
export function plainPgSecret(
  fields: Partial<SecretValue> & { username: string; password: string },
): SecretValue {
  const u = pgUrl();
  return {
    engine: 'postgres',
    host: u.hostname,
    port: Number(u.port || 5432),
    dbname: u.pathname.slice(1) || undefined,
    ssl: false,
    ...fields,
  };
}
