import mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connect } from '../../../lib/secrets/database.js';
import { withSession } from '../../../lib/secrets/database.js';
import { connectMysql } from '../../../lib/secrets/drivers.js';
import { rotateSecretStep, STEPS } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { canLogin, userLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { mysqlAdmin, mysqlUrl, secretFor, suffix } from './databases.js';
import { captureLogger, fullRotation, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let admin: mysql.Connection;
const users: string[] = [];
const masterName = `wm_${suffix()}`;
const masterPassword = `M${suffix()}x!9`;
let store: SecretStore;
// MariaDB enforces passwords itself: the real driver is the login check.
const connect: Connect = connectMysql;

async function makeUser(name: string, password: string): Promise<void> {
  users.push(name, `${name}_clone`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`CREATE TABLE ${name}.orders (id int)`);
  await admin.query(`CREATE USER '${name}'@'%' IDENTIFIED BY '${password}'`);
  await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON ${name}.* TO '${name}'@'%'`);
  await admin.query(`CREATE ROLE ${name}_reader`);
  await admin.query(`GRANT SELECT ON mysql.db TO ${name}_reader`);
  await admin.query(`GRANT ${name}_reader TO '${name}'@'%'`);
  // As on RDS, where the master creates roles and so holds them WITH ADMIN OPTION.
  await admin.query(`GRANT ${name}_reader TO '${masterName}'@'%' WITH ADMIN OPTION`);
}

const current = (arn: string) => JSON.parse(store.value(arn, 'AWSCURRENT') ?? 'null') as SecretValue;
const previous = (arn: string) => JSON.parse(store.value(arn, 'AWSPREVIOUS') ?? 'null') as SecretValue;
const pending = (arn: string) => JSON.parse(store.value(arn, 'AWSPENDING') ?? 'null') as SecretValue;
const works = (value: SecretValue) => canLogin(connect, userLogin(value));

/** The test's own login (mysql2 directly, not the code under test): the session's user, or the error code. */
async function testLogin(value: SecretValue): Promise<string> {
  const u = mysqlUrl();
  try {
    const c = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: value.username,
      password: value.password,
    });
    const [rows] = await c.query('SELECT SUBSTRING_INDEX(USER(), "@", 1) AS who');
    await c.end();
    return (rows as { who: string }[])[0]?.who ?? '';
  } catch (err) {
    return `refused ${(err as { code?: string }).code}`;
  }
}

function addSecret(value: SecretValue): string {
  return store.add({ name: `db/${value.username}`, value: JSON.stringify(value) });
}
function addMaster(): string {
  return store.add({
    name: 'master',
    value: JSON.stringify({ username: masterName, password: masterPassword }),
  });
}

beforeAll(async () => {
  admin = await mysqlAdmin();
  await admin.query(`CREATE USER '${masterName}'@'%' IDENTIFIED BY '${masterPassword}'`);
  await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${masterName}'@'%' WITH GRANT OPTION`);
});

afterAll(async () => {
  for (const u of users) await admin.query(`DROP USER IF EXISTS '${u}'@'%'`);
  for (const u of users.filter((x) => !x.endsWith('_clone'))) {
    await admin.query(`DROP DATABASE IF EXISTS ${u}`);
    await admin.query(`DROP ROLE IF EXISTS ${u}_reader`);
  }
  await admin.query(`DROP USER IF EXISTS '${masterName}'@'%'`);
  await admin.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: rotateSecretStep (MariaDB, single user)', () => {
  it('rotates the password with a login check after every step', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Initial-pass1');
    const arn = addSecret(secretFor('mysql', { username: name, password: 'Initial-pass1', dbname: name }));
    const logger = captureLogger();
    const checks: string[] = [];
    // Act
    await fullRotation(store, rotationDeps(sm.client, connect, logger), arn, async (step) => {
      const live = step === 'setSecret' || step === 'testSecret' ? pending(arn) : current(arn);
      checks.push(`${step}:${await works(live)}`);
    });
    // Assess
    expect(checks).toEqual(['createSecret:true', 'setSecret:true', 'testSecret:true', 'finishSecret:true']);
    expect(await works({ ...current(arn), password: 'Initial-pass1' })).toBe(false);
    expect(logger.lines.join('\n')).not.toContain(current(arn).password);
    expect(logger.lines.join('\n')).not.toContain('Initial-pass1');
  });
});

