import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientPool } from '../../../lib/aws/clients.js';
import { secretCommand } from '../../../lib/cli/secret.js';
import type { CliContext } from '../../../lib/cli/types.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { rollbackSecret } from '../../../lib/secrets/rollback.js';
import type { SecretValue } from '../../../lib/secrets/secretValue.js';
import { everything, plantedPassword } from '../../support/leaks.js';
import { mockSecretsManager, SecretStore } from '../../unit/secrets/fakeSecretsManager.js';
import { authPgAdmin, connectEither, mysqlAdmin, secretFor, suffix } from './databases.js';
import { captureLogger, fullRotation, rotationDeps } from './support.js';

const sm = mockSecretsManager();
let pgA: pg.Client;
let myA: mysql.Connection;
let store: SecretStore;
const pgRoles: string[] = [];
const myUsers: string[] = [];
const NOW = new Date('2026-11-26T10:00:00Z');
const target = { account: '111111111111', region: 'eu-west-1' };

const value = (arn: string, stage: string) => JSON.parse(store.value(arn, stage) ?? 'null') as SecretValue;

/** A secret whose user logs in with the planted password, then rotated once: returns both passwords. */
async function rotated(engine: 'postgres' | 'mysql') {
  const planted = plantedPassword(engine);
  const name = `wl_${suffix()}`;
  if (engine === 'postgres') {
    pgRoles.push(name);
    await pgA.query(`CREATE ROLE ${name} LOGIN PASSWORD '${planted}'`);
  } else {
    myUsers.push(name);
    await myA.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [name, planted]);
  }
  const fields = { username: name, password: planted, ...(engine === 'mysql' ? { dbname: undefined } : {}) };
  const arn = store.add({ name: `leak/${name}`, value: JSON.stringify(secretFor(engine, fields)) });
  await fullRotation(store, rotationDeps(sm.client, connectEither, captureLogger()), arn);
  return { arn, name, planted, current: value(arn, 'AWSCURRENT').password };
}

beforeAll(async () => {
  pgA = await authPgAdmin();
  myA = await mysqlAdmin();
});

afterAll(async () => {
  for (const r of pgRoles) await pgA.query(`DROP ROLE IF EXISTS ${r}`);
  for (const u of myUsers) await myA.query(`DROP USER IF EXISTS ?@'%'`, [u]);
  await pgA.end();
  await myA.end();
});

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.clock = () => NOW;
  store.install(sm.mock);
});

describe('Function: rollbackSecret (what it logs, returns and throws)', () => {
  it('never puts either password in its own log, its findings or its errors (PostgreSQL, re-applied)', async () => {
    // Prepare
    const { arn, name, planted, current } = await rotated('postgres');
    const logger = captureLogger();
    const deps = { sm: sm.client, connect: connectEither, target, now: () => NOW, logger };
    // Act
    const planned = await rollbackSecret(deps, arn, false);
    const done = await rollbackSecret(deps, arn, true);
    await pgA.query(`DROP ROLE ${name}`); // the next rollback cannot log in at all
    const failed = await rollbackSecret(deps, arn, true).catch((err: unknown) => err);
    // Assess
    expect(done.outcome).toBe('done');
    expect(done.finding.action?.detail?.passwordReapplied).toBe(true);
    expect(failed).toBeInstanceOf(Error);
    expect(logger.lines.length).toBeGreaterThanOrEqual(2);
    const output = everything([logger.lines, planned, done, failed]);
    expect(output).not.toContain(planted);
    expect(output).not.toContain(current);
  });
});

describe('Command: warden secret rollback (stdout, stderr and findings)', () => {
  beforeEach(() => {
    vi.stubEnv('WARDEN_DEBUG', '1'); // the CLI logger prints its info and debug lines too
  });
  afterEach(() => vi.unstubAllEnvs());

  function context(apply: boolean, json: boolean) {
    const lines: string[] = [];
    const published: Finding[] = [];
    const ctx: CliContext = {
      io: {
        out: (l) => lines.push(`out ${l}`),
        err: (l) => lines.push(`err ${l}`),
        progress: (l) => lines.push(`progress ${l}`),
      },
      json,
      apply,
      config: () => {
        throw new Error('not needed');
      },
      pool: () => ({ for: () => ({ target, get: () => sm.client }) }) as unknown as ClientPool,
      target: async () => target,
      publish: async (f) => {
        published.push(...f);
      },
      now: () => NOW,
    };
    return { ctx, lines, published };
  }

  it('prints and publishes neither password, planned, done or failed (MariaDB, re-applied)', async () => {
    // Prepare
    const { arn, name, planted, current } = await rotated('mysql');
    const runs = [context(false, false), context(true, true), context(true, false)];
    // Act
    const planned = await secretCommand.run(['rollback', arn], runs[0]!.ctx);
    const done = await secretCommand.run(['rollback', arn], runs[1]!.ctx);
    await myA.query(`DROP USER ?@'%'`, [name]);
    const failed = await secretCommand.run(['rollback', arn], runs[2]!.ctx).catch((err: unknown) => err);
    // Assess
    expect([planned, done]).toEqual([0, 0]);
    expect(failed).toBeInstanceOf(Error);
    expect(runs[1]!.lines.join('\n')).toContain('"passwordReapplied":true');
    expect(runs.flatMap((r) => r.lines).some((l) => l.startsWith('err info secret rollback'))).toBe(true);
    const output = everything([runs.map((r) => [r.lines, r.published]), failed]);
    expect(output).not.toContain(planted);
    expect(output).not.toContain(current);
  });
});
