import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import type { LoggerLike } from '../automations/types.js';
import type { CliIO } from '../cli/types.js';
import type { Finding } from '../findings/finding.js';
import { memorySink } from '../runtime/metricSink.js';
import { formatVerifyReport } from './format.js';
import { verifyOptionsSchema } from './options.js';
import { type SavedProtection, savedProtectionApis } from './savedProtection.js';
import { type SavedResponses, savedRdsApi } from './savedRds.js';
import { verifyBackups } from './verify.js';

const EXAMPLES = new URL('../../examples/backup/', import.meta.url);

async function load<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(name, EXAMPLES), 'utf8')) as T;
}

/** The saved responses of examples/backup: RDS as one read-only RdsApi, the other kinds' adapters over theirs. */
export async function demoData() {
  const meta = await load<{ now: string; account: string; region: string }>('demo.json');
  const saved: SavedResponses = {
    ...(await load<SavedResponses>('describe-db-instances.json')),
    ...(await load<SavedResponses>('describe-db-clusters.json')),
    ...(await load<SavedResponses>('describe-db-snapshots.json')),
    ...(await load<SavedResponses>('describe-db-cluster-snapshots.json')),
  };
  const protection: SavedProtection = {
    dynamodb: await load('dynamodb.json'),
    s3: await load('s3.json'),
    s3control: await load('s3-control.json'),
    elasticache: await load('elasticache.json'),
    backup: await load('aws-backup.json'),
  };
  return { meta, rds: savedRdsApi(meta.region, saved), apis: savedProtectionApis(meta.region, protection) };
}

const quiet: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * `warden demo backup`: backupVerify in dry-run over saved responses of every kind (RDS, Aurora, DynamoDB,
 * ElastiCache, S3, AWS Backup) with a few non-compliant resources.
 */
export async function demo(io: CliIO): Promise<Finding[]> {
  const { meta, rds, apis } = await demoData();
  const metrics = memorySink();
  const result = await verifyBackups(
    {
      ...apis,
      rds,
      target: { account: meta.account, region: meta.region },
      now: () => new Date(meta.now),
      metrics,
      logger: quiet,
      dryRun: true,
      defaultRpoHours: 24,
    },
    v.parse(verifyOptionsSchema, {}),
  );
  io.out(`backup verify (dry-run) on examples/backup, ${meta.region}, as of ${meta.now}`);
  io.out('');
  for (const line of formatVerifyReport(result.report)) io.out(line);
  io.out('');
  io.out(
    `${result.findings.length} findings; metrics: ${metrics.recorded.length} (SnapshotAgeHours, BackupCompliant per database; BackupNonCompliant, BackupUnverified per kind)`,
  );
  io.out(result.summary);
  return result.findings;
}
