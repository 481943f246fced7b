import type { Engine } from './secretValue.js';

/** Where and as whom to log in. `password` never leaves this object: not in errors, not in logs. */
export interface DbLogin {
  engine: Engine;
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string | undefined;
  tls: boolean;
}

export interface QueryOptions {
  /**
   * Values the statement carries (passwords): on failure the statement and the driver's error are dropped and
   * these values are masked in the message that is kept.
   */
  secrets?: readonly string[];
}

/** One open database session. Rows come back as plain objects. */
export interface DbSession {
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a session or throws a DatabaseError (kind network | authentication | other). Injected: tests pass their own. */
export type Connect = (login: DbLogin) => Promise<DbSession>;

export function endpointOf(login: Pick<DbLogin, 'host' | 'port'>): string {
  return `${login.host}:${login.port}`;
}

/** Runs `work` in a session that is always closed. */
export async function withSession<T>(
  connect: Connect,
  login: DbLogin,
  work: (s: DbSession) => Promise<T>,
): Promise<T> {
  const session = await connect(login);
  try {
    return await work(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}
