import { readFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as v from 'valibot';
import type { AwsClients, Target } from '../../../lib/aws/clients.js';
import { createStateStore } from '../../../lib/aws/stateStore.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { rollbackAccounts } from '../../../lib/rollback/accounts.js';
import type { AlarmDeps } from '../../../lib/rollback/deps.js';
import type { AlarmEvent } from '../../../lib/rollback/event.js';
import { rollbackOptionsSchema } from '../../../lib/rollback/options.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';

export const EXAMPLES = new URL('../../../examples/rollback/', import.meta.url);

export function exampleEvent(name: string): AlarmEvent {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8')) as AlarmEvent;
}

/** A copy of an example event with another state value / timestamp. */
export function withState(event: AlarmEvent, value: 'ALARM' | 'OK', timestamp: string): AlarmEvent {
  return { ...event, detail: { ...event.detail, state: { ...event.detail.state, value, timestamp } } };
}

export interface TestDeps extends AlarmDeps {
  published: Finding[];
  recorded: ReturnType<typeof memorySink>['recorded'];
  sleeps: number[];
  clock: { now: Date };
}

/** The account of the example events: home in the tests. */
export const HOME = { account: '123456789012', region: 'eu-west-1' };

/**
 * Deps over mocked SDK clients (mocks sit on the client prototypes) and a fixed, movable clock; the accounts
 * served are home and `targets`.
 */
export function testDeps(
  ddb: DynamoDBClient,
  options: Record<string, unknown> = {},
  dryRun = false,
  targets: Target[] = [],
): TestDeps {
  const published: Finding[] = [];
  const metrics = memorySink();
  const sleeps: number[] = [];
  const clock = { now: new Date('2026-11-26T10:02:30.000Z') };
  const now = () => clock.now;
  const clients = new Map<unknown, object>();
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    clientsFor: (where: Target): AwsClients => ({
      target: where,
      get: <C extends object>(Client: new (config: object) => C): C => {
        if (!clients.has(Client)) clients.set(Client, new Client({ region: where.region }));
        return clients.get(Client) as C;
      },
    }),
    reach: async () => {},
    store: createStateStore(ddb, now),
    table: 'warden-test-state',
    publish: async (f) => {
      published.push(...f);
    },
    metrics,
    logger: silent,
    now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    options: v.parse(rollbackOptionsSchema, { allowedTargets: ['*'], ...options }),
    mode: async () => ({ enabled: true, dryRun }),
    accounts: rollbackAccounts({ home: () => HOME, resolve: async () => targets, now }),
    published,
    recorded: metrics.recorded,
    sleeps,
    clock,
  };
}
