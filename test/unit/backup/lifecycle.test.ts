import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { dailySnapshotId, drCopyId, runLifecycle } from '../../../lib/backup/lifecycle.js';
import { lifecycleOptionsSchema } from '../../../lib/backup/options.js';
import {
  callsOf,
  cluster,
  clusterSnapshot,
  DR_REGION,
  type FakeRdsData,
  fakeRds,
  hoursAgo,
  instance,
  NOW,
  silentLogger,
  snapshot,
  TARGET,
} from './fixtures.js';

const managedTags = [{ Key: 'warden:snapshots', Value: 'managed' }];
const mine = { SnapshotType: 'manual', TagList: [{ Key: 'warden:managed', Value: 'true' }] };
const opts = (o: Record<string, unknown> = {}) => v.parse(lifecycleOptionsSchema, o);

function setup(data: FakeRdsData, dr?: FakeRdsData, dryRun = false) {
  const rds = fakeRds(data);
  const drRds = dr ? fakeRds(dr, DR_REGION) : undefined;
  const deps = {
    rds: rds.api,
    drRds: drRds?.api,
    target: TARGET,
    now: () => NOW,
    logger: silentLogger,
    dryRun,
  };
  return { rds, drRds, deps };
}

/** 60 managed daily snapshots of db `a`, plus one an operator made by hand long ago. */
const history = () => [
  ...Array.from({ length: 60 }, (_, i) => snapshot('a', `warden-a-d${i}`, 24 * (i + 1), mine)),
  snapshot('a', 'before-migration', 24 * 200, { SnapshotType: 'manual' }),
];

