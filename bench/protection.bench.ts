/**
 * backupVerify over every kind at once through mocked AWS: 1,000 DynamoDB tables, 300 S3 buckets, 100 ElastiCache
 * caches (80 replication groups, 20 serverless) and 500 resources protected by AWS Backup (200 of the tables, 300 EBS
 * volumes), plus empty RDS inventories. Each service answers after 50 ms and throttles on its own sliding one-second
 * window (ThrottlingException / SlowDown beyond it), at rates assumed realistic for an account's control plane:
 * DynamoDB and S3 100 req/s, ElastiCache and RDS 20 req/s, AWS Backup 10 req/s. The fakes page as the services do.
 *
 * min_calls comes from the inventory and the APIs' page sizes, not from the calls made: every listing walked at its
 * largest page (ListTables 100, ListBuckets 10,000, DescribeReplicationGroups 100, DescribeSnapshots 50,
 * DescribeServerlessCaches 100, DescribeServerlessCacheSnapshots 50, AWS Backup lists 1,000, RDS 100), one tag read
 * per table, bucket and cache (no API returns them in bulk without the Resource Groups Tagging API), and for each
 * resource that is checked (not warden:backup=skip, S3 only when tagged) its own reads: DescribeTable and
 * DescribeContinuousBackups per table, six configuration reads per bucket, and the account's S3 Block Public Access
 * (S3 Control) once when a bucket is checked.
 * The lower bound on wall time is the slowest service's min_calls at its throttle (services run side by side).
 * Goals: api_calls <= min_calls + 2 %, wall <= 1.25 x the bound, unverified = 0, peak RSS <= 256 MB.
 */
import './support/benchEnv.js';
import {
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeReplicationGroupsCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  DescribeSnapshotsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
} from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import * as v from 'valibot';
import { awsBackupApi } from '../lib/aws/backup.js';
import { dynamoDbApi } from '../lib/aws/dynamodb.js';
import { elastiCacheApi } from '../lib/aws/elasticache.js';
import { type PacedCallOptions, tokenBucket } from '../lib/aws/pacing.js';
import { rdsApi } from '../lib/aws/rds.js';
import { s3Api } from '../lib/aws/s3.js';
import { s3ControlApi } from '../lib/aws/s3control.js';
import { verifyOptionsSchema } from '../lib/backup/options.js';
import { verifyBackups } from '../lib/backup/verify.js';
import { memorySink } from '../lib/runtime/metricSink.js';
import { pagesFor, RDS_MAX_RECORDS, rdsPage } from '../test/support/awsPaging.js';
import {
  BACKUP_MAX_RESULTS,
  backupPage,
  DYNAMODB_LIST_TABLES_MAX,
  ELASTICACHE_MAX_RECORDS,
  ELASTICACHE_SNAPSHOTS_MAX,
  elastiCachePage,
  listBucketsPage,
  listTablesPage,
  S3_MAX_BUCKETS,
  SERVERLESS_CACHES_MAX,
  SERVERLESS_SNAPSHOTS_MAX,
  s3NotConfigured,
  serverlessPage,
} from '../test/support/protectionPaging.js';
import { ACCOUNT, dataset, NOW, REGION } from './support/protectionData.js';

const LATENCY_MS = 50;
const THROTTLE = { dynamodb: 100, s3: 100, s3control: 20, elasticache: 20, rds: 20, backup: 10 } as const;
type Service = keyof typeof THROTTLE;
/** The client paces itself just under each server's limit: timers fire late, never early. */
const CLIENT_SHARE = 0.975;
const THROTTLE_NAME: Record<Service, string> = {
  dynamodb: 'ThrottlingException',
  s3: 'SlowDown',
  s3control: 'SlowDown',
  elasticache: 'Throttling',
  rds: 'Throttling',
  backup: 'ThrottlingException',
};

