import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DbLogin, withSession } from '../../../lib/secrets/database.js';
import { connectMysql, connectPostgres } from '../../../lib/secrets/drivers.js';
import { DatabaseError } from '../../../lib/secrets/errors.js';
import { healSecret } from '../../../lib/secrets/operations.js';
import { rotateSecretStep, STEPS } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { userLogin } from '../../../lib/secrets/sessions.js';
import { PLAINTEXT_ROLE } from '../../support/passwordPostgres.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import {
  authPgAdmin,
  connectEither,
  mysqlAdmin,
  pgAdmin,
  plainPgSecret,
  secretFor,
  suffix,
} from './databases.js';
import { captureLogger, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let admin: pg.Client;
let plainAdmin: pg.Client;
const roles: string[] = [];
const plainRoles: string[] = [];
const myUsers: string[] = [];
const myTlsUsers: string[] = [];
let store: SecretStore;

/** The code under test logs in; the server says whether the session is encrypted. */
async function sessionOver(value: SecretValue): Promise<{ transport?: string; ssl: unknown }> {
  return withSession(connectEither, userLogin(value), async (s) => {
    const rows = await s.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return { transport: s.transport, ssl: rows[0]?.ssl };
  });
}

async function failure(login: DbLogin, connect = connectEither): Promise<DatabaseError> {
  const err = await withSession(connect, login, async () => undefined).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseError);
  return err as DatabaseError;
}

async function role(password: string, plaintextAllowed = false): Promise<string> {
  const name = `wt_${suffix()}`;
  roles.push(name);
  await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
  if (plaintextAllowed) await admin.query(`GRANT ${PLAINTEXT_ROLE} TO ${name}`);
  return name;
}

/**
 * A server impersonating PostgreSQL at 127.0.0.1 with a certificate no one trusts: it accepts the request for
 * TLS and counts the connections that start in plaintext instead (a client falling back).
 */
