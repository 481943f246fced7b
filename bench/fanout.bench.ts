/**
 * Fan-out and notify at scale, in process, with every AWS call mocked at 50 ms:
 * dispatch 100 accounts x 4 regions x 4 automations through the real dispatch: 2,100 units, since backupVerify puts
 * one unit per part on each of its three workers' queues (1,200) and costAnomaly reads account-wide Cost Explorer data
 * and runs once per account (100 units, not 400). Process them at concurrency 50 through the
 * worker code (assume role, two reads, publish), then push 10,000 findings (30 % duplicates) through notify.
 * The fakes page and batch as the services do (RDS MaxRecords 20..100, SQS SendMessageBatch 1..10 entries).
 * min_calls comes from the work: dispatch, the units at 10 per SendMessageBatch per work queue; process, one
 * AssumeRole per account other than home (STS credentials serve every region), each unit's two listings at RDS's
 * 100 a page and its findings at 10 per SendMessageBatch; notify, one SNS Publish (one message) per notification.
 * Goals: api_calls <= min_calls (nothing throttles or fails here); wall <= 1.3 x lower bound (process min_calls x
 * 50 ms / concurrency); notifications = unique findings; RSS <= 256 MB.
 */

import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { ACCOUNT_SCOPED, AUTOMATION_NAMES, partsOf } from '../lib/automations/catalog.js';
import { resolveTargets } from '../lib/automations/targets.js';
import type { Automation } from '../lib/automations/types.js';
import { ClientPool } from '../lib/aws/clients.js';
import { rdsApi } from '../lib/aws/rds.js';
import { snsChannel } from '../lib/aws/sns.js';
import { type OutgoingMessage, sendAll } from '../lib/aws/sqs.js';
import { loadConfig } from '../lib/config.js';
import { dispatch } from '../lib/fanout/dispatch.js';
import { runUnit } from '../lib/fanout/runUnit.js';
import { type WorkUnit, workUnitSchema } from '../lib/fanout/unit.js';
import { type Finding, makeFinding } from '../lib/findings/finding.js';
import { sqsPublisher } from '../lib/findings/publisher.js';
import { notifyFinding } from '../lib/notify/notify.js';
import { notifyStateStore } from '../lib/notify/state.js';
import { memoryStateStore } from '../lib/runtime/memoryStateStore.js';
import { memorySink } from '../lib/runtime/metricSink.js';
import { strictObject } from '../lib/schemas.js';
import {
  batchesFor,
  checkSendMessageBatch,
  pagesFor,
  RDS_MAX_RECORDS,
  rdsPage,
  SNS_MESSAGES_PER_PUBLISH,
  SQS_MAX_BATCH_ENTRIES,
} from '../test/support/awsPaging.js';
import { fakeService } from './support/served.js';

const LATENCY_MS = 50;
const CONCURRENCY = 50;
const ACCOUNTS = 100;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const FINDINGS = 10_000;
const DUPLICATE_SHARE = 0.3;

/** What each target holds: one database, no snapshots (one finding per database). */
const DATABASES = [{ DBInstanceIdentifier: 'db', DBInstanceArn: 'arn:aws:rds:x:1:db:db' }];
const SNAPSHOTS: never[] = [];

const aws = fakeService(LATENCY_MS);
const served = aws.served;
const expires = new Date(Date.now() + 3_600_000);
mockClient(STSClient)
  .on(AssumeRoleCommand)
  .callsFake(() =>
    served(() => ({
      Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: expires },
    })),
  );
mockClient(RDSClient)
  .on(DescribeDBInstancesCommand)
  .callsFake((input) =>
    served(() => {
      const page = rdsPage(DATABASES, input);
      return { DBInstances: page.items, Marker: page.Marker };
    }),
  )
  .on(DescribeDBSnapshotsCommand)
  .callsFake((input) =>
    served(() => {
      const page = rdsPage(SNAPSHOTS, input);
      return { DBSnapshots: page.items, Marker: page.Marker };
    }),
  );
mockClient(SQSClient)
  .on(SendMessageBatchCommand)
  .callsFake((input: SendMessageBatchCommandInput) =>
    served(() => {
      checkSendMessageBatch(input.Entries);
      return {
        Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: '' })),
        Failed: [],
      };
    }),
  );
