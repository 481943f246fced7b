import { describe, expect, it } from 'vitest';
import type { AnyAutomation } from '../../../lib/automations/types.js';
import type { ClientPool } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { runUnit, type UnitDeps } from '../../../lib/fanout/runUnit.js';
import type { WorkUnit } from '../../../lib/fanout/unit.js';
import { type Finding, makeFinding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { strictObject } from '../../../lib/schemas.js';

const config = loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** One finding per run, in the mode the unit gives; remembers the mode it was run in. */
const modes: boolean[] = [];
const automation = {
  name: 'snapshotLifecycle',
  options: strictObject({}),
  async run(ctx: { dryRun: boolean; now: () => Date; target: { account: string; region: string } }) {
    modes.push(ctx.dryRun);
    const finding = makeFinding({
      automation: 'snapshotLifecycle',
      check: 'expired-snapshot',
      severity: 'low',
      ...ctx.target,
      resourceArn: 'arn:aws:rds:eu-west-1:222222222222:snapshot:old',
      title: 'old snapshot would be deleted',
      detail: { ageDays: 40 },
      observedAt: ctx.now(),
      dryRun: ctx.dryRun,
    });
    return { findings: [finding], report: { planned: 1 }, summary: '1 snapshot' };
  },
} as unknown as AnyAutomation;

function deps(published: Finding[]): UnitDeps {
  return {
    automation,
    config,
    pool: { credentialsFor: () => undefined, for: () => ({}) } as unknown as ClientPool,
    publish: async (f) => void published.push(...f),
    logger: silent,
    metrics: memorySink(),
    now: () => new Date('2026-11-26T00:00:00Z'),
  };
}

const unit = (extra: Partial<WorkUnit>): WorkUnit => ({
  automation: 'snapshotLifecycle',
  account: '222222222222',
  region: 'eu-west-1',
  dryRun: true,
  dispatchId: 'd1',
  dispatchedAt: '2026-11-26T00:00:00.000Z',
  ...extra,
});

describe('Function: runUnit', () => {
  it('runs a unit outside the apply share dry, and its report and findings say why', async () => {
    // Prepare
    const published: Finding[] = [];
    // Act
    const report = await runUnit(deps(published), unit({ dryRunReason: 'outside applyPercent 10' }));
    // Assess
    expect(modes.at(-1)).toBe(true);
    expect(report).toMatchObject({ dryRun: true, dryRunReason: 'outside applyPercent 10', findings: 1 });
    expect(published.map((f) => f.detail)).toEqual([
      { ageDays: 40, dryRunReason: 'outside applyPercent 10' },
    ]);
  });

  it('runs a unit in apply mode without a reason and leaves its findings as they are', async () => {
    // Prepare
    const published: Finding[] = [];
    // Act
    const report = await runUnit(deps(published), unit({ dryRun: false }));
    // Assess
    expect(modes.at(-1)).toBe(false);
    expect(report).not.toHaveProperty('dryRunReason');
    expect(published.map((f) => [f.dryRun, f.detail])).toEqual([[false, { ageDays: 40 }]]);
  });
});
