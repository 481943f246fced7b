import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, type TestCertificates } from './testTls.js';

function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

// A throwaway server: nothing needs to survive a crash.
const FAST = ['--innodb-flush-method=nosync', '--innodb-doublewrite=0', '--innodb-flush-log-at-trx-commit=0'];

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('ready for connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mariadbd exited (${code}): ${log.slice(-2000)}`)));
  });
}

/**
 * Starts a MariaDB from the installed server binaries (data under `dir`, own port and socket) that requires TLS
 * (`require_secure_transport`) with the test certificate; its root has no password. Undefined when the machine has
 * no MariaDB server binaries (the databases run elsewhere): the tests that need it are then skipped.
 */
export async function startTlsMariadb(
  dir: string,
  certs: TestCertificates,
): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  const installDb = findBinary('mariadb-install-db');
  const server = findBinary('mariadbd');
  if (!installDb || !server) return undefined;
  const data = join(dir, 'data');
  mkdirSync(data);
  const user = process.getuid?.() === 0 ? 'root' : userInfo().username;
  execFileSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ].concat(`--user=${user}`, FAST),
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const child = spawn(
    server,
    [
      ...['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1'],
      ...[`--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, `--user=${user}`],
      ...[`--ssl-cert=${certs.certFile}`, `--ssl-key=${certs.keyFile}`, `--ssl-ca=${certs.caFile}`],
      ...['--require-secure-transport=ON', '--skip-log-bin', ...FAST],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await ready(child);
    const admin = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      ssl: { ca: readFileSync(certs.caFile, 'utf8') },
    });
    await admin.query('CREATE DATABASE test');
    await admin.end();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `mysql://root@127.0.0.1:${port}/test`, stop };
}
