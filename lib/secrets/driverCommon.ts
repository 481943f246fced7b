/** What both drivers share: timeouts, TLS options and secret-free errors. */
import type { DbLogin, Transport } from './database.js';
import { endpointOf } from './database.js';
import { classifyFailure, DatabaseError, PG_NO_TLS_MESSAGE } from './errors.js';

export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 15_000;

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function mask(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const secret of secrets ?? []) if (secret) out = out.split(secret).join('***');
  return out;
}

const messageOf = (err: unknown, login: DbLogin) =>
  mask(err instanceof Error ? err.message : String(err), [login.password]).slice(0, 200);

/** True when the server answered the request for TLS with "no" (the only failure `prefer` falls back on). */
function tlsNotOffered(err: unknown): boolean {
  return (
    codeOf(err) === 'HANDSHAKE_NO_SSL_SUPPORT' || (err as Error | undefined)?.message === PG_NO_TLS_MESSAGE
  );
}

function tlsWhy(login: DbLogin, err: unknown): string {
  if (tlsNotOffered(err)) return 'the server offers no TLS and the login does not allow plaintext';
  if (login.tls === 'off') return 'the server requires TLS, and the login was plaintext';
  return `TLS failed: ${messageOf(err, login)}`;
}

// MariaDB refuses a plaintext login under require_secure_transport with the same error as a wrong password.
const MARIADB_PLAINTEXT_HINT =
  '; or the login was plaintext and the server requires TLS: MariaDB refuses that with the same error';

export function loginError(login: DbLogin, err: unknown): DatabaseError {
  const kind = classifyFailure(err);
  const code = codeOf(err);
  const why =
    kind === 'authentication'
      ? 'authentication failed'
      : kind === 'network'
        ? 'database unreachable'
        : kind === 'tls'
          ? tlsWhy(login, err)
          : `login failed: ${messageOf(err, login)}`;
  const hint = kind === 'authentication' && login.engine !== 'postgres' && login.tls === 'off';
  return new DatabaseError(
    `cannot log in to ${login.engine} at ${endpointOf(login)} as ${JSON.stringify(login.username)}: ${why}${code ? ` (${code})` : ''}${hint ? MARIADB_PLAINTEXT_HINT : ''}`,
    { kind, engine: login.engine, endpoint: endpointOf(login), user: login.username, code },
    // The driver's own error is kept (it names host and user only); its message never includes the password.
    { cause: err },
  );
}

export function queryError(
  login: DbLogin,
  err: unknown,
  secrets: readonly string[] | undefined,
): DatabaseError {
  const code = codeOf(err);
  const detail = `: ${mask(err instanceof Error ? err.message : String(err), secrets)}`;
  return new DatabaseError(
    `${login.engine} statement failed as ${JSON.stringify(login.username)}${code ? ` (${code})` : ''}${detail}`,
    {
      kind: classifyFailure(err),
      engine: login.engine,
      endpoint: endpointOf(login),
      user: login.username,
      code,
    },
    secrets ? undefined : { cause: err },
  );
}

/**
 * Opens a connection as the login's TLS mode says (`open(true)` is verified TLS): `verify` never goes plaintext,
 * `prefer` does only when the server offers no TLS (a certificate that fails verification is an error, never a
 * reason to send the password in the clear), `off` never asks for TLS. Failures become secret-free login errors.
 */
export async function openWithTls<C>(
  login: DbLogin,
  open: (tls: boolean) => Promise<C>,
): Promise<{ conn: C; transport: Transport }> {
  try {
    if (login.tls === 'off') return { conn: await open(false), transport: 'plaintext' };
    try {
      return { conn: await open(true), transport: 'tls' };
    } catch (err) {
      if (login.tls !== 'prefer' || !tlsNotOffered(err)) throw err;
    }
    return { conn: await open(false), transport: 'plaintext-fallback' };
  } catch (err) {
    throw loginError(login, err);
  }
}
