/**
 * PostgreSQL quoting, as pg's escapeIdentifier / escapeLiteral do it, without importing the pg client (so the
 * MySQL rotation bundle carries no PostgreSQL driver).
 */
export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  const quoted = `'${s.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  // An E'' string so that the doubled backslashes mean one backslash whatever standard_conforming_strings says.
  return s.includes('\\') ? ` E${quoted}` : quoted;
}