mockClient(SNSClient)
  .on(PublishCommand)
  .callsFake(() => served(() => ({ MessageId: 'm' })));

const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
const config = loadConfig({
  WARDEN_STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  WARDEN_TARGET_ACCOUNTS: accounts.join(','),
  WARDEN_TARGET_REGIONS: REGIONS.join(','),
});
const home = accounts[0]!;
const pool = new ClientPool({
  homeAccount: home,
  homeRegion: 'eu-west-1',
  roleName: 'WardenExecutionRole',
  maxAttempts: 3,
});

// min_calls, from the work alone: the targets, what each holds, and the APIs' page and batch limits.
// Per part's queue: an automation split across workers (WORKER_PARTS) has a unit per part.
const unitsOf = (a: (typeof AUTOMATION_NAMES)[number]) =>
  ACCOUNT_SCOPED.has(a) ? ACCOUNTS : ACCOUNTS * REGIONS.length;
const expectedUnits = AUTOMATION_NAMES.reduce((n, a) => n + unitsOf(a) * partsOf(a).length, 0);
const minDispatch = AUTOMATION_NAMES.reduce(
  (n, a) => n + partsOf(a).length * batchesFor(unitsOf(a), SQS_MAX_BATCH_ENTRIES),
  0,
);
const minPerUnit =
  pagesFor(DATABASES.length, RDS_MAX_RECORDS) +
  pagesFor(SNAPSHOTS.length, RDS_MAX_RECORDS) +
  batchesFor(DATABASES.length, SQS_MAX_BATCH_ENTRIES);
const minAssumeRole = ACCOUNTS - 1;
const minProcess = minAssumeRole + expectedUnits * minPerUnit;
const unique = Math.round(FINDINGS * (1 - DUPLICATE_SHARE));
const CHANNELS = 1;
const minNotify = Math.ceil(unique / SNS_MESSAGES_PER_PUBLISH) * CHANNELS;
const minCalls = minDispatch + minProcess + minNotify;

/** A stand-in automation with the shape of the real ones: two paged listings, one finding per database. */
const bench = (name: string, part?: string): Automation<Record<string, never>> => ({
  name,
  ...(part ? { part } : {}),
  description: 'bench',
  options: strictObject({}),
  permissions: [],
  mutatingPermissions: [],
  schedule: 'rate(1 day)',
  probe: async () => {},
  async run(ctx) {
    const rds = rdsApi(ctx.aws.get(RDSClient), ctx.target.region);
    const dbs = await rds.listInstances();
    await rds.listSnapshots();
    const findings = dbs.map((db) =>
      makeFinding({
        automation: name,
        check: 'bench',
        severity: 'low',
        account: ctx.target.account,
        region: ctx.target.region,
        resourceArn: `${db.DBInstanceArn}`,
        title: 'bench',
        observedAt: ctx.now(),
        dryRun: true,
      }),
    );
    return { findings, report: {}, summary: '' };
  },
});

async function lanes<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// 1. dispatch: every automation to its queue (an in-memory list standing in for SQS; sends are mocked calls).
const queue: WorkUnit[] = [];
const sqs = new SQSClient({ region: 'eu-west-1' });
let t0 = performance.now();
aws.reset();
for (const automation of AUTOMATION_NAMES) {
  await dispatch(
    {
      targets: resolveTargets(config, home),
      flags: { enabled: true, dryRun: true, source: 'default' },
      send: async (_queue: string, messages: readonly OutgoingMessage[]) => {
        await sendAll(sqs, 'https://sqs/work', messages, CONCURRENCY);
        for (const m of messages) queue.push(v.parse(workUnitSchema, JSON.parse(m.body)));
      },
      now: () => new Date(),
      dispatchId: 'bench',
    },
    { automation },
  );
}
const dispatchMs = performance.now() - t0;
const dispatchCalls = aws.calls();

