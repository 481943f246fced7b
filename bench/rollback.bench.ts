/**
 * autoRollback under a storm of alarm events: 1,000 events (10 % duplicates, 5 % flapping re-fires) through the
 * same middy handler stack as functions/auto-rollback.ts, every AWS call answered by a fake client after 50 ms. Measures the handler's
 * own time per event (wall time minus 50 ms per AWS call) and checks rollbacks performed = distinct incidents.
 * Events run 25 at a time (Lambda would run them in separate containers; here they share one event loop).
 */
import * as v from 'valibot';
import './support/benchEnv.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const AWS_MS = 50;
const EVENTS = 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 25);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

const { createStateStore } = await import('../lib/aws/stateStore.js');
const { ALARM_EVENT_NAME, alarmEventSchema } = await import('../lib/rollback/event.js');
const { handleAlarmEvent } = await import('../lib/rollback/handleAlarm.js');
const { rollbackOptionsSchema } = await import('../lib/rollback/options.js');
const { emfSink } = await import('../lib/runtime/metricSink.js');
const { middyfy } = await import('../lib/runtime/middyfy.js');
const { createMetrics } = await import('../lib/runtime/powertools.js');
const { fakeDynamo } = await import('../test/support/fakeDynamo.js');
type AlarmEvent = import('../lib/rollback/event.js').AlarmEvent;
type AwsClients = import('../lib/aws/clients.js').AwsClients;

/** AWS calls made on behalf of the event being handled (AsyncLocalStorage follows its awaits). */
const perEvent = new AsyncLocalStorage<{ calls: number; awaitedMs: number }>();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** One simulated round trip; `awaitedMs` is how long the event really waited (50 ms plus timer lateness). */
const latency = async () => {
  const s = perEvent.getStore();
  const t = performance.now();
  await sleep(AWS_MS);
  if (s) {
    s.calls++;
    s.awaitedMs += performance.now() - t;
  }
};
// Powertools warns on every flush without metrics (skipped events add theirs as single metrics): noise here.
console.warn = () => {};
// biome-ignore lint/suspicious/noExplicitAny: command inputs and outputs of several services
type Input = any;
const slow =
  <T>(fn: (input: Input) => T) =>
  async (input: Input): Promise<T> => {
    await latency();
    return fn(input);
  };

// --- the world: one alarm per incident target; lambda canaries, plain aliases, CodeDeploy groups ---
type Kind = 'canary' | 'plain' | 'codedeploy';
const incidents = Math.round(EVENTS * 0.85);
/** Warm-up incidents, handled one at a time before the run (a container's first events), not counted. */
const WARMUP = 6;
const kinds: Kind[] = Array.from({ length: incidents + WARMUP }, (_, i) =>
  i % 10 < 6 ? 'canary' : i % 10 < 9 ? 'plain' : 'codedeploy',
);
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
const aliases = new Map<string, { version: string; weights: Record<string, number> }>();
const activeDeployments = new Map<string, string[]>();
const transitioned = new Map<string, Date>();
let mutations = 0;
kinds.forEach((kind, i) => {
  if (kind === 'codedeploy') activeDeployments.set(`${name(i)}/prod`, [`d-${i}`]);
  else
    aliases.set(
      name(i),
      kind === 'canary' ? { version: '10', weights: { '11': 0.1 } } : { version: '11', weights: {} },
    );
});

