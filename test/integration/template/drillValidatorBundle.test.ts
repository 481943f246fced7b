import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillMessageSchema, drillSettingsSchema } from '../../../lib/backup/drill/messages.js';
import { readZip } from '../../../lib/cli/zip.js';
import { packagedDir } from './packageTemplate.js';

/**
 * The packaged drillValidatePostgres bundle run as Lambda runs it (LAMBDA_TASK_ROOT, a trace header, the X-Ray
 * daemon address): it reads the login secret from Secrets Manager (a local endpoint through AWS_ENDPOINT_URL),
 * validates the local PostgreSQL standing in for the restored instance, and traces the call to X-Ray.
 */
// The restored instance: the PostgreSQL that checks passwords and requires TLS (test/globalSetup.ts).
const url = new URL(process.env.TEST_PGAUTH_URL as string);
const TABLE = `warden_validator_probe_${process.pid}`;
// The validator's login: a role of the test's own with a password the test planted; the server checks it.
const DRILL_USER = `wvalidator_${process.pid}`;
const SECRET_PASSWORD = `Validator-S3cret-${randomBytes(4).toString('hex')}-do-not-log`;
const admin = () =>
  new pg.Client({
    connectionString: url.href,
    ssl: { ca: readFileSync(process.env.TEST_PGAUTH_CA as string, 'utf8') },
  });
let work: string;
let bundle: string;
let secrets: Server;
const secretCalls: string[] = [];

/** The drill in both requests: the same database at its validate step. */
const DRILL = {
  drillId: 'orders-202611261200',
  step: 'validate',
  target: { account: '111111111111', region: 'eu-west-1' },
  dbId: 'orders',
  tempId: 'wd-orders-202611261200',
  startedAt: '2026-11-26T12:00:00.000Z',
  stepStartedAt: '2026-11-26T12:20:00.000Z',
  stepAttempts: 0,
};
const SETTINGS = { subnetGroup: 'warden-drills', securityGroupIds: ['sg-0123456789abcdef0'] };

/** What every run gets: the local Secrets Manager endpoint, static credentials, region and stage. */
const baseEnv = () => ({
  PATH: process.env.PATH ?? '',
  AWS_ENDPOINT_URL: `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_REGION: 'eu-west-1',
  WARDEN_STAGE: 'dev',
});

function runBundle(env: Record<string, string>, event: unknown): Promise<{ code: number; out: string }> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const context = { awsRequestId: 'req-1', functionName: 'warden-dev-drillValidatePostgres', functionVersion: '1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:warden-dev-drillValidatePostgres:live',
      memoryLimitInMB: '512', getRemainingTimeInMillis: () => 60000 };
    const out = await handler(${JSON.stringify(event)}, context);
    process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n');`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('Bundle: drillValidatePostgres in Lambda mode', () => {
  beforeAll(async () => {
    const dir = await packagedDir('dev');
    work = mkdtempSync(join(tmpdir(), 'warden-validator-bundle-'));
    for (const [name, data] of readZip(join(dir, 'drillValidatePostgres.zip'))) {
      if (name.endsWith('.mjs')) {
        bundle = join(work, 'validator.mjs');
        writeFileSync(bundle, data);
      }
    }
    const db = admin();
    await db.connect();
    await db.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id int)`);
    await db.query(`TRUNCATE ${TABLE}; INSERT INTO ${TABLE} VALUES (1), (2), (3)`);
    await db.query(`DROP ROLE IF EXISTS ${DRILL_USER}`);
    await db.query(`CREATE ROLE ${DRILL_USER} LOGIN PASSWORD '${SECRET_PASSWORD}'`);
    await db.query(`GRANT SELECT ON ${TABLE} TO ${DRILL_USER}`);
    await db.end();
    secrets = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        secretCalls.push(`${req.headers['x-amz-target']} ${body}`);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify({
            ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-db-AbCdEf',
            SecretString: JSON.stringify({ username: DRILL_USER, password: SECRET_PASSWORD }),
          }),
        );
      });
    });
    await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', r));
  }, 300_000);
  afterAll(async () => {
    secrets?.close();
    const db = admin();
    await db.connect();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await db.query(`DROP ROLE IF EXISTS ${DRILL_USER}`);
    await db.end();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('validates the database with the secret, answers with the outcomes, traces the call, logs no password', async () => {
    // Prepare
    const udp = createSocket('udp4');
    const segments: string[] = [];
    udp.on('message', (m) => segments.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const daemon = `127.0.0.1:${(udp.address() as AddressInfo).port}`;
    const message = v.parse(drillMessageSchema, {
      ...DRILL,
      settings: SETTINGS,
      validation: {
        database: url.pathname.slice(1),
        secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-db-AbCdEf',
        checks: [
          { kind: 'rowCount', table: TABLE, min: 2 },
          { kind: 'rowCount', table: 'no_such_table_here', min: 1 },
        ],
      },
      dryRun: false,
      endpoint: { host: url.hostname, port: Number(url.port || 5432) },
      dialect: 'postgres',
    });
    const env = {
      LAMBDA_TASK_ROOT: work,
      AWS_LAMBDA_FUNCTION_NAME: 'warden-dev-drillValidatePostgres',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      AWS_XRAY_DAEMON_ADDRESS: daemon,
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      ...baseEnv(),
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      // As functions/backup.yml gives the validator the RDS CA bundle: here, the CA of the test server.
      NODE_EXTRA_CA_CERTS: process.env.TEST_PGAUTH_CA as string,
    };
    // Act
    const run = await runBundle(env, { message, now: '2026-11-26T12:30:00.000Z' });
    await new Promise((r) => setTimeout(r, 200));
    udp.close();
    // Assess
    expect(run.code, run.out.slice(-2000)).toBe(0);
    const result = JSON.parse(run.out.split('RESULT ')[1]?.split('\n')[0] ?? 'null') as {
      outcomes: { check: string; passed: boolean; reason: string }[];
    };
    expect(result.outcomes.map((o) => [o.check, o.passed])).toEqual([
      [`rowCount ${TABLE}`, true],
      ['rowCount no_such_table_here', false],
    ]);
    expect(secretCalls).toHaveLength(1);
    expect(secretCalls[0]).toContain('secretsmanager.GetSecretValue');
    const subsegments = segments.join('\n');
    expect(subsegments).toContain('"name":"SecretsManager"');
    expect(subsegments).toContain('"operation":"GetSecretValue"');
    expect(run.out).not.toContain(SECRET_PASSWORD);
  }, 60_000);

  it('refuses a MySQL request: it validates PostgreSQL only', async () => {
    // Prepare: a request for the other dialect must fail before any secret is read
    const before = secretCalls.length;
    const env = {
      ...baseEnv(),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    const message = {
      ...DRILL,
      settings: v.parse(drillSettingsSchema, SETTINGS),
      validation: { database: 'orders', tls: false, checks: [{ kind: 'rowCount', table: 't', min: 1 }] },
      dryRun: false,
      endpoint: { host: '127.0.0.1', port: 3306 },
      dialect: 'mysql',
    };
    // Act
    const run = await runBundle(env, { message, now: '2026-11-26T12:30:00.000Z' });
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.out).toContain('message.dialect');
    expect(secretCalls.length).toBe(before);
  }, 60_000);
});
