import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { DrillMessage } from '../../../lib/backup/drill/messages.js';
import { drillMessageSchema } from '../../../lib/backup/drill/messages.js';
import { newDrill, processDrillMessage, runDrillInline } from '../../../lib/backup/drill/runner.js';
import { runStep } from '../../../lib/backup/drill/steps.js';
import type { SqlClient } from '../../../lib/backup/drill/validate.js';
import { quoteIdent } from '../../../lib/backup/drill/validate.js';
import { drillHarness, drillRds, firstMessage, SETTINGS } from './drillFakes.js';
import { callsOf, clusterSnapshot, DR_REGION, NOW, snapshot, TARGET } from './fixtures.js';

const endpoint = { host: 'wd-orders.abc.eu-west-1.rds.amazonaws.com', port: 5432 };
/** A database with 100 fresh rows in every table. */
const okDb = async (): Promise<SqlClient> => ({
  query: async (sql) => ({
    rows: [sql.includes('count') ? { n: '100' } : { latest: new Date(NOW.getTime() - 3_600_000) }],
  }),
  end: async () => {},
});
const checks = [{ kind: 'rowCount' as const, table: 'orders', min: 10 }];
const err = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('Function: processDrillMessage', () => {
  it('re-enqueues each step with its delay until the drill reports', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    // Act: play the queue, one message at a time
    await processDrillMessage(h.deps, firstMessage(checks));
    const steps: string[] = [];
    for (let i = 0; i < 20 && h.queue.length > 0; i++) {
      const next = h.queue.shift()!;
      steps.push(`${next.message.step}+${next.delaySeconds}`);
      h.advance(next.delaySeconds * 1000);
      await processDrillMessage(h.deps, JSON.parse(JSON.stringify(next.message)));
    }
    // Assess
    expect(steps).toEqual([
      'waitAvailable+300',
      'waitAvailable+300',
      'validate+0',
      'delete+0',
      'waitDeleted+300',
      'waitDeleted+300',
      'report+0',
    ]);
    expect(h.published[0]).toMatchObject({ check: 'restore-drill', action: { result: 'succeeded' } });
  });

  it('throws on a step that fails so SQS redelivers it, and resumes from that message', async () => {
    // Prepare: the first poll times out
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    await processDrillMessage(h.deps, firstMessage(checks));
    const waiting = h.queue.shift()!.message;
    let timeouts = 1;
    rds.fail.describeInstance = () => (timeouts-- > 0 ? err('TimeoutError', 'socket timed out') : undefined);
    // Act
    const first = processDrillMessage(h.deps, waiting, 1);
    // Assess
    await expect(first).rejects.toThrow('socket timed out');
    expect(h.queue).toEqual([]);
    await processDrillMessage(h.deps, waiting, 2);
    expect(h.queue[0]?.message.step).toBe('waitAvailable');
    expect(callsOf(rds.calls, 'restoreInstance')).toHaveLength(1);
  });

  it('goes to cleanup instead of the DLQ when a step keeps failing', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    await processDrillMessage(h.deps, firstMessage(checks));
    const waiting = h.queue.shift()!.message;
    rds.fail.describeInstance = () => err('InternalFailure', 'rds is down');
    // Act
    await processDrillMessage(h.deps, waiting, 4);
    // Assess
    expect(h.queue[0]?.message).toMatchObject({
      step: 'delete',
      failure: 'waitAvailable kept failing: InternalFailure: rds is down',
    });
  });

  it('replays a restore step safely when the instance already exists', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    const msg = firstMessage(checks);
    // Act
    await processDrillMessage(h.deps, msg);
    await processDrillMessage(h.deps, msg);
    // Assess
    expect(h.queue.map((q) => q.message.step)).toEqual(['waitAvailable', 'waitAvailable']);
    expect(rds.instances.size).toBe(1);
  });

  it('restores the newest available snapshot whatever order RDS lists them in', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    rds.api.listSnapshots = async () => [
      snapshot('orders', 'older', 30),
      snapshot('orders', 'broken', 1, { Status: 'failed' }),
      snapshot('orders', 'newest', 5),
    ];
    const h = drillHarness(rds.api, okDb);
    // Act
    await processDrillMessage(h.deps, firstMessage(checks));
    // Assess
    expect(h.queue[0]?.message.snapshotId).toBe('newest');
  });

  it('rejects a malformed message with a ValidationError naming the field', async () => {
    const h = drillHarness(drillRds(endpoint).api, okDb);
    await expect(
      processDrillMessage(h.deps, { ...firstMessage(checks), step: 'explode' }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'step',
    });
  });
});

