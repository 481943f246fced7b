// The AWS SDK in the Lambda bundles: what Lambda never uses stays out, each replacement failing loudly if reached.
const fs = require('node:fs');
const path = require('node:path');
const { root, at, redirect } = require('./common.cjs');

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
    if (/client-securityhub/.test(args.path)) source = withoutResourceDetails(source);
    return { contents: source, loader: 'js' };
  };
}

/**
 * Security Hub's ASFF `Resource.Details` holds one schema per AWS resource type (~100 KB minified), all reachable
 * from BatchImportFindings' input. warden never sends `Details` (lib/notify/asff.ts), so the struct keeps no
 * members and the resource-type schemas are tree-shaken; a `Details` given anyway would not be serialised, which
 * no bundle test would see, so test/unit/notify/asff.test.ts asserts warden sends none.
 */
function withoutResourceDetails(source) {
  const block =
    /^export var ResourceDetails\$ = \[3, (\w+), (\w+),\n {4}0,\n {4}\[[^\n]*\],\n {4}\[[^\n]*\]\n\];$/m;
  if (!block.test(source)) throw new Error('@aws-sdk/client-securityhub changed: ResourceDetails$ not found');
  return source.replace(block, 'export var ResourceDetails$ = [3, $1, $2,\n    0,\n    [],\n    []\n];');
}

/** @param {import('esbuild').PluginBuild} build */
module.exports = function awsSdk(build) {
  build.onLoad(
    { filter: /@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ },
    pruneSdkErrors(importedSdkNames()),
  );
  // Lambda passes credentials in the environment: no SSO, INI or process providers.
  build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () =>
    at('lib/runtime/lambdaCredentials.ts'),
  );
  // The event-stream codec, for operations that stream events, which no warden call does. Reached through a
  // dynamic import(), it stays out of the bundle (a call would fail with "Cannot find package"); the Lambda client
  // (InvokeWithResponseStream) and S3 (SelectObjectContent) import it statically and get the resolver it runs at construction and a
  // marshaller that throws.
  build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => {
    if (args.kind === 'dynamic-import') return { path: args.path, external: true };
    return /[\\/]client-(?:lambda|s3)[\\/]/.test(args.importer)
      ? at('build/event-streams-stub.mjs')
      : undefined;
  });
  // A client imports its package.json for the version in its user agent, and the X-Ray SDK for its name and version
  // in the segments: the rest of each file (scripts, dependencies, ~2 KB a client) stays out.
  build.onLoad({ filter: /(?:@aws-sdk[\\/][^\\/]+|aws-xray-sdk-core)[\\/]package\.json$/ }, async (args) => {
    const { name, version } = JSON.parse(await fs.promises.readFile(args.path, 'utf8'));
    return { contents: JSON.stringify({ name, version }), loader: 'json' };
  });
  // DynamoDB's endpoint-discovery cache: a Map-based LRU instead of mnemonist's.
  redirect(build, /^mnemonist\/lru-cache$/, /[\\/]endpoint-cache[\\/]/, 'build/lru-map.cjs');
};
