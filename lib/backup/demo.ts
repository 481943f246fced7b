import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import type { LoggerLike } from '../automations/types.js';
import type { CliIO } from '../cli/types.js';
import type { Finding } from '../findings/finding.js';
import { memorySink } from '../runtime/metricSink.js';
import { formatVerifyReport } from './format.js';
import { verifyOptionsSchema } from './options.js';
import { type SavedResponses, savedRdsApi } from './savedRds.js';
import { verifyBackups } from './verify.js';

const EXAMPLES = new URL('../../examples/backup/', import.meta.url);

async function load<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(name, EXAMPLES), 'utf8')) as T;
}

/** The saved DescribeDB* responses of examples/backup, as one read-only RdsApi. */
export async function demoData() {
  const meta = await load<{ now: string; account: string; region: string }>('demo.json');
  const saved: SavedResponses = {
    ...(await load<SavedResponses>('describe-db-instances.json')),
    ...(await load<SavedResponses>('describe-db-clusters.json')),
    ...(await load<SavedResponses>('describe-db-snapshots.json')),
    ...(await load<SavedResponses>('describe-db-cluster-snapshots.json')),
  };
  return { meta, rds: savedRdsApi(meta.region, saved) };
}

const quiet: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

/** `warden demo backup`: backupVerify in dry-run over saved RDS responses with a few non-compliant databases. */
export async function demo(io: CliIO): Promise<Finding[]> {
  const { meta, rds } = await demoData();
  const metrics = memorySink();
  const result = await verifyBackups(
    {
      rds,
      target: { account: meta.account, region: meta.region },
      now: () => new Date(meta.now),
      metrics,
      logger: quiet,
      dryRun: true,
      defaultRpoHours: 24,
    },
    v.parse(verifyOptionsSchema, { kinds: ['rds'] }),
  );
  io.out(`backup verify (dry-run) on examples/backup, ${meta.region}, as of ${meta.now}`);
  io.out('');
  for (const line of formatVerifyReport(result.report)) io.out(line);
  io.out('');
  io.out(
    `${result.findings.length} findings; metrics: ${metrics.recorded.length} (SnapshotAgeHours, BackupCompliant per database)`,
  );
  io.out(result.summary);
  return result.findings;
}
