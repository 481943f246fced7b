import { readFileSync } from 'node:fs';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import type { AwsClients, Target } from '../../../lib/aws/clients.js';
import { createStateStore } from '../../../lib/aws/dynamodb.js';
import type { Finding } from '../../../lib/findings/finding.js';
import type { RollbackDeps } from '../../../lib/rollback/deps.js';
import type { AlarmEvent } from '../../../lib/rollback/event.js';
import { rollbackOptionsSchema } from '../../../lib/rollback/options.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';

type Item = Record<string, AttributeValue>;
// biome-ignore lint/suspicious/noExplicitAny: command inputs as aws-sdk-client-mock passes them to fakes
type Input = any;
// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub type is generic over each client
type DdbStub = AwsStub<any, any, any>;

/**
 * A small in-test DynamoDB: one table, items by pk/sk, honouring the store's ConditionExpression.
 * `latency` runs before each call (the benchmark's simulated round trip).
 */
export function fakeDynamo(stub: DdbStub, latency?: () => Promise<void>): { items: Map<string, Item> } {
  const items = new Map<string, Item>();
  const id = (key: Item | undefined) => `${key?.pk?.S}\u0000${key?.sk?.S}`;
  const holds = (
    expr: string,
    item: Item | undefined,
    names: Record<string, string> = {},
    values: Record<string, AttributeValue> = {},
  ) =>
    expr.split(' OR ').some((clause) => {
      const notExists = /^attribute_not_exists\((\w+)\)$/.exec(clause.trim());
      if (notExists) return item?.[notExists[1]!] === undefined;
      const le = /^(#?\w+) <= (:\w+)$/.exec(clause.trim());
      if (le) {
        const attr = item?.[names[le[1]!] ?? le[1]!]?.N;
        return attr !== undefined && Number(attr) <= Number(values[le[2]!]?.N);
      }
      throw new Error(`fakeDynamo: unsupported condition ${clause}`);
    });
  const slow =
    (fn: (input: Input) => unknown) =>
    async (input: Input): Promise<unknown> => {
      if (latency) await latency();
      return fn(input);
    };
  stub.on(PutItemCommand).callsFake(
    slow((input) => {
      const key = id(input.Item);
      if (
        input.ConditionExpression &&
        !holds(
          input.ConditionExpression,
          items.get(key),
          input.ExpressionAttributeNames,
          input.ExpressionAttributeValues,
        )
      ) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
        });
      }
      items.set(key, { ...input.Item });
      return {};
    }),
  );
  stub.on(GetItemCommand).callsFake(slow((input) => ({ Item: items.get(id(input.Key)) })));
  stub.on(UpdateItemCommand).callsFake(
    slow((input) => {
      const key = id(input.Key);
      const item: Item = { ...(items.get(key) ?? input.Key) };
      const sets = String(input.UpdateExpression).replace(/^SET /, '').split(', ');
      for (const s of sets) {
        const [n, v] = s.split(' = ');
        item[input.ExpressionAttributeNames[n!]] = input.ExpressionAttributeValues[v!];
      }
      items.set(key, item);
      return {};
    }),
  );
  stub.on(QueryCommand).callsFake(
    slow((input) => {
      const pk = input.ExpressionAttributeValues[':pk'].S;
      const found = [...items.values()]
        .filter((i) => i.pk?.S === pk)
        .sort((a, b) => String(a.sk?.S).localeCompare(String(b.sk?.S)));
      if (input.ScanIndexForward === false) found.reverse();
      return { Items: found.slice(0, input.Limit ?? found.length) };
    }),
  );
  return { items };
}

export const EXAMPLES = new URL('../../../examples/rollback/', import.meta.url);

export function exampleEvent(name: string): AlarmEvent {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), 'utf8')) as AlarmEvent;
}

/** A copy of an example event with another state value / timestamp. */
export function withState(event: AlarmEvent, value: 'ALARM' | 'OK', timestamp: string): AlarmEvent {
  return { ...event, detail: { ...event.detail, state: { ...event.detail.state, value, timestamp } } };
}

export interface TestDeps extends RollbackDeps {
  published: Finding[];
  recorded: ReturnType<typeof memorySink>['recorded'];
  sleeps: number[];
  clock: { now: Date };
}

/** Deps over mocked SDK clients (mocks sit on the client prototypes) and a fixed, movable clock. */
export function testDeps(
  ddb: DynamoDBClient,
  options: Record<string, unknown> = {},
  dryRun = false,
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
    published,
    recorded: metrics.recorded,
    sleeps,
    clock,
  };
}
