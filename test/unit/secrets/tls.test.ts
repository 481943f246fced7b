import { describe, expect, it } from 'vitest';
import type { DbLogin } from '../../../lib/secrets/database.js';
import { mysqlConfig } from '../../../lib/secrets/driverMysql.js';
import { postgresConfig } from '../../../lib/secrets/driverPostgres.js';
import { classifyFailure } from '../../../lib/secrets/errors.js';
import { parseSecretValue, tlsModeOf } from '../../../lib/secrets/secretValue.js';

const login = (engine: 'postgres' | 'mysql'): DbLogin => ({
  engine,
  host: 'orders.abc.eu-west-1.rds.amazonaws.com',
  port: engine === 'postgres' ? 5432 : 3306,
  username: 'app',
  password: 'Unit-pass1',
  dbname: 'orders',
  tls: 'verify',
});

describe('Function: tlsModeOf', () => {
  it('defaults to verified TLS; only false allows plaintext, and "prefer" a fallback', () => {
    // Prepare
    const secret = (ssl?: unknown) =>
      parseSecretValue(
        JSON.stringify({ engine: 'postgres', host: 'h', username: 'u', password: 'p', ssl }),
        'secret',
      );
    // Act
    const modes = [undefined, true, 'true', 'require', 'verify-full', false, 'false', 'prefer'].map((ssl) =>
      tlsModeOf(secret(ssl)),
    );
    // Assess
    expect(modes).toEqual(['verify', 'verify', 'verify', 'verify', 'verify', 'off', 'off', 'prefer']);
    expect(() => secret('allow')).toThrow('ssl');
  });
});

describe('Function: mysqlConfig', () => {
  it('verifies the certificate chain and the host name when TLS is on, and asks for no TLS when off', () => {
    // Act
    const on = mysqlConfig(login('mysql'), true);
    const off = mysqlConfig(login('mysql'), false);
    // Assess
    expect(on.ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
    expect(off.ssl).toBeUndefined();
    expect(on).toMatchObject({ host: login('mysql').host, port: 3306, user: 'app', database: 'orders' });
  });
});

describe('Function: postgresConfig', () => {
  it('verifies the certificate when TLS is on (pg checks the host) and turns TLS off when off', () => {
    // Act
    const on = postgresConfig(login('postgres'), true);
    const off = postgresConfig(login('postgres'), false);
    // Assess
    expect(on.ssl).toEqual({ rejectUnauthorized: true });
    expect(off.ssl).toBe(false);
  });
});

describe('Function: classifyFailure (TLS)', () => {
  it('tells a TLS requirement or failure from a wrong password', () => {
    // Prepare
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    // Act
    const kinds = [
      pgError(
        '28000',
        'no pg_hba.conf entry for host "10.0.1.5", user "app", database "orders", no encryption',
      ),
      pgError('28000', 'pg_hba.conf rejects connection for host "10.0.1.5", user "app", database "orders"'),
      // A user named to look like the TLS message is still refused for its name, not for TLS.
      pgError('28000', 'role "x, no encryption" is not permitted to log in'),
      pgError('28P01', 'password authentication failed for user "app"'),
      new Error('The server does not support SSL connections'),
      pgError('HANDSHAKE_NO_SSL_SUPPORT', 'Server does not support secure connection'),
      Object.assign(new Error('Connections using insecure transport are prohibited'), { errno: 3159 }),
      pgError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
      pgError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
    ].map(classifyFailure);
    // Assess
    expect(kinds).toEqual([
      'tls',
      'authentication',
      'authentication',
      'authentication',
      'tls',
      'tls',
      'tls',
      'tls',
      'tls',
    ]);
  });
});
