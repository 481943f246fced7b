import { lazy } from '../runtime/lazy.js';
import type { Connect, DbSession } from './database.js';
import {
  CONNECT_TIMEOUT_MS,
  loginError,
  queryError,
  STATEMENT_TIMEOUT_MS,
  tlsOptions,
} from './driverCommon.js';

type Pg = typeof import('pg').default;

/**
 * Loads pg, once. The drill validator loads it with the function (every invocation connects); the rotation
 * function on the first step that connects (createSecret and finishSecret never do, and a rotation's cold start is
 * its createSecret step).
 */
export const loadPostgres: () => Promise<Pg> = lazy(() => import('pg').then((m) => m.default));

/** PostgreSQL through `pg`: one client per session, TLS verified against the trust store when asked. */
export const connectPostgres: Connect = async (login) => {
  const pg = await loadPostgres();
  const client = new pg.Client({
    host: login.host,
    port: login.port,
    user: login.username,
    password: login.password,
    database: login.dbname ?? 'postgres',
    ssl: tlsOptions(login) ?? false,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'warden-rotation',
  });
  client.on('error', () => undefined); // a dropped idle connection surfaces on the next query instead
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw loginError(login, err);
  }
  const session: DbSession = {
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
