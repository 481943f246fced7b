import type { ClientConfig } from 'pg';
import { lazy } from '../runtime/lazy.js';
import type { Connect, DbLogin, DbSession } from './database.js';
import { CONNECT_TIMEOUT_MS, openWithTls, queryError, STATEMENT_TIMEOUT_MS } from './driverCommon.js';

type Pg = typeof import('pg').default;

/**
 * Loads pg, once. The drill validator loads it with the function (every invocation connects); the rotation
 * function on the first step that connects (createSecret and finishSecret never do, and a rotation's cold start is
 * its createSecret step).
 */
export const loadPostgres: () => Promise<Pg> = lazy(() => import('pg').then((m) => m.default));

/**
 * The client options of one attempt. TLS is verified against Node's trust store (in Lambda the RDS CA bundle
 * through NODE_EXTRA_CA_CERTS); pg checks the certificate against the host, by name or by IP address.
 */
export function postgresConfig(login: DbLogin, tls: boolean): ClientConfig {
  return {
    host: login.host,
    port: login.port,
    user: login.username,
    password: login.password,
    database: login.dbname ?? 'postgres',
    ssl: tls ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'warden-rotation',
  };
}

/** PostgreSQL through `pg`: one client per session, over verified TLS unless the login allows plaintext. */
export const connectPostgres: Connect = async (login) => {
  const pg = await loadPostgres();
  const { conn: client, transport } = await openWithTls(login, async (tls) => {
    const c = new pg.Client(postgresConfig(login, tls));
    c.on('error', () => undefined); // a dropped idle connection surfaces on the next query instead
    try {
      await c.connect();
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    return c;
  });
  const session: DbSession = {
    transport,
    async query(sql, params, options) {
      try {
        const r = await client.query(sql, params ? [...params] : undefined);
        return r.rows as Record<string, unknown>[];
      } catch (err) {
        throw queryError(login, err, options?.secrets);
      }
    },
    close: () => client.end(),
  };
  return session;
};
