import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectMysql } from '../../../lib/secrets/drivers.js';
import { STEPS } from '../../../lib/secrets/rotation.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { canLogin, userLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { mysqlAdmin, secretFor, suffix } from './databases.js';
import { captureOutput, failingMasterRotation, rotationContext } from './support.js';

const sm = mockSecretsManager();
let admin: mysql.Connection;
let store: SecretStore;
const name = `wh_${suffix()}`;
const master = `whm_${suffix()}`;
const context = rotationContext;

beforeAll(async () => {
  admin = await mysqlAdmin();
  await admin.query(`CREATE USER ?@'%' IDENTIFIED BY 'Handler-old-pass1'`, [name]);
  await admin.query(`GRANT SELECT ON test.* TO ?@'%'`, [name]);
  await admin.query(`CREATE USER ?@'%' IDENTIFIED BY 'Handler-master1'`, [master]);
  await admin.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION`, [master]);
});

afterAll(async () => {
  for (const u of [name, `${name}_clone`, master]) await admin.query(`DROP USER IF EXISTS ?@'%'`, [u]);
  await admin.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: handler (rotate-secret-mysql)', () => {
  it('runs a full rotation from Secrets Manager events and logs no password', async () => {
    // Prepare
    vi.stubEnv('WARDEN_STAGE', 'dev');
    // A fresh logger at DEBUG (Powertools resets a changed level on every invocation).
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.resetModules();
    const { handler } = await import('../../../functions/rotate-secret-mysql.js');
    const masterArn = store.add({
      name: 'master',
      value: JSON.stringify({ username: master, password: 'Handler-master1' }),
    });
    const arn = store.add({
      name: 'app',
      value: JSON.stringify(
        secretFor('mysql', { username: name, password: 'Handler-old-pass1', masterarn: masterArn }),
      ),
    });
    const { output, restore } = captureOutput();
    // Act
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    const outcomes: string[] = [];
    let failedPending = '';
    try {
      for (const step of STEPS) {
        const r = await handler({ Step: step, SecretId: arn, ClientRequestToken: token }, context);
        outcomes.push(r.outcome);
      }
      // A failing rotation (wrong master password) is logged once by the error boundary, with its causes.
      const failing = await failingMasterRotation(
        store,
        arn,
        { username: master, wrongPassword: 'Wrong-master-pass1' },
        handler,
      );
      failedPending = failing.pendingPassword;
      await expect(
        handler(
          { Step: 'setSecret', SecretId: failing.secretId, ClientRequestToken: failing.token },
          context,
        ),
      ).rejects.toThrow('authentication failed');
      // A malformed event fails validation before any call.
      await expect(
        handler({ Step: 'dropSecret', SecretId: arn, ClientRequestToken: token } as never, context),
      ).rejects.toThrow('Step');
    } finally {
      restore();
      vi.unstubAllEnvs();
    }
    // Assess
    const current = JSON.parse(store.value(arn, 'AWSCURRENT') ?? '{}') as SecretValue;
    expect(outcomes).toEqual(['created', 'set', 'tested', 'finished']);
    expect(await canLogin(connectMysql, userLogin(current))).toBe(true);
    const logs = output.join('');
    expect(logs).toContain(`"secretArn":"${arn}"`);
    expect(logs).toContain(`"versionId":"${token}"`);
    expect(logs).toContain('"step":"finishSecret"');
    expect(logs).toContain('"message":"rotation step failed"');
    expect(failedPending.length).toBe(32);
    for (const secret of [
      'Handler-old-pass1',
      'Handler-master1',
      'Wrong-master-pass1',
      failedPending,
      current.password,
    ])
      expect(logs).not.toContain(secret);
  });
});