// 2. process every unit through the worker code at the event source's maximum concurrency.
const metrics = memorySink();
const publish = sqsPublisher({ sqs, queueUrl: 'https://sqs/findings', metrics });
const automations = new Map<string, Automation<Record<string, never>>>(
  AUTOMATION_NAMES.flatMap((n) => partsOf(n).map((p) => [`${n}/${p ?? ''}`, bench(n, p)] as const)),
);
aws.reset();
t0 = performance.now();
let failures = 0;
await lanes(queue, CONCURRENCY, async (unit) => {
  const r = await runUnit(
    {
      automation: automations.get(`${unit.automation}/${unit.part ?? ''}`)!,
      config,
      pool,
      publish,
      logger: console,
      metrics,
      now: () => new Date(),
    },
    unit,
  );
  if (r.status !== 'completed') failures++;
});
const processMs = performance.now() - t0;
const processCalls = aws.calls();
const lowerBound = (minProcess * LATENCY_MS) / CONCURRENCY;

// 3. notify: 10,000 findings, 30 % of them repeats of others, in SQS batches of 10 at concurrency 50.
const findings: Finding[] = [];
for (let i = 0; i < FINDINGS; i++) {
  const n = i < unique ? i : Math.floor(Math.random() * unique);
  findings.push(
    makeFinding({
      automation: 'backupVerify',
      check: 'rpo',
      severity: 'high',
      account: home,
      region: 'eu-west-1',
      resourceArn: `arn:aws:rds:eu-west-1:${home}:db:db-${n}`,
      title: `db-${n} stale`,
      observedAt: new Date(),
      dryRun: false,
    }),
  );
}
findings.sort(() => Math.random() - 0.5);
const deps = {
  store: notifyStateStore({ store: memoryStateStore(() => new Date()), table: 'memory' }, 7 * 86_400),
  channels: [snsChannel(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:alerts')],
  now: () => Date.now(),
  windowMs: 86_400_000,
  runbookUrl: 'https://x',
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  metrics: memorySink(),
};
const batches = Array.from({ length: Math.ceil(FINDINGS / 10) }, (_, b) =>
  findings.slice(b * 10, b * 10 + 10),
);
aws.reset();
t0 = performance.now();
let message = 0;
await lanes(batches, CONCURRENCY, async (batch) => {
  await Promise.all(batch.map((f) => notifyFinding(deps, f, `m-${message++}`)));
});
const notifyMs = performance.now() - t0;
const sent = aws.calls();
const rssMb = process.resourceUsage().maxRSS / 1024;
const ratio = processMs / lowerBound;
const apiCalls = dispatchCalls + processCalls + sent;
const callsOk = apiCalls <= minCalls && queue.length === expectedUnits && failures === 0;

console.log(
  `dispatch: ${queue.length} units (expected ${expectedUnits}) in ${dispatchMs.toFixed(0)} ms, ${dispatchCalls} SQS calls (min_calls ${minDispatch}: ${SQS_MAX_BATCH_ENTRIES} units a batch per queue)`,
);
console.log(
  `process: ${queue.length} units, ${processCalls} AWS calls (${(processCalls / queue.length).toFixed(2)} per unit), concurrency ${CONCURRENCY}; min_calls ${minProcess} = ${minAssumeRole} AssumeRole + ${expectedUnits} units x ${minPerUnit}`,
);
console.log(
  `  wall ${processMs.toFixed(0)} ms vs lower bound ${lowerBound.toFixed(0)} ms (min_calls x ${LATENCY_MS} ms / ${CONCURRENCY}): ratio ${ratio.toFixed(3)} (goal <= 1.3), failures ${failures}`,
);
console.log(
  `notify: ${FINDINGS} findings (${unique} unique) -> ${sent} notifications in ${notifyMs.toFixed(0)} ms (min_calls ${minNotify}: one Publish each)`,
);
console.log(
  `api calls ${apiCalls} (goal <= min_calls ${minCalls}, every unit dispatched and completed: ${callsOk ? 'ok' : 'MISSED'})`,
);
console.log(`peak RSS ${rssMb.toFixed(0)} MB (goal <= 256)`);
console.log(
  `bench fanout: units=${queue.length} api_calls=${apiCalls} min_calls=${minCalls} wall_ratio=${ratio.toFixed(2)} notifications=${sent} unique=${unique} peak_rss_mb=${rssMb.toFixed(0)}`,
);
