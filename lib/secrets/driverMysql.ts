import mysql from 'mysql2/promise';
import type { Connect } from './database.js';
import {
  CONNECT_TIMEOUT_MS,
  loginError,
  queryError,
  STATEMENT_TIMEOUT_MS,
  tlsOptions,
} from './driverCommon.js';

/** MySQL / MariaDB through `mysql2`. */
export const connectMysql: Connect = async (login) => {
  let conn: mysql.Connection;
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
