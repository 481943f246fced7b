import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutomationContext, AutomationResult } from '../../../lib/automations/types.js';
import type { AwsClients } from '../../../lib/aws/clients.js';
import { createStateStore } from '../../../lib/aws/stateStore.js';
import { loadConfig } from '../../../lib/config.js';
import { findingSchema } from '../../../lib/findings/findingSchema.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import {
  runSecretExpiry,
  secretExpiryAutomation,
  secretsManagerReads,
} from '../../../lib/secrets/automation.js';
import { FAILURE_TAG } from '../../../lib/secrets/rotation.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { mockSecretsManager, SecretStore } from './fakeSecretsManager.js';

const sm = mockSecretsManager();
const ddb = mockClient(DynamoDBClient);
let table: ReturnType<typeof fakeDynamo>;
const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');
let store: SecretStore;

function ctx(now: Date, remembered = false): AutomationContext & { metrics: ReturnType<typeof memorySink> } {
  const aws: AwsClients = {
    target: { account: '111111111111', region: 'eu-west-1' },
    get: () => sm.client as never,
  };
  return {
    target: aws.target,
    aws,
    config: loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' }),
    now: () => now,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    metrics: memorySink(),
    dryRun: true,
    ...(remembered
      ? { state: { store: createStateStore(new DynamoDBClient({}), () => now), table: 'state' } }
      : {}),
  };
}

/** One scheduled run at `at` with the state table, published (unless `published` is false) as the worker does. */
async function runAt(at: Date, published = true): Promise<AutomationResult> {
  const result = await secretExpiryAutomation.run(ctx(at, true), {});
  if (published) await result.afterPublish?.();
  return result;
}

/** The warning checks of daily runs at NOW + each day (+1 h), as `day:check`. */
async function daily(days: number[]): Promise<string[]> {
  const seen: string[] = [];
  for (const day of days) {
    const result = await runAt(new Date(NOW.getTime() + day * DAY + 3_600_000));
    for (const f of result.findings) seen.push(`${day}:${f.check}`);
  }
  return seen;
}

/** A rotating secret last rotated `daysAgo` days before NOW. */
function rotating(name: string, daysAgo: number, intervalDays = 30): string {
  const arn = store.add({ name, value: '{}', rotationDays: intervalDays });
  const s = store.find(arn);
  s.lastRotatedDate = new Date(NOW.getTime() - daysAgo * DAY);
  return arn;
}

beforeEach(() => {
  ddb.reset();
  table = fakeDynamo(ddb);
  sm.mock.reset();
  store = new SecretStore();
  store.clock = () => NOW;
  store.install(sm.mock);
});

