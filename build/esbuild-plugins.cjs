// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`). See README "Bundle size".
const fs = require('node:fs');
const path = require('node:path');

const KEEP_WHITELIST = new Set(['dynamodb', 'sqs', 'sns', 'lambda']);

const root = path.join(__dirname, '..');

/** @type {import('esbuild').Plugin} */
const lambdaSlim = {
  name: 'warden-lambda-slim',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(root, 'lib/runtime/lambdaCredentials.ts'),
    }));
    build.onResolve({ filter: /^semver$/ }, () => ({ path: path.join(root, 'build/semver-stub.cjs') }));
    // Reached only through a dynamic import() when an operation streams events; no warden call does. Left out
    // of the bundle (~15 KB), such a call would fail loudly with "Cannot find package".
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
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
