import { ExecutionError } from '../errors.js';

/**
 * Why a database could not be used: the network (timeout, refused, no route), authentication (a wrong password or
 * user), TLS (the server requires it, does not offer it, or its certificate did not verify), or else.
 */
export type FailureKind = 'network' | 'authentication' | 'tls' | 'other';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'TimeoutError',
]);
const AUTH_CODES = new Set([
  '28P01',
  '28000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
]);

const TLS_CODES = new Set([
  // mysql2: the server offers no TLS; MySQL with require_secure_transport refuses a plaintext login.
  'HANDSHAKE_NO_SSL_SUPPORT',
  'ER_SECURE_TRANSPORT_REQUIRED',
  // Node's certificate checks.
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const ER_SECURE_TRANSPORT_REQUIRED = 3159;
/** pg's own error when the server answers the SSLRequest with "no" (it carries no code). */
export const PG_NO_TLS_MESSAGE = 'The server does not support SSL connections';

/**
 * True when the server refused or could not do TLS. PostgreSQL refuses a plaintext login it requires TLS for
 * (`rds.force_ssl`, a `hostssl`-only pg_hba.conf) with SQLSTATE 28000, as it does other pg_hba rejections; the
 * server ends that message with the connection's encryption, after every name the caller chose.
 */
function isTlsFailure(code: string | undefined, errno: unknown, message: string): boolean {
  if (code && TLS_CODES.has(code)) return true;
  if (errno === ER_SECURE_TRANSPORT_REQUIRED) return true;
  if (code === '28000' && /, no encryption$/.test(message)) return true;
  return message === PG_NO_TLS_MESSAGE;
}

/** Classifies a driver or SDK error by its code, never by anything the caller typed. */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof DatabaseError) return err.kind;
  const e = err as { code?: unknown; errno?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (isTlsFailure(code, e?.errno, message)) return 'tls';
  if (code && AUTH_CODES.has(code)) return 'authentication';
  if (e?.errno === 1045 || e?.errno === 1698) return 'authentication';
  if (code && NETWORK_CODES.has(code)) return 'network';
  if (typeof e?.name === 'string' && NETWORK_CODES.has(e.name)) return 'network';
  if (/timeout|timed out|getaddrinfo|socket hang up|connection terminated/i.test(message)) return 'network';
  return 'other';
}

/** A database login or statement failed. Carries the endpoint and user, never a password or the statement. */
export class DatabaseError extends ExecutionError {
  readonly kind: FailureKind;
  readonly engine: string;
  readonly endpoint: string;
  readonly user: string;
  readonly code: string | undefined;
  constructor(
    message: string,
    fields: { kind: FailureKind; engine: string; endpoint: string; user: string; code?: string | undefined },
    options?: { cause?: unknown; resourceArn?: string },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
    this.kind = fields.kind;
    this.engine = fields.engine;
    this.endpoint = fields.endpoint;
    this.user = fields.user;
    this.code = fields.code;
  }
}

/** A rotation step could not complete; Secrets Manager retries the step, and the state stays consistent. */
export class RotationError extends ExecutionError {
  readonly step: string;
  readonly versionId: string;
  readonly kind: FailureKind;
  constructor(
    message: string,
    fields: { step: string; versionId: string; secretArn: string; kind?: FailureKind },
    options?: { cause?: unknown },
  ) {
    super(message, { ...options, resourceArn: fields.secretArn });
    this.name = 'RotationError';
    this.step = fields.step;
    this.versionId = fields.versionId;
    this.kind = fields.kind ?? classifyFailure(options?.cause);
  }
}