describe('Function: secretExpiryAutomation.run', () => {
  it('raises each warning tier on exactly one of the daily runs before the due date', async () => {
    // Prepare
    rotating('app/db', 20); // due in 10 days
    // Act
    const seen = await daily([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Assess
    expect(seen).toEqual(['3:due-in-7d', '7:due-in-3d', '9:due-in-1d', '10:overdue', '11:overdue']);
  });

  it('sends the tier a missed run would have sent on the next run, not the less urgent ones it skipped', async () => {
    // Prepare
    rotating('app/db', 20); // due in 10 days; the runs of days 3 to 7 failed
    // Act
    const seen = await daily([0, 1, 2, 8, 9]);
    // Assess
    expect(seen).toEqual(['8:due-in-3d', '9:due-in-1d']);
  });

  it('warns a secret first seen inside a tier on its first run, then only for the next tier', async () => {
    // Prepare
    const five = rotating('five/db', 25); // due in 5 days
    const two = rotating('two/db', 28); // due in 2 days
    // Act
    const first = await runAt(NOW);
    const later = await daily([1, 2, 3]);
    // Assess
    expect(first.findings.map((f) => [f.resourceArn, f.check])).toEqual([
      [five, 'due-in-7d'],
      [two, 'due-in-3d'],
    ]);
    expect(first.summary).toBe(
      '2 secrets: 0 overdue, 2 due within 7 days (2 warned now, 0 warned before for the same tier), 0 failed rotation(s)',
    );
    expect(later).toEqual(['1:due-in-1d', '2:due-in-3d', '2:overdue', '3:overdue']);
  });

  it('warns a secret rotating every 2 days once per due date, in its 1-day tier only', async () => {
    // Prepare
    const arn = rotating('fast/db', 0.5, 2); // due in 1.5 days
    const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);
    // Act
    const quiet = await runAt(hours(0));
    const warned = await runAt(hours(13)); // 0.96 days left
    const again = await runAt(hours(20));
    store.find(arn).lastRotatedDate = hours(30); // rotated: a new due date, 2 days later
    const rotated = await runAt(hours(31));
    const rearmed = await runAt(hours(60)); // 0.75 days left of the new due date
    // Assess
    expect(quiet.findings).toEqual([]);
    expect(quiet.summary).toBe(
      '1 secrets: 0 overdue, 0 due within 7 days (0 warned now, 0 warned before for the same tier), 0 failed rotation(s); 1 rotating more often than their warning tiers, not warned',
    );
    expect(warned.findings.map((f) => [f.check, f.detail.dueDate])).toEqual([
      ['due-in-1d', '2026-11-27T18:00:00.000Z'],
    ]);
    expect(again.findings).toEqual([]);
    expect(again.report).toMatchObject({ due: 1, warnedNow: 0, warnedBefore: 1 });
    expect(rotated.findings).toEqual([]);
    expect(rearmed.findings.map((f) => [f.check, f.detail.dueDate])).toEqual([
      ['due-in-1d', '2026-11-29T12:00:00.000Z'],
    ]);
  });

  it('re-arms every tier for the new due date after a rotation', async () => {
    // Prepare
    const arn = rotating('app/db', 25); // due in 5 days
    const first = await daily([0, 3]);
    store.find(arn).lastRotatedDate = new Date(NOW.getTime() + 4 * DAY); // due again on day 34
    // Act
    const next = await daily([4, 28, 30, 31, 33]);
    // Assess
    expect(first).toEqual(['0:due-in-7d', '3:due-in-3d']);
    expect(next).toEqual(['28:due-in-7d', '31:due-in-3d', '33:due-in-1d']);
  });

  it('warns once when the same unit is delivered twice at the same time', async () => {
    // Prepare
    const arn = rotating('app/db', 25);
    // Act
    const both = await Promise.all([runAt(NOW), runAt(NOW)]);
    const nextDay = await runAt(new Date(NOW.getTime() + DAY));
    // Assess
    expect(both.flatMap((r) => r.findings.map((f) => f.check))).toEqual(['due-in-7d']);
    expect(both.map((r) => r.report.warnedBefore).sort()).toEqual([0, 1]);
    expect(nextDay.findings).toEqual([]);
    expect([...table.items.values()].map((i) => [i.pk?.S, i.sk?.S, i.status?.S])).toEqual([
      [`expiry#${arn}`, '2026-12-01T06:00:00.000Z#7d', 'sent'],
    ]);
  });

  it('warns again on the retry of a run whose findings were never published, once its claim has lapsed', async () => {
    // Prepare
    rotating('app/db', 25);
    const failed = await runAt(NOW, false);
    // Act
    const duplicate = await runAt(new Date(NOW.getTime() + 60_000));
    const retry = await runAt(new Date(NOW.getTime() + 16 * 60_000)); // after the queue's visibility timeout
    const nextDay = await runAt(new Date(NOW.getTime() + DAY));
    // Assess
    expect(failed.findings.map((f) => f.check)).toEqual(['due-in-7d']);
    expect(duplicate.findings).toEqual([]);
    expect(retry.findings.map((f) => f.check)).toEqual(['due-in-7d']);
    expect(nextDay.findings).toEqual([]);
  });

  it('counts as due exactly the secrets warned now or warned before for their tier', async () => {
    // Prepare: a mix, half of it warned by yesterday's run
    for (let i = 0; i < 12; i++) rotating(`s${i}`, 22 + (i % 9)); // 8, 7, ..., 1, 0, 8, 7, 6 days left
    rotating('fast/db', 0.2, 2);
    await runAt(new Date(NOW.getTime() - DAY));
    // Act
    const result = await runAt(NOW);
    // Assess
    const warned = result.findings.filter((f) => f.check.startsWith('due-in-'));
    const r = result.report as Record<string, number>;
    expect(r.due).toBe(r.warnedNow! + r.warnedBefore!);
    expect(warned).toHaveLength(r.warnedNow!);
    expect(r).toMatchObject({ secrets: 13, due: 9, shortInterval: 1, overdue: 1 });
    expect(r.warnedBefore).toBeGreaterThan(0);
    expect(result.summary).toContain(
      `9 due within 7 days (${r.warnedNow} warned now, ${r.warnedBefore} warned before for the same tier)`,
    );
  });

  it('lists 100 secrets per call and makes no per-secret call when nothing is stuck', async () => {
    // Prepare
    for (let i = 0; i < 250; i++) rotating(`s${i}`, 1);
    const c = ctx(NOW);
    // Act
    const result = await secretExpiryAutomation.run(c, {});
    // Assess
    expect(sm.mock).toHaveReceivedCommandTimes(ListSecretsCommand, 3);
    expect(sm.mock).toHaveReceivedCommandWith(ListSecretsCommand, { MaxResults: 100 });
    expect(sm.mock).not.toHaveReceivedCommand(ListSecretVersionIdsCommand);
    expect(result.report).toMatchObject({ secrets: 250, overdue: 0, due: 0 });
    expect(c.metrics.recorded).toEqual(
      expect.arrayContaining([
        { name: 'SecretsDueForRotation', unit: 'Count', value: 0 },
        { name: 'SecretsOverdue', unit: 'Count', value: 0 },
      ]),
    );
  });

  it('reports a failed rotation with the recorded cause, and network when nothing was recorded', async () => {
    // Prepare
    const auth = rotating('auth/db', 1);
    const silent = rotating('silent/db', 1);
    const busy = rotating('busy/db', 1);
    store.clock = () => new Date(NOW.getTime() - 2 * DAY);
    await store.rotate({ SecretId: auth });
    await store.rotate({ SecretId: silent });
    store.clock = () => new Date(NOW.getTime() - 60_000);
    await store.rotate({ SecretId: busy });
    store
      .find(auth)
      .tags.push({ Key: FAILURE_TAG, Value: 'authentication setSecret 2026-11-24T06:00:01.000Z' });
    // Act
    const result = await secretExpiryAutomation.run(ctx(NOW), {});
    // Assess
    const failed = result.findings.filter((f) => f.check === 'rotation-failed');
    expect(failed.map((f) => [f.resourceArn, f.detail.cause])).toEqual([
      [auth, 'authentication'],
      [silent, 'network'],
    ]);
    expect(failed[0]?.detail.remedy).toBe('warden secret heal auth/db');
    expect(sm.mock).toHaveReceivedCommandTimes(ListSecretVersionIdsCommand, 3);
    for (const f of result.findings) expect(v.safeParse(findingSchema, f).success).toBe(true);
  });

  it('uses the max-age tag, else the default, for secrets without rotation', async () => {
    // Prepare
    store.clock = () => new Date(NOW.getTime() - 100 * DAY);
    const tagged = store.add({
      name: 'tagged',
      value: '{}',
      rotationEnabled: false,
      tags: { 'warden:max-age-days': '365' },
    });
    const untagged = store.add({ name: 'untagged', value: '{}', rotationEnabled: false });
    const bad = store.add({
      name: 'bad',
      value: '{}',
      rotationEnabled: false,
      tags: { 'warden:max-age-days': 'soon' },
    });
    // Act
    const result = await runSecretExpiry(
      { ...ctx(NOW), reads: secretsManagerReads(sm.client) },
      { defaultMaxAgeDays: 90 },
    );
    // Assess
    const overdue = result.findings.filter((f) => f.check === 'overdue').map((f) => f.resourceArn);
    expect(overdue).toEqual([untagged, bad]);
    expect(overdue).not.toContain(tagged);
    expect(result.findings.find((f) => f.resourceArn === bad)?.detail.invalidMaxAgeTag).toBe('soon');
  });

  it('reports a check that cannot run when the secrets cannot be listed', async () => {
    // Prepare
    sm.mock.on(ListSecretsCommand).rejects(new InvalidRequestException({ message: 'denied', $metadata: {} }));
    // Act
    const result = await secretExpiryAutomation.run(ctx(NOW), {});
    // Assess
    expect(result.findings.map((f) => f.check)).toEqual(['cannot-list']);
  });

  it('reports a stuck secret whose versions cannot be read as a check that did not run', async () => {
    // Prepare
    const arn = rotating('locked/db', 1);
    store.clock = () => new Date(NOW.getTime() - 2 * DAY);
    await store.rotate({ SecretId: arn });
    sm.mock
      .on(ListSecretVersionIdsCommand)
      .rejects(new InvalidRequestException({ message: 'denied', $metadata: {} }));
    // Act
    const result = await secretExpiryAutomation.run(ctx(NOW), {});
    // Assess
    expect(result.findings.map((f) => [f.check, f.detail.error])).toEqual([
      ['cannot-check-rotation', 'InvalidRequestException: denied'],
    ]);
  });

  it('propagates an error that is not a Secrets Manager one', async () => {
    // Prepare
    sm.mock
      .on(ListSecretsCommand)
      .rejects(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
    // Act
    const result = secretExpiryAutomation.run(ctx(NOW), {});
    // Assess
    await expect(result).rejects.toThrow('socket timed out');
  });

  it('probes with one cheap ListSecrets call', async () => {
    // Act
    await secretExpiryAutomation.probe(ctx(NOW).aws);
    // Assess
    expect(sm.mock).toHaveReceivedCommandWith(ListSecretsCommand, { MaxResults: 1 });
    expect(v.safeParse(secretExpiryAutomation.options, { warnDays: [7, 3, 1] }).success).toBe(true);
    expect(v.safeParse(secretExpiryAutomation.options, { other: 1 }).success).toBe(false);
  });
});
