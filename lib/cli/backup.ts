import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '../aws/clients.js';
import { realSleep } from '../aws/pacing.js';
import type { RdsApi } from '../aws/rds.js';
import { backupVerifyAutomation } from '../backup/automation.js';
import { type DrillOptions, drillOptionsSchema } from '../backup/drill/messages.js';
import { newDrill, runDrillInline } from '../backup/drill/runner.js';
import { secretLogin } from '../backup/drill/secretLogin.js';
import type { DrillTable } from '../backup/drill/tableOptions.js';
import { newTableDrill } from '../backup/drill/tableReport.js';
import { localValidator } from '../backup/drill/validator.js';
import { drillDeps, sqsEnqueue } from '../backup/drill/wiring.js';
import { formatVerifyReport } from '../backup/format.js';
import { KIND_NAMES } from '../backup/kinds/names.js';
import { drCopyId } from '../backup/lifecycle.js';
import { ageHours, fromClusterSnapshot, fromSnapshot, type SnapshotInfo } from '../backup/model.js';
import { verifyOptionsSchema } from '../backup/options.js';
import { rdsApisFor } from '../backup/rdsAccess.js';
import { ValidationError } from '../errors.js';
import { memorySink } from '../runtime/metricSink.js';
import { connectAny } from '../secrets/drivers.js';
import { parseWith } from '../validation.js';
import { SNAPSHOT_USAGE, snapshotCommand } from './backupSnapshot.js';
import { cliLogger } from './logger.js';
import { formatTable } from './table.js';
import type { CliCommand, CliContext } from './types.js';

const USAGE = [
  'warden backup verify [--kind rds,dynamodb,elasticache,s3,backup] [--defaults s3=required,dynamodb=skip] [--rpo-hours N] [--dr-region REGION] [--min-retention-days N]',
  'warden backup drill <db> --config drill.json [--queue-url URL] [--apply]',
  'warden backup snapshots <db> [--dr-region REGION]',
  SNAPSHOT_USAGE,
] as const;

const usageError = (field: string, expected: string) =>
  new ValidationError('backup arguments', [{ field, expected }]);

function parse<O extends Record<string, { type: 'string' }>>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError('arguments', err instanceof Error ? err.message : 'known options only');
  }
}

/** `s3=required,dynamodb=skip`: the default of untagged resources per kind; the kinds not named keep theirs. */
function kindDefaults(text: string): Record<string, string> {
  const expected = `kind=required|skip pairs, comma-separated, kinds among ${KIND_NAMES.join(', ')}`;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [kind, mode, ...rest] = pair.split('=').map((x) => x.trim());
    if (!kind || !mode || rest.length > 0 || !(KIND_NAMES as readonly string[]).includes(kind))
      throw usageError('--defaults', `${expected} (not "${pair}")`);
    if (mode !== 'required' && mode !== 'skip') throw usageError('--defaults', `${expected} (not "${pair}")`);
    out[kind] = mode;
  }
  return out;
}

async function verify(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, {
    'rpo-hours': { type: 'string' },
    'dr-region': { type: 'string' },
    'min-retention-days': { type: 'string' },
    kind: { type: 'string' },
    defaults: { type: 'string' },
  });
  if (positionals.length > 0) throw usageError('arguments', 'no positional arguments after verify');
  const kinds = values.kind?.split(',').map((k) => k.trim());
  const unknown = kinds?.filter((k) => !(KIND_NAMES as readonly string[]).includes(k));
  if (kinds && (kinds.length === 0 || (unknown && unknown.length > 0)))
    throw usageError(
      '--kind',
      `a comma-separated list of ${KIND_NAMES.join(', ')} (not ${unknown?.join(', ')})`,
    );
  const options = parseWith(
    verifyOptionsSchema,
    {
      ...(values['rpo-hours'] ? { rpoHours: Number(values['rpo-hours']) } : {}),
      ...(values['dr-region'] ? { drRegion: values['dr-region'] } : {}),
      ...(values['min-retention-days'] ? { minRetentionDays: Number(values['min-retention-days']) } : {}),
      ...(kinds ? { kinds } : {}),
      ...(values.defaults ? { defaults: kindDefaults(values.defaults) } : {}),
    },
    'backup verify options',
  );
  const target = await ctx.target();
  const metrics = memorySink();
  // Every kind at once, through the automation the workers run in parts.
  const result = await backupVerifyAutomation.run(
    {
      target,
      aws: ctx.pool().for(target),
      config: ctx.config(),
      now: ctx.now,
      logger: cliLogger(ctx.io),
      metrics,
      dryRun: !ctx.apply,
    },
    options,
  );
  await ctx.publish(result.findings);
  if (ctx.json) ctx.io.out(JSON.stringify({ ...result.report, metrics: metrics.recorded }));
  else for (const line of [...formatVerifyReport(result.report), '', result.summary]) ctx.io.out(line);
  // A listing that failed or a resource left unverified is no pass either: the exit code says so.
  const counts = result.report.counts as { nonCompliant: number; unverified: number; listingErrors: number };
  return counts.nonCompliant + counts.unverified + counts.listingErrors > 0 ? 1 : 0;
}

