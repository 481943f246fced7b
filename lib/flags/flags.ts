import { GetParameterError, TransformParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import { describeError } from '../errors.js';
import { checkFlagDocument, type FlagDocument } from './document.js';

export { type FlagDocument, flagDocumentSchema } from './document.js';

export interface Flags {
  enabled: boolean;
  dryRun: boolean;
  /** Share of the target accounts that run in apply mode when `dryRun` is false (absent: 100). */
  applyPercent?: number;
  /** Accounts always in apply mode when `dryRun` is false, whatever the share. */
  allow?: readonly string[];
  /** Accounts always in dry-run. */
  deny?: readonly string[];
  /** True when the document leaves `dryRun` unset, so that the env default (WARDEN_DRY_RUN) decides it. */
  dryRunByDefault?: boolean;
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

/** The flags of a valid document: what it leaves out is enabled, the default dry-run, every account. */
export function flagsOf(doc: FlagDocument, defaultDryRun: boolean): Flags {
  return {
    enabled: doc.enabled ?? true,
    dryRun: doc.dryRun ?? defaultDryRun,
    applyPercent: doc.applyPercent ?? 100,
    allow: doc.allow ?? [],
    deny: doc.deny ?? [],
    ...(doc.dryRun === undefined ? { dryRunByDefault: true } : {}),
    source: 'ssm',
  };
}

/** The safe fallback after a problem: enabled, dry-run everywhere, never apply mode. */
export function fallbackFlags(problem: string): Flags {
  return { enabled: true, dryRun: true, applyPercent: 0, allow: [], deny: [], source: 'fallback', problem };
}

/**
 * Reads flags through Powertools' SSM provider with a short cache (of absent flags too), so flipping a
 * flag takes effect within `maxAgeSeconds` without a deploy. A flag that cannot be read or parsed never makes
 * an automation mutate: it falls back to enabled in dry-run and says why.
 */
export function createFlagReader(options: FlagReaderOptions): FlagReader {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { flags: Flags; until: number }>();
  const defaults: Flags = {
    enabled: true,
    dryRun: options.defaultDryRun,
    applyPercent: 100,
    allow: [],
    deny: [],
    source: 'default',
  };

  const read = async (automation: string): Promise<Flags> => {
    const name = `${options.path}/${automation}`;
    let doc: unknown;
    try {
      // This reader's cache (below) decides when to read again, with the injected clock; so always fetch here.
      doc = await options.provider.get(name, { forceFetch: true, transform: 'json' });
    } catch (err) {
      if (err instanceof GetParameterError && err.cause instanceof ParameterNotFound) return defaults;
      if (err instanceof TransformParameterError) return fallbackFlags(`${name} is not valid JSON`);
      const cause = err instanceof GetParameterError && err.cause ? err.cause : err;
      return fallbackFlags(`cannot read ${name}: ${describeError(cause)}`);
    }
    if (doc === undefined) return defaults;
    const checked = checkFlagDocument(name, doc);
    return 'problem' in checked
      ? fallbackFlags(checked.problem)
      : flagsOf(checked.document, options.defaultDryRun);
  };

  return async (automation) => {
    const hit = cache.get(automation);
    if (hit && hit.until > now()) return hit.flags;
    const flags = await read(automation);
    cache.set(automation, { flags, until: now() + options.maxAgeSeconds * 1000 });
    return flags;
  };
}
