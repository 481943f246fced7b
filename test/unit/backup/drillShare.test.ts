import { describe, expect, it } from 'vitest';
import type { DrillMessage } from '../../../lib/backup/drill/messages.js';
import { summarize } from '../../../lib/backup/drill/report.js';
import { startScheduledDrills } from '../../../lib/backup/drill/schedule.js';
import { modeOf, type ShareFlags } from '../../../lib/flags/rollout.js';
import { SETTINGS } from './drillFakes.js';
import { NOW, silentLogger, TARGET } from './fixtures.js';

const APPLIED = '111111111111';
const OTHER = '222222222222';
const checks = [{ kind: 'rowCount', table: 't', min: 1 }];

/** Starts the drills of three databases (two accounts) and one table (home) under `flags`; returns the messages. */
async function start(flags: ShareFlags) {
  const sent: DrillMessage[] = [];
  await startScheduledDrills(
    {
      enqueue: async (m) => void sent.push(m as DrillMessage),
      now: () => NOW,
      logger: silentLogger,
      home: TARGET,
      dryRun: flags.dryRun,
      modeFor: (account, population) => modeOf(flags, 'restoreDrill', account, population),
      loadOptions: async () => ({
        ...SETTINGS,
        databases: {
          db1: { database: 'app', checks, account: APPLIED },
          db2: { database: 'app', checks, account: OTHER },
          db3: { database: 'app', checks, account: OTHER },
        },
        tables: { orders: { keys: [{ pk: 'a' }] } },
      }),
    },
    { start: 'all' },
  );
  return new Map(sent.map((m) => [m.dbId ?? (m as unknown as { table: string }).table, m]));
}

describe('Function: startScheduledDrills (apply share)', () => {
  it("decides each drill's mode by its database's account, and a dry one says why", async () => {
    // Act
    const drills = await start({ enabled: true, dryRun: false, applyPercent: 0, allow: [APPLIED] });

    // Assess
    expect(drills.get('db1')).toMatchObject({ dryRun: false });
    expect(drills.get('db1')).not.toHaveProperty('dryRunReason');
    for (const id of ['db2', 'db3', 'orders'])
      expect(drills.get(id)).toMatchObject({ dryRun: true, dryRunReason: 'outside applyPercent 0' });
    expect(summarize({ ...drills.get('db2')!, snapshotId: 'snap-1' }).reason).toMatch(
      /^dry-run \(outside applyPercent 0\): would restore snap-1 into /,
    );
  });

  it('keeps one mode for every drill when the flag sets no share, and never applies on a dry flag', async () => {
    // Act
    const all = await start({ enabled: true, dryRun: false });
    const dry = await start({ enabled: true, dryRun: true, applyPercent: 100, allow: [APPLIED] });

    // Assess
    expect([...all.values()].map((m) => m.dryRun)).toEqual([false, false, false, false]);
    expect([...dry.values()].map((m) => m.dryRun)).toEqual([true, true, true, true]);
    expect([...dry.values()].some((m) => 'dryRunReason' in m)).toBe(false);
  });
});
