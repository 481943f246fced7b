import {
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
} from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutomationContext } from '../../../lib/automations/types.js';
import type { AwsClients } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { findingSchema } from '../../../lib/findings/findingSchema.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import {
  runSecretExpiry,
  secretExpiryAutomation,
  secretsManagerReads,
} from '../../../lib/secrets/automation.js';
import { FAILURE_TAG } from '../../../lib/secrets/rotation.js';
import { mockSecretsManager, SecretStore } from './fakeSecretsManager.js';

const sm = mockSecretsManager();
const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');
let store: SecretStore;

function ctx(now: Date): AutomationContext & { metrics: ReturnType<typeof memorySink> } {
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
  };
}

/** A rotating secret last rotated `daysAgo` days before NOW. */
function rotating(name: string, daysAgo: number, intervalDays = 30): string {
  const arn = store.add({ name, value: '{}', rotationDays: intervalDays });
  const s = store.find(arn);
  s.lastRotatedDate = new Date(NOW.getTime() - daysAgo * DAY);
  return arn;
}

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.clock = () => NOW;
  store.install(sm.mock);
});

describe('Function: secretExpiryAutomation.run', () => {
  it('raises each warning threshold on exactly one of the daily runs before the due date', async () => {
    // Prepare
    rotating('app/db', 20); // due in 10 days
    const seen: string[] = [];
    // Act
    for (let day = 0; day <= 11; day++) {
      const result = await secretExpiryAutomation.run(
        ctx(new Date(NOW.getTime() + day * DAY + 3_600_000)),
        {},
      );
      for (const f of result.findings) seen.push(`${day}:${f.check}`);
    }
    // Assess
    expect(seen).toEqual(['3:due-in-7d', '7:due-in-3d', '9:due-in-1d', '10:overdue', '11:overdue']);
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
