import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withSession } from '../../../lib/secrets/database.js';
import { connectPostgres } from '../../../lib/secrets/drivers.js';
import { postgresOps, scramVerifier } from '../../../lib/secrets/postgres.js';
import { FAILURE_TAG, rotateSecretStep, STEPS } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { canLogin, userLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { authPgAdmin, scramMatches, secretFor, suffix, testLogin } from './databases.js';
import { captureLogger, fullRotation, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let admin: pg.Client;
const created: string[] = [];
const masterName = `wm_${suffix()}`;
const masterPassword = `M${suffix()}x!9`;
let store: SecretStore;

async function makeUser(name: string, password: string): Promise<void> {
  created.push(name);
  await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
  await admin.query(`CREATE SCHEMA ${name} AUTHORIZATION ${name}`);
  await admin.query(`CREATE TABLE ${name}.orders (id int)`);
  await admin.query(`ALTER TABLE ${name}.orders OWNER TO ${name}`);
  await admin.query(`CREATE ROLE ${name}_reader`);
  created.push(`${name}_reader`);
  await admin.query(`CREATE TABLE public.${name}_ref (id int)`);
  await admin.query(`GRANT SELECT ON public.${name}_ref TO ${name}_reader`);
  await admin.query(`GRANT ${name}_reader TO ${name}`);
  // As on RDS, where the master creates the roles: PostgreSQL 16+ lets CREATEROLE act only with ADMIN OPTION.
  await admin.query(`GRANT ${name}, ${name}_reader TO ${masterName} WITH ADMIN OPTION`);
}

function addSecret(value: SecretValue): string {
  return store.add({ name: `db/${value.username}`, value: JSON.stringify(value) });
}

const current = (arn: string) => JSON.parse(store.value(arn, 'AWSCURRENT') ?? 'null') as SecretValue;
const previous = (arn: string) => JSON.parse(store.value(arn, 'AWSPREVIOUS') ?? 'null') as SecretValue;
const pending = (arn: string) => JSON.parse(store.value(arn, 'AWSPENDING') ?? 'null') as SecretValue;

/** Logs in through the code under test; the server checks the password (scram-sha-256) and requires TLS. */
async function works(value: SecretValue): Promise<boolean> {
  return canLogin(connectPostgres, userLogin(value));
}

beforeAll(async () => {
  admin = await authPgAdmin();
  await admin.query(`CREATE ROLE ${masterName} LOGIN CREATEROLE PASSWORD '${masterPassword}'`);
});

afterAll(async () => {
  for (const name of [...created].reverse()) {
    for (const role of [`${name}_clone`, name]) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount) {
        await admin.query(`DROP OWNED BY ${role} CASCADE`);
        await admin.query(`DROP ROLE ${role}`);
      }
    }
    await admin.query(`DROP TABLE IF EXISTS public.${name}_ref`);
  }
  await admin.query(`DROP ROLE IF EXISTS ${masterName}`);
  await admin.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: scramMatches (test oracle)', () => {
  it('accepts the right password and rejects a wrong one against a verifier the server made', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Right-pass1');
    // Act
    const { rows } = await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [name]);
    // Assess
    expect(scramMatches(rows[0].rolpassword, 'Right-pass1')).toBe(true);
    expect(scramMatches(rows[0].rolpassword, 'Right-pass2')).toBe(false);
    expect(scramMatches(scramVerifier('abc'), 'abc')).toBe(true);
  });
});

describe('Function: rotateSecretStep (PostgreSQL, single user)', () => {
  it('rotates the password with a login check after every step', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Initial-pass1');
    const arn = addSecret(secretFor('postgres', { username: name, password: 'Initial-pass1' }));
    const logger = captureLogger();
    const deps = rotationDeps(sm.client, connectPostgres, logger);
    const checks: string[] = [];
    // Act
    await fullRotation(store, deps, arn, async (step) => {
      // Single user: between setSecret and finishSecret the live password is AWSPENDING's (AWS's documented window).
      const live = step === 'setSecret' || step === 'testSecret' ? pending(arn) : current(arn);
      checks.push(`${step}:${await works(live)}`);
    });
    // Assess
    expect(checks).toEqual(['createSecret:true', 'setSecret:true', 'testSecret:true', 'finishSecret:true']);
    expect(current(arn).password).not.toBe('Initial-pass1');
    expect(await works({ ...current(arn), password: 'Initial-pass1' })).toBe(false);
    expect(previous(arn).password).toBe('Initial-pass1');
    const all = logger.lines.join('\n');
    expect(all).not.toContain('Initial-pass1');
    expect(all).not.toContain(current(arn).password);
    expect(logger.lines.filter((l) => l.includes('"outcome"'))).toHaveLength(4);
  });

  it('falls back to the master secret when the current password no longer works', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Drifted-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: masterName, password: masterPassword }),
    });
    const arn = addSecret(
      secretFor('postgres', {
        username: name,
        password: 'Not-the-real-one1',
        masterarn: masterArn,
        strategy: 'single',
      }),
    );
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    // Act
    await fullRotation(store, deps, arn);
    // Assess
    expect(await works(current(arn))).toBe(true);
  });
});

