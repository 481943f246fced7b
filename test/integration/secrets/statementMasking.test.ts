import { describe, expect, it } from 'vitest';
import type { DbLogin } from '../../../lib/secrets/database.js';
import { connectMysql, connectPostgres } from '../../../lib/secrets/drivers.js';
import { DatabaseError } from '../../../lib/secrets/errors.js';
import { everything, plantedPassword } from '../../support/leaks.js';
import { mysqlUrl, pgUrl } from './databases.js';

/** The local servers' administrator, plaintext (neither server is the TLS one). */
function adminLogin(engine: 'postgres' | 'mysql'): DbLogin {
  const u = engine === 'postgres' ? pgUrl() : mysqlUrl();
  return {
    engine,
    host: u.hostname,
    port: Number(u.port || (engine === 'postgres' ? 5432 : 3306)),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    dbname: u.pathname.slice(1) || undefined,
    tls: 'off',
  };
}

/** Runs a statement that fails with the planted password in the server's own error message. */
async function failing(engine: 'postgres' | 'mysql', sql: string, secrets: string[]): Promise<unknown> {
  const session = await (engine === 'postgres' ? connectPostgres : connectMysql)(adminLogin(engine));
  try {
    await session.query(sql, undefined, { secrets });
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await session.close();
  }
}

describe('Function: session.query with secrets (a failed statement carrying a password)', () => {
  it.each([
    // PostgreSQL quotes the bad value back: invalid input syntax for type integer: "<password>"
    ['postgres', (pw: string) => `SELECT '${pw}'::int`, /invalid input syntax for type integer: "\*\*\*"/],
    // MariaDB quotes the statement from the error on: ... near 'SELEC '<password>'' at line 1
    ['mysql', (pw: string) => `SELEC '${pw}'`, /near 'SELEC '\*\*\*''/],
  ] as const)(
    'masks the password in every part of the %s error and keeps the rest of the message',
    async (engine, statement, kept) => {
      // Prepare
      const password = plantedPassword(engine);
      // Act
      const err = await failing(engine, statement(password), [password]);
      // Assess
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).message).toMatch(kept);
      expect(everything(err)).not.toContain(password);
    },
  );

  it('is a real leak without the mask: the servers do put the password in their messages', async () => {
    // Prepare
    const pg = plantedPassword('postgres');
    const my = plantedPassword('mysql');
    // Act: no secrets declared, so nothing is masked
    const errors = [
      await failing('postgres', `SELECT '${pg}'::int`, []),
      await failing('mysql', `SELEC '${my}'`, []),
    ];
    // Assess
    expect(everything(errors[0])).toContain(pg);
    expect(everything(errors[1])).toContain(my);
  });
});
