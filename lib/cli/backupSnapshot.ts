import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import type { AwsClients } from '../aws/clients.js';
import { dynamoDbBackupApi } from '../aws/dynamodb.js';
import { elastiCacheSnapshotApi } from '../aws/elasticache.js';
import { rdsApi } from '../aws/rds.js';
import { rdsSnapshotDriver } from '../backup/snapshot/rdsDriver.js';
import {
  parseSnapshotTarget,
  preChangeSnapshotId,
  type SnapshotTarget,
} from '../backup/snapshot/resource.js';
import { dynamoDbSnapshotDriver, elastiCacheSnapshotDriver } from '../backup/snapshot/serviceDrivers.js';
import { type SnapshotDriver, type SnapshotReport, takeSnapshot } from '../backup/snapshot/take.js';
import { ValidationError } from '../errors.js';
import { cliLogger } from './logger.js';
import type { CliContext } from './types.js';

export const SNAPSHOT_USAGE =
  'warden backup snapshot <resource> [--wait] [--poll-seconds N] [--max-wait-minutes N] [--apply]';

const usageError = (field: string, expected: string) =>
  new ValidationError('backup snapshot arguments', [{ field, expected }]);

function wholeNumber(raw: string | undefined, field: string, min: number, max: number, fallback: number) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(field, `a whole number from ${min} to ${max}`);
  return n;
}

/** The driver of the resource's kind, over the target's clients. */
export type DriverFactory = (aws: AwsClients, target: SnapshotTarget) => SnapshotDriver;

export const DRIVERS: Record<SnapshotTarget['kind'], DriverFactory> = {
  rds: (aws, t) => rdsSnapshotDriver(rdsApi(aws.get(RDSClient), aws.target.region), t.name),
  dynamodb: (aws, t) =>
    dynamoDbSnapshotDriver(dynamoDbBackupApi(aws.get(DynamoDBClient), aws.target.region), t.name),
  elasticache: (aws, t) =>
    elastiCacheSnapshotDriver(elastiCacheSnapshotApi(aws.get(ElastiCacheClient), aws.target.region), t.name),
};

function describe(r: SnapshotReport): string[] {
  if (r.state === 'planned')
    return [
      `DRY-RUN would take ${r.kind} backup ${r.snapshotId} of ${r.resourceType} ${r.resource} (--apply to take it)`,
    ];
  const head = `${r.snapshotId}`;
  const facts = `${r.kind} ${r.resourceType} ${r.resource}: ${r.state}${r.result === 'existed' ? ' (already requested)' : ''}, encrypted ${r.encrypted === null ? 'unknown' : r.encrypted ? (r.kmsKeyId ?? 'yes') : 'NO'}${r.waitedSeconds ? `, waited ${r.waitedSeconds} s` : ''}`;
  return [head, ...[facts, ...r.problems.map((p) => `problem: ${p}`)].map((l) => `  ${l}`)];
}

/**
 * `warden backup snapshot <resource> [--wait] [--apply]`: an on-demand backup before a change. Prints the backup's
 * id first (scripts take the first line); exits 1 when the backup failed or could not be verified.
 */
export async function snapshotCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    throw usageError('arguments', err instanceof Error ? err.message : 'known options only');
  }
  const { values, positionals } = parsed;
  const [spec, ...rest] = positionals;
  if (!spec || rest.length > 0) throw usageError('resource', 'exactly one resource');
  const target = parseSnapshotTarget(spec);
  const pollSeconds = wholeNumber(values['poll-seconds'], '--poll-seconds', 1, 900, 30);
  const maxWaitMinutes = wholeNumber(values['max-wait-minutes'], '--max-wait-minutes', 1, 24 * 60, 120);
  const factory = DRIVERS[target.kind];
  const home = await ctx.target();
  const where = { account: target.account ?? home.account, region: target.region ?? home.region };
  const driver = factory(ctx.pool().for(where), target);
  const deps = {
    driver,
    now: ctx.now,
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    logger: cliLogger(ctx.io),
    dryRun: !ctx.apply,
  };
  const report = await takeSnapshot(deps, target, preChangeSnapshotId(target, ctx.now()), {
    wait: values.wait === true,
    pollSeconds,
    maxWaitMinutes,
  });
  if (ctx.json) ctx.io.out(JSON.stringify({ ...report, account: where.account, region: where.region }));
  else for (const line of describe(report)) ctx.io.out(line);
  return report.problems.length > 0 ? 1 : 0;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      wait: { type: 'boolean' },
      'poll-seconds': { type: 'string' },
      'max-wait-minutes': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
}
