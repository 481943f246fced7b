/** What both drivers share: timeouts, TLS options and secret-free errors. */
import type { DbLogin } from './database.js';
import { endpointOf } from './database.js';
import { classifyFailure, DatabaseError } from './errors.js';

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

export function loginError(login: DbLogin, err: unknown): DatabaseError {
  const kind = classifyFailure(err);
  const code = codeOf(err);
  const why =
    kind === 'authentication'
      ? 'authentication failed'
      : kind === 'network'
        ? 'database unreachable'
        : `login failed: ${mask(err instanceof Error ? err.message : String(err), [login.password]).slice(0, 200)}`;
  return new DatabaseError(
    `cannot log in to ${login.engine} at ${endpointOf(login)} as ${JSON.stringify(login.username)}: ${why}${code ? ` (${code})` : ''}`,
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

export const tlsOptions = (login: DbLogin) =>
  login.tls ? { rejectUnauthorized: true, servername: login.host } : undefined;
