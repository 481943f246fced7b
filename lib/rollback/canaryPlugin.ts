import * as v from 'valibot';
import { coercedNumber, record, strictObject } from '../schemas.js';
import { parseWith } from '../validation.js';
import { addCanaryDeployments, type Template } from './canaryTemplate.js';

/** `custom.wardenCanary` in serverless.yml (stage params arrive as strings, hence the coercion). */
export const canaryConfigSchema = strictObject({
  enabled: v.optional(v.union([v.boolean(), v.picklist(['true', 'false'])]), true),
  alias: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z][\w-]{0,127}$/)), 'live'),
  deploymentConfig: v.optional(
    v.pipe(v.string(), v.regex(/^[\w.-]{1,100}$/)),
    'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  ),
  errorRatePercent: v.optional(v.pipe(coercedNumber, v.minValue(0), v.maxValue(100)), 2),
  p95DurationMs: v.optional(v.pipe(coercedNumber, v.minValue(1)), 500),
  p95DurationMsByFunction: v.optional(record(v.pipe(coercedNumber, v.minValue(1)))),
});

interface ServerlessLike {
  service: { custom?: Record<string, unknown>; provider: { compiledCloudFormationTemplate: Template } };
  cli?: { log?: (message: string) => void };
}

export const CANARY_HOOK = 'after:aws:package:finalize:mergeCustomProviderResources';

/**
 * Serverless plugin (loaded through plugins/warden-canary.mjs): after the compiled template has all resources,
 * puts every function behind the CodeDeploy-shifted alias and re-points its triggers (see canaryTemplate.ts).
 */
export class WardenCanaryPlugin {
  readonly hooks: Record<string, () => Promise<void>>;
  constructor(serverless: ServerlessLike) {
    this.hooks = {
      [CANARY_HOOK]: async () => {
        const raw = serverless.service.custom?.wardenCanary ?? {};
        const { enabled, ...settings } = parseWith(canaryConfigSchema, raw, 'custom.wardenCanary');
        if (enabled === false || enabled === 'false') return;
        const covered = addCanaryDeployments(
          serverless.service.provider.compiledCloudFormationTemplate,
          settings,
        );
        serverless.cli?.log?.(
          `warden-canary: ${covered.length} functions behind alias ${settings.alias} (${settings.deploymentConfig})`,
        );
      },
    };
  }
}
