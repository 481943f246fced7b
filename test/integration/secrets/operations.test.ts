import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMysql } from '../../../lib/secrets/drivers.js';
import { healSecret, type OperationDeps, rotateSecretNow } from '../../../lib/secrets/operations.js';
import { rollbackSecret } from '../../../lib/secrets/rollback.js';
import { FAILURE_TAG, rotateSecretStep } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { canLogin, userLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { authPgAdmin, connectEither, mysqlAdmin, secretFor, suffix } from './databases.js';
import { captureLogger, fullRotation, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let pgA: pg.Client;
let myA: mysql.Connection;
let store: SecretStore;
const pgRoles: string[] = [];
const myUsers: string[] = [];
const master = `wom_${suffix()}`;

const value = (arn: string, stage: string) => JSON.parse(store.value(arn, stage) ?? 'null') as SecretValue;
const opDeps = (connect = connectEither): OperationDeps => ({
  sm: sm.client,
  connect,
  target: { account: '111111111111', region: 'eu-west-1' },
  now: () => new Date('2026-11-26T10:00:00Z'),
  logger: captureLogger(),
});

async function pgUser(password: string): Promise<string> {
  const name = `wo_${suffix()}`;
  pgRoles.push(name);
  await pgA.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
  // As on RDS, where the master creates the roles: PostgreSQL 16+ lets CREATEROLE act only with ADMIN OPTION.
  await pgA.query(`GRANT ${name} TO ${master} WITH ADMIN OPTION`);
  return name;
}

beforeAll(async () => {
  pgA = await authPgAdmin();
  myA = await mysqlAdmin();
  pgRoles.push(master);
  await pgA.query(`CREATE ROLE ${master} LOGIN CREATEROLE PASSWORD 'Master-pass1'`);
  myUsers.push(master);
  await myA.query(`CREATE USER ?@'%' IDENTIFIED BY 'Master-pass1'`, [master]);
  await myA.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [master]);
});

afterAll(async () => {
  for (const r of [...pgRoles].reverse()) {
    for (const role of [`${r}_clone`, r]) {
      if ((await pgA.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount) {
        await pgA.query(`DROP OWNED BY ${role} CASCADE`);
        await pgA.query(`DROP ROLE ${role}`);
      }
    }
  }
  for (const u of myUsers)
    for (const x of [u, `${u}_clone`]) await myA.query(`DROP USER IF EXISTS ?@'%'`, [x]);
  await pgA.end();
  await myA.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: healSecret', () => {
  it('clears the AWSPENDING a failed rotation left, after a dry-run, so the next rotation succeeds', async () => {
    // Prepare
    const name = await pgUser('Heal-pass1');
    const badMaster = store.add({
      name: 'bad-master',
      value: JSON.stringify({ username: master, password: 'Wrong-pass1' }),
    });
    const arn = store.add({
      name: 'heal',
      value: JSON.stringify(
        secretFor('postgres', { username: name, password: 'Heal-pass1', masterarn: badMaster }),
      ),
    });
    const deps = rotationDeps(sm.client, connectEither, captureLogger());
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    await rotateSecretStep(deps, { step: 'createSecret', secretId: arn, token });
    await expect(rotateSecretStep(deps, { step: 'setSecret', secretId: arn, token })).rejects.toThrow(
      'authentication failed',
    );
    expect(store.find(arn).tags.find((t) => t.Key === FAILURE_TAG)?.Value).toMatch(
      /^authentication setSecret 2026-11-26T10:00:00/,
    );
    await expect(store.rotate({ SecretId: arn })).rejects.toThrow("A previous rotation isn't complete");
    // Act
    const planned = await healSecret(opDeps(), arn, false);
    const stateAfterDryRun = store.snapshot(arn);
    const healed = await healSecret(opDeps(), arn, true);
    const again = await healSecret(opDeps(), arn, true);
    // Assess
    expect(planned.outcome).toBe('planned');
    expect(planned.finding.action?.result).toBe('planned');
    expect(stateAfterDryRun[token]?.stages).toEqual(['AWSPENDING']);
    expect(healed.outcome).toBe('done');
    expect(again.outcome).toBe('nothing-to-do');
    expect(store.find(arn).tags.some((t) => t.Key === FAILURE_TAG)).toBe(false);
    expect([...store.find(arn).versions.values()].some((v) => v.stages.has('AWSPENDING'))).toBe(false);
    const fixed = store.add({
      name: 'good-master',
      value: JSON.stringify({ username: master, password: 'Master-pass1' }),
    });
    store.find(arn).versions.forEach((v) => {
      if (v.stages.has('AWSCURRENT'))
        v.value = JSON.stringify({ ...value(arn, 'AWSCURRENT'), masterarn: fixed });
    });
    await fullRotation(store, deps, arn);
    expect(await canLogin(connectEither, userLogin(value(arn, 'AWSCURRENT')))).toBe(true);
  });

  it('refuses to heal when the current credentials no longer log in', async () => {
    // Prepare
    const name = await pgUser('Real-pass1');
    const arn = store.add({
      name: 'h',
      value: JSON.stringify(secretFor('postgres', { username: name, password: 'Stale-pass1' })),
    });
    await store.rotate({ SecretId: arn });
    // Act
    const r = await healSecret(opDeps(), arn, true);
    // Assess
    expect(r.outcome).toBe('refused');
    expect(Object.values(store.snapshot(arn)).some((v) => v.stages.includes('AWSPENDING'))).toBe(true);
  });
});

describe('Function: rollbackSecret', () => {
  it('moves AWSCURRENT back and re-applies the previous password (PostgreSQL, single user)', async () => {
    // Prepare
    const name = await pgUser('Before-pass1');
    const arn = store.add({
      name: 'rb',
      value: JSON.stringify(secretFor('postgres', { username: name, password: 'Before-pass1' })),
    });
    const logger = captureLogger();
    await fullRotation(store, rotationDeps(sm.client, connectEither, logger), arn);
    const rotated = value(arn, 'AWSCURRENT');
    // Act
    const planned = await rollbackSecret(opDeps(), arn, false);
    const untouched =
      value(arn, 'AWSCURRENT').password === rotated.password &&
      (await canLogin(connectEither, userLogin(rotated)));
    const done = await rollbackSecret(opDeps(), arn, true);
    // Assess
    expect(planned.outcome).toBe('planned');
    expect(planned.finding.action?.detail?.passwordReapplied).toBe(true);
    expect(untouched).toBe(true);
    expect(done.outcome).toBe('done');
    expect(value(arn, 'AWSCURRENT').password).toBe('Before-pass1');
    expect(value(arn, 'AWSPREVIOUS').password).toBe(rotated.password);
    expect(await canLogin(connectEither, userLogin(value(arn, 'AWSCURRENT')))).toBe(true);
    expect(JSON.stringify([planned, done, logger.lines])).not.toContain('Before-pass1');
    expect(JSON.stringify([planned, done])).not.toContain(rotated.password);
  });

  it('switches back to the previous user without touching the database (MariaDB, alternating)', async () => {
    // Prepare
    const name = `wo_${suffix()}`;
    myUsers.push(name);
    await myA.query(`CREATE USER ?@'%' IDENTIFIED BY 'Alt-pass1'`, [name]);
    const masterArn = store.add({
      name: 'm',
      value: JSON.stringify({ username: master, password: 'Master-pass1' }),
    });
    const arn = store.add({
      name: 'rb2',
      value: JSON.stringify(
        secretFor('mysql', {
          username: name,
          password: 'Alt-pass1',
          masterarn: masterArn,
          dbname: undefined,
        }),
      ),
    });
    await fullRotation(store, rotationDeps(sm.client, connectMysql, captureLogger()), arn);
    // Act
    const done = await rollbackSecret(opDeps(connectMysql), arn, true);
    // Assess
    expect(done.finding.action?.detail?.passwordReapplied).toBe(false);
    expect(value(arn, 'AWSCURRENT').username).toBe(name);
    expect(await canLogin(connectMysql, userLogin(value(arn, 'AWSCURRENT')))).toBe(true);
    expect(await canLogin(connectMysql, userLogin(value(arn, 'AWSPREVIOUS')))).toBe(true);
  });

  it('refuses when there is no previous version', async () => {
    // Prepare
    const arn = store.add({
      name: 'new',
      value: JSON.stringify(secretFor('postgres', { username: 'x', password: 'y' })),
    });
    const pending = store.add({
      name: 'pending',
      value: JSON.stringify(secretFor('postgres', { username: 'x', password: 'y' })),
    });
    await store.rotate({ SecretId: pending });
    // Act
    const r = await rollbackSecret(opDeps(), arn, true);
    const p = await rollbackSecret(opDeps(), pending, true);
    // Assess
    expect(r.outcome).toBe('refused');
    expect(p.finding.title).toBe('A rotation of pending is pending: heal or finish it before a rollback');
  });
});

describe('Function: rotateSecretNow', () => {
  it('plans in dry-run and starts a rotation with --apply', async () => {
    // Prepare
    const arn = store.add({
      name: 'r',
      value: JSON.stringify(secretFor('postgres', { username: 'x', password: 'y' })),
    });
    // Act
    const planned = await rotateSecretNow(opDeps(), arn, false);
    const pendingAfterPlan = Object.values(store.snapshot(arn)).some((v) => v.stages.includes('AWSPENDING'));
    const started = await rotateSecretNow(opDeps(), arn, true);
    const refused = await rotateSecretNow(opDeps(), arn, true);
    // Assess
    expect([planned.outcome, started.outcome, refused.outcome]).toEqual(['planned', 'done', 'refused']);
    expect(pendingAfterPlan).toBe(false);
  });
});