describe('Function: runLifecycle', () => {
  it("creates today's snapshot, tagged, with a deterministic name", async () => {
    // Prepare
    const { deps, rds } = setup({ instances: [instance('a', { TagList: managedTags }), instance('b')] });
    // Act
    const result = await runLifecycle(deps, opts());
    // Assess
    expect(callsOf(rds.calls, 'createSnapshot')).toEqual([
      [
        'a',
        'warden-a-20261126',
        [
          { Key: 'warden:managed', Value: 'true' },
          { Key: 'warden:source', Value: 'a' },
        ],
      ],
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      check: 'snapshot-create',
      resourceArn: 'arn:aws:rds:eu-west-1:111122223333:snapshot:warden-a-20261126',
      action: { type: 'snapshot-create', result: 'succeeded' },
    });
  });

  it('does not create a second snapshot when re-run the same day', async () => {
    // Prepare
    const { deps, rds } = setup({
      instances: [instance('a', { TagList: managedTags })],
      snapshots: [snapshot('a', dailySnapshotId('a', NOW), 1, mine)],
    });
    // Act
    const result = await runLifecycle(deps, opts());
    // Assess
    expect(callsOf(rds.calls, 'createSnapshot')).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('prunes only warden-managed snapshots outside retention, never the newest or a hand-made one', async () => {
    // Prepare
    const { deps, rds } = setup({
      instances: [instance('a', { TagList: managedTags })],
      snapshots: history(),
    });
    // Act
    const result = await runLifecycle(deps, opts());
    // Assess
    const deleted = callsOf(rds.calls, 'deleteSnapshot').map(([id]) => id as string);
    expect(deleted.length).toBeGreaterThan(40);
    expect(deleted).not.toContain('before-migration');
    expect(deleted).not.toContain('warden-a-d0');
    expect(deleted.every((id) => id.startsWith('warden-a-'))).toBe(true);
    expect(
      result.findings
        .filter((f) => f.check === 'snapshot-delete')
        .every((f) => f.action?.result === 'succeeded'),
    ).toBe(true);
  });

  it('never prunes a pre-change backup of warden backup snapshot, though it is tagged warden:managed', async () => {
    // Prepare: a pre-change snapshot 400 days old, outside every retention tier
    const preChange = {
      SnapshotType: 'manual',
      TagList: [
        { Key: 'warden:managed', Value: 'true' },
        { Key: 'warden:purpose', Value: 'pre-change' },
      ],
    };
    const { deps, rds } = setup({
      instances: [instance('a', { TagList: managedTags })],
      snapshots: [...history(), snapshot('a', 'warden-pre-a-202510220900', 24 * 400, preChange)],
    });
    // Act
    await runLifecycle(deps, opts());
    // Assess
    const deleted = callsOf(rds.calls, 'deleteSnapshot').map(([id]) => id as string);
    expect(deleted.length).toBeGreaterThan(40);
    expect(deleted).not.toContain('warden-pre-a-202510220900');
  });

  it('changes nothing in dry-run and reports every action as planned', async () => {
    // Prepare
    const { deps, rds, drRds } = setup(
      { instances: [instance('a', { TagList: managedTags })], snapshots: history() },
      {},
      true,
    );
    // Act
    const result = await runLifecycle(deps, opts({ drRegion: DR_REGION, drKmsKeyId: 'alias/warden-dr' }));
    // Assess
    const mutating = [...rds.calls, ...(drRds?.calls ?? [])].filter((c) => !c.method.startsWith('list'));
    expect(mutating).toEqual([]);
    expect(result.findings.length).toBeGreaterThan(40);
    expect(result.findings.every((f) => f.action?.result === 'planned' && f.dryRun)).toBe(true);
    expect(result.findings.map((f) => f.check)).toContain('snapshot-copy');
  });

  it('copies the newest snapshot to the DR region re-encrypted with the DR key, once', async () => {
    // Prepare
    const newest = snapshot('a', 'rds:a-2026-11-26', 3);
    const { deps, drRds } = setup(
      { instances: [instance('a', { TagList: managedTags })], snapshots: [newest] },
      { snapshots: [] },
    );
    // Act
    await runLifecycle(deps, opts({ drRegion: DR_REGION, drKmsKeyId: 'alias/warden-dr' }));
    // Assess
    expect(callsOf(drRds!.calls, 'copySnapshot')).toEqual([
      [
        {
          sourceArn: newest.DBSnapshotArn,
          targetId: drCopyId('a', hoursAgo(3)),
          kmsKeyId: 'alias/warden-dr',
          tags: [
            { Key: 'warden:managed', Value: 'true' },
            { Key: 'warden:source', Value: 'a' },
          ],
        },
      ],
    ]);
  });

  it('skips the copy when the DR region already holds that recovery point', async () => {
    // Prepare
    const { deps, drRds } = setup(
      { instances: [instance('a', { TagList: managedTags })], snapshots: [snapshot('a', 's', 3)] },
      { snapshots: [snapshot('a', drCopyId('a', hoursAgo(3)), 3, mine, DR_REGION)] },
    );
    // Act
    await runLifecycle(deps, opts({ drRegion: DR_REGION, drKmsKeyId: 'alias/warden-dr' }));
    // Assess
    expect(callsOf(drRds!.calls, 'copySnapshot')).toEqual([]);
  });

  it('reports a source snapshot deleted between list and copy as skipped, and a failed delete as failed', async () => {
    // Prepare
    const { deps, rds, drRds } = setup(
      { instances: [instance('a', { TagList: managedTags })], snapshots: history() },
      { snapshots: [] },
    );
    drRds!.outcomes.copySnapshot = 'missing';
    rds.fail.deleteSnapshot = ([id]) =>
      id === 'warden-a-d59'
        ? Object.assign(new Error('busy'), { name: 'InvalidDBSnapshotStateFault' })
        : undefined;
    // Act
    const result = await runLifecycle(deps, opts({ drRegion: DR_REGION, drKmsKeyId: 'alias/warden-dr' }));
    // Assess
    const copy = result.findings.find((f) => f.check === 'snapshot-copy');
    expect(copy?.action).toMatchObject({
      result: 'skipped',
      detail: { reason: 'source snapshot deleted since it was listed' },
    });
    const failed = result.findings.filter((f) => f.action?.result === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      severity: 'high',
      action: { detail: { snapshot: 'warden-a-d59', error: 'InvalidDBSnapshotStateFault: busy' } },
    });
  });

  it('manages an Aurora cluster with cluster snapshot calls', async () => {
    // Prepare
    const old = Array.from({ length: 20 }, (_, i) =>
      clusterSnapshot('aur', `warden-aur-${i}`, 24 * 40 * (i + 1), mine),
    );
    const { deps, rds, drRds } = setup(
      {
        clusters: [cluster('aur', { TagList: managedTags })],
        clusterSnapshots: [clusterSnapshot('aur', 'rds:aur-1', 2), ...old],
      },
      { clusterSnapshots: [] },
    );
    // Act
    const result = await runLifecycle(deps, opts({ drRegion: DR_REGION, drKmsKeyId: 'alias/warden-dr' }));
    // Assess
    expect(callsOf(rds.calls, 'createClusterSnapshot')).toHaveLength(1);
    expect(callsOf(drRds!.calls, 'copyClusterSnapshot')).toHaveLength(1);
    expect(callsOf(rds.calls, 'deleteClusterSnapshot').length).toBeGreaterThan(0);
    expect(result.findings.find((f) => f.check === 'snapshot-create')?.resourceArn).toBe(
      'arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:warden-aur-20261126',
    );
    expect(result.findings.find((f) => f.check === 'snapshot-copy')?.resourceArn).toContain(
      `rds:${DR_REGION}:`,
    );
  });

  it('reports a create retried after it already happened as skipped, and an unreadable database as an API error', async () => {
    // Prepare
    const { deps, rds } = setup({
      instances: [instance('a', { TagList: managedTags }), instance('b', { TagList: managedTags })],
    });
    rds.outcomes.createSnapshot = 'exists';
    rds.fail.listSnapshots = ([id]) =>
      id !== 'a' ? Object.assign(new Error('boom'), { name: 'InternalFailure' }) : undefined;
    // Act
    const result = await runLifecycle(deps, opts());
    // Assess
    expect(callsOf(rds.calls, 'createSnapshot')).toEqual([['a', 'warden-a-20261126', expect.any(Array)]]);
    expect(result.findings.find((f) => f.check === 'snapshot-create')?.action).toMatchObject({
      result: 'skipped',
      detail: { reason: 'already exists (retry)' },
    });
    expect(result.findings.find((f) => f.check === 'api-error:snapshots')?.title).toContain('instance/b');
  });

  it('requires a DR KMS key when a DR region is set', () => {
    expect(v.safeParse(lifecycleOptionsSchema, { drRegion: DR_REGION }).success).toBe(false);
  });
});
