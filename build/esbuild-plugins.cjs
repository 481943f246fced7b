// esbuild plugins for the Lambda bundles (serverless-esbuild `plugins`). See README "Bundle size": what Lambda never
// uses stays out of the bundles, each replacement failing loudly if it is ever reached.
const awsSdk = require('./slim/aws-sdk.cjs');
const xray = require('./slim/xray.cjs');
const mysql = require('./slim/mysql.cjs');
const pg = require('./slim/pg.cjs');
const builtins = require('./slim/builtins.cjs');

/** @type {import('esbuild').Plugin} */
const lambdaSlim = {
  name: 'warden-lambda-slim',
  setup(build) {
    for (const part of [awsSdk, xray, mysql, pg, builtins]) part(build);
  },
};

module.exports = [lambdaSlim];
