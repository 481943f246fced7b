import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import type { AwsClients, Target } from '../aws/clients.js';
import type { CliIO } from '../cli/types.js';
import type { Finding } from '../findings/finding.js';
import { memoryStateStore } from '../runtime/memoryStateStore.js';
import { memorySink } from '../runtime/metricSink.js';
import { rollbackAccounts } from './accounts.js';
import type { AlarmDeps } from './deps.js';
import type { AlarmEvent } from './event.js';
import { handleAlarmEvent } from './handleAlarm.js';
import { rollbackOptionsSchema } from './options.js';
import { knownGoodKey } from './stateKeys.js';

const EXAMPLES = new URL('../../examples/rollback/', import.meta.url);
const EVENTS = ['alarm-canary', 'alarm-plain', 'alarm-codedeploy', 'alarm-not-allowed'];
const DATE_KEY = /Timestamp$|Time$/;

// biome-ignore lint/suspicious/noExplicitAny: recorded SDK responses keyed by command and input
type Recorded = Record<string, Record<string, Record<string, any>>>;

/** Which recorded response answers a read: the alarm name, ARN, `function:alias`, function, or `app/group`. */
function lookupKey(input: Record<string, unknown>): string {
  if (Array.isArray(input.AlarmNames)) return String(input.AlarmNames[0]);
  if (typeof input.ResourceARN === 'string') return input.ResourceARN;
  if (typeof input.Name === 'string') return `${input.FunctionName}:${input.Name}`;
  if (typeof input.FunctionName === 'string') return input.FunctionName;
  return `${input.applicationName}/${input.deploymentGroupName}`;
}

/** A read-only stand-in for every SDK client: answers from the saved responses, refuses anything else. */
function replayClients(data: Recorded): (where: Target) => AwsClients {
  const responses = { ...data.cloudwatch, ...data.lambda, ...data.codedeploy };
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const op = command.constructor.name.replace(/Command$/, '');
      const out = responses[op]?.[lookupKey(command.input)];
      if (out === undefined)
        throw new Error(`demo: no recorded response for ${op} ${JSON.stringify(command.input)}`);
      return out;
    },
  };
  return (where) => ({ target: where, get: <C extends object>() => client as unknown as C });
}

/** Dry-run decisions on the sample alarms of examples/rollback, from saved AWS responses. */
export async function demo(io: CliIO): Promise<Finding[]> {
  const data = JSON.parse(readFileSync(new URL('aws.json', EXAMPLES), 'utf8'), (k, v) =>
    DATE_KEY.test(k) && typeof v === 'string' ? new Date(v) : v,
  ) as Recorded;
  const published: Finding[] = [];
  const now = () => new Date('2026-11-26T10:07:00Z');
  const store = memoryStateStore(now);
  const home = { account: '123456789012', region: 'eu-west-1' };
  for (const [target, version] of Object.entries(data.state?.['known-good'] ?? {})) {
    await store.update('demo', knownGoodKey(home, `lambda:${target}`), { version: String(version) });
  }
  const deps: AlarmDeps = {
    clientsFor: replayClients(data),
    reach: async () => {},
    store,
    table: 'demo',
    publish: async (f) => {
      published.push(...f);
    },
    metrics: memorySink(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now,
    sleep: async () => {},
    options: v.parse(rollbackOptionsSchema, {
      allowedTargets: ['lambda:orders-api:live', 'lambda:payments:live', 'codedeploy:checkout/*'],
      alarmPrefix: 'payments-',
    }),
    mode: async () => ({ enabled: true, dryRun: true }),
    accounts: rollbackAccounts({ home: () => home, resolve: async () => [], now }),
  };
  io.out('autoRollback (dry-run) on examples/rollback:');
  for (const name of EVENTS) {
    const event = JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8')) as AlarmEvent;
    const report = await handleAlarmEvent(event, deps);
    const line = 'message' in report ? report.message : `${report.alarmName}: ${report.reason}`;
    io.out(`  ${event.detail.alarmName}: ${report.outcome} (${report.reason}) ${line}`);
  }
  io.out(`${published.length} findings; nothing was changed.`);
  return published;
}