describe('Function: runDrillInline', () => {
  it('drills an Aurora cluster: restores the cluster and one small instance, then deletes both', async () => {
    // Prepare
    const rds = drillRds(endpoint, 'aurora-postgresql');
    rds.api.listSnapshots = async () => [];
    rds.api.listClusterSnapshots = async () => [
      clusterSnapshot('orders', 'rds:orders-c1', 4, { Engine: 'aurora-postgresql' }),
    ];
    const h = drillHarness(rds.api, okDb);
    const msg = firstMessage(checks);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true });
    expect(callsOf(rds.calls, 'restoreCluster')[0]?.[0]).toMatchObject({
      clusterId: msg.tempId,
      snapshotId: 'rds:orders-c1',
      engine: 'aurora-postgresql',
    });
    expect(callsOf(rds.calls, 'createClusterInstance')[0]?.[0]).toMatchObject({
      instanceId: `${msg.tempId}-i`,
      instanceClass: 'db.t4g.medium',
    });
    expect(callsOf(rds.calls, 'deleteInstance')).toEqual([[`${msg.tempId}-i`, true]]);
    expect(callsOf(rds.calls, 'deleteCluster')).toEqual([[msg.tempId]]);
    expect(rds.instances.size + rds.clusters.size).toBe(0);
  });

  it('deletes a restored cluster whose instance could not be created', async () => {
    // Prepare
    const rds = drillRds(endpoint, 'aurora-mysql');
    rds.api.listSnapshots = async () => [];
    rds.api.listClusterSnapshots = async () => [
      clusterSnapshot('orders', 'rds:orders-c1', 4, { Engine: 'aurora-mysql' }),
    ];
    rds.api.createClusterInstance = async () =>
      Promise.reject(err('InsufficientDBInstanceCapacityFault', 'none left'));
    const h = drillHarness(rds.api, okDb);
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks), h.sleep);
    // Assess
    expect(summary.reason).toContain('InsufficientDBInstanceCapacityFault: none left');
    expect(summary.cleanedUp).toBe(true);
    expect(rds.clusters.size).toBe(0);
  });

  it('reports a restore that fails, after making sure nothing is left behind', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    rds.fail.restoreInstance = () => err('InsufficientDBInstanceCapacityFault', 'no capacity');
    const h = drillHarness(rds.api, okDb);
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks), h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: false, rtoSeconds: null, cleanedUp: true });
    expect(summary.reason).toContain(
      'restore of rds:orders-2026-11-26-03-00 failed: InsufficientDBInstanceCapacityFault: no capacity',
    );
    expect(callsOf(rds.calls, 'deleteInstance')).toHaveLength(1);
    expect(h.published[0]).toMatchObject({ severity: 'high', action: { result: 'failed' } });
  });

  it('raises a critical finding when the temporary instance cannot be deleted', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    rds.fail.deleteInstance = () => err('InvalidDBInstanceStateFault', 'busy');
    const h = drillHarness(rds.api, okDb);
    const msg = firstMessage(checks);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary.cleanedUp).toBe(false);
    expect(callsOf(rds.calls, 'deleteInstance')).toHaveLength(5);
    const cleanup = h.published.find((f) => f.check === 'drill-cleanup');
    expect(cleanup).toMatchObject({
      severity: 'critical',
      resourceArn: `arn:aws:rds:eu-west-1:111122223333:db:${msg.tempId}`,
    });
    expect(h.metrics.recorded.find((m) => m.name === 'RestoreDrillPassed')?.value).toBe(0);
  });

  it('fails the drill when the restore never becomes available, and still deletes', async () => {
    // Prepare: the instance stays creating
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    let deleted = false;
    const api = {
      ...rds.api,
      describeInstance: async (id: string) =>
        deleted ? undefined : { DBInstanceIdentifier: id, DBInstanceStatus: 'creating' },
      deleteInstance: async (id: string) => {
        deleted = true;
        return rds.api.deleteInstance(id);
      },
    };
    h.deps.rdsFor = () => api;
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks), h.sleep);
    // Assess
    expect(summary.reason).toContain('not available after 180 min (status creating)');
    expect(callsOf(rds.calls, 'deleteInstance')).toHaveLength(1);
  });

  it('ends as a cleanup failure when the instance never starts deleting', async () => {
    // Prepare: RDS accepts every delete but the instance stays available
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    const api = { ...rds.api, deleteInstance: async () => 'done' as const };
    h.deps.rdsFor = () => api;
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks), h.sleep);
    // Assess
    expect(summary.cleanedUp).toBe(false);
    expect(h.published.find((f) => f.check === 'drill-cleanup')?.title).toContain(
      'still available after 5 delete requests',
    );
  });

  it('fails the RTO when validation comes after the target', async () => {
    // Prepare: polls of 3 h
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    const msg = firstMessage(checks);
    msg.settings = { ...msg.settings, pollSeconds: 900 * 10 };
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary.passed).toBe(false);
    expect(summary.reason).toBe('RTO 18000 s over the target of 14400 s');
  });

  it('restores the then-newest snapshot when the listed one was deleted meanwhile', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    let first = true;
    const restore = rds.api.restoreInstance;
    const api = {
      ...rds.api,
      restoreInstance: async (i: Parameters<typeof restore>[0]) => {
        if (!first) return restore(i);
        first = false;
        return 'missing' as const;
      },
    };
    const h = drillHarness(api, okDb);
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks), h.sleep);
    // Assess
    expect(summary.passed).toBe(true);
  });

  it('changes nothing in dry-run and reports a planned drill', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks, true), h.sleep);
    // Assess
    expect(summary).toMatchObject({ dryRun: true, passed: false });
    expect(summary.reason).toMatch(
      /^dry-run: would restore rds:orders-2026-11-26-03-00 into wd-orders-\d+ \(db.t4g.micro\)$/,
    );
    expect(rds.calls.filter((c) => c.method !== 'listSnapshots')).toEqual([]);
    expect(h.published[0]).toMatchObject({ dryRun: true, action: { result: 'planned' } });
    expect(h.metrics.recorded).toEqual([]);
  });
});

