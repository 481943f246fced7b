// pg in the Lambda bundles (rotateSecret, drillValidatePostgres).
const { at, patch, redirect } = require('./common.cjs');

/** @param {import('esbuild').PluginBuild} build */
module.exports = function pg(build) {
  // pg asks at load whether it runs in a Cloudflare Worker; on Node 20 that question constructs a fetch Response,
  // which loads undici, http2, zlib, perf_hooks and worker_threads (~15 ms of every cold start). Lambda is Node.
  patch(
    build,
    /[\\/]pg[\\/]lib[\\/]stream\.js$/,
    'if (isCloudflareRuntime()) {',
    'if (false) {',
    'pg/lib/stream.js',
  );
  build.onResolve({ filter: /^pg-cloudflare$/ }, () => at('build/unsupported-stub.cjs'));
  // pg's bindings to libpq (`pg.native`) need the pg-native addon, which the bundles do not ship.
  redirect(build, /^\.\/native$/, /[\\/]pg[\\/]lib[\\/]index\.js$/, 'build/unsupported-stub.cjs');
};
