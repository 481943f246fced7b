import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation, type SqlClient } from '../../../lib/backup/drill/validate.js';
import { NOW } from '../../unit/backup/fixtures.js';

const TABLE = 'warden_validate_events';

async function pgClient(): Promise<SqlClient> {
  const c = new pg.Client({ connectionString: process.env.TEST_PG_URL });
  await c.connect();
  return c;
}

async function mysqlClient(): Promise<SqlClient> {
  const c = await mysql.createConnection(process.env.TEST_MYSQL_URL as string);
  return {
    query: async (sql) => {
      const [rows] = await c.query(sql);
      return { rows: rows as Record<string, unknown>[] };
    },
    end: () => c.end(),
  };
}

const dbs = [
  ['postgres', pgClient, `CREATE TABLE ${TABLE} (id serial PRIMARY KEY, "Updated" timestamptz)`] as const,
  [
    'mysql',
    mysqlClient,
    `CREATE TABLE ${TABLE} (id int AUTO_INCREMENT PRIMARY KEY, Updated datetime(3))`,
  ] as const,
];

describe.each(dbs)('Function: runValidation on %s', (dialect, open, ddl) => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await open();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await db.query(ddl);
  });
  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await db.end();
  });

  it('fails freshness on an empty table and passes a zero floor', async () => {
    // Act
    const out = await runValidation(
      db,
      [
        { kind: 'freshness', table: TABLE, column: 'Updated' },
        { kind: 'rowCount', table: TABLE, min: 0 },
      ],
      NOW,
      24,
      dialect,
    );
    // Assess
    expect(out.map((o) => [o.passed, o.reason])).toEqual([
      [false, 'no rows with a timestamp'],
      [true, '0 rows >= 0'],
    ]);
  });

  it('reads a mixed-case column through quoting and compares with the RPO', async () => {
    // Prepare
    const at = new Date(NOW.getTime() - 30 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
    await db.query(
      `INSERT INTO ${TABLE} (${dialect === 'mysql' ? 'Updated' : '"Updated"'}) VALUES ('${at}')`,
    );
    // Act
    const [fresh] = await runValidation(
      db,
      [{ kind: 'freshness', table: TABLE, column: 'Updated' }],
      NOW,
      24,
      dialect,
    );
    // Assess
    expect(fresh).toMatchObject({ passed: false, reason: 'newest row 30 h old, over 24 h' });
  });
});
