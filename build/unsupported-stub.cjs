// Stand-in for library parts the Lambda bundles never use (mysql2's server and pool clusters): calling one fails
// loudly instead of silently doing something else.
function unsupported() {
  throw new Error("not available in warden's Lambda bundle (build/esbuild-plugins.cjs)");
}
module.exports = unsupported;
module.exports.default = unsupported;
