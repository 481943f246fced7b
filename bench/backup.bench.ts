/**
 * backupVerify over 1,000 instances x 30 snapshots through a mocked RDS API: 50 ms per call, 20 requests/s
 * throttle (ThrottlingException beyond it), Describe* paged as RDS pages them (MaxRecords 20..100, else
 * InvalidParameterValue). min_calls comes from the work: each of the four inventories (instances, snapshots,
 * clusters, cluster snapshots) walked at the API's largest page, MaxRecords 100.
 * Goals: api_calls <= min_calls + 1 % (the client paces just under the server's window; timer jitter may let a rare
 * call into a full window, which is throttled and retried); wall <= 1.25 x lower bound (min_calls / 20 per s);
 * zero resources unverified; peak RSS <= 256 MB.
 */

import {
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBSnapshot,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type RDSClient,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import * as v from 'valibot';
import { tokenBucket } from '../lib/aws/pacing.js';
import { rdsApi } from '../lib/aws/rds.js';
import { verifyOptionsSchema } from '../lib/backup/options.js';
import { verifyBackups } from '../lib/backup/verify.js';
import { memorySink } from '../lib/runtime/metricSink.js';
import { pagesFor, RDS_MAX_RECORDS, rdsPage } from '../test/support/awsPaging.js';

const INSTANCES = 1000;
const SNAPSHOTS_PER_INSTANCE = 30;
const LATENCY_MS = 50;
const THROTTLE_PER_SECOND = 20;
/** The client paces itself just under the server's limit: timers fire late, never early. */
const CLIENT_RATE = 19.5;
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-26T12:00:00Z');

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

function dataset() {
  const instances: DBInstance[] = [];
  const snapshots: DBSnapshot[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const id = `db-${String(i).padStart(4, '0')}`;
    instances.push({
      DBInstanceIdentifier: id,
      DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`,
      Engine: 'postgres',
      DBInstanceStatus: 'available',
      StorageEncrypted: true,
      KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/bench`,
      BackupRetentionPeriod: i % 10 === 0 ? 3 : 7,
      LatestRestorableTime: hoursAgo(i % 7 === 0 ? 30 : 0.2),
      TagList: i % 50 === 0 ? [{ Key: 'warden:rpo-hours', Value: 'bad' }] : [],
    });
    for (let s = 0; s < SNAPSHOTS_PER_INSTANCE; s++) {
      const sid = `${id}-s${s}`;
      snapshots.push({
        DBSnapshotIdentifier: sid,
        DBSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:${sid}`,
        DBInstanceIdentifier: id,
        // A tenth of the databases keep more manual snapshots than the policy allows.
        SnapshotType: s < 7 || i % 10 !== 5 ? 'automated' : 'manual',
        Status: 'available',
        SnapshotCreateTime: hoursAgo(3 + 24 * s),
        Encrypted: true,
        KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/bench`,
        TagList: [],
      });
    }
  }
  // Aurora is out of this benchmark, but its two inventories are still listed: one (empty) page each.
  return { instances, snapshots, clusters: [] as DBCluster[], clusterSnapshots: [] as DBClusterSnapshot[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The mocked RDS API: Describe* calls paged as RDS pages them, latency, and a sliding-window throttle. */
function mockedRds(data: ReturnType<typeof dataset>) {
  const starts: number[] = [];
  const stats = { calls: 0, throttled: 0, latencies: [] as number[], first: 0, last: 0 };
  const send = async (command: { input: { Marker?: string; MaxRecords?: number } }) => {
    const t0 = performance.now();
    stats.calls++;
    stats.first ||= t0;
    while (starts.length > 0 && (starts[0] as number) <= t0 - 1000) starts.shift();
    const throttled = starts.length >= THROTTLE_PER_SECOND;
    starts.push(t0);
    await sleep(LATENCY_MS);
    stats.latencies.push(performance.now() - t0);
    stats.last = performance.now();
    if (throttled) {
      stats.throttled++;
      throw new RDSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      });
    }
    if (command instanceof DescribeDBInstancesCommand) {
      const p = rdsPage(data.instances, command.input);
      return { DBInstances: p.items, Marker: p.Marker };
    }
    if (command instanceof DescribeDBSnapshotsCommand) {
      const p = rdsPage(data.snapshots, command.input);
      return { DBSnapshots: p.items, Marker: p.Marker };
    }
    if (command instanceof DescribeDBClustersCommand) {
      const p = rdsPage(data.clusters, command.input);
      return { DBClusters: p.items, Marker: p.Marker };
    }
    if (command instanceof DescribeDBClusterSnapshotsCommand) {
      const p = rdsPage(data.clusterSnapshots, command.input);
      return { DBClusterSnapshots: p.items, Marker: p.Marker };
    }
    throw new Error(`unexpected command ${command.constructor.name}`);
  };
  return { client: { send } as unknown as RDSClient, stats };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
};

const data = dataset();
const { client, stats } = mockedRds(data);
let retries = 0;
const rds = rdsApi(client, REGION, {
  limiter: tokenBucket({ ratePerSecond: CLIENT_RATE }),
  baseDelayMs: 100,
  onThrottle: () => retries++,
});
const started = performance.now();
const result = await verifyBackups(
  {
    rds,
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
const inventories = [data.instances, data.snapshots, data.clusters, data.clusterSnapshots];
const minCalls = inventories.reduce((n, items) => n + pagesFor(items.length, RDS_MAX_RECORDS), 0);
const allowedCalls = minCalls + Math.ceil(minCalls / 100);
const lowerBoundS = minCalls / THROTTLE_PER_SECOND;
const ratio = wallS / lowerBoundS;
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const unverified = counts.unverified + (INSTANCES - counts.resources);

console.log(
  `dataset: ${INSTANCES} instances x ${SNAPSHOTS_PER_INSTANCE} snapshots; mocked RDS ${LATENCY_MS} ms/call, throttle ${THROTTLE_PER_SECOND} req/s`,
);
console.log(
  `min_calls: ${minCalls} (${data.instances.length} instances, ${data.snapshots.length} snapshots, ${data.clusters.length} clusters, ${data.clusterSnapshots.length} cluster snapshots, at ${RDS_MAX_RECORDS} a page and one call at least each)`,
);
console.log(
  `api calls: ${stats.calls} (throttled ${stats.throttled}, client retries ${retries}); goal <= ${allowedCalls} (min_calls + 1 %): ${stats.calls <= allowedCalls ? 'ok' : 'MISSED'}`,
);
console.log(
  `fetching: ${((stats.last - stats.first) / 1000).toFixed(2)} s from first call to last response; checks and report: ${(wallS - (stats.last - started) / 1000).toFixed(2)} s`,
);
console.log(`call latency median: ${median(stats.latencies).toFixed(1)} ms`);
console.log(
  `wall: ${wallS.toFixed(2)} s; lower bound ${lowerBoundS.toFixed(2)} s (min_calls ${minCalls} / ${THROTTLE_PER_SECOND} per s); ratio ${ratio.toFixed(3)} (goal <= 1.25)`,
);
console.log(
  `resources: ${counts.resources}, non-compliant ${counts.nonCompliant}, unverified ${unverified}, findings ${counts.findings}`,
);
console.log(`peak RSS: ${peakRssMb} MB (goal <= 256)`);
console.log(
  `bench backup: resources=${counts.resources} unverified=${unverified} wall_ratio=${ratio.toFixed(3)} api_calls=${stats.calls} min_calls=${minCalls} peak_rss_mb=${peakRssMb}`,
);
