// @middy/core in the Lambda bundles.
const { patch } = require('./common.cjs');

/** @param {import('esbuild').PluginBuild} build */
module.exports = function middy(build) {
  // node:stream/web serves streamed responses, which no warden handler returns: loaded on that path only (~1.5 ms).
  patch(
    build,
    /[\\/]@middy[\\/]core[\\/]index\.js$/,
    'import { ReadableStream } from "node:stream/web";\n',
    'const ReadableStream = { [Symbol.hasInstance]: (v) => v instanceof require("node:stream/web").ReadableStream };\n',
    '@middy/core',
  );
};
