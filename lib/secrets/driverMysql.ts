import type { ConnectionOptions } from 'mysql2/promise';
import { lazy } from '../runtime/lazy.js';
import type { Connect, DbLogin } from './database.js';
import { CONNECT_TIMEOUT_MS, openWithTls, queryError, STATEMENT_TIMEOUT_MS } from './driverCommon.js';

type Mysql = typeof import('mysql2/promise');

/**
 * Loads mysql2, once. The drill validator loads it with the function (every invocation connects); the rotation
 * function on the first step that connects (createSecret and finishSecret never do, and a rotation's cold start is
 * its createSecret step).
 */
export const loadMysql: () => Promise<Mysql> = lazy(() =>
  import('mysql2/promise').then((m) => (m as { default?: Mysql }).default ?? m),
);

/**
 * The connection options of one attempt. TLS is verified against Node's trust store (in Lambda the RDS CA bundle
 * through NODE_EXTRA_CA_CERTS); mysql2 checks the host name only when asked (`verifyIdentity`).
 */
export function mysqlConfig(login: DbLogin, tls: boolean): ConnectionOptions {
  return {
    host: login.host,
    port: login.port,
    user: login.username,
    password: login.password,
    ...(login.dbname ? { database: login.dbname } : {}),
    ...(tls ? { ssl: { rejectUnauthorized: true, verifyIdentity: true } } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
}

/** MySQL / MariaDB through `mysql2`, over verified TLS unless the login allows plaintext. */
export const connectMysql: Connect = async (login) => {
  const mysql = await loadMysql();
  const { conn, transport } = await openWithTls(login, (tls) =>
    mysql.createConnection(mysqlConfig(login, tls)),
  );
  conn.on('error', () => undefined);
  return {
    transport,
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
