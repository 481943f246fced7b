import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { runDrillInline } from '../../../lib/backup/drill/runner.js';
import { secretLogin } from '../../../lib/backup/drill/secretLogin.js';
import type { SqlClient } from '../../../lib/backup/drill/validate.js';
import { connectPostgres } from '../../../lib/secrets/driverPostgres.js';
import { drillHarness, drillRds, firstMessage } from '../../unit/backup/drillFakes.js';
import { ACCOUNT, callsOf, NOW, REGION } from '../../unit/backup/fixtures.js';

const url = new URL(process.env.TEST_PG_URL as string);
const endpoint = { host: url.hostname, port: Number(url.port || 5432) };
const password = decodeURIComponent(url.password);

/** The local PostgreSQL stands in for the restored instance: connect to the endpoint the drill learnt. */
const connect = async (ep: { host: string; port: number }): Promise<SqlClient> => {
  const client = new pg.Client({
    host: ep.host,
    port: ep.port,
    user: decodeURIComponent(url.username),
    password,
    database: url.pathname.slice(1),
  });
  await client.connect();
  return client;
};

const TABLE = 'warden_drill_orders';
const smMock = mockClient(SecretsManagerClient);
const pool = new ClientPool({
  homeAccount: ACCOUNT,
  homeRegion: REGION,
  roleName: 'WardenExecutionRole',
  maxAttempts: 1,
});

beforeEach(() => {
  smMock.reset();
});

beforeAll(async () => {
  const c = new pg.Client({ connectionString: process.env.TEST_PG_URL });
  await c.connect();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`CREATE TABLE ${TABLE} (id serial PRIMARY KEY, updated_at timestamptz NOT NULL)`);
  // 50 rows, the newest 2 h before the drill's clock
  await c.query(
    `INSERT INTO ${TABLE} (updated_at) SELECT $1::timestamptz - (g || ' hours')::interval FROM generate_series(2, 51) g`,
    [NOW.toISOString()],
  );
  await c.end();
});

afterAll(async () => {
  const c = new pg.Client({ connectionString: process.env.TEST_PG_URL });
  await c.connect();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.end();
});

describe('Function: runDrillInline', () => {
  it('restores, validates against the database, records the RTO and deletes the instance', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, connect);
    const msg = firstMessage([
      { kind: 'rowCount', table: TABLE, min: 10 },
      { kind: 'freshness', table: TABLE, column: 'updated_at' },
    ]);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true, rtoTargetSeconds: 14_400 });
    expect(summary.rtoSeconds).toBe(600); // two polls of 300 s before it was available
    expect(callsOf(rds.calls, 'restoreInstance')[0]?.[0]).toMatchObject({
      snapshotId: 'rds:orders-2026-11-26-03-00',
      instanceClass: 'db.t4g.micro',
    });
    expect(callsOf(rds.calls, 'deleteInstance')).toEqual([[msg.tempId]]);
    expect(rds.instances.size).toBe(0);
    expect(h.metrics.recorded).toEqual([
      { name: 'RestoreDrillRtoSeconds', unit: 'Seconds', value: 600, dimensions: { dbIdentifier: 'orders' } },
      { name: 'RestoreDrillPassed', unit: 'Count', value: 1, dimensions: { dbIdentifier: 'orders' } },
    ]);
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({
      check: 'restore-drill',
      severity: 'info',
      action: { result: 'succeeded', detail: { deleted: true } },
    });
    expect(h.published[0]?.detail.checks).toEqual([
      'pass rowCount warden_drill_orders: 50 rows >= 10',
      expect.stringMatching(/^pass freshness/),
    ]);
  });

  it('still deletes the instance when validation fails, and reports the failure', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, connect);
    const msg = firstMessage([
      { kind: 'rowCount', table: TABLE, min: 1000 },
      { kind: 'freshness', table: TABLE, column: 'updated_at', maxAgeHours: 1 },
      { kind: 'rowCount', table: 'no_such_table', min: 1 },
    ]);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary.passed).toBe(false);
    expect(summary.reason).toContain('50 rows, below the floor of 1000');
    expect(summary.reason).toContain('over 1 h');
    expect(summary.reason).toContain('relation "no_such_table" does not exist');
    expect(rds.instances.size).toBe(0);
    expect(h.published[0]).toMatchObject({ severity: 'high', action: { result: 'failed' } });
    expect(h.metrics.recorded).toEqual([
      { name: 'RestoreDrillPassed', unit: 'Count', value: 0, dimensions: { dbIdentifier: 'orders' } },
    ]);
  });

  it('logs in with the secret and never puts its password in findings', async () => {
    // Prepare: the secret names the local database's user; trust or password auth both work
    const secret = 'S3cr3t-Pw-do-not-leak';
    smMock.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        username: decodeURIComponent(url.username),
        password: password || secret,
      }),
    });
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, secretLogin(pool, connectPostgres));
    const msg = firstMessage([{ kind: 'rowCount', table: TABLE, min: 1 }]);
    msg.validation.database = url.pathname.slice(1);
    msg.validation.tls = false; // the local server has no TLS; the default is true
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary.passed).toBe(true);
    expect(smMock).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: msg.validation.secretArn,
      VersionStage: 'AWSCURRENT',
    });
    expect(JSON.stringify(h.published)).not.toContain(secret);
  });

  it('fails the drill without leaking the secret when it is not valid JSON, and still cleans up', async () => {
    // Prepare
    smMock.on(GetSecretValueCommand).resolves({ SecretString: 'password=S3cr3t-Pw-do-not-leak' });
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, secretLogin(pool, connectPostgres));
    // Act
    const summary = await runDrillInline(
      h.deps,
      firstMessage([{ kind: 'rowCount', table: TABLE, min: 1 }]),
      h.sleep,
    );
    // Assess
    expect(summary.passed).toBe(false);
    expect(summary.reason).toContain('cannot connect to the restored database');
    expect(rds.instances.size).toBe(0);
    expect(JSON.stringify(h.published)).not.toContain('S3cr3t');
  });
});