/** The drill config file: the drill options (settings + databases) as the restoreDrill schedule uses them. */
async function readDrillConfig(path: string): Promise<DrillOptions> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw usageError(
      '--config',
      `a readable JSON file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return parseWith(drillOptionsSchema, raw, `drill config ${path}`);
}

async function drill(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, {
    config: { type: 'string' },
    'queue-url': { type: 'string' },
  });
  const [db, ...rest] = positionals;
  if (!db || rest.length > 0) throw usageError('db', 'exactly one database identifier');
  if (!values.config)
    throw usageError('--config', 'a drill config file (settings and validation per database)');
  const options = await readDrillConfig(values.config);
  const validation = options.databases[db];
  const table = options.tables[db];
  if (!validation && !table)
    throw usageError(
      'db',
      `one of the databases or tables in ${values.config}: ${[...Object.keys(options.databases), ...Object.keys(options.tables)].join(', ')}`,
    );
  const { databases: _, tables: __, ...settings } = options;
  const config = ctx.config();
  const target = await ctx.target();
  const now = ctx.now();
  const dryRun = !ctx.apply;
  const first = validation
    ? newDrill({ target, dbId: db, settings, validation, now, dryRun })
    : newTableDrill({ target, table: db, settings, validation: table as DrillTable, now, dryRun });
  const pool = ctx.pool();
  const sqs = createClient(SQSClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
  if (values['queue-url'] && ctx.apply) {
    await sqsEnqueue(sqs, values['queue-url'])(first, 0);
    ctx.io.out(
      ctx.json
        ? JSON.stringify({ enqueued: first })
        : `drill ${first.drillId} enqueued; temporary ${'tempTable' in first ? `table ${first.tempTable}` : `instance ${first.tempId}`}`,
    );
    return 0;
  }
  const metrics = memorySink();
  const logger = cliLogger(ctx.io);
  // The CLI validates from where it runs, with either driver (the Lambda drill asks the dialect's validator function).
  const validate = localValidator(secretLogin(pool, connectAny), logger);
  const runtime = { pool, sqs, publish: ctx.publish, metrics, logger, now: ctx.now, validate };
  const deps = drillDeps(runtime, values['queue-url'] ?? 'inline');
  const summary = await runDrillInline(deps, first, realSleep, (m) =>
    ctx.io.progress(`drill ${m.drillId}: ${m.step}`),
  );
  if (ctx.json) ctx.io.out(JSON.stringify({ summary, metrics: metrics.recorded }));
  else
    ctx.io.out(
      `${summary.passed ? 'PASSED' : summary.dryRun ? 'DRY-RUN' : 'FAILED'} ${db}: ${summary.reason}`,
    );
  return summary.passed || summary.dryRun ? 0 : 1;
}

/** One row per snapshot: age, encryption and whether the DR region holds that recovery point. */
export function snapshotRows(
  now: Date,
  snaps: readonly SnapshotInfo[],
  dr: readonly SnapshotInfo[] | undefined,
): string[][] {
  const drTimes = new Set(dr?.flatMap((s) => (s.createdAt ? [s.createdAt.getTime()] : [])));
  const drIds = new Set(dr?.map((s) => s.id));
  return snaps.map((s) => [
    s.id,
    s.type,
    s.status,
    s.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '-',
    s.createdAt ? `${ageHours(now, s.createdAt)}h` : '-',
    s.encrypted ? (s.kmsKeyId?.split('/').pop() ?? 'yes') : 'NO',
    !dr
      ? '-'
      : s.createdAt && (drTimes.has(s.createdAt.getTime()) || drIds.has(drCopyId(s.resourceId, s.createdAt)))
        ? 'yes'
        : 'no',
  ]);
}

async function listFor(api: RdsApi, db: string): Promise<SnapshotInfo[]> {
  const mine = (await api.listSnapshots(db)).map(fromSnapshot);
  const list = mine.length > 0 ? mine : (await api.listClusterSnapshots(db)).map(fromClusterSnapshot);
  return list
    .filter((s): s is SnapshotInfo => s !== undefined)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

async function snapshots(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, { 'dr-region': { type: 'string' } });
  const [db, ...rest] = positionals;
  if (!db || rest.length > 0) throw usageError('db', 'exactly one database identifier');
  const config = ctx.config();
  const target = await ctx.target();
  const { rds, drRds } = rdsApisFor(ctx.pool().for(target), config.awsMaxAttempts, values['dr-region']);
  const [mine, dr] = await Promise.all([
    listFor(rds, db),
    drRds ? listFor(drRds, db) : Promise.resolve(undefined),
  ]);
  const rows = snapshotRows(ctx.now(), mine, dr);
  if (ctx.json)
    ctx.io.out(
      JSON.stringify({
        database: db,
        drRegion: values['dr-region'] ?? null,
        snapshots: mine,
        drCopies: dr ?? null,
      }),
    );
  else
    ctx.io.out(
      formatTable(['snapshot', 'type', 'status', 'created (UTC)', 'age', 'kms key', 'dr copy'], rows),
    );
  return 0;
}

/** `warden backup verify|drill|snapshots`. */
export const backupCommand: CliCommand = {
  name: 'backup',
  summary:
    'Verify backups of RDS, Aurora, DynamoDB, ElastiCache, S3 and AWS Backup; list snapshots; run restore drills',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'verify') return verify(rest, ctx);
    if (sub === 'drill') return drill(rest, ctx);
    if (sub === 'snapshots') return snapshots(rest, ctx);
    if (sub === 'snapshot') return snapshotCommand(rest, ctx);
    throw usageError('subcommand', 'verify, drill, snapshots or snapshot');
  },
};