describe('Function: runStep edge cases', () => {
  const at = (step: DrillMessage['step'], patch: Partial<DrillMessage> = {}): DrillMessage => ({
    ...firstMessage(checks),
    step,
    ...patch,
  });
  const instanceApi = (over: Record<string, unknown>) => ({
    ...drillRds(endpoint).api,
    describeInstance: async (id: string) => ({ DBInstanceIdentifier: id, ...over }),
  });

  it.each([
    [{ DBInstanceStatus: 'incompatible-restore' }, 'restore ended in status incompatible-restore'],
    [
      { DBInstanceStatus: 'available', Engine: 'oracle-ee', Endpoint: { Address: 'h', Port: 1521 } },
      'engine oracle-ee has no validation support',
    ],
  ])('fails the drill and goes to cleanup when the instance is %j', async (over, reason) => {
    // Prepare
    const h = drillHarness(instanceApi(over), okDb);
    // Act
    const { next } = await runStep(h.deps, at('waitAvailable'));
    // Assess
    expect(next?.message).toMatchObject({ step: 'delete', failure: reason });
  });

  it('fails validation without an endpoint and reports a deletion that never finishes', async () => {
    // Prepare
    const h = drillHarness(instanceApi({ DBInstanceStatus: 'deleting' }), okDb);
    const longAgo = new Date(NOW.getTime() - 4 * 3_600_000).toISOString();
    // Act
    const validate = await runStep(h.deps, at('validate'));
    const waiting = await runStep(h.deps, at('waitDeleted', { stepStartedAt: longAgo }));
    const stillWaiting = await runStep(h.deps, at('waitDeleted'));
    // Assess
    expect(validate.next?.message.failure).toBe('no endpoint recorded for the restored instance');
    expect(waiting.next?.message).toMatchObject({
      step: 'report',
      cleanupFailure: 'still deleting after 180 min',
    });
    expect(stillWaiting.next).toMatchObject({ message: { step: 'waitDeleted' }, delaySeconds: 300 });
  });

  it('reports the cleanup failure when the delete step keeps throwing at the last receives', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    rds.fail.deleteInstance = () => err('InternalFailure');
    const h = drillHarness(rds.api, okDb);
    const api = { ...rds.api, deleteInstance: async () => Promise.reject(err('InternalFailure', 'down')) };
    h.deps.rdsFor = () => ({
      ...api,
      describeInstance: async () => Promise.reject(err('InternalFailure', 'down')),
    });
    // Act
    await processDrillMessage(h.deps, at('waitDeleted'), 4);
    // Assess
    expect(h.queue[0]?.message).toMatchObject({
      step: 'report',
      cleanupFailure: 'waitDeleted kept failing: InternalFailure: down',
    });
  });
});

