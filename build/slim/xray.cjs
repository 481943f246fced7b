// The X-Ray SDK under Powertools' tracer in the Lambda bundles: on Lambda, with SDK v3 clients, it needs neither
// centralized sampling (Lambda samples), the SDK v2 patcher, host plugins, nor promise and SQL helpers.
const fs = require('node:fs');
const { at, redirect } = require('./common.cjs');

/** Services whose request parameters X-Ray records: the ones warden calls (S3 and SageMaker were 7 KB). */
const KEEP_WHITELIST = new Set(['dynamodb', 'sqs', 'sns', 'lambda']);

/** @param {import('esbuild').PluginBuild} build */
module.exports = function xray(build) {
  const inXray = /aws-xray-sdk-core/;
  // semver serves only the AWS SDK v2 patcher.
  build.onResolve({ filter: /^semver$/ }, () => at('build/semver-stub.cjs'));
  redirect(build, /^\.\/sampling\/default_sampler$/, inXray, 'build/xray-sampler-stub.cjs');
  redirect(
    build,
    /^\.\.?\/(?:[\w]+\/)*(?:aws_p|promise_p|sql_data|ec2_plugin|ecs_plugin|elastic_beanstalk_plugin)$/,
    inXray,
    'build/unsupported-stub.cjs',
  );
  // cls-hooked (X-Ray's context) only calls assert.ok: no node:assert at every cold start.
  redirect(build, /^assert$/, /[\\/]cls-hooked[\\/]/, 'build/assert-ok.cjs');
  build.onLoad({ filter: /aws-xray-sdk-core[\\/].*aws_whitelist\.json$/ }, async (args) => {
    const whitelist = JSON.parse(await fs.promises.readFile(args.path, 'utf8'));
    for (const service of Object.keys(whitelist.services)) {
      if (!KEEP_WHITELIST.has(service)) delete whitelist.services[service];
    }
    return { contents: JSON.stringify(whitelist), loader: 'json' };
  });
};
