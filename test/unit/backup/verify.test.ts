import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { formatVerifyReport } from '../../../lib/backup/format.js';
import { verifyOptionsSchema } from '../../../lib/backup/options.js';
import { type ResourceReport, verifyBackups } from '../../../lib/backup/verify.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import {
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

const options = (o: Record<string, unknown> = {}) => v.parse(verifyOptionsSchema, o);

function setup(data: FakeRdsData, dr?: FakeRdsData) {
  const rds = fakeRds(data);
  const drRds = dr ? fakeRds(dr, DR_REGION) : undefined;
  const metrics = memorySink();
  const deps = {
    rds: rds.api,
    drRds: drRds?.api,
    target: TARGET,
    now: () => NOW,
    metrics,
    logger: silentLogger,
    dryRun: true,
    defaultRpoHours: 24,
  };
  return { rds, drRds, metrics, deps };
}

const resourcesOf = (report: Record<string, unknown>) => report.resources as ResourceReport[];
const statusOf = (r: ResourceReport | undefined, check: string) =>
  r?.checks.find((c) => c.check === check)?.status;

describe('Function: verifyBackups', () => {
  it('reports every database and every check, with findings only for failures', async () => {
    // Prepare
    const { deps } = setup({
      instances: [
        instance('good'),
        instance('stale', { LatestRestorableTime: hoursAgo(40), BackupRetentionPeriod: 1 }),
        instance('member', { DBClusterIdentifier: 'aurora' }),
      ],
      clusters: [cluster('aurora')],
      snapshots: [snapshot('good', 'good-1', 2), snapshot('stale', 'stale-1', 40)],
      clusterSnapshots: [clusterSnapshot('aurora', 'aurora-1', 3)],
    });
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    const resources = resourcesOf(result.report);
    expect(resources.map((r) => r.id)).toEqual(['good', 'stale', 'aurora']);
    for (const r of resources) expect(r.checks.map((c) => c.check)).toHaveLength(6);
    expect(resources.find((r) => r.id === 'good')?.compliant).toBe(true);
    expect(resources.find((r) => r.id === 'aurora')?.compliant).toBe(true);
    const stale = resources.find((r) => r.id === 'stale');
    expect(stale?.compliant).toBe(false);
    expect(result.findings.map((f) => f.check).sort()).toEqual(['recovery-point', 'retention-period']);
    const rpo = result.findings.find((f) => f.check === 'recovery-point');
    expect(rpo?.detail).toMatchObject({ ageHours: 40, rpoHours: 24, resource: 'stale' });
    expect(rpo?.resourceArn).toBe(`arn:aws:rds:eu-west-1:111122223333:db:stale`);
  });

  it('emits SnapshotAgeHours and BackupCompliant per database, and the non-compliant and unverified count per kind', async () => {
    // Prepare
    const { deps, metrics } = setup({
      instances: [instance('a', { LatestRestorableTime: hoursAgo(2) })],
      snapshots: [snapshot('a', 'a1', 3)],
    });
    // Act
    await verifyBackups(deps, options());
    // Assess
    expect(metrics.recorded).toEqual([
      { name: 'SnapshotAgeHours', unit: 'None', value: 2, dimensions: { dbIdentifier: 'a' } },
      { name: 'BackupCompliant', unit: 'Count', value: 1, dimensions: { dbIdentifier: 'a' } },
      { name: 'BackupNonCompliant', unit: 'Count', value: 0, dimensions: { kind: 'rds' } },
      { name: 'BackupUnverified', unit: 'Count', value: 0, dimensions: { kind: 'rds' } },
    ]);
  });

  it('applies a warden:rpo-hours override and skips warden:backup=skip databases', async () => {
    // Prepare
    const { deps, metrics } = setup({
      instances: [
        instance('tight', {
          LatestRestorableTime: hoursAgo(3),
          TagList: [{ Key: 'warden:rpo-hours', Value: '2' }],
        }),
        instance('ignored', { BackupRetentionPeriod: 0, TagList: [{ Key: 'warden:backup', Value: 'skip' }] }),
      ],
      snapshots: [snapshot('tight', 't1', 3)],
    });
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    const [tight, ignored] = resourcesOf(result.report);
    expect(tight).toMatchObject({ rpoHours: 2, compliant: false });
    expect(ignored).toMatchObject({ mode: 'skip', checks: [] });
    expect(result.findings.every((f) => f.resourceArn.endsWith(':db:tight'))).toBe(true);
    expect(metrics.recorded.some((m) => m.dimensions?.dbIdentifier === 'ignored')).toBe(false);
  });

  it('reports a bad tag value as a finding and applies the default RPO', async () => {
    // Prepare
    const { deps } = setup({
      instances: [instance('a', { TagList: [{ Key: 'warden:rpo-hours', Value: 'soon' }] })],
      snapshots: [snapshot('a', 'a1', 3)],
    });
    // Act
    const result = await verifyBackups(deps, options({ rpoHours: 12 }));
    // Assess
    expect(resourcesOf(result.report)[0]?.rpoHours).toBe(12);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      check: 'bad-tag:warden:rpo-hours',
      detail: { value: 'soon', applied: '12' },
    });
  });

  it('still verifies the other databases when one database cannot be read, and reports it as an error', async () => {
    // Prepare: the region-wide listing fails, then only db b fails on its own listing
    const { deps, rds } = setup({
      instances: [instance('a'), instance('b')],
      snapshots: [snapshot('a', 'a1', 2), snapshot('b', 'b1', 2)],
    });
    rds.fail.listSnapshots = ([id]) =>
      id === 'b' || id === undefined
        ? Object.assign(new Error('boom'), { name: 'InternalFailure' })
        : undefined;
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    const [a, b] = resourcesOf(result.report);
    expect(a).toMatchObject({ compliant: true, verified: true });
    expect(b).toMatchObject({ compliant: false, verified: false });
    expect(statusOf(b, 'recovery-point')).toBe('error');
    expect(statusOf(b, 'retention-period')).toBe('pass');
    expect(result.findings.map((f) => f.check)).toContain('api-error:recovery-point');
    expect((result.report.counts as Record<string, number>).unverified).toBe(1);
  });

  it('reports a failed discovery as its own finding and verifies what could be listed', async () => {
    // Prepare
    const { deps, rds } = setup({
      clusters: [cluster('c1')],
      clusterSnapshots: [clusterSnapshot('c1', 'c1-1', 1)],
    });
    rds.fail.listInstances = () => Object.assign(new Error('denied'), { name: 'AccessDenied' });
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      check: 'api-error:instances',
      severity: 'high',
      detail: { error: 'AccessDenied: denied' },
    });
    expect(resourcesOf(result.report).map((r) => r.id)).toEqual(['c1']);
  });

  it('checks copies in the DR region when one is configured', async () => {
    // Prepare
    const { deps } = setup(
      {
        instances: [instance('a'), instance('b')],
        snapshots: [snapshot('a', 'a1', 2), snapshot('b', 'b1', 2)],
      },
      { snapshots: [snapshot('a', 'a-dr', 5, { SnapshotType: 'manual' }, DR_REGION)] },
    );
    // Act
    const result = await verifyBackups(deps, options({ drRegion: DR_REGION }));
    // Assess
    const [a, b] = resourcesOf(result.report);
    expect(statusOf(a, 'dr-copy')).toBe('pass');
    expect(statusOf(b, 'dr-copy')).toBe('fail');
    expect(result.findings.find((f) => f.check === 'dr-copy')?.detail).toMatchObject({
      drRegion: DR_REGION,
      resource: 'b',
    });
  });

  it('marks the DR check as an error, not a pass, when the DR region cannot be listed', async () => {
    // Prepare
    const { deps, drRds } = setup({ instances: [instance('a')], snapshots: [snapshot('a', 'a1', 2)] }, {});
    drRds!.fail.listSnapshots = () => Object.assign(new Error('nope'), { name: 'InternalFailure' });
    // Act
    const result = await verifyBackups(deps, options({ drRegion: DR_REGION }));
    // Assess
    expect(statusOf(resourcesOf(result.report)[0], 'dr-copy')).toBe('error');
    expect(result.findings.map((f) => f.check).sort()).toEqual([
      'api-error:dr-copy',
      'api-error:dr-snapshots',
    ]);
  });

  it('falls back to per-cluster listings and prints region-wide errors in the text report', async () => {
    // Prepare
    const { deps, rds } = setup({
      instances: [instance('a')],
      clusters: [cluster('c1'), cluster('c2')],
      clusterSnapshots: [clusterSnapshot('c1', 'c1-1', 1), clusterSnapshot('c2', 'c2-1', 1)],
    });
    rds.fail.listClusterSnapshots = ([id]) =>
      id === 'c1' ? undefined : Object.assign(new Error('slow'), { name: 'InternalFailure' });
    rds.fail.listInstances = () => Object.assign(new Error('denied'), { name: 'AccessDenied' });
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    const [c1, c2] = resourcesOf(result.report);
    expect(c1).toMatchObject({ id: 'c1', verified: true });
    expect(c2).toMatchObject({ id: 'c2', verified: false });
    const text = formatVerifyReport(result.report).join('\n');
    expect(text).toContain('could not list instances in eu-west-1: AccessDenied: denied');
    expect(text).toContain('c2: recovery-point ERROR: snapshots could not be listed: InternalFailure: slow');
  });

  it('cuts a finding title to the 300 characters the model allows', async () => {
    // Prepare
    const { deps } = setup({
      instances: [instance('a', { TagList: [{ Key: 'warden:backup', Value: 'x'.repeat(400) }] })],
      snapshots: [snapshot('a', 'a1', 1)],
    });
    // Act
    const result = await verifyBackups(deps, options());
    // Assess
    expect(result.findings[0]?.title.length).toBeLessThanOrEqual(300);
    expect(result.findings[0]?.detail.value).toHaveLength(64);
  });

  it('rejects unknown options', () => {
    expect(v.safeParse(verifyOptionsSchema, { rpo: 3 }).success).toBe(false);
    expect(options()).toMatchObject({ retention: { daily: 7, weekly: 4, monthly: 12 }, minRetentionDays: 7 });
  });
});
