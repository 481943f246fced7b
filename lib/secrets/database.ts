import type { Engine } from './secretValue.js';

/** `verify`: TLS verified against the trust store; `prefer`: that, or plaintext when TLS is not offered; `off`. */
export type TlsMode = 'verify' | 'prefer' | 'off';

/** How a session travels: verified TLS, plaintext as asked, or plaintext because a `prefer` server offered no TLS. */
export type Transport = 'tls' | 'plaintext' | 'plaintext-fallback';

/** Where and as whom to log in. `password` never leaves this object: not in errors, not in logs. */
export interface DbLogin {
  engine: Engine;
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string | undefined;
  tls: TlsMode;
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
  /** Absent in fakes; the drivers always say. */
  readonly transport?: Transport;
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a session or throws a DatabaseError (kind network | authentication | other). Injected: tests pass their own. */
export type Connect = (login: DbLogin) => Promise<DbSession>;

export function endpointOf(login: Pick<DbLogin, 'host' | 'port'>): string {
  return `${login.host}:${login.port}`;
}

/**
 * `connect`, noting each login that went plaintext because the server offered no TLS (`user@host:port`), so the
 * caller can report the fallback in its log line or finding.
 */
export function watchTransport(connect: Connect): { connect: Connect; plaintext: Set<string> } {
  const plaintext = new Set<string>();
  return {
    plaintext,
    connect: async (login) => {
      const session = await connect(login);
      if (session.transport === 'plaintext-fallback') plaintext.add(`${login.username}@${endpointOf(login)}`);
      return session;
    },
  };
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