describe('Function: rotateSecretStep (MariaDB, alternating users)', () => {
  it('alternates between the user and its clone with the same grants and roles', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Base-pass1');
    const arn = addSecret(
      secretFor('mysql', { username: name, password: 'Base-pass1', dbname: name, masterarn: addMaster() }),
    );
    const deps = rotationDeps(sm.client, connect, captureLogger());
    const checks: boolean[] = [];
    const ownLogins: string[] = [];
    const check = async (step: string) => {
      checks.push(await works(current(arn)));
      // The test's own logins: the pending user with its new password once set, the new current one once finished.
      if (step === 'setSecret') ownLogins.push(`set ${await testLogin(pending(arn))}`);
      if (step === 'finishSecret') ownLogins.push(`finish ${await testLogin(current(arn))}`);
    };
    // Act
    await fullRotation(store, deps, arn, check);
    await withSession(connect, userLogin(current(arn)), async (s) => {
      await s.query(`CREATE TABLE ${name}.made_by_clone (id int)`);
      await s.query(`INSERT INTO ${name}.made_by_clone VALUES (1)`);
    });
    await fullRotation(store, deps, arn, check);
    // Assess
    expect(checks).toEqual(Array(8).fill(true));
    expect(ownLogins).toEqual([`set ${name}_clone`, `finish ${name}_clone`, `set ${name}`, `finish ${name}`]);
    expect(await testLogin({ ...current(arn), password: 'Base-pass1' })).toBe(
      'refused ER_ACCESS_DENIED_ERROR',
    );
    expect(current(arn).username).toBe(name);
    expect(await works(previous(arn))).toBe(true);
    const rows = await withSession(connect, userLogin(current(arn)), async (s) => {
      await s.query(`INSERT INTO ${name}.made_by_clone VALUES (2)`);
      return s.query(`SELECT count(*) AS n FROM ${name}.made_by_clone`);
    });
    expect(Number(rows[0]?.n)).toBe(2);
    const [grants] = await admin.query(`SHOW GRANTS FOR '${name}_clone'@'%'`);
    expect(JSON.stringify(grants)).toContain(`${name}_reader`);
  });

  it('fails testSecret when the pending user lacks a grant of the current user', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Gap-pass1');
    const arn = addSecret(
      secretFor('mysql', { username: name, password: 'Gap-pass1', dbname: name, masterarn: addMaster() }),
    );
    const deps = rotationDeps(sm.client, connect, captureLogger());
    await fullRotation(store, deps, arn);
    await admin.query(`GRANT SELECT ON mysql.db TO '${name}_clone'@'%'`);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token });
    // Act
    const result = rotateSecretStep(deps, { step: 'testSecret', secretId: arn, token });
    // Assess
    await expect(result).rejects.toThrow(
      `"${name}" lacks 1 privilege(s) of "${name}_clone": GRANT SELECT ON \`mysql\`.\`db\` TO <user>`,
    );
    const failed = withSession(connect, userLogin(current(arn)), (s) =>
      s.query('SELECT * FROM no_such_table'),
    );
    await expect(failed).rejects.toThrow(`mysql statement failed as "${name}_clone" (ER_NO_SUCH_TABLE)`);
  });

  it('gives the same state when every step runs twice', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Twice-pass1');
    const arn = addSecret(
      secretFor('mysql', { username: name, password: 'Twice-pass1', dbname: name, masterarn: addMaster() }),
    );
    const deps = rotationDeps(sm.client, connect, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    const dbState = async () =>
      (
        await admin.query(
          'SELECT User, Host, authentication_string FROM mysql.user WHERE User LIKE ? ORDER BY 1',
          [`${name}%`],
        )
      )[0];
    const differences: string[] = [];
    // Act
    for (const step of STEPS) {
      await rotateSecretStep(deps, { step, secretId: arn, token });
      const once = JSON.stringify({ sm: store.snapshot(arn), db: await dbState() });
      await rotateSecretStep(deps, { step, secretId: arn, token });
      if (once !== JSON.stringify({ sm: store.snapshot(arn), db: await dbState() })) differences.push(step);
    }
    // Assess
    expect(differences).toEqual([]);
    expect(await works(current(arn))).toBe(true);
  });

  it('converges when a rotation crashes between setSecret and finishSecret and is retried', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Crash-pass1');
    const arn = addSecret(secretFor('mysql', { username: name, password: 'Crash-pass1', dbname: name }));
    const deps = rotationDeps(sm.client, connect, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token });
    // Act: Secrets Manager retries the whole rotation with the same token.
    for (const step of STEPS) await rotateSecretStep(deps, { step, secretId: arn, token });
    // Assess
    expect(await works(current(arn))).toBe(true);
    expect(await works({ ...current(arn), password: 'Crash-pass1' })).toBe(false);
    expect(store.snapshot(arn)[token]?.stages).toEqual(['AWSCURRENT']);
  });

  it('runs 20 rotations of different users in parallel without interference', async () => {
    // Prepare
    const masterArn = addMaster();
    const names = Array.from({ length: 20 }, () => `w_${suffix()}`);
    for (const name of names) await makeUser(name, 'Parallel-pass1');
    const arns = names.map((name, i) =>
      addSecret(
        secretFor('mysql', {
          username: name,
          password: 'Parallel-pass1',
          dbname: name,
          ...(i % 2 ? { masterarn: masterArn } : {}),
        }),
      ),
    );
    const deps = rotationDeps(sm.client, connect, captureLogger());
    // Act
    await Promise.all(arns.map((arn) => fullRotation(store, deps, arn)));
    // Assess
    expect(await Promise.all(arns.map((arn) => works(current(arn))))).toEqual(Array(20).fill(true));
  });
});
