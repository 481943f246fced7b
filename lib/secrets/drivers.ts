import type { Connect, DbLogin } from './database.js';
import { connectMysql } from './driverMysql.js';
import { connectPostgres } from './driverPostgres.js';

export { connectMysql, connectPostgres };

/** The real drivers, by engine. */
export function connectFor(engine: DbLogin['engine']): Connect {
  return engine === 'postgres' ? connectPostgres : connectMysql;
}

/** Dispatches on the login's engine. */
export const connectAny: Connect = (login) => connectFor(login.engine)(login);
