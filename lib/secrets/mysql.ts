import { escape as sqlEscape } from 'sql-escaper';
import type { DbSession } from './database.js';
import type { EngineOps } from './engineOps.js';

const account = (user: string, host: string) => `${sqlEscape(user)}@${sqlEscape(host)}`;

/** The ways SHOW GRANTS writes an account: `u`@`h` (MariaDB, MySQL 8) and 'u'@'h' (MySQL 5.7). */
function granteeForms(user: string, host: string): string[] {
  const bt = (s: string) => `\`${s.replace(/`/g, '``')}\``;
  const sq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [`${bt(user)}@${bt(host)}`, `${sq(user)}@${sq(host)}`];
}

const PASSWORD_CLAUSE = / IDENTIFIED (BY PASSWORD|VIA \S+ USING|WITH \S+ AS) '[^']*'/g;

/** Grant statements of an account with the account replaced by `replacement` and password hashes removed. */
async function grantsOf(
  session: DbSession,
  user: string,
  host: string,
  replacement: string,
): Promise<string[]> {
  const rows = await session.query(`SHOW GRANTS FOR ${account(user, host)}`);
  const forms = granteeForms(user, host);
  return rows.map((row) => {
    const line = String(Object.values(row)[0]).replace(PASSWORD_CLAUSE, '');
    const form = forms.find((f) => line.includes(f));
    if (!form)
      throw new Error(
        `cannot find the grantee in a grant of ${JSON.stringify(user)}@${JSON.stringify(host)}`,
      );
    return line.split(form).join(replacement);
  });
}

async function hostsOf(session: DbSession, user: string): Promise<string[]> {
  const rows = await session.query("SELECT Host AS host FROM mysql.user WHERE User = ? AND Host <> ''", [
    user,
  ]);
  return rows.map((r) => String(r.host));
}

async function requireHosts(session: DbSession, user: string): Promise<string[]> {
  const hosts = await hostsOf(session, user);
  if (hosts.length === 0) throw new Error(`user ${JSON.stringify(user)} does not exist`);
  return hosts;
}

/**
 * MySQL and MariaDB. Tables have no owner there: privileges are grants, so the clone gets a copy of every grant,
 * role and default role of the base user, host by host, and objects either creates are usable by both.
 */
export const mysqlOps: EngineOps = {
  async ping(session) {
    await session.query('SELECT 1');
  },

  async setPassword(session, username, password, asSelf) {
    if (asSelf) {
      // Changing one's own password needs no privilege with SET PASSWORD; MariaDB wants PASSWORD(), MySQL 8 has none.
      const [row] = await session.query('SELECT VERSION() AS v');
      const value = /mariadb/i.test(String(row?.v))
        ? `PASSWORD(${sqlEscape(password)})`
        : sqlEscape(password);
      await session.query(`SET PASSWORD = ${value}`, undefined, { secrets: [password] });
      return;
    }
    for (const host of await requireHosts(session, username)) {
      await session.query(
        `ALTER USER ${account(username, host)} IDENTIFIED BY ${sqlEscape(password)}`,
        undefined,
        {
          secrets: [password],
        },
      );
    }
  },

  async ensureClone(session, base, clone, password) {
    const existing = new Set(await hostsOf(session, clone));
    for (const host of await requireHosts(session, base)) {
      if (!existing.has(host)) {
        await session.query(
          `CREATE USER IF NOT EXISTS ${account(clone, host)} IDENTIFIED BY ${sqlEscape(password)}`,
          undefined,
          {
            secrets: [password],
          },
        );
      }
      for (const grant of await grantsOf(session, base, host, account(clone, host))) {
        if (/^GRANT PROXY /i.test(grant)) continue;
        await session.query(grant);
      }
    }
  },

  async missingPrivileges(session, from, to) {
    const missing: string[] = [];
    const toHosts = new Set(await hostsOf(session, to));
    for (const host of await requireHosts(session, from)) {
      if (!toHosts.has(host)) {
        missing.push(`account ${JSON.stringify(to)}@${JSON.stringify(host)}`);
        continue;
      }
      const have = new Set(await grantsOf(session, to, host, '<user>'));
      for (const g of await grantsOf(session, from, host, '<user>')) if (!have.has(g)) missing.push(g);
    }
    return missing;
  },
};
