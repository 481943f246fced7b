import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { AUTOMATION_NAMES } from '../../../lib/automations/catalog.js';
import { resolveTargets } from '../../../lib/automations/targets.js';
import type { OutgoingMessage } from '../../../lib/aws/sqs.js';
import { loadConfig } from '../../../lib/config.js';
import { ValidationError } from '../../../lib/errors.js';
import { dispatch } from '../../../lib/fanout/dispatch.js';
import { type WorkUnit, workUnitSchema } from '../../../lib/fanout/unit.js';

const config = loadConfig({
  WARDEN_STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  WARDEN_TARGET_ACCOUNTS: '111111111111,222222222222,333333333333',
  WARDEN_TARGET_REGIONS: 'eu-west-1,us-east-1',
});
const flags = { enabled: true, dryRun: false, source: 'ssm' as const };

function recorder() {
  const sent: OutgoingMessage[] = [];
  const queues: string[] = [];
  return {
    sent,
    queues,
    send: vi.fn(async (queue: string, m: readonly OutgoingMessage[]) => {
      queues.push(...m.map(() => queue));
      sent.push(...m);
    }),
  };
}

describe('Function: dispatch', () => {
  it('enqueues exactly one unit per automation, account and region (per account for account-wide data)', async () => {
    // Prepare
    const targets = resolveTargets(config, '111111111111');
    const byAutomation = new Map<string, WorkUnit[]>();
    // Act
    for (const automation of AUTOMATION_NAMES) {
      const r = recorder();
      const report = await dispatch(
        { targets, flags, send: r.send, now: () => new Date('2026-11-26T00:00:00Z'), dispatchId: 'd1' },
        { automation },
      );
      // backupVerify's units are split across two workers (WORKER_PARTS): one unit per part, on the part's queue.
      const parts = automation === 'backupVerify' ? [undefined, 's3', 'caches'] : [undefined];
      expect(report.units).toBe((automation === 'costAnomaly' ? 3 : 6) * parts.length);
      const units = r.sent.map((m) => v.parse(workUnitSchema, JSON.parse(m.body)));
      expect(units.map((u) => (u.part ? `${u.automation}-${u.part}` : u.automation))).toEqual(r.queues);
      expect(report.queues).toEqual(
        Object.fromEntries(
          parts.map((p) => [p ? `${automation}-${p}` : automation, automation === 'costAnomaly' ? 3 : 6]),
        ),
      );
      byAutomation.set(automation, units);
    }
    // Assess
    for (const [automation, units] of byAutomation) {
      const keys = units
        .map((u) => `${u.automation}${u.part ? `:${u.part}` : ''}/${u.account}/${u.region}`)
        .sort();
      const parts = automation === 'backupVerify' ? ['', ':s3', ':caches'] : [''];
      expect(keys).toEqual(
        ['111111111111', '222222222222', '333333333333']
          // Cost Explorer covers a whole account: one unit per account, in the first region.
          .flatMap((a) =>
            (automation === 'costAnomaly' ? ['eu-west-1'] : ['eu-west-1', 'us-east-1']).flatMap((r) =>
              parts.map((p) => `${automation}${p}/${a}/${r}`),
            ),
          )
          .sort(),
      );
      expect(units.every((u) => u.dryRun === false && u.dispatchId === 'd1')).toBe(true);
    }
    expect(byAutomation.size).toBe(AUTOMATION_NAMES.length);
  });

  it('rejects an unknown automation with a clear error and sends nothing', async () => {
    // Prepare
    const r = recorder();
    // Act
    const err = await dispatch(
      { targets: [], flags, send: r.send, now: () => new Date(), dispatchId: 'd' },
      { automation: 'deleteEverything' },
    ).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain('automation: expected one of backupVerify');
    expect(r.send).not.toHaveBeenCalled();
  });

  it('enqueues nothing when the kill switch disables the automation', async () => {
    // Prepare
    const r = recorder();
    // Act
    const report = await dispatch(
      {
        targets: resolveTargets(config, '111111111111'),
        flags: { ...flags, enabled: false },
        send: r.send,
        now: () => new Date(),
        dispatchId: 'd',
      },
      { automation: 'costAnomaly' },
    );
    // Assess
    expect(report).toMatchObject({ enabled: false, units: 0 });
    expect(r.send).not.toHaveBeenCalled();
  });

  it('carries the dry-run decided by the flags and restricts to the requested targets', async () => {
    // Prepare
    const r = recorder();
    // Act
    await dispatch(
      {
        targets: resolveTargets(config, '111111111111'),
        flags: { ...flags, dryRun: true },
        send: r.send,
        now: () => new Date(),
        dispatchId: 'd',
      },
      { automation: 'secretExpiry', accounts: ['222222222222'], regions: ['us-east-1'] },
    );
    // Assess
    expect(r.sent.map((m) => JSON.parse(m.body))).toEqual([
      expect.objectContaining({ account: '222222222222', region: 'us-east-1', dryRun: true }),
    ]);
  });

  it('decides the mode per account over every configured account, and a dry unit carries why', async () => {
    // Prepare
    const targets = resolveTargets(config, '111111111111');
    const rollout = {
      enabled: true,
      dryRun: false,
      applyPercent: 0,
      allow: ['222222222222'],
      deny: ['333333333333'],
      source: 'ssm' as const,
    };
    const r = recorder();
    const one = recorder();
    const deps = { targets, flags: rollout, now: () => new Date(), dispatchId: 'd' };
    // Act
    const report = await dispatch({ ...deps, send: r.send }, { automation: 'snapshotLifecycle' });
    // A manual run of one account gets the mode the whole population gives it.
    await dispatch(
      { ...deps, send: one.send },
      { automation: 'snapshotLifecycle', accounts: ['222222222222'] },
    );
    // Assess
    const units = r.sent.map((m) => v.parse(workUnitSchema, JSON.parse(m.body)));
    const byAccount = (a: string) =>
      units.filter((u) => u.account === a).map((u) => [u.dryRun, u.dryRunReason]);
    expect(byAccount('111111111111')).toEqual([
      [true, 'outside applyPercent 0'],
      [true, 'outside applyPercent 0'],
    ]);
    expect(byAccount('222222222222')).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
    expect(byAccount('333333333333')).toEqual([
      [true, 'deny list'],
      [true, 'deny list'],
    ]);
    expect(report).toMatchObject({ units: 6, appliedUnits: 2, applyPercent: 0, dryRun: false });
    expect(one.sent.map((m) => JSON.parse(m.body).dryRun)).toEqual([false, false]);
  });

  it('sends every unit dry with the reason when the flag is unusable, whatever it lists', async () => {
    // Prepare
    const r = recorder();
    // Act
    const report = await dispatch(
      {
        targets: resolveTargets(config, '111111111111'),
        flags: {
          enabled: true,
          dryRun: true,
          applyPercent: 0,
          source: 'fallback',
          problem: '/f/x is not valid JSON',
        },
        send: r.send,
        now: () => new Date(),
        dispatchId: 'd',
      },
      { automation: 'backupVerify' },
    );
    // Assess
    // Three accounts x two regions, on each of backupVerify's three parts.
    expect(report).toMatchObject({ units: 18, appliedUnits: 0, flagsSource: 'fallback' });
    expect(new Set(r.sent.map((m) => JSON.parse(m.body).dryRunReason))).toEqual(
      new Set(['flag unusable: /f/x is not valid JSON']),
    );
  });
});
