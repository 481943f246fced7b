import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../../lib/aws/', import.meta.url);
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm;
/** What an adapter may import: SDK and Smithy packages, its siblings, lib/errors and lib/runtime (conventions). */
const ALLOWED = [
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@aws-lambda-powertools\//,
  /^node:/,
  /^\.\/[\w.-]+\.js$/,
  /^\.\.\/errors\.js$/,
  /^\.\.\/runtime\//,
];

describe('Layer: lib/aws', () => {
  it('imports no domain folder: only SDKs, its own modules, lib/errors and lib/runtime', () => {
    // Prepare
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    // Act
    const offending = files.flatMap((f) =>
      [...readFileSync(new URL(f, DIR), 'utf8').matchAll(IMPORT)]
        .map((m) => m[1] as string)
        .filter((spec) => !ALLOWED.some((a) => a.test(spec)))
        .map((spec) => `${f} -> ${spec}`),
    );
    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });
});
