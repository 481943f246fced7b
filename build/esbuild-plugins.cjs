// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`). See README "Bundle size".
const path = require('node:path');

const root = path.join(__dirname, '..');

/** @type {import('esbuild').Plugin} */
const lambdaSlim = {
  name: 'warden-lambda-slim',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(root, 'lib/runtime/lambdaCredentials.ts'),
    }));
    build.onResolve({ filter: /^semver$/ }, () => ({ path: path.join(root, 'build/semver-stub.cjs') }));
  },
};

module.exports = [lambdaSlim];