/** Every simulated AWS operation by command name; one fake client answers them all (no SDK stack, no sinon). */
const operations = new Map<string, (input: Input) => unknown>();
const on = (op: string, fn: (input: Input) => unknown) => operations.set(op, slow(fn));
on('ListTagsForResourceCommand', (input) => {
  const i = Number.parseInt(String(input.ResourceARN).split('alarm:svc-')[1] ?? '', 10);
  const target = kinds[i] === 'codedeploy' ? `codedeploy:${name(i)}/prod` : `lambda:${name(i)}:live`;
  return { Tags: [{ Key: 'warden:rollback-target', Value: target }] };
});
on('DescribeAlarmsCommand', (input) => {
  const alarm = String(input.AlarmNames[0]);
  const arn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}`;
  return {
    MetricAlarms: [
      {
        AlarmName: alarm,
        AlarmArn: arn,
        StateValue: 'ALARM',
        StateTransitionedTimestamp: transitioned.get(alarm),
      },
    ],
  };
});
on('GetAliasCommand', (input) => {
  const a = aliases.get(input.FunctionName)!;
  return {
    FunctionVersion: a.version,
    RoutingConfig: { AdditionalVersionWeights: a.weights },
    RevisionId: `r${a.version}`,
  };
});
on('ListVersionsByFunctionCommand', () => ({
  Versions: Array.from({ length: 11 }, (_, v) => ({ Version: String(v + 1) })),
}));
on('UpdateAliasCommand', (input) => {
  mutations++;
  aliases.set(input.FunctionName, { version: input.FunctionVersion, weights: {} });
  return {};
});
on('ListDeploymentsCommand', (input) => ({
  deployments: activeDeployments.get(`${input.applicationName}/${input.deploymentGroupName}`) ?? [],
}));
on('StopDeploymentCommand', (input) => {
  mutations++;
  activeDeployments.set(`${name(Number(String(input.deploymentId).slice(2)))}/prod`, []);
  return { status: 'Pending' };
});
// The test suite's DynamoDB (conditional puts honoured) registers itself through the same `on`.
fakeDynamo(
  {
    on: (Command: { name: string }) => ({
      callsFake: (fn: (input: unknown) => unknown) => operations.set(Command.name, fn),
    }),
  } as never,
  latency,
);
const client = {
  send: async (command: { constructor: { name: string }; input: unknown }) => {
    const op = operations.get(command.constructor.name);
    if (!op) throw new Error(`bench: no fake for ${command.constructor.name}`);
    return op(command.input);
  },
};

// --- events: incidents, then duplicates (same event again) and flaps (alarm re-fires inside the cooldown) ---
function event(i: number, stateTime: Date): AlarmEvent {
  const alarm = `${name(i)}-errors`;
  return {
    version: '0',
    id: `evt-${i}-${stateTime.getTime()}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: ACCOUNT,
    time: stateTime.toISOString(),
    region: REGION,
    resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}`],
    detail: {
      alarmName: alarm,
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed',
        timestamp: stateTime.toISOString().replace('Z', '+0000'),
      },
    },
  };
}
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const t0 = new Date('2026-11-26T10:00:00Z').getTime();
const queue: { event: AlarmEvent; emit?: () => void }[] = kinds
  .slice(0, incidents)
  .map((_, i) => ({ event: event(i, new Date(t0 + i * 1000)) }));
for (let d = 0; d < EVENTS * 0.1; d++) {
  const i = Math.floor(random() * incidents);
  queue.splice(Math.min(queue.length, i + 1 + Math.floor(random() * 40)), 0, {
    event: event(i, new Date(t0 + i * 1000)),
  });
}
for (let f = 0; f < EVENTS * 0.05; f++) {
  const i = Math.floor(random() * incidents);
  const at = new Date(t0 + i * 1000 + 120_000 + f);
  const alarm = `${name(i)}-errors`;
  queue.splice(Math.min(queue.length, i + 1 + Math.floor(random() * 40)), 0, {
    event: event(i, at),
    emit: () => transitioned.set(alarm, at),
  });
}
for (let i = 0; i < kinds.length; i++) transitioned.set(`${name(i)}-errors`, new Date(t0 + i * 1000));

// --- the handler, as functions/auto-rollback.ts builds it, with an allow-all stage config ---
const metrics = createMetrics('autoRollback', 'bench');
const deps = {
  clientsFor: (where: { account: string; region: string }): AwsClients => ({
    target: where,
    get: <C>() => client as C,
  }),
  store: createStateStore(client as never, () => new Date(t0 + 60_000)),
  reach: async () => {},
  table: 'warden-bench-state',
  publish: async () => {},
  metrics: emfSink(metrics),
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(t0 + 60_000),
  sleep,
  options: v.parse(rollbackOptionsSchema, { allowedTargets: ['*'] }),
  mode: async () => ({ enabled: true, dryRun: false }),
  accounts: { allows: async () => true, targets: async () => [] },
};
const handler = middyfy((e) => handleAlarmEvent(e, deps), {
  eventName: ALARM_EVENT_NAME,
  schema: alarmEventSchema,
  metrics,
});
const context = {
  awsRequestId: 'bench',
  functionName: 'warden-bench-autoRollback',
  getRemainingTimeInMillis: () => 60_000,
} as never;

const warmup: number[] = [];
for (let w = incidents; w < incidents + WARMUP; w++) {
  const counter = { calls: 0, awaitedMs: 0 };
  const t = performance.now();
  await perEvent.run(counter, () => handler(event(w, new Date(t0 + w * 1000)), context));
  warmup.push(performance.now() - t - counter.awaitedMs);
}
const warmMutations = mutations;
mutations = 0;
const overheads: number[] = [];
const nominal: number[] = [];
const outcomes = new Map<string, number>();
let awsCalls = 0;
const started = performance.now();
const cpuStart = process.cpuUsage();
let next = 0;
async function worker(): Promise<void> {
  while (next < queue.length) {
    const item = queue[next++]!;
    item.emit?.();
    const counter = { calls: 0, awaitedMs: 0 };
    const t = performance.now();
    const report = await perEvent.run(counter, () => handler(item.event, context));
    const elapsed = performance.now() - t;
    overheads.push(elapsed - counter.awaitedMs);
    nominal.push(elapsed - counter.calls * AWS_MS);
    awsCalls += counter.calls;
    const key = `${report.outcome}:${report.reason}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
}
// Workers start 2 ms apart: events arrive spread out, not as one burst that would queue behind itself.
await Promise.all(
  Array.from({ length: CONCURRENCY }, (_, w) => sleep(w * (AWS_MS / CONCURRENCY)).then(worker)),
);
const wall = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);

