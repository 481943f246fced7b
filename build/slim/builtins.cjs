// Node's built-in modules in the Lambda bundles.
const { builtinModules } = require('node:module');

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * An ES `import` of a built-in module makes Node build that module's ESM facade, which reads every export once: for
 * `node:http` that includes its lazy WebSocket/EventSource getters, which load all of undici (~17 ms of every cold
 * start on Node 22, through @middy/util's `import { STATUS_CODES } from "node:http"`). The bundles are ESM with a
 * CommonJS `require` (the banner), so each such import becomes a `require` of the same module: same objects, no
 * facade, lazy getters left alone.
 * @param {import('esbuild').PluginBuild} build
 */
module.exports = function builtins(build) {
  build.onResolve({ filter: /^(node:)?[a-z][a-z0-9_/]*$/ }, (args) => {
    if (args.kind !== 'import-statement' || !BUILTINS.has(args.path)) return undefined;
    const path = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
    return { path, namespace: 'warden-builtin' };
  });
  build.onLoad({ filter: /.*/, namespace: 'warden-builtin' }, (args) => ({
    contents: `module.exports = require(${JSON.stringify(args.path)});`,
    loader: 'js',
  }));
};
