import { describeError } from '../../errors.js';
import type { CheckOutcome, ValidationCheck } from './messages.js';

/** The part of a SQL client the drill needs: pg.Client fits it. */
export interface SqlClient {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  /** True when the login went plaintext because the database offered no TLS (`tls: "prefer"`). */
  tlsFallback?: boolean;
}

export type Dialect = 'postgres' | 'mysql';

/** Identifiers were checked by the schema; quoting keeps reserved words and case intact. */
export function quoteIdent(name: string, dialect: Dialect = 'postgres'): string {
  const q = dialect === 'mysql' ? '`' : '"';
  return name
    .split('.')
    .map((part) => `${q}${part.replaceAll(q, q + q)}${q}`)
    .join('.');
}

/** postgres, aurora-postgresql -> postgres; mysql, mariadb, aurora-mysql -> mysql. */
export function dialectOf(engine: string | undefined): Dialect | undefined {
  if (!engine) return undefined;
  if (engine.includes('postgres')) return 'postgres';
  if (engine.includes('mysql') || engine.includes('mariadb')) return 'mysql';
  return undefined;
}

function asDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

async function runOne(
  db: SqlClient,
  c: ValidationCheck,
  now: Date,
  rpoHours: number,
  dialect: Dialect,
): Promise<CheckOutcome> {
  const name = c.kind === 'rowCount' ? `rowCount ${c.table}` : `freshness ${c.table}.${c.column}`;
  try {
    if (c.kind === 'rowCount') {
      const r = await db.query(`SELECT count(*) AS n FROM ${quoteIdent(c.table, dialect)}`);
      const n = Number(r.rows[0]?.n ?? 0);
      return n >= c.min
        ? { check: name, passed: true, reason: `${n} rows >= ${c.min}`, value: n }
        : { check: name, passed: false, reason: `${n} rows, below the floor of ${c.min}`, value: n };
    }
    const limit = c.maxAgeHours ?? rpoHours;
    const r = await db.query(
      `SELECT max(${quoteIdent(c.column, dialect)}) AS latest FROM ${quoteIdent(c.table, dialect)}`,
    );
    const latest = asDate(r.rows[0]?.latest);
    if (!latest) return { check: name, passed: false, reason: 'no rows with a timestamp', value: null };
    const age = Math.round(((now.getTime() - latest.getTime()) / 3_600_000) * 10) / 10;
    return age <= limit
      ? {
          check: name,
          passed: true,
          reason: `newest row ${age} h old (limit ${limit} h)`,
          value: latest.toISOString(),
        }
      : {
          check: name,
          passed: false,
          reason: `newest row ${age} h old, over ${limit} h`,
          value: latest.toISOString(),
        };
  } catch (err) {
    // A failing query fails its check; the message names the error, never connection details.
    return { check: name, passed: false, reason: `query failed: ${describeError(err)}`, value: null };
  }
}

/** Runs every validation query against the restored database; each check passes or fails on its own. */
export async function runValidation(
  db: SqlClient,
  checks: readonly ValidationCheck[],
  now: Date,
  rpoHours: number,
  dialect: Dialect = 'postgres',
): Promise<CheckOutcome[]> {
  const out: CheckOutcome[] = [];
  for (const c of checks) out.push(await runOne(db, c, now, rpoHours, dialect));
  return out;
}
