// The one function of node:assert that cls-hooked (X-Ray's context) calls, without loading node:assert and its
// error-formatting machinery at every cold start.
function ok(value, message) {
  if (!value) {
    const err = new Error(message ?? 'assertion failed');
    err.name = 'AssertionError';
    err.code = 'ERR_ASSERTION';
    throw err;
  }
}
module.exports = ok;
module.exports.ok = ok;
