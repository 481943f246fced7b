import { GetParameterError, TransformParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import * as v from 'valibot';
import { describeError } from '../errors.js';
import { strictObject } from '../schemas.js';
import { toValidationIssues } from '../validation.js';

/** Kill switch and dry-run of one automation, as stored (JSON) at `<flagsPath>/<automation>`. */
export const flagDocumentSchema = strictObject({
  enabled: v.optional(v.boolean()),
  dryRun: v.optional(v.boolean()),
});

export interface Flags {
  enabled: boolean;
  dryRun: boolean;
  /** Where the values came from: the SSM document, the env defaults, or a safe fallback after a problem. */
  source: 'ssm' | 'default' | 'fallback';
  /** Why the fallback was used (never the parameter's raw value). */
  problem?: string;
}

export interface FlagReaderOptions {
  provider: Pick<SSMProvider, 'get'>;
  path: string;
  maxAgeSeconds: number;
  defaultDryRun: boolean;
  now?: () => number;
}

export type FlagReader = (automation: string) => Promise<Flags>;

/**
 * Reads flags through Powertools' SSM provider with a short cache (of absent flags too), so flipping a
 * flag takes effect within `maxAgeSeconds` without a deploy. A flag that cannot be read or parsed never makes
 * an automation mutate: it falls back to enabled in dry-run and says why.
 */
export function createFlagReader(options: FlagReaderOptions): FlagReader {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { flags: Flags; until: number }>();
  const defaults: Flags = { enabled: true, dryRun: options.defaultDryRun, source: 'default' };

  const read = async (automation: string): Promise<Flags> => {
    const name = `${options.path}/${automation}`;
    let doc: unknown;
    try {
      // This reader's cache (below) decides when to read again, with the injected clock; so always fetch here.
      doc = await options.provider.get(name, { forceFetch: true, transform: 'json' });
    } catch (err) {
      if (err instanceof GetParameterError && err.cause instanceof ParameterNotFound) return defaults;
      if (err instanceof TransformParameterError) {
        return { enabled: true, dryRun: true, source: 'fallback', problem: `${name} is not valid JSON` };
      }
      const cause = err instanceof GetParameterError && err.cause ? err.cause : err;
      return {
        enabled: true,
        dryRun: true,
        source: 'fallback',
        problem: `cannot read ${name}: ${describeError(cause)}`,
      };
    }
    if (doc === undefined) return defaults;
    const parsed = v.safeParse(flagDocumentSchema, doc);
    if (!parsed.success) {
      const issue = toValidationIssues(flagDocumentSchema, parsed.issues, doc)[0];
      return {
        enabled: true,
        dryRun: true,
        source: 'fallback',
        problem: `${name}: ${issue?.field}: expected ${issue?.expected}`,
      };
    }
    return {
      enabled: parsed.output.enabled ?? true,
      dryRun: parsed.output.dryRun ?? options.defaultDryRun,
      source: 'ssm',
    };
  };

  return async (automation) => {
    const hit = cache.get(automation);
    if (hit && hit.until > now()) return hit.flags;
    const flags = await read(automation);
    cache.set(automation, { flags, until: now() + options.maxAgeSeconds * 1000 });
    return flags;
  };
}