function rogueServer(): Promise<{ server: Server; port: number; plaintextStarts: () => number }> {
  let plaintext = 0;
  const cert = readFileSync(process.env.TEST_TLS_ROGUE_CERT as string);
  const key = readFileSync(process.env.TEST_TLS_ROGUE_KEY as string);
  const server = createServer((socket: Socket) => {
    socket.once('data', (first) => {
      if (first.length >= 8 && first.readUInt32BE(4) === 80877103) {
        socket.write('S');
        const tls = new TLSSocket(socket, { isServer: true, cert, key });
        tls.on('error', () => undefined);
      } else {
        plaintext++;
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        port: (server.address() as { port: number }).port,
        plaintextStarts: () => plaintext,
      }),
    ),
  );
}

beforeAll(async () => {
  admin = await authPgAdmin();
  plainAdmin = await pgAdmin();
});

afterAll(async () => {
  for (const r of roles) await admin.query(`DROP ROLE IF EXISTS ${r}`);
  for (const r of plainRoles) await plainAdmin.query(`DROP ROLE IF EXISTS ${r}`);
  await admin.end();
  await plainAdmin.end();
  if (myUsers.length) {
    const my = await mysqlAdmin();
    for (const u of myUsers) await my.query(`DROP USER IF EXISTS ?@'%'`, [u]);
    await my.end();
  }
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: connectPostgres (TLS)', () => {
  it('logs in over verified TLS when the secret has no ssl field, says "require" or "verify-full"', async () => {
    // Prepare: the server requires TLS; its certificate is trusted only through the CA file of the setup.
    const name = await role('Tls-pass1');
    const secret = (ssl?: SecretValue['ssl']) =>
      secretFor('postgres', { username: name, password: 'Tls-pass1', ...(ssl ? { ssl } : {}) });
    // Act
    const sessions = [
      await sessionOver(secret()),
      await sessionOver(secret('require')),
      await sessionOver(secret('verify-full')),
      await sessionOver(secret(true)),
    ];
    // Assess
    expect(sessions).toEqual(Array(4).fill({ transport: 'tls', ssl: true }));
  });

  it('logs in in plaintext only when the secret says "ssl": false and the server allows it', async () => {
    // Prepare
    const name = await role('Plain-pass1', true);
    // Act
    const session = await sessionOver(
      secretFor('postgres', { username: name, password: 'Plain-pass1', ssl: false }),
    );
    const wrong = await failure(
      userLogin(secretFor('postgres', { username: name, password: 'Wrong-pass1', ssl: false })),
    );
    // Assess
    expect(session).toEqual({ transport: 'plaintext', ssl: false });
    expect(wrong.kind).toBe('authentication'); // the server checks the password in plaintext too
  });

  it('refuses a certificate it cannot verify, and never falls back to plaintext, even for "prefer"', async () => {
    // Prepare
    const rogue = await rogueServer();
    const login = (tls: DbLogin['tls']): DbLogin => ({
      ...userLogin(secretFor('postgres', { username: 'app', password: 'Rogue-pass1' })),
      port: rogue.port,
      tls,
    });
    try {
      // Act
      const verify = await failure(login('verify'));
      const prefer = await failure(login('prefer'));
      // Assess
      for (const err of [verify, prefer]) {
        expect(err.kind).toBe('tls');
        expect(err.message).toContain('TLS failed: self-signed certificate');
        expect(err.message).not.toContain('Rogue-pass1');
      }
      expect(rogue.plaintextStarts()).toBe(0);
    } finally {
      rogue.server.close();
    }
  });

  it('fails a server without TLS unless the secret allows plaintext; "prefer" falls back and says so', async () => {
    // Prepare: the plain server offers no TLS.
    const name = `wt_${suffix()}`;
    plainRoles.push(name);
    await plainAdmin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'Prefer-pass1'`);
    const secret = (ssl?: SecretValue['ssl']) =>
      plainPgSecret({ username: name, password: 'Prefer-pass1', ssl });
    // Act
    const byDefault = await failure(userLogin(secret(undefined)));
    const prefer = await sessionOver(secret('prefer'));
    const off = await sessionOver(secret(false));
    // Assess
    expect(byDefault.kind).toBe('tls');
    expect(byDefault.message).toContain('the server offers no TLS and the login does not allow plaintext');
    expect(prefer).toEqual({ transport: 'plaintext-fallback', ssl: false });
    expect(off).toEqual({ transport: 'plaintext', ssl: false });
  });
});

describe('Function: rotateSecretStep (TLS fallback)', () => {
  it('reports each login that fell back to plaintext in the step log line, at warn', async () => {
    // Prepare
    const name = `wt_${suffix()}`;
    plainRoles.push(name);
    await plainAdmin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'Prefer-pass1'`);
    const arn = store.add({
      name: 'prefer',
      value: JSON.stringify(plainPgSecret({ username: name, password: 'Prefer-pass1', ssl: 'prefer' })),
    });
    const logger = captureLogger();
    const deps = rotationDeps(sm.client, connectPostgres, logger);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    // Act
    const results = [];
    for (const step of STEPS) results.push(await rotateSecretStep(deps, { step, secretId: arn, token }));
    // Assess
    const endpoint = `${name}@${plainPgSecret({ username: name, password: 'x' }).host}:${plainPgSecret({ username: name, password: 'x' }).port}`;
    expect(results.map((r) => r.tlsFallback)).toEqual([undefined, [endpoint], [endpoint], undefined]);
    const lines = logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.step])).toEqual([
      ['info', 'createSecret'],
      ['warn', 'setSecret'],
      ['warn', 'testSecret'],
      ['info', 'finishSecret'],
    ]);
    expect(lines[1]?.tlsFallback).toEqual([endpoint]);
    const pending = JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}').password as string;
    for (const secret of ['Prefer-pass1', pending]) expect(logger.lines.join('\n')).not.toContain(secret);
  });
});

