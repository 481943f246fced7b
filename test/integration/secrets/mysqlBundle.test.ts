import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connect } from '../../../lib/secrets/database.js';

/**
 * The MySQL driver as it runs in Lambda: bundled with build/esbuild-plugins.cjs, which replaces parts of mysql2
 * (charsets, error names, server, pools, binary parsers) to fit the bundle budget. Proves the slimmed driver still
 * logs in, runs statements, changes a password and reports an authentication failure, against the real MariaDB.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const url = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const base = {
  engine: 'mysql' as const,
  host: url.hostname,
  port: Number(url.port || 3306),
  dbname: url.pathname.slice(1),
  tls: 'off' as const,
};
const user = `bundle_${process.pid}`;
let dir: string;
let connect: Connect;

describe('Bundle: MySQL driver with the Lambda build plugins', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warden-mysql-bundle-'));
    const plugins = createRequire(import.meta.url)(join(root, 'build/esbuild-plugins.cjs')) as Plugin[];
    await build({
      entryPoints: [join(root, 'lib/secrets/driverMysql.ts')],
      outfile: join(dir, 'driver.mjs'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      plugins,
      logLevel: 'silent',
    });
    ({ connectMysql: connect } = (await import(pathToFileURL(join(dir, 'driver.mjs')).href)) as {
      connectMysql: Connect;
    });
    const admin = await connect({
      ...base,
      username: url.username || 'root',
      password: decodeURIComponent(url.password),
    });
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'first-Passw0rd'`);
    await admin.close();
  });
  afterAll(async () => {
    const admin = await connect({
      ...base,
      username: url.username || 'root',
      password: decodeURIComponent(url.password),
    });
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in, reads rows with UTF-8 text and changes the password', async () => {
    // Prepare
    const session = await connect({ ...base, dbname: undefined, username: user, password: 'first-Passw0rd' });
    // Act
    const rows = await session.query("SELECT CONCAT('ünïcödé ', ?) AS text, 42 AS n", ['✓']);
    await session.query('SET PASSWORD = PASSWORD(?)', ['second-Passw0rd'], {
      secrets: ['second-Passw0rd'],
    });
    await session.close();
    const again = await connect({ ...base, dbname: undefined, username: user, password: 'second-Passw0rd' });
    const who = await again.query('SELECT CURRENT_USER() AS me');
    await again.close();
    // Assess
    expect(rows).toEqual([{ text: 'ünïcödé ✓', n: 42 }]);
    expect(String(who[0]?.me)).toMatch(new RegExp(`^${user}@`));
  });

  it('reports a wrong password as an authentication failure with its MySQL error name', async () => {
    // Act
    const err = (await connect({
      ...base,
      dbname: undefined,
      username: user,
      password: 'wrong-password',
    }).catch((e: unknown) => e)) as Error & { kind?: string };
    // Assess
    expect(err.message).toContain('authentication failed (ER_ACCESS_DENIED_ERROR)');
    expect(err.message).not.toContain('wrong-password');
  });
});
