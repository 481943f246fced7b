// X-Ray's centralized sampler (rule and target pollers against the daemon) for warden's Lambda bundles: Lambda
// decides sampling itself, and the SDK switches to its local sampler when it starts in Lambda. Any use fails loudly.
function unsupported() {
  throw new Error(
    "X-Ray centralized sampling is not available in warden's Lambda bundle (build/esbuild-plugins.cjs)",
  );
}
module.exports = {
  shouldSample: unsupported,
  setLocalRules: unsupported,
  setServiceName: unsupported,
  start: unsupported,
};
