import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { EngineOps } from './engineOps.js';
import { quoteIdent, quoteLiteral } from './pgQuote.js';

const ident = quoteIdent;
const literal = quoteLiteral;

const SCRAM_ITERATIONS = 4096;

/**
 * A SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677). Sending the verifier instead of the password
 * keeps the cleartext out of the server's statement log (log_statement = ddl or all) and pg_stat_activity.
 * Only for printable ASCII, where PostgreSQL's SASLprep is the identity; other passwords are sent as literals.
 */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The PASSWORD clause, and what to mask should the statement fail. */
function passwordClause(password: string): { sql: string; secrets: string[] } {
  const value = /^[\x21-\x7e]+$/.test(password) ? scramVerifier(password) : password;
  return { sql: literal(value), secrets: [password, value] };
}

const PRIVILEGE_GAP = `
WITH rels AS (
  SELECT c.oid, c.relkind, format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
), schemas AS (
  SELECT oid, quote_ident(nspname) AS name FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
)
SELECT 'table ' || r.name || ' ' || p AS missing
  FROM rels r CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) v(p)
  WHERE r.relkind <> 'S' AND has_table_privilege($1, r.oid, p) AND NOT has_table_privilege($2, r.oid, p)
UNION ALL
SELECT 'sequence ' || r.name || ' ' || p
  FROM rels r CROSS JOIN (VALUES ('USAGE'), ('SELECT'), ('UPDATE')) v(p)
  WHERE r.relkind = 'S' AND has_sequence_privilege($1, r.oid, p) AND NOT has_sequence_privilege($2, r.oid, p)
UNION ALL
SELECT 'schema ' || s.name || ' ' || p
  FROM schemas s CROSS JOIN (VALUES ('USAGE'), ('CREATE')) v(p)
  WHERE has_schema_privilege($1, s.oid, p) AND NOT has_schema_privilege($2, s.oid, p)
UNION ALL
SELECT 'database ' || quote_ident(current_database()) || ' ' || p
  FROM (VALUES ('CONNECT'), ('CREATE'), ('TEMPORARY')) v(p)
  WHERE has_database_privilege($1, current_database(), p) AND NOT has_database_privilege($2, current_database(), p)
UNION ALL
SELECT 'role ' || quote_ident(r.rolname)
  FROM pg_roles r
  WHERE r.rolname NOT IN ($1, $2) AND pg_has_role($1, r.oid, 'MEMBER') AND NOT pg_has_role($2, r.oid, 'MEMBER')
ORDER BY 1`;

/**
 * PostgreSQL. Alternating users share one owner: the clone is a member of the base user and its sessions run as
 * the base user (`ALTER ROLE clone SET role`), so every object either user creates is owned by the base user and
 * stays usable by both, and the clone inherits all the base user's grants (and ownership privileges) by membership.
 */
export const postgresOps: EngineOps = {
  async ping(session) {
    await session.query('SELECT 1');
  },

  async setPassword(session, username, password) {
    const clause = passwordClause(password);
    await session.query(`ALTER ROLE ${ident(username)} WITH PASSWORD ${clause.sql}`, undefined, {
      secrets: clause.secrets,
    });
  },

  async ensureClone(session, base, clone, password) {
    const exists = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [clone]);
    if (exists.length === 0) {
      try {
        const clause = passwordClause(password);
        await session.query(`CREATE ROLE ${ident(clone)} WITH LOGIN PASSWORD ${clause.sql}`, undefined, {
          secrets: clause.secrets,
        });
      } catch (err) {
        // A concurrent attempt created it (duplicate_object): carry on, the rest is idempotent.
        if ((err as { code?: string }).code !== '42710') throw err;
      }
    }
    const memberships = await session.query(
      `SELECT r.rolname FROM pg_auth_members m
         JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE u.rolname = $1 AND r.rolname <> $2`,
      [base, clone],
    );
    for (const row of memberships)
      await session.query(`GRANT ${ident(String(row.rolname))} TO ${ident(clone)}`);
    await session.query(`GRANT ${ident(base)} TO ${ident(clone)}`);
    await session.query(`ALTER ROLE ${ident(clone)} SET role = ${literal(base)}`);
  },

  async missingPrivileges(session, from, to) {
    const rows = await session.query(PRIVILEGE_GAP, [from, to]);
    return rows.map((r) => String(r.missing));
  },
};
