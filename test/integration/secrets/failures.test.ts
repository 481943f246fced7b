import type mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMysql } from '../../../lib/secrets/drivers.js';
import { RotationError } from '../../../lib/secrets/errors.js';
import { FAILURE_TAG, rotateSecretStep } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { canLogin, userLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { authPgAdmin, authPgUrl, connectEither, mysqlAdmin, secretFor, suffix } from './databases.js';
import { captureLogger, fullRotation, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let pgA: pg.Client;
let myA: mysql.Connection;
let store: SecretStore;
const tag = suffix();
const master = `wfm_${tag}`;
const masterPassword = `Master-${tag}`;
const pgRoles: string[] = [];
const myUsers: string[] = [];

const q = pg.escapeIdentifier;
const current = (arn: string) => JSON.parse(store.value(arn, 'AWSCURRENT') ?? 'null') as SecretValue;

/** Everything a failure leaves behind, as text: message, stack, fields, and the whole cause chain. */
function everything(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e) {
    parts.push(String(e), (e as Error).stack ?? '', JSON.stringify(e, Object.getOwnPropertyNames(e)));
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

async function pgUser(name: string, password: string): Promise<void> {
  pgRoles.push(name);
  await pgA.query(`CREATE ROLE ${q(name)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
  // As on RDS, where the master creates the roles: PostgreSQL 16+ lets CREATEROLE act only with ADMIN OPTION.
  if (name !== master) await pgA.query(`GRANT ${q(name)} TO ${q(master)} WITH ADMIN OPTION`);
}

beforeAll(async () => {
  pgA = await authPgAdmin();
  myA = await mysqlAdmin();
  await pgUser(master, masterPassword);
  await pgA.query(`ALTER ROLE ${q(master)} CREATEROLE`);
  myUsers.push(master);
  await myA.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [master, masterPassword]);
  await myA.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [master]);
});

afterAll(async () => {
  for (const r of [...pgRoles].reverse()) {
    for (const role of [`${r}_clone`, r]) {
      if ((await pgA.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount) {
        await pgA.query(`DROP OWNED BY ${q(role)} CASCADE`);
        await pgA.query(`DROP ROLE ${q(role)}`);
      }
    }
  }
  for (const u of myUsers) {
    await myA.query(`DROP USER IF EXISTS ?@'%'`, [u]);
    await myA.query(`DROP USER IF EXISTS ?@'%'`, [`${u}_clone`]);
  }
  await pgA.end();
  await myA.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: rotateSecretStep (failures)', () => {
  it('reports a wrong master password clearly and changes nothing (PostgreSQL, alternating)', async () => {
    // Prepare
    const name = `wf_${suffix()}`;
    await pgUser(name, 'Base-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: 'Wrong-master1' }),
    });
    const arn = store.add({
      name: 's',
      value: JSON.stringify(
        secretFor('postgres', { username: name, password: 'Base-pass1', masterarn: masterArn }),
      ),
    });
    const logger = captureLogger();
    const deps = rotationDeps(sm.client, connectEither, logger);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    const before = store.snapshot(arn);
    const pendingPassword = JSON.parse(store.value(arn, 'AWSPENDING') ?? '{}').password as string;
    // Act
    const err = await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(err).toBeInstanceOf(RotationError);
    expect((err as RotationError).kind).toBe('authentication');
    expect((err as Error).message).toContain(
      `cannot log in to postgres at 127.0.0.1:${authPgUrl().port} as "${master}": authentication failed (28P01)`,
    );
    expect((await pgA.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [`${name}_clone`])).rowCount).toBe(
      0,
    );
    expect(store.snapshot(arn)).toEqual(before);
    expect(await canLogin(connectEither, userLogin(current(arn)))).toBe(true);
    const text = `${everything(err)}\n${logger.lines.join('\n')}`;
    for (const secret of ['Base-pass1', 'Wrong-master1', pendingPassword]) expect(text).not.toContain(secret);
  });

  it('reports a wrong master password clearly and changes nothing (MariaDB, alternating)', async () => {
    // Prepare
    const name = `wf_${suffix()}`;
    myUsers.push(name);
    await myA.query(`CREATE USER ?@'%' IDENTIFIED BY 'Base-pass1'`, [name]);
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: 'Wrong-master1' }),
    });
    const arn = store.add({
      name: 's',
      value: JSON.stringify(
        secretFor('mysql', { username: name, password: 'Base-pass1', masterarn: masterArn }),
      ),
    });
    const deps = rotationDeps(sm.client, connectMysql, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    // Act
    const err = await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((err as RotationError).kind).toBe('authentication');
    expect((err as Error).message).toContain(
      `as "${master}": authentication failed (ER_ACCESS_DENIED_ERROR)`,
    );
    const [rows] = await myA.query('SELECT 1 FROM mysql.user WHERE User = ?', [`${name}_clone`]);
    expect(rows).toEqual([]);
    expect(everything(err)).not.toContain('Wrong-master1');
  });

  it('reports an unreachable database as a network failure and changes nothing', async () => {
    // Prepare
    const arn = store.add({
      name: 's',
      value: JSON.stringify({
        ...secretFor('postgres', { username: 'nobody', password: 'Some-pass1' }),
        port: 1,
      }),
    });
    const deps = rotationDeps(sm.client, connectEither, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    const before = store.snapshot(arn);
    // Act
    const err = await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((err as RotationError).kind).toBe('network');
    expect((err as Error).message).toContain(
      'cannot log in to postgres at 127.0.0.1:1 as "nobody": database unreachable (ECONNREFUSED)',
    );
    expect(store.snapshot(arn)).toEqual(before);
  });

  it('reports a server that refuses plaintext as a TLS requirement, not as a wrong password', async () => {
    // Prepare: the server requires TLS (as RDS for PostgreSQL 15+ does); the secret says "ssl": false.
    const name = `wf_${suffix()}`;
    await pgUser(name, 'Plain-pass1');
    const arn = store.add({
      name: 's',
      value: JSON.stringify(secretFor('postgres', { username: name, password: 'Plain-pass1', ssl: false })),
    });
    const logger = captureLogger();
    const deps = rotationDeps(sm.client, connectEither, logger);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    const pendingPassword = JSON.parse(store.value(arn, 'AWSPENDING') ?? '{}').password as string;
    // Act
    const err = await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((err as RotationError).kind).toBe('tls');
    expect((err as Error).message).toContain(
      `as "${name}": the server requires TLS, and the login was plaintext (28000)`,
    );
    expect((err as Error).message).not.toContain('authentication failed');
    expect(store.find(arn).tags).toEqual([
      { Key: FAILURE_TAG, Value: 'tls setSecret 2026-11-26T10:00:00.000Z' },
    ]);
    expect(logger.lines.join('\n')).toContain('"kind":"tls"');
    const text = `${everything(err)}\n${logger.lines.join('\n')}`;
    for (const secret of ['Plain-pass1', pendingPassword]) expect(text).not.toContain(secret);
  });

  it('refuses a token that is not staged AWSPENDING', async () => {
    // Prepare
    const arn = store.add({
      name: 's',
      value: JSON.stringify(secretFor('postgres', { username: 'nobody', password: 'Some-pass1' })),
    });
    const deps = rotationDeps(sm.client, connectEither, captureLogger());
    // Act
    const result = rotateSecretStep(deps, {
      step: 'createSecret',
      secretId: arn,
      token: '00000000-0000-0000-0000-000000000000',
    });
    // Assess
    await expect(result).rejects.toThrow('the token is not a version of this secret');
  });
});

describe('Function: rotateSecretStep (hostile usernames)', () => {
  it('quotes a hostile PostgreSQL username instead of executing it', async () => {
    // Prepare
    const canary = `canary_${suffix()}`;
    await pgUser(canary, 'Canary-pass1');
    const name = `a"; DROP ROLE ${canary}; --${suffix()}`;
    await pgUser(name, 'Hostile-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: masterPassword }),
    });
    const single = store.add({
      name: 'h1',
      value: JSON.stringify(
        secretFor('postgres', { username: name, password: 'Hostile-pass1', strategy: 'single' }),
      ),
    });
    const deps = rotationDeps(sm.client, connectEither, captureLogger());
    // Act
    await fullRotation(store, deps, single);
    const alternating = store.add({
      name: 'h2',
      value: JSON.stringify({ ...current(single), masterarn: masterArn, strategy: 'alternating' }),
    });
    await fullRotation(store, deps, alternating);
    // Assess
    expect((await pgA.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [canary])).rowCount).toBe(1);
    expect(await canLogin(connectEither, userLogin(current(alternating)))).toBe(true);
    expect(current(alternating).username).toBe(`${name}_clone`);
  });

  it('quotes a hostile MariaDB username instead of executing it', async () => {
    // Prepare
    const canary = `canary_${suffix()}`;
    myUsers.push(canary);
    await myA.query(`CREATE USER ?@'%' IDENTIFIED BY 'Canary-pass1'`, [canary]);
    const name = `a'"\`; DROP USER ${canary}; --${suffix().slice(0, 4)}`;
    myUsers.push(name);
    await myA.query(`CREATE USER ?@'%' IDENTIFIED BY 'Hostile-pass1'`, [name]);
    await myA.query(`GRANT SELECT ON test.* TO ?@'%'`, [name]);
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: masterPassword }),
    });
    const single = store.add({
      name: 'h1',
      value: JSON.stringify(
        secretFor('mysql', { username: name, password: 'Hostile-pass1', strategy: 'single' }),
      ),
    });
    const deps = rotationDeps(sm.client, connectMysql, captureLogger());
    // Act
    await fullRotation(store, deps, single);
    const alternating = store.add({
      name: 'h2',
      value: JSON.stringify({ ...current(single), masterarn: masterArn, strategy: 'alternating' }),
    });
    await fullRotation(store, deps, alternating);
    // Assess
    const [rows] = await myA.query('SELECT 1 FROM mysql.user WHERE User = ?', [canary]);
    expect(rows).toHaveLength(1);
    expect(await canLogin(connectMysql, userLogin(current(alternating)))).toBe(true);
    const [grants] = await myA.query(`SHOW GRANTS FOR ?@'%'`, [`${name}_clone`]);
    expect(JSON.stringify(grants)).toContain('SELECT ON `test`.*');
  });
});
