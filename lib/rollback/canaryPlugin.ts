import * as z from 'zod/mini';
import { parseWith } from '../validation.js';
import { addCanaryDeployments, type Template } from './canaryTemplate.js';

/** `custom.wardenCanary` in serverless.yml (stage params arrive as strings, hence the coercion). */
export const canaryConfigSchema = z.strictObject({
  enabled: z._default(z.union([z.boolean(), z.enum(['true', 'false'])]), true),
  alias: z._default(z.string().check(z.regex(/^[A-Za-z][\w-]{0,127}$/)), 'live'),
  deploymentConfig: z._default(
    z.string().check(z.regex(/^[\w.-]{1,100}$/)),
    'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  ),
  errorRatePercent: z._default(z.coerce.number().check(z.minimum(0), z.maximum(100)), 2),
  p95DurationMs: z._default(z.coerce.number().check(z.minimum(1)), 500),
  p95DurationMsByFunction: z.optional(z.record(z.string(), z.coerce.number().check(z.minimum(1)))),
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