describe('Function: rotateSecretStep (PostgreSQL, fallbacks)', () => {
  it('logs in with AWSPREVIOUS when the current password was reset to the previous one', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'First-pass1');
    const arn = addSecret(secretFor('postgres', { username: name, password: 'First-pass1' }));
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    await fullRotation(store, deps, arn);
    await admin.query(`ALTER ROLE ${name} PASSWORD 'First-pass1'`);
    // Act
    await fullRotation(store, deps, arn);
    // Assess
    expect(await works(current(arn))).toBe(true);
  });

  it('sets a non-ASCII password as a literal the server hashes itself', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Ascii-pass1');
    // Act
    await withSession(
      connectPostgres,
      userLogin(secretFor('postgres', { username: name, password: 'Ascii-pass1' })),
      (s) => postgresOps.setPassword(s, name, 'Pässwörd-ü1', true),
    );
    // Assess
    expect(await works(secretFor('postgres', { username: name, password: 'Pässwörd-ü1' }))).toBe(true);
    expect(await works(secretFor('postgres', { username: name, password: 'Ascii-pass1' }))).toBe(false);
  });
});

describe('Function: rotateSecretStep (PostgreSQL, alternating users)', () => {
  it('alternates between the user and its clone, both keep working, objects stay shared', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Base-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: masterName, password: masterPassword }),
    });
    const arn = addSecret(
      secretFor('postgres', { username: name, password: 'Base-pass1', masterarn: masterArn }),
    );
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    const checks: boolean[] = [];
    const ownLogins: string[] = [];
    const check = async (step: string) => {
      checks.push(await works(current(arn)));
      // The test's own logins: the pending user with its new password once set, the new current one once finished.
      if (step === 'setSecret') ownLogins.push(`set ${await testLogin(pending(arn))}`);
      if (step === 'finishSecret') ownLogins.push(`finish ${await testLogin(current(arn))}`);
    };
    const oldPassword = 'Base-pass1';
    // Act
    await fullRotation(store, deps, arn, check);
    const afterFirst = current(arn);
    const afterFirstPrevious = await testLogin(previous(arn));
    await withSession(connectPostgres, userLogin(afterFirst), async (s) => {
      await s.query(`CREATE TABLE ${name}.made_by_clone (id int)`);
      await s.query(`INSERT INTO ${name}.made_by_clone VALUES (1)`);
    });
    await fullRotation(store, deps, arn, check);
    // Assess
    expect(checks).toEqual(Array(8).fill(true));
    // The clone logs in with its new password after setSecret and after finishSecret; then the base user again.
    expect(ownLogins).toEqual([`set ${name}_clone`, `finish ${name}_clone`, `set ${name}`, `finish ${name}`]);
    expect(afterFirstPrevious).toBe(name); // the base user keeps its password until the next rotation
    expect(await testLogin({ ...current(arn), password: oldPassword })).toBe('refused 28P01');
    expect(afterFirst.username).toBe(`${name}_clone`);
    expect(current(arn).username).toBe(name);
    expect(previous(arn).username).toBe(`${name}_clone`);
    expect(await works(previous(arn))).toBe(true);
    const rows = await withSession(connectPostgres, userLogin(current(arn)), async (s) => {
      await s.query(`INSERT INTO ${name}.made_by_clone VALUES (2)`);
      await s.query(`INSERT INTO ${name}.orders VALUES (1)`);
      await s.query(`SELECT * FROM public.${name}_ref`);
      return s.query(`SELECT count(*)::int AS n FROM ${name}.made_by_clone`);
    });
    expect(rows[0]?.n).toBe(2);
    const cloneRows = await withSession(connectPostgres, userLogin(previous(arn)), (s) =>
      s.query(`SELECT count(*)::int AS n FROM ${name}.orders`),
    );
    expect(cloneRows[0]?.n).toBe(1);
  });

  it('fails testSecret when the pending user lacks a privilege of the current user', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Base-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: masterName, password: masterPassword }),
    });
    const arn = addSecret(
      secretFor('postgres', { username: name, password: 'Base-pass1', masterarn: masterArn }),
    );
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    await fullRotation(store, deps, arn);
    // The clone (now current) gets a table of its own that the base user cannot use.
    await admin.query(`CREATE TABLE public.${name}_private (id int)`);
    await admin.query(`ALTER TABLE public.${name}_private OWNER TO ${name}_clone`);
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token });
    // Act
    const result = rotateSecretStep(deps, { step: 'testSecret', secretId: arn, token });
    // Assess
    await expect(result).rejects.toThrow(
      `lacks 7 privilege(s) of "${name}_clone": table public.${name}_private DELETE`,
    );
    expect(current(arn).username).toBe(`${name}_clone`);
    expect(await works(current(arn))).toBe(true);
  });
});

