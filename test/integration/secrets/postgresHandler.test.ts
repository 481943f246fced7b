import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { STEPS } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { authPgAdmin, secretFor, suffix, testLogin } from './databases.js';
import { captureOutput, failingMasterRotation, rotationContext } from './support.js';

const sm = mockSecretsManager();
let admin: pg.Client;
let store: SecretStore;
const name = `wph_${suffix()}`;
const master = `wphm_${suffix()}`;
// Planted by this test: the server holds them, so every login below is checked against them.
const OLD_PASSWORD = `Pg-handler-old-${suffix()}`;
const MASTER_PASSWORD = `Pg-handler-master-${suffix()}`;
const WRONG_MASTER_PASSWORD = `Pg-handler-wrong-${suffix()}`;
const context = rotationContext;

beforeAll(async () => {
  admin = await authPgAdmin();
  await admin.query(`CREATE ROLE ${master} LOGIN CREATEROLE PASSWORD '${MASTER_PASSWORD}'`);
  await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${OLD_PASSWORD}'`);
  await admin.query(`GRANT ${name} TO ${master} WITH ADMIN OPTION`);
});

afterAll(async () => {
  for (const r of [`${name}_clone`, name, master]) {
    if ((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [r])).rowCount) {
      await admin.query(`DROP OWNED BY ${r} CASCADE`);
      await admin.query(`DROP ROLE ${r}`);
    }
  }
  await admin.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: handler (rotate-secret)', () => {
  it('runs a full alternating rotation from Secrets Manager events and prints no password', async () => {
    // Prepare
    vi.stubEnv('WARDEN_STAGE', 'dev');
    // A fresh logger at DEBUG (Powertools resets a changed level on every invocation).
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.resetModules();
    const { handler } = await import('../../../functions/rotate-secret.js');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: MASTER_PASSWORD }),
    });
    const arn = store.add({
      name: 'app',
      value: JSON.stringify(
        secretFor('postgres', { username: name, password: OLD_PASSWORD, masterarn: masterArn }),
      ),
    });
    const { output, restore } = captureOutput();
    // Act
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    const outcomes: string[] = [];
    const ownLogins: string[] = [];
    let failedPending = '';
    let pendingPassword = '';
    try {
      for (const step of STEPS) {
        const r = await handler({ Step: step, SecretId: arn, ClientRequestToken: token }, context);
        outcomes.push(r.outcome);
        // The test's own logins as the clone with its new password, after setSecret and after finishSecret.
        if (step === 'setSecret') {
          const pending = JSON.parse(store.value(arn, 'AWSPENDING') ?? '{}') as SecretValue;
          pendingPassword = pending.password;
          ownLogins.push(`set ${await testLogin(pending)}`);
        }
        if (step === 'finishSecret') {
          ownLogins.push(`finish ${await testLogin(JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}'))}`);
        }
      }
      // A failing rotation (wrong master password) is logged once by the error boundary, with its causes.
      const failing = await failingMasterRotation(
        store,
        arn,
        { username: master, wrongPassword: WRONG_MASTER_PASSWORD },
        handler,
      );
      failedPending = failing.pendingPassword;
      await expect(
        handler(
          { Step: 'setSecret', SecretId: failing.secretId, ClientRequestToken: failing.token },
          context,
        ),
      ).rejects.toThrow('authentication failed (28P01)');
      // A MySQL secret names the wrong rotation function: said before any login.
      const mysqlArn = store.add({
        name: 'my',
        value: JSON.stringify(secretFor('mysql', { username: name, password: OLD_PASSWORD })),
      });
      const { VersionId: t3 } = await store.rotate({ SecretId: mysqlArn });
      await handler({ Step: 'createSecret', SecretId: mysqlArn, ClientRequestToken: t3 }, context);
      await expect(
        handler({ Step: 'setSecret', SecretId: mysqlArn, ClientRequestToken: t3 }, context),
      ).rejects.toThrow('this function rotates postgres secrets');
    } finally {
      restore();
      vi.unstubAllEnvs();
    }
    // Assess
    const current = JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}') as SecretValue;
    expect(outcomes).toEqual(['created', 'set', 'tested', 'finished']);
    expect(ownLogins).toEqual([`set ${name}_clone`, `finish ${name}_clone`]);
    expect(current.password).toBe(pendingPassword);
    expect(await testLogin({ username: name, password: OLD_PASSWORD })).toBe(name); // the previous user still works
    const logs = output.join('');
    expect(logs).toContain(`"secretArn":"${arn}"`);
    expect(logs).toContain(`"versionId":"${token}"`);
    expect(logs).toContain('"step":"finishSecret"');
    expect(logs).toContain('"message":"rotation step failed"');
    expect(failedPending.length).toBe(32);
    expect(pendingPassword.length).toBe(32);
    for (const secret of [
      OLD_PASSWORD,
      MASTER_PASSWORD,
      WRONG_MASTER_PASSWORD,
      failedPending,
      pendingPassword,
    ])
      expect(logs).not.toContain(secret);
  });
});