const percentile = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const pct = percentile(overheads);
const pctNominal = percentile(nominal);
const performed = [...outcomes].filter(([k]) => k.startsWith('performed')).reduce((n, [, v]) => n + v, 0);
console.log(
  `warm-up (${WARMUP} events one at a time, not counted): overhead ${warmup.map((w) => w.toFixed(1)).join(', ')} ms; ${warmMutations} rollbacks`,
);
console.log(
  `events ${queue.length} (incidents ${incidents}, duplicates ${EVENTS * 0.1}, flaps ${EVENTS * 0.05}), ${CONCURRENCY} in flight, AWS ${AWS_MS} ms per call`,
);
console.log(
  `outcomes: ${[...outcomes]
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`,
);
console.log(
  `AWS calls ${awsCalls} (${(awsCalls / queue.length).toFixed(2)} per event), mutating calls ${mutations}, wall ${(wall / 1000).toFixed(1)} s`,
);
console.log(
  `handler overhead per event (wall - time awaiting mocked AWS): median ${pct(50).toFixed(2)} ms, p90 ${pct(90).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${pct(100).toFixed(2)} ms`,
);
console.log(
  `  same, minus a nominal 50 ms per call (adds timer lateness under ${CONCURRENCY} in flight): median ${pctNominal(50).toFixed(2)} ms, p99 ${pctNominal(99).toFixed(2)} ms`,
);
console.log(
  `  CPU per event (user+system, whole process incl. mocks): ${((cpu.user + cpu.system) / 1000 / queue.length).toFixed(2)} ms`,
);
console.log(
  `overhead / mocked AWS time (median event): ${((pct(50) / ((awsCalls / queue.length) * AWS_MS)) * 100).toFixed(2)} %; p99 goal <= 20 ms: ${pct(99) <= 20 ? 'met' : 'MISSED'}`,
);
console.log(
  `machine: ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)} (other processes stretch the wall-time tail; CPU per event does not move)`,
);
const exact = performed === incidents && mutations === incidents;
if (!exact)
  console.log(`MISMATCH: rollbacks ${performed} (mutating calls ${mutations}) != incidents ${incidents}`);
console.log(
  `bench rollback: events=${queue.length} rollbacks=${performed} incidents=${incidents} overhead_p99_ms=${pct(99).toFixed(2)}`,
);
process.exitCode = exact ? 0 : 1;