const data = dataset();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One mocked service: latency, a sliding one-second throttle, and the answer of each command. */
function service(name: Service, answer: (command: { input: Record<string, unknown> }) => unknown) {
  const starts: number[] = [];
  const stats = { calls: 0, throttled: 0, first: 0, last: 0 };
  const send = async (command: { input: Record<string, unknown> }) => {
    const t0 = performance.now();
    stats.calls++;
    stats.first ||= t0;
    while (starts.length > 0 && (starts[0] as number) <= t0 - 1000) starts.shift();
    const throttled = starts.length >= THROTTLE[name];
    starts.push(t0);
    let outcome: { value: unknown } | { error: unknown };
    try {
      outcome = { value: answer(command) };
    } catch (error) {
      outcome = { error };
    }
    await sleep(LATENCY_MS);
    stats.last = performance.now();
    if (throttled) {
      stats.throttled++;
      throw Object.assign(new Error('Rate exceeded'), { name: THROTTLE_NAME[name], $fault: 'client' });
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  // biome-ignore lint/suspicious/noExplicitAny: a stand-in for each SDK client, answering its send() only
  return { client: { send } as any, stats };
}

const is = (c: object, k: new (...a: never[]) => object) => c instanceof k;

const dynamo = service('dynamodb', (c) => {
  if (is(c, ListTablesCommand)) return listTablesPage(data.tableNames, c.input);
  if (is(c, ListTagsOfResourceCommand))
    return { Tags: data.tableTags.get(String(c.input.ResourceArn)) ?? [] };
  if (is(c, DescribeTableCommand)) return { Table: data.tables.get(String(c.input.TableName)) };
  if (is(c, DescribeContinuousBackupsCommand))
    return { ContinuousBackupsDescription: data.continuous.get(String(c.input.TableName)) };
  throw new Error(`unexpected ${c.constructor.name}`);
});
const s3 = service('s3', (c) => {
  const b = String(c.input.Bucket);
  if (is(c, ListBucketsCommand)) return listBucketsPage(data.buckets, c.input);
  if (is(c, GetBucketTaggingCommand)) {
    const tags = data.bucketTags.get(b);
    if (!tags) throw s3NotConfigured('NoSuchTagSet');
    return { TagSet: tags };
  }
  if (is(c, GetBucketVersioningCommand)) return { Status: 'Enabled' };
  if (is(c, GetBucketLifecycleConfigurationCommand)) return { Rules: data.lifecycle };
  if (is(c, GetBucketReplicationCommand)) throw s3NotConfigured('ReplicationConfigurationNotFoundError');
  if (is(c, GetBucketEncryptionCommand)) return data.encryption;
  if (is(c, GetPublicAccessBlockCommand)) return data.publicAccessBlock;
  if (is(c, GetObjectLockConfigurationCommand)) throw s3NotConfigured('ObjectLockConfigurationNotFoundError');
  throw new Error(`unexpected ${c.constructor.name}`);
});
// The account's Block Public Access: read once per scan, all four settings on.
const s3control = service('s3control', (c) => {
  if (is(c, GetAccountPublicAccessBlockCommand)) return data.publicAccessBlock;
  throw new Error(`unexpected ${c.constructor.name}`);
});
const cache = service('elasticache', (c) => {
  if (is(c, DescribeReplicationGroupsCommand)) {
    const p = elastiCachePage(data.groups, c.input, ELASTICACHE_MAX_RECORDS);
    return { ReplicationGroups: p.items, Marker: p.Marker };
  }
  if (is(c, DescribeServerlessCachesCommand)) {
    const p = serverlessPage(data.serverless, c.input, SERVERLESS_CACHES_MAX);
    return { ServerlessCaches: p.items, NextToken: p.NextToken };
  }
  if (is(c, DescribeSnapshotsCommand)) {
    const p = elastiCachePage(data.cacheSnapshots, c.input, ELASTICACHE_SNAPSHOTS_MAX);
    return { Snapshots: p.items, Marker: p.Marker };
  }
  if (is(c, DescribeServerlessCacheSnapshotsCommand)) {
    const p = serverlessPage(data.serverlessSnapshots, c.input, SERVERLESS_SNAPSHOTS_MAX);
    return { ServerlessCacheSnapshots: p.items, NextToken: p.NextToken };
  }
  if (is(c, ListTagsForResourceCommand)) return { TagList: [] };
  throw new Error(`unexpected ${c.constructor.name}`);
});
const rds = service('rds', (c) => {
  const empty = rdsPage([], c.input);
  if (is(c, DescribeDBInstancesCommand)) return { DBInstances: empty.items };
  if (is(c, DescribeDBClustersCommand)) return { DBClusters: empty.items };
  if (is(c, DescribeDBSnapshotsCommand)) return { DBSnapshots: empty.items };
  if (is(c, DescribeDBClusterSnapshotsCommand)) return { DBClusterSnapshots: empty.items };
  throw new Error(`unexpected ${c.constructor.name}`);
});
const backup = service('backup', (c) => {
  if (is(c, ListProtectedResourcesCommand)) {
    const p = backupPage(data.protectedResources, c.input);
    return { Results: p.items, NextToken: p.NextToken };
  }
  if (is(c, ListBackupVaultsCommand)) {
    const p = backupPage(data.vaults, c.input);
    return { BackupVaultList: p.items, NextToken: p.NextToken };
  }
  if (is(c, ListRecoveryPointsByBackupVaultCommand)) {
    const p = backupPage(data.points.get(String(c.input.BackupVaultName)) ?? [], c.input);
    return { RecoveryPoints: p.items, NextToken: p.NextToken };
  }
  if (is(c, ListCopyJobsCommand)) return { CopyJobs: [] };
  throw new Error(`unexpected ${c.constructor.name}`);
});

let retries = 0;
const paced = (s: Service): PacedCallOptions => ({
  limiter: tokenBucket({ ratePerSecond: THROTTLE[s] * CLIENT_SHARE }),
  baseDelayMs: 100,
  onThrottle: () => retries++,
});

const started = performance.now();
const result = await verifyBackups(
  {
    rds: rdsApi(rds.client, REGION, paced('rds')),
    dynamodb: dynamoDbApi(dynamo.client, REGION, paced('dynamodb')),
    s3: s3Api(s3.client, paced('s3')),
    s3Control: s3ControlApi(s3control.client, paced('s3control')),
    elasticache: elastiCacheApi(cache.client, REGION, paced('elasticache')),
    backup: awsBackupApi(backup.client, REGION, paced('backup')),
    throttled: () => retries,
    target: { account: ACCOUNT, region: REGION },
    now: () => NOW,
    metrics: memorySink(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    dryRun: true,
    defaultRpoHours: 24,
  },
  v.parse(verifyOptionsSchema, {}),
);
const wallS = (performance.now() - started) / 1000;
const counts = result.report.counts as {
  resources: number;
  unverified: number;
  nonCompliant: number;
  findings: number;
};

const checkedTables = data.tableNames.length - data.skippedTables;
const minCalls: Record<Service, number> = {
  rds: 4 * pagesFor(0, RDS_MAX_RECORDS),
  dynamodb:
    pagesFor(data.tableNames.length, DYNAMODB_LIST_TABLES_MAX) + data.tableNames.length + 2 * checkedTables,
  s3: pagesFor(data.buckets.length, S3_MAX_BUCKETS) + data.buckets.length + 6 * data.taggedBuckets,
  s3control: data.taggedBuckets > 0 ? 1 : 0,
  elasticache:
    pagesFor(data.groups.length, ELASTICACHE_MAX_RECORDS) +
    pagesFor(data.serverless.length, SERVERLESS_CACHES_MAX) +
    pagesFor(data.cacheSnapshots.length, ELASTICACHE_SNAPSHOTS_MAX) +
    pagesFor(data.serverlessSnapshots.length, SERVERLESS_SNAPSHOTS_MAX) +
    data.groups.length +
    data.serverless.length,
  backup:
    pagesFor(data.protectedResources.length, BACKUP_MAX_RESULTS) +
    pagesFor(data.vaults.length, BACKUP_MAX_RESULTS) +
    [...data.points.values()].reduce((n, list) => n + pagesFor(list.length, BACKUP_MAX_RESULTS), 0),
};
const services = Object.keys(THROTTLE) as Service[];
const stats = { rds, dynamodb: dynamo, s3, s3control, elasticache: cache, backup };
const totalMin = services.reduce((n, s) => n + minCalls[s], 0);
const totalCalls = services.reduce((n, s) => n + stats[s].stats.calls, 0);
const boundS = Math.max(...services.map((s) => minCalls[s] / THROTTLE[s]));
const ratio = wallS / boundS;
const allowed = totalMin + Math.floor(totalMin * 0.02);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const unverified = counts.unverified + Math.max(0, data.expectedRows - counts.resources);

console.log(
  `dataset: ${data.tableNames.length} tables (${data.skippedTables} skip), ${data.buckets.length} buckets (${data.taggedBuckets} tagged), ${data.groups.length + data.serverless.length} caches, ${data.protectedResources.length} AWS Backup protected resources; ${LATENCY_MS} ms/call`,
);
for (const s of services)
  console.log(
    `  ${s.padEnd(11)} calls ${String(stats[s].stats.calls).padStart(5)} (min ${minCalls[s]}, throttled ${stats[s].stats.throttled}) at ${THROTTLE[s]} req/s: bound ${(minCalls[s] / THROTTLE[s]).toFixed(2)} s, busy ${((stats[s].stats.last - stats[s].stats.first) / 1000).toFixed(2)} s`,
  );
console.log(
  `api calls: ${totalCalls} (client retries ${retries}); goal <= ${allowed} (min_calls ${totalMin} + 2 %): ${totalCalls <= allowed ? 'ok' : 'MISSED'}`,
);
console.log(
  `wall: ${wallS.toFixed(2)} s; bound ${boundS.toFixed(2)} s (slowest service at its throttle); ratio ${ratio.toFixed(3)} (goal <= 1.25)`,
);
console.log(
  `resources: ${counts.resources} (expected ${data.expectedRows}), non-compliant ${counts.nonCompliant}, unverified ${unverified}, findings ${counts.findings}`,
);
console.log(`peak RSS: ${peakRssMb} MB (goal <= 256)`);
console.log(
  `bench protection: resources=${counts.resources} unverified=${unverified} api_calls=${totalCalls} min_calls=${totalMin} wall_ratio=${ratio.toFixed(3)} peak_rss_mb=${peakRssMb}`,
);
