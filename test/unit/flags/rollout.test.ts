import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Flags } from '../../../lib/flags/flags.js';
import { applies, assignModes, rolloutFraction } from '../../../lib/flags/rollout.js';

const ACCOUNTS = Array.from({ length: 500 }, (_, i) => String(100000000000 + i * 7919));
const apply = (over: Partial<Flags> = {}): Flags => ({
  enabled: true,
  dryRun: false,
  source: 'ssm',
  ...over,
});
const appliedOf = (modes: Map<string, { dryRun: boolean }>) =>
  new Set([...modes].filter(([, m]) => !m.dryRun).map(([a]) => a));

describe('Function: rolloutFraction', () => {
  it('gives each (automation, account) the same number in [0, 1) on every call', () => {
    // Prepare
    const first = ACCOUNTS.map((a) => rolloutFraction('snapshotLifecycle', a));
    // Act
    const again = ACCOUNTS.map((a) => rolloutFraction('snapshotLifecycle', a));
    const other = ACCOUNTS.map((a) => rolloutFraction('backupVerify', a));
    // Assess
    expect(again).toEqual(first);
    expect(first.every((f) => f >= 0 && f < 1)).toBe(true);
    // Another automation orders the accounts differently: the first 10 % are not the same accounts.
    expect(other).not.toEqual(first);
    // Pinned: changing the hash would reshuffle every rollout in progress.
    const digest = createHash('sha256').update('snapshotLifecycle\u0000111111111111').digest('hex');
    expect(rolloutFraction('snapshotLifecycle', '111111111111')).toBe(
      parseInt(digest.slice(0, 12), 16) / 2 ** 48,
    );
    expect(rolloutFraction('snapshotLifecycle', '111111111111')).toBe(0.2162366995244973);
  });
});

describe('Function: assignModes', () => {
  it('only adds accounts as applyPercent rises 10 -> 25 -> 50 -> 100, each share within 3 points', () => {
    // Prepare
    const percents = [10, 25, 50, 100];
    // Act
    const sets = percents.map((p) =>
      appliedOf(assignModes(apply({ applyPercent: p }), 'snapshotLifecycle', ACCOUNTS)),
    );
    // Assess
    for (const [i, set] of sets.entries()) {
      expect(Math.abs((set.size / ACCOUNTS.length) * 100 - percents[i]!)).toBeLessThanOrEqual(3);
      if (i > 0) expect([...sets[i - 1]!].filter((a) => !set.has(a))).toEqual([]);
    }
    expect(sets.map((s) => s.size)).toEqual([50, 125, 250, 500]);
  });

  it('assigns the same accounts whatever the order of the population and on every call', () => {
    // Prepare
    const flags = apply({ applyPercent: 25 });
    // Act
    const a = appliedOf(assignModes(flags, 'backupVerify', ACCOUNTS));
    const b = appliedOf(assignModes(flags, 'backupVerify', [...ACCOUNTS].reverse()));
    // Assess
    expect([...b].sort()).toEqual([...a].sort());
  });

  it('applies the allow list and keeps the deny list dry whatever the share, and says why', () => {
    // Prepare
    const inside = [...appliedOf(assignModes(apply({ applyPercent: 50 }), 'secretExpiry', ACCOUNTS))];
    const denied = inside[0]!;
    const allowed = ACCOUNTS.find((a) => !inside.includes(a))!;
    const flags = apply({ applyPercent: 0, allow: [allowed], deny: [denied] });
    // Act
    const modes = assignModes(flags, 'secretExpiry', ACCOUNTS);
    const full = assignModes({ ...flags, applyPercent: 100 }, 'secretExpiry', ACCOUNTS);
    // Assess
    expect(modes.get(allowed)).toEqual({ dryRun: false, reason: 'allow list' });
    expect(modes.get(denied)).toEqual({ dryRun: true, reason: 'deny list' });
    expect(appliedOf(modes)).toEqual(new Set([allowed]));
    expect(full.get(denied)).toEqual({ dryRun: true, reason: 'deny list' });
    expect(appliedOf(full).size).toBe(ACCOUNTS.length - 1);
    expect(modes.get(ACCOUNTS.find((a) => a !== allowed)!)).toEqual({
      dryRun: true,
      reason: 'outside applyPercent 0',
    });
  });

  it('never applies when the flag says dry-run, is disabled or could not be used, allow list or not', () => {
    // Prepare
    const cases: [Flags, string][] = [
      [apply({ dryRun: true, allow: [ACCOUNTS[0]!] }), 'flag dryRun'],
      [apply({ dryRun: true, source: 'default' }), 'dry-run by default (WARDEN_DRY_RUN)'],
      [apply({ dryRun: true, dryRunByDefault: true }), 'dry-run by default (WARDEN_DRY_RUN)'],
      [apply({ enabled: false }), 'disabled by its flag'],
      [
        // What the reader makes of a malformed flag, even with apply fields filled in by hand.
        {
          ...apply({ applyPercent: 100, allow: [ACCOUNTS[0]!] }),
          dryRun: true,
          source: 'fallback',
          problem: 'p: x',
        },
        'flag unusable: p: x',
      ],
      [{ ...apply(), source: 'fallback', problem: 'p: y' }, 'flag unusable: p: y'],
    ];
    // Act
    const results = cases.map(([flags]) => assignModes(flags, 'snapshotLifecycle', ACCOUNTS));
    // Assess
    for (const [i, modes] of results.entries()) {
      expect(appliedOf(modes).size).toBe(0);
      expect(modes.get(ACCOUNTS[0]!)?.reason).toBe(cases[i]![1]);
    }
  });

  it('applies every account when the flag sets no share', () => {
    // Act
    const modes = assignModes(apply(), 'costAnomaly', ACCOUNTS.slice(0, 3));
    // Assess
    expect([...modes.values()]).toEqual(
      Array.from({ length: 3 }, () => ({ dryRun: false, reason: 'inside applyPercent 100' })),
    );
  });
});

describe('Function: applies', () => {
  it('gives an account of the population the mode assignModes gives it', () => {
    // Prepare
    const flags = apply({ applyPercent: 10 });
    const modes = assignModes(flags, 'snapshotLifecycle', ACCOUNTS);
    // Act
    const each = ACCOUNTS.map((a) => applies(flags, a, 'snapshotLifecycle', ACCOUNTS));
    // Assess
    expect(each).toEqual(ACCOUNTS.map((a) => modes.get(a)));
  });

  it('without a population, applies iff the account falls below the share, nested as the share rises', () => {
    // Prepare
    const at = (p: number) =>
      new Set(ACCOUNTS.filter((a) => !applies(apply({ applyPercent: p }), a, 'snapshotLifecycle').dryRun));
    // Act
    const [ten, fifty] = [at(10), at(50)];
    // Assess
    expect([...ten].every((a) => fifty.has(a))).toBe(true);
    expect([...ten].every((a) => rolloutFraction('snapshotLifecycle', a) < 0.1)).toBe(true);
    expect(fifty.size).toBe(ACCOUNTS.filter((a) => rolloutFraction('snapshotLifecycle', a) < 0.5).length);
    expect(applies(apply({ applyPercent: 0, allow: ['123456789012'] }), '123456789012', 'x')).toEqual({
      dryRun: false,
      reason: 'allow list',
    });
    expect(applies(apply({ deny: ['123456789012'] }), '123456789012', 'x').dryRun).toBe(true);
  });
});
