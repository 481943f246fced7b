import { readFileSync } from 'node:fs';
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { CliIO } from '../cli/types.js';
import type { Finding } from '../findings/finding.js';
import { memorySink } from '../runtime/metricSink.js';
import { type ExpiryReads, memoryWarnings, runSecretExpiry } from './automation.js';
import { warningLedger } from './warningLedger.js';

const EXAMPLES = new URL('../../examples/secrets/', import.meta.url);

/** JSON as the SDK would have returned it: `...Date` fields back to Date objects. */
function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'), (key, value) =>
    key.endsWith('Date') && typeof value === 'string' ? new Date(value) : value,
  ) as T;
}

interface SavedList {
  observedAt: string;
  pages: { SecretList: SecretListEntry[]; NextToken?: string }[];
}
interface SavedVersions {
  responses: Record<string, { Versions: { VersionId: string; CreatedDate?: Date }[] }>;
}

/** Reads that replay the saved ListSecrets pages and ListSecretVersionIds responses. */
export function savedReads(list: SavedList, versions: SavedVersions): ExpiryReads {
  return {
    async *listSecrets() {
      for (const page of list.pages) yield page.SecretList;
    },
    async versionDates(secretId) {
      const r = versions.responses[secretId];
      return Object.fromEntries((r?.Versions ?? []).map((v) => [v.VersionId, v.CreatedDate]));
    },
  };
}

/** The secrets demo: secretExpiry, dry-run and without AWS, on a saved ListSecrets response (examples/secrets). */
export async function demo(io: CliIO): Promise<Finding[]> {
  const list = load<SavedList>('list-secrets.json');
  const now = new Date(list.observedAt);
  const metrics = memorySink();
  const result = await runSecretExpiry({
    reads: savedReads(list, load<SavedVersions>('list-secret-version-ids.json')),
    // Dry-run without AWS: the warnings already sent are remembered in memory, for this run only.
    warnings: warningLedger(
      memoryWarnings(() => now),
      () => now,
    ),
    now: () => now,
    target: { account: '123456789012', region: 'eu-west-1' },
    metrics,
    logger: { debug() {}, info() {}, warn: (m) => io.err(m), error: (m) => io.err(m) },
    dryRun: true,
  });
  io.out(`secretExpiry (dry-run, examples/secrets, as of ${list.observedAt}): ${result.summary}`);
  for (const f of result.findings) {
    const extra = f.detail.cause
      ? ` (cause: ${String(f.detail.cause)}; fix: ${String(f.detail.remedy)})`
      : '';
    io.out(`  [${f.severity}] ${f.check}: ${f.title}${extra}`);
  }
  io.out(`  metrics: ${metrics.recorded.map((m) => `${m.name}=${m.value}`).join(' ')}`);
  return result.findings;
}
