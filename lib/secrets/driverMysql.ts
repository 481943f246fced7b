import type { Connection } from 'mysql2/promise';
import { lazy } from '../runtime/lazy.js';
import type { Connect } from './database.js';
import {
  CONNECT_TIMEOUT_MS,
  loginError,
  queryError,
  STATEMENT_TIMEOUT_MS,
  tlsOptions,
} from './driverCommon.js';

type Mysql = typeof import('mysql2/promise');

/**
 * Loads mysql2, once. The drill validator loads it with the function (every invocation connects); the rotation
 * function on the first step that connects (createSecret and finishSecret never do, and a rotation's cold start is
 * its createSecret step).
 */
export const loadMysql: () => Promise<Mysql> = lazy(() =>
  import('mysql2/promise').then((m) => (m as { default?: Mysql }).default ?? m),
);

/** MySQL / MariaDB through `mysql2`. */
export const connectMysql: Connect = async (login) => {
  const mysql = await loadMysql();
  let conn: Connection;
  try {
    conn = await mysql.createConnection({
      host: login.host,
      port: login.port,
      user: login.username,
      password: login.password,
      ...(login.dbname ? { database: login.dbname } : {}),
      ...(login.tls ? { ssl: tlsOptions(login) } : {}),
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
  } catch (err) {
    throw loginError(login, err);
  }
  conn.on('error', () => undefined);
  return {
    async query(sql, params, options) {
      try {
        const [rows] = await conn.query(
          { sql, timeout: STATEMENT_TIMEOUT_MS },
          params ? [...params] : undefined,
        );
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      } catch (err) {
        throw queryError(login, err, options?.secrets);
      }
    },
    close: () => conn.end(),
  };
};