describe('Function: runStep in dry-run', () => {
  it('reports instead of deleting when there is nothing to restore', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    rds.api.listSnapshots = async () => [];
    const h = drillHarness(rds.api, okDb);
    // Act
    const summary = await runDrillInline(h.deps, firstMessage(checks, true), h.sleep);
    // Assess
    expect(summary.reason).toBe('dry-run: no available snapshot of orders to restore');
    expect(callsOf(rds.calls, 'deleteInstance')).toEqual([]);
  });

  it('never mutates from a dry-run message at a later step', async () => {
    // Prepare
    const rds = drillRds(endpoint);
    const h = drillHarness(rds.api, okDb);
    // Act
    await processDrillMessage(h.deps, { ...firstMessage(checks, true), step: 'delete' });
    // Assess
    expect(h.queue[0]?.message.step).toBe('report');
    expect(rds.calls).toEqual([]);
  });
});

describe('Function: drillMessageSchema', () => {
  it('refuses identifiers that could inject SQL', () => {
    const msg = firstMessage(checks);
    const bad = {
      ...msg,
      validation: {
        ...msg.validation,
        checks: [{ kind: 'rowCount', table: 'orders; DROP TABLE x', min: 1 }],
      },
    };
    expect(v.safeParse(drillMessageSchema, bad).success).toBe(false);
    expect(quoteIdent('public.Orders')).toBe('"public"."Orders"');
    expect(quoteIdent('orders', 'mysql')).toBe('`orders`');
  });
});

describe('Function: runDrillInline (Aurora, from the DR copy)', () => {
  it('restores the DR cluster copy into a cluster and instance in the DR region, and deletes both there', async () => {
    // Prepare: the home region has a newer cluster snapshot; the drill must not touch it
    const home = drillRds(endpoint, 'aurora-postgresql', []);
    home.api.listClusterSnapshots = async () => [clusterSnapshot('orders', 'rds:orders-2026-11-26-11-00', 1)];
    const dr = drillRds(endpoint, 'aurora-postgresql', [], DR_REGION);
    dr.api.listClusterSnapshots = async () => [clusterSnapshot('orders', 'warden-dr-orders-202611260300', 9)];
    const h = drillHarness((t) => (t.region === DR_REGION ? dr.api : home.api), okDb);
    const msg = firstMessage(checks, false, NOW, 'dr');
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true });
    expect(callsOf(dr.calls, 'restoreCluster')[0]?.[0]).toMatchObject({
      snapshotId: 'warden-dr-orders-202611260300',
      clusterId: msg.tempId,
      subnetGroup: 'warden-drills-dr',
      securityGroupIds: ['sg-0fedcba9876543210'],
    });
    expect(callsOf(dr.calls, 'deleteInstance')).toEqual([[`${msg.tempId}-i`, true]]);
    expect(callsOf(dr.calls, 'deleteCluster')).toEqual([[msg.tempId]]);
    expect(dr.clusters.size + dr.instances.size).toBe(0);
    expect(home.calls.map((c) => c.method)).toEqual([]);
    expect(h.published[0]?.action?.detail).toMatchObject({
      region: DR_REGION,
      subnetGroup: 'warden-drills-dr',
    });
  });

  it('refuses a DR drill without DR settings, naming the field', () => {
    // Assess
    expect(() =>
      newDrill({
        target: TARGET,
        dbId: 'orders',
        settings: SETTINGS,
        validation: { ...firstMessage(checks).validation, from: 'dr' },
        now: NOW,
        dryRun: false,
      }),
    ).toThrow(/dr: expected the DR region and its network/);
  });
});