describe('Function: healSecret (TLS fallback)', () => {
  it('says in the finding and the log that its login fell back to plaintext', async () => {
    // Prepare: a failed rotation left AWSPENDING; the secret allows plaintext on a server without TLS.
    const name = `wt_${suffix()}`;
    plainRoles.push(name);
    await plainAdmin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'Heal-pass1'`);
    const arn = store.add({
      name: 'heal-prefer',
      value: JSON.stringify(plainPgSecret({ username: name, password: 'Heal-pass1', ssl: 'prefer' })),
    });
    await store.rotate({ SecretId: arn });
    const logger = captureLogger();
    const deps = {
      sm: sm.client,
      connect: connectPostgres,
      target: { account: '111111111111', region: 'eu-west-1' },
      now: () => new Date('2026-11-26T10:00:00Z'),
      logger,
    };
    // Act
    const planned = await healSecret(deps, arn, false);
    // Assess
    const login = plainPgSecret({ username: name, password: 'x' });
    expect(planned.outcome).toBe('planned');
    expect(planned.finding.detail.tlsFallback).toEqual([`${name}@${login.host}:${login.port}`]);
    expect(logger.lines.filter((l) => l.includes('"level":"warn"'))).toEqual([
      expect.stringContaining('the database offers no TLS: logged in in plaintext'),
    ]);
    expect(`${JSON.stringify(planned)}${logger.lines.join('')}`).not.toContain('Heal-pass1');
  });
});

describe('Function: connectMysql (TLS)', () => {
  it('fails the local MariaDB (no TLS) by default as a TLS failure; "prefer" falls back; false is plaintext', async () => {
    // Prepare
    const name = `wt_${suffix()}`;
    myUsers.push(name);
    const my = await mysqlAdmin();
    await my.query(`CREATE USER ?@'%' IDENTIFIED BY 'My-pass1'`, [name]);
    await my.query(`GRANT SELECT ON test.* TO ?@'%'`, [name]);
    await my.end();
    const secret = (ssl?: SecretValue['ssl']) => ({
      ...secretFor('mysql', { username: name, password: 'My-pass1' }),
      ssl,
    });
    // Act
    const byDefault = await failure(userLogin(secret(undefined)), connectMysql);
    const prefer = await withSession(connectMysql, userLogin(secret('prefer')), async (s) => s.transport);
    const off = await withSession(connectMysql, userLogin(secret(false)), async (s) => s.transport);
    // Assess
    expect(byDefault.kind).toBe('tls');
    expect(byDefault.message).toContain(
      'the server offers no TLS and the login does not allow plaintext (HANDSHAKE_NO_SSL_SUPPORT)',
    );
    expect(prefer).toBe('plaintext-fallback');
    expect(off).toBe('plaintext');
  });
});

// A MariaDB that requires TLS, started by test/globalSetup.ts where the MariaDB server binaries are installed.
const tlsMysql = process.env.TEST_MYSQL_TLS_URL ? new URL(process.env.TEST_MYSQL_TLS_URL) : undefined;

describe.skipIf(!tlsMysql)('Function: connectMysql / rotateSecretStep (MariaDB requiring TLS)', () => {
  const u = tlsMysql as URL;
  const master = `wtm_${suffix()}`;
  const tlsAdmin = () =>
    mysql.createConnection({
      host: u.hostname,
      port: Number(u.port),
      user: 'root',
      ssl: { ca: readFileSync(process.env.TEST_MYSQL_TLS_CA as string, 'utf8') },
    });
  const secret = (fields: Partial<SecretValue> & { username: string; password: string }): SecretValue => ({
    engine: 'mysql',
    host: u.hostname,
    port: Number(u.port),
    dbname: 'test',
    ...fields,
  });
  /** The test's own login (mysql2 directly, TLS verified against the setup's CA): user and cipher, or the error. */
  const testLogin = async (value: SecretValue): Promise<string> => {
    try {
      const c = await mysql.createConnection({
        host: u.hostname,
        port: Number(u.port),
        user: value.username,
        password: value.password,
        ssl: { ca: readFileSync(process.env.TEST_MYSQL_TLS_CA as string, 'utf8') },
      });
      const [rows] = await c.query("SELECT SUBSTRING_INDEX(USER(), '@', 1) AS who");
      await c.end();
      return (rows as { who: string }[])[0]?.who ?? '';
    } catch (err) {
      return `refused ${(err as { code?: string }).code}`;
    }
  };
  beforeAll(async () => {
    const c = await tlsAdmin();
    await c.query(`CREATE USER ?@'%' IDENTIFIED BY 'Tls-master1'`, [master]);
    await c.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [master]);
    await c.end();
  });

  it('logs in over verified TLS by default and for "require"/"verify-full"; plaintext is refused', async () => {
    // Prepare
    const name = `wt_${suffix()}`;
    myTlsUsers.push(name);
    const c = await tlsAdmin();
    await c.query(`CREATE USER ?@'%' IDENTIFIED BY 'My-tls-pass1'`, [name]);
    await c.query(`GRANT SELECT ON test.* TO ?@'%'`, [name]);
    await c.end();
    const cipherOf = (ssl?: SecretValue['ssl']) =>
      withSession(
        connectMysql,
        userLogin(
          secret({ username: name, password: 'My-tls-pass1', ...(ssl === undefined ? {} : { ssl }) }),
        ),
        async (s) =>
          `${s.transport} ${(await s.query("SHOW STATUS LIKE 'Ssl_cipher'"))[0]?.Value ? 'cipher' : ''}`,
      );
    // Act
    const sessions = [await cipherOf(), await cipherOf('require'), await cipherOf('verify-full')];
    const plaintext = await failure(
      userLogin(secret({ username: name, password: 'My-tls-pass1', ssl: false })),
      connectMysql,
    );
    // Assess
    expect(sessions).toEqual(Array(3).fill('tls cipher'));
    expect(plaintext.message).toContain(
      'authentication failed (ER_ACCESS_DENIED_ERROR); or the login was plaintext and the server requires TLS',
    );
    expect(plaintext.message).not.toContain('My-tls-pass1');
  });

  it('rotates alternating users over TLS; the clone logs in with its new password after setSecret and finishSecret', async () => {
    // Prepare
    const name = `wt_${suffix()}`;
    myTlsUsers.push(name, `${name}_clone`);
    const c = await tlsAdmin();
    await c.query(`CREATE USER ?@'%' IDENTIFIED BY 'My-base-pass1'`, [name]);
    await c.query(`GRANT SELECT ON test.* TO ?@'%'`, [name]);
    await c.end();
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: 'Tls-master1' }),
    });
    const arn = store.add({
      name: 'tls-alt',
      value: JSON.stringify(secret({ username: name, password: 'My-base-pass1', masterarn: masterArn })),
    });
    const logger = captureLogger();
    const deps = rotationDeps(sm.client, connectMysql, logger);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    const own: string[] = [];
    // Act
    for (const step of STEPS) {
      await rotateSecretStep(deps, { step, secretId: arn, token });
      if (step === 'setSecret')
        own.push(`set ${await testLogin(JSON.parse(store.value(arn, 'AWSPENDING') ?? '{}'))}`);
      if (step === 'finishSecret')
        own.push(`finish ${await testLogin(JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}'))}`);
    }
    // Assess
    expect(own).toEqual([`set ${name}_clone`, `finish ${name}_clone`]);
    expect(await testLogin(secret({ username: name, password: 'My-base-pass1' }))).toBe(name);
    const current = JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}') as SecretValue;
    expect(logger.lines.join('\n')).not.toContain(current.password);
    expect(logger.lines.join('\n')).not.toContain('tlsFallback');
  });

  afterAll(async () => {
    const c = await tlsAdmin();
    for (const x of [...myTlsUsers, master]) await c.query(`DROP USER IF EXISTS ?@'%'`, [x]);
    await c.end();
  });
});
