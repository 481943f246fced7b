import { readFileSync } from 'node:fs';
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
import { authPgAdmin, authPgUrl, suffix } from '../secrets/databases.js';
import { captureLogger } from '../secrets/support.js';

// The restored instance is played by the PostgreSQL that checks passwords and requires TLS (test/globalSetup.ts).
const url = authPgUrl();
const endpoint = { host: url.hostname, port: Number(url.port) };
const ca = () => readFileSync(process.env.TEST_PGAUTH_CA as string, 'utf8');

/** The test's own connection to the endpoint the drill learnt (the superuser, TLS verified against the CA). */
const connect = async (ep: { host: string; port: number }): Promise<SqlClient> => {
  const client = new pg.Client({
    host: ep.host,
    port: ep.port,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    ssl: { ca: ca() },
  });
  await client.connect();
  return client;
};

const TABLE = 'warden_drill_orders';
// The drill's login: a role of the test's own, with a password the test planted (the server checks it).
const DRILL_USER = `wdrill_${suffix()}`;
const PLANTED = `Drill-planted-${suffix()}-pw`;
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
  const c = await authPgAdmin();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`CREATE TABLE ${TABLE} (id serial PRIMARY KEY, updated_at timestamptz NOT NULL)`);
  // 50 rows, the newest 2 h before the drill's clock
  await c.query(
    `INSERT INTO ${TABLE} (updated_at) SELECT $1::timestamptz - (g || ' hours')::interval FROM generate_series(2, 51) g`,
    [NOW.toISOString()],
  );
  await c.query(`CREATE ROLE ${DRILL_USER} LOGIN PASSWORD '${PLANTED}'`);
  await c.query(`GRANT SELECT ON ${TABLE} TO ${DRILL_USER}`);
  await c.end();
});

afterAll(async () => {
  const c = await authPgAdmin();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`DROP ROLE IF EXISTS ${DRILL_USER}`);
  await c.end();
});

/** Everything a drill run put out: its summary, findings, metrics and log lines. */
const allOutput = (summary: unknown, h: ReturnType<typeof drillHarness>, lines: string[]) =>
  JSON.stringify({ summary, published: h.published, metrics: h.metrics.recorded, lines });

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

  it('logs in with the secret over verified TLS and never puts its password in any output', async () => {
    // Prepare
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: DRILL_USER, password: PLANTED }) });
    const rds = drillRds(endpoint);
    const logger = captureLogger();
    const h = drillHarness(rds.api, secretLogin(pool, connectPostgres), NOW, logger);
    const msg = firstMessage([{ kind: 'rowCount', table: TABLE, min: 1 }]);
    msg.validation.database = url.pathname.slice(1);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(msg.validation.tls).toBe(true);
    expect(summary.passed).toBe(true);
    expect(smMock).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: msg.validation.secretArn,
      VersionStage: 'AWSCURRENT',
    });
    expect(allOutput(summary, h, logger.lines)).not.toContain(PLANTED);
  });

  it('reports a rejected login or a plaintext refusal as such, without the password in any output', async () => {
    // Prepare: a wrong password (planted, never the role's), then the right one in plaintext (the server needs TLS).
    const wrong = `Drill-wrong-${suffix()}-pw`;
    const runs: { reason: string; output: string; left: number }[] = [];
    // Act
    for (const [password, tls] of [
      [wrong, true],
      [PLANTED, false],
    ] as const) {
      smMock.reset();
      smMock
        .on(GetSecretValueCommand)
        .resolves({ SecretString: JSON.stringify({ username: DRILL_USER, password }) });
      const rds = drillRds(endpoint);
      const logger = captureLogger();
      const h = drillHarness(rds.api, secretLogin(pool, connectPostgres), NOW, logger);
      const msg = firstMessage([{ kind: 'rowCount', table: TABLE, min: 1 }]);
      msg.validation.database = url.pathname.slice(1);
      msg.validation.tls = tls;
      const summary = await runDrillInline(h.deps, msg, h.sleep);
      runs.push({
        reason: summary.reason,
        output: allOutput(summary, h, logger.lines),
        left: rds.instances.size,
      });
    }
    // Assess
    expect(runs[0]?.reason).toContain(`as "${DRILL_USER}": authentication failed (28P01)`);
    expect(runs[1]?.reason).toContain(
      `as "${DRILL_USER}": the server requires TLS, and the login was plaintext (28000)`,
    );
    for (const run of runs) {
      expect(run.left).toBe(0);
      expect(run.output).not.toContain(wrong);
      expect(run.output).not.toContain(PLANTED);
    }
  });

  it('fails the drill without leaking the secret when it is not valid JSON, and still cleans up', async () => {
    // Prepare
    smMock.on(GetSecretValueCommand).resolves({ SecretString: `password=${PLANTED}` });
    const rds = drillRds(endpoint);
    const logger = captureLogger();
    const h = drillHarness(rds.api, secretLogin(pool, connectPostgres), NOW, logger);
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
    expect(allOutput(summary, h, logger.lines)).not.toContain(PLANTED);
  });
});

describe('Function: runDrillInline (a restored database without TLS)', () => {
  const plain = new URL(process.env.TEST_PG_URL as string);
  const PLAIN_TABLE = `warden_drill_plain_${suffix()}`;
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: plain.href });
    await c.connect();
    await c.query(`CREATE TABLE ${PLAIN_TABLE} (id int)`);
    await c.query(`INSERT INTO ${PLAIN_TABLE} VALUES (1), (2)`);
    await c.query(`CREATE ROLE ${DRILL_USER} LOGIN PASSWORD '${PLANTED}'`);
    await c.query(`GRANT SELECT ON ${PLAIN_TABLE} TO ${DRILL_USER}`);
    await c.end();
  });
  afterAll(async () => {
    const c = new pg.Client({ connectionString: plain.href });
    await c.connect();
    await c.query(`DROP TABLE IF EXISTS ${PLAIN_TABLE}`);
    await c.query(`DROP ROLE IF EXISTS ${DRILL_USER}`);
    await c.end();
  });

  it('fails by default, and with tls "prefer" validates in plaintext and says so in the log and finding', async () => {
    // Prepare
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: DRILL_USER, password: PLANTED }) });
    const run = async (tls: true | 'prefer') => {
      const rds = drillRds({ host: plain.hostname, port: Number(plain.port || 5432) });
      const logger = captureLogger();
      const h = drillHarness(rds.api, secretLogin(pool, connectPostgres), NOW, logger);
      const msg = firstMessage([{ kind: 'rowCount', table: PLAIN_TABLE, min: 1 }]);
      msg.validation.database = plain.pathname.slice(1);
      msg.validation.tls = tls;
      const summary = await runDrillInline(h.deps, msg, h.sleep);
      return { summary, h, logger };
    };
    // Act
    const verified = await run(true);
    const prefer = await run('prefer');
    // Assess
    expect(verified.summary.passed).toBe(false);
    expect(verified.summary.reason).toContain(
      'the server offers no TLS and the login does not allow plaintext',
    );
    expect(verified.h.published[0]?.detail.tls).toBeUndefined();
    expect(prefer.summary.passed).toBe(true);
    expect(prefer.h.published[0]?.detail.tls).toBe(
      'plaintext: the restored database offered no TLS, and tls "prefer" allowed it',
    );
    expect(prefer.logger.lines.filter((l) => l.includes('"level":"warn"'))).toEqual([
      expect.stringContaining('drill validated in plaintext: the restored database offers no TLS'),
    ]);
    for (const r of [verified, prefer])
      expect(allOutput(r.summary, r.h, r.logger.lines)).not.toContain(PLANTED);
  });
});
