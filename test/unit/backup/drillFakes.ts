import * as v from 'valibot';
import type { LoggerLike } from '../../../lib/automations/types.js';
import type { Target } from '../../../lib/aws/clients.js';
import type { DynamoDbDrillApi } from '../../../lib/aws/dynamodb.js';
import type { DBInstance, RdsApi, Tag } from '../../../lib/aws/rds.js';
import type { DrillMessage } from '../../../lib/backup/drill/messages.js';
import { drillSettingsSchema } from '../../../lib/backup/drill/messages.js';
import type { DrillDeps } from '../../../lib/backup/drill/runner.js';
import { newDrill } from '../../../lib/backup/drill/runner.js';
import type { SqlClient } from '../../../lib/backup/drill/validate.js';
import { localValidator, type OpenDatabase } from '../../../lib/backup/drill/validator.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { DR_REGION, fakeRds, NOW, REGION, silentLogger, snapshot, TARGET } from './fixtures.js';

/** RDS that restores for real in memory: creating -> available -> deleting -> gone, one poll per state. */
export function drillRds(
  endpoint: { host: string; port: number },
  engine = 'postgres',
  snapshots = [snapshot('orders', 'rds:orders-2026-11-26-03-00', 9)],
  region = REGION,
) {
  const fake = fakeRds({ snapshots }, region);
  const instances = new Map<string, { status: string[]; tags?: Tag[]; createdAt?: Date; cluster?: string }>();
  const api: RdsApi = {
    ...fake.api,
    restoreInstance: async (input) => {
      fake.calls.push({ method: 'restoreInstance', args: [input] });
      const err = fake.fail.restoreInstance?.([input]);
      if (err) throw err;
      if (instances.has(input.instanceId)) return 'exists';
      instances.set(input.instanceId, { status: ['creating', 'available'], tags: input.tags });
      return 'done';
    },
    listInstances: async () => {
      fake.calls.push({ method: 'listInstances', args: [] });
      return [...instances].map(([id, i]) => ({
        DBInstanceIdentifier: id,
        DBInstanceStatus: i.status[0],
        TagList: i.tags ?? [],
        InstanceCreateTime: i.createdAt ?? NOW,
        ...(i.cluster ? { DBClusterIdentifier: i.cluster } : {}),
      }));
    },
    describeInstance: async (id) => {
      fake.calls.push({ method: 'describeInstance', args: [id] });
      const err = fake.fail.describeInstance?.([id]);
      if (err) throw err;
      const i = instances.get(id);
      if (!i) return undefined;
      const status = i.status.length > 1 ? (i.status.shift() as string) : (i.status[0] as string);
      if (status === 'gone') {
        instances.delete(id);
        return undefined;
      }
      const out: DBInstance = { DBInstanceIdentifier: id, DBInstanceStatus: status, Engine: engine };
      if (status === 'available') out.Endpoint = { Address: endpoint.host, Port: endpoint.port };
      return out;
    },
    deleteInstance: async (id, clusterMember) => {
      fake.calls.push({ method: 'deleteInstance', args: clusterMember ? [id, true] : [id] });
      const err = fake.fail.deleteInstance?.([id]);
      if (err) throw err;
      const i = instances.get(id);
      if (!i) return 'missing';
      i.status = ['deleting', 'gone'];
      return 'done';
    },
  };
  const clusters = new Map<string, { status: string[]; tags?: Tag[]; createdAt?: Date }>();
  api.listClusters = async () => {
    fake.calls.push({ method: 'listClusters', args: [] });
    return [...clusters].map(([id, c]) => ({
      DBClusterIdentifier: id,
      Status: c.status[0],
      TagList: c.tags ?? [],
      ClusterCreateTime: c.createdAt ?? NOW,
    }));
  };
  const step = (states: { status: string[] }) =>
    states.status.length > 1 ? (states.status.shift() as string) : (states.status[0] as string);
  api.restoreCluster = async (input) => {
    fake.calls.push({ method: 'restoreCluster', args: [input] });
    if (clusters.has(input.clusterId)) return 'exists';
    clusters.set(input.clusterId, { status: ['creating', 'available'], tags: input.tags });
    return 'done';
  };
  api.createClusterInstance = async (input) => {
    fake.calls.push({ method: 'createClusterInstance', args: [input] });
    if (!clusters.has(input.clusterId)) return 'missing';
    if (instances.has(input.instanceId)) return 'exists';
    instances.set(input.instanceId, {
      status: ['creating', 'available'],
      tags: input.tags,
      cluster: input.clusterId,
    });
    return 'done';
  };
  api.describeCluster = async (id) => {
    fake.calls.push({ method: 'describeCluster', args: [id] });
    const c = clusters.get(id);
    if (!c) return undefined;
    const status = step(c);
    if (status === 'gone') {
      clusters.delete(id);
      return undefined;
    }
    return { DBClusterIdentifier: id, Status: status };
  };
  api.deleteCluster = async (id) => {
    fake.calls.push({ method: 'deleteCluster', args: [id] });
    const c = clusters.get(id);
    if (!c) return 'missing';
    c.status = ['deleting', 'gone'];
    return 'done';
  };
  return { api, calls: fake.calls, fail: fake.fail, instances, clusters };
}

/**
 * Drill deps over `rds`; validation runs in-process through `open` (the Lambda drill invokes a validator). Pass a
 * `logger` to keep what the drill logs (a leak check searches it).
 */
export function drillHarness(
  rds: RdsApi | ((target: Target) => RdsApi),
  open: OpenDatabase,
  start = NOW,
  logger: LoggerLike = silentLogger,
  dynamo?: DynamoDbDrillApi,
) {
  let t = start.getTime();
  const queue: { message: DrillMessage; delaySeconds: number }[] = [];
  const published: Finding[] = [];
  const metrics = memorySink();
  const deps: DrillDeps = {
    rdsFor: typeof rds === 'function' ? rds : () => rds,
    dynamoFor: () => {
      if (!dynamo) throw new Error('this test gave the drill no DynamoDB');
      return dynamo;
    },
    now: () => new Date(t),
    validate: localValidator(open, logger),
    logger,
    enqueue: async (message, delaySeconds) => {
      queue.push({ message: message as DrillMessage, delaySeconds });
    },
    publish: async (f) => {
      published.push(...f);
    },
    metrics,
  };
  const sleep = async (ms: number) => {
    t += ms;
  };
  return { deps, queue, published, metrics, sleep, advance: (ms: number) => (t += ms) };
}

export const SETTINGS = v.parse(drillSettingsSchema, {
  subnetGroup: 'warden-drills',
  securityGroupIds: ['sg-0123456789abcdef0'],
  pollSeconds: 300,
});

export const DR_SETTINGS = v.parse(drillSettingsSchema, {
  ...SETTINGS,
  dr: { region: DR_REGION, subnetGroup: 'warden-drills-dr', securityGroupIds: ['sg-0fedcba9876543210'] },
});

export function firstMessage(
  checks: DrillMessage['validation']['checks'],
  dryRun = false,
  now = NOW,
  from: 'home' | 'dr' = 'home',
): DrillMessage {
  return newDrill({
    target: TARGET,
    dbId: 'orders',
    settings: from === 'dr' ? DR_SETTINGS : SETTINGS,
    validation: {
      from,
      database: 'test',
      tls: true,
      secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders-AbCdEf',
      checks,
    },
    now,
    dryRun,
  });
}

export type { SqlClient };