describe('Function: rotateSecretStep (PostgreSQL, retries)', () => {
  it('converges when a rotation crashes between setSecret and finishSecret and is retried', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Crash-pass1');
    const arn = addSecret(secretFor('postgres', { username: name, password: 'Crash-pass1' }));
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    await rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token });
    store.find(arn).tags.push({ Key: FAILURE_TAG, Value: 'network testSecret 2026-11-26T09:00:00.000Z' });
    // Act: Secrets Manager retries the whole rotation with the same token.
    for (const step of STEPS) await rotateSecretStep(deps, { step, secretId: arn, token });
    // Assess
    expect(await works(current(arn))).toBe(true);
    expect(store.snapshot(arn)[token]?.stages).toEqual(['AWSCURRENT']);
    expect(store.find(arn).tags).toEqual([]);
  });

  it('leaves the same state when every step runs twice', async () => {
    // Prepare
    const name = `w_${suffix()}`;
    await makeUser(name, 'Twice-pass1');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: masterName, password: masterPassword }),
    });
    const arn = addSecret(
      secretFor('postgres', { username: name, password: 'Twice-pass1', masterarn: masterArn }),
    );
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    const dbState = async () =>
      (
        await admin.query(
          `SELECT a.rolname, a.rolpassword, r.rolconfig FROM pg_authid a JOIN pg_roles r USING (rolname) WHERE a. rolname LIKE $1 ORDER BY 1`,
          [`${name}%`],
        )
      ).rows;
    const differences: string[] = [];
    // Act
    for (const step of STEPS) {
      await rotateSecretStep(deps, { step, secretId: arn, token });
      const once = { sm: store.snapshot(arn), db: await dbState() };
      const second = await rotateSecretStep(deps, { step, secretId: arn, token });
      const twice = { sm: store.snapshot(arn), db: await dbState() };
      if (JSON.stringify(once) !== JSON.stringify(twice)) differences.push(step);
      expect(second.outcome).toMatch(/reused|already-set|tested|already-current/);
    }
    // Assess
    expect(differences).toEqual([]);
    expect(await works(current(arn))).toBe(true);
  });

  it('runs 20 rotations of different users in parallel without interference', async () => {
    // Prepare
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: masterName, password: masterPassword }),
    });
    const names = Array.from({ length: 20 }, () => `w_${suffix()}`);
    for (const name of names) await makeUser(name, 'Parallel-pass1');
    const arns = names.map((name, i) =>
      addSecret(
        secretFor('postgres', {
          username: name,
          password: 'Parallel-pass1',
          ...(i % 2 ? { masterarn: masterArn } : {}),
        }),
      ),
    );
    const deps = rotationDeps(sm.client, connectPostgres, captureLogger());
    // Act
    await Promise.all(arns.map((arn) => fullRotation(store, deps, arn)));
    // Assess
    const results = await Promise.all(arns.map((arn) => works(current(arn))));
    expect(results).toEqual(Array(20).fill(true));
    expect(new Set(arns.map((arn) => current(arn).password)).size).toBe(20);
  });
});
