import type { CheckResult } from '../checks.js';
import {
  checkDrCopy,
  checkEncryption,
  checkManualRetention,
  checkRecoveryPoint,
  checkRetentionPeriod,
  checkSnapshotHealth,
  errorResult,
} from '../checks.js';
import { regionArn } from '../findings.js';
import { type Inventory, loadInventory } from '../inventory.js';
import { type BackupResource, resourceKey } from '../model.js';
import type { VerifyOptions } from '../options.js';
import { parseBackupTags } from '../tags.js';
import type { EvalContext, KindScan, ProtectionKind, Requirements } from './types.js';

/** The six checks of one database, from data already fetched (pure). */
export function evaluateResource(
  r: BackupResource,
  inv: Pick<Inventory, 'snapshots' | 'drSnapshots' | 'failures'>,
  options: VerifyOptions,
  rpoHours: number,
  managed: boolean,
  now: Date,
): CheckResult[] {
  const key = resourceKey(r.kind, r.id);
  const snapshotError = inv.failures.find((f) => f.scope === 'snapshots' && f.resourceKey === key)?.error;
  const drError = inv.failures.find((f) => f.scope === 'dr-snapshots')?.error;
  const snaps = inv.snapshots.get(key) ?? [];
  const checks: CheckResult[] = [];
  if (snapshotError) {
    const why = `snapshots could not be listed: ${snapshotError}`;
    checks.push(
      errorResult('recovery-point', why),
      errorResult('snapshot-health', why),
      errorResult('encryption', why),
    );
  } else {
    checks.push(
      checkRecoveryPoint(r, snaps, now, rpoHours),
      checkSnapshotHealth(snaps, now, { recentHours: options.recentHours, stuckHours: options.stuckHours }),
      checkEncryption(r, snaps),
    );
  }
  checks.push(checkRetentionPeriod(r, options.minRetentionDays));
  if (options.drRegion && drError)
    checks.push(errorResult('dr-copy', `DR snapshots could not be listed: ${drError}`));
  else
    checks.push(
      checkDrCopy(
        inv.drSnapshots ? (inv.drSnapshots.get(key) ?? []) : undefined,
        now,
        rpoHours,
        options.drRegion,
      ),
    );
  if (snapshotError)
    checks.push(errorResult('manual-retention', `snapshots could not be listed: ${snapshotError}`));
  else
    checks.push(
      checkManualRetention(
        snaps.filter((s) => s.type === 'manual'),
        options.retention,
        now,
        managed,
      ),
    );
  return checks;
}

/** RDS instances and Aurora clusters: four region-wide listings (and the DR region's snapshots); six checks each. */
export const rdsKind: ProtectionKind = {
  name: 'rds',
  description:
    'RDS instances and Aurora clusters: recovery point, snapshot health, KMS, retention, DR copy, manual snapshots',
  checks: [
    'recovery-point',
    'snapshot-health',
    'encryption',
    'retention-period',
    'dr-copy',
    'manual-retention',
  ],
  permissions: [
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'rds:DescribeDBSnapshots',
    'rds:DescribeDBClusterSnapshots',
  ],
  ready: (apis) => apis.rds !== undefined,
  async scan(ctx): Promise<KindScan> {
    const rds = ctx.apis.rds;
    if (!rds) return { items: [], failures: [] };
    const inv = await loadInventory(rds, ctx.options.drRegion ? ctx.apis.drRds : undefined);
    const failures = inv.failures
      .filter((f) => f.scope !== 'snapshots') // reported per resource, on the checks it prevented
      .map((f) => {
        const what = f.scope === 'instances' ? 'db' : f.scope === 'clusters' ? 'cluster' : 'snapshot';
        const region = f.scope === 'dr-snapshots' ? (ctx.options.drRegion ?? '') : ctx.target.region;
        return {
          kind: 'rds' as const,
          scope: f.scope,
          region,
          resourceArn: regionArn({ ...ctx.target, region }, what),
          error: f.error,
        };
      });
    const items = inv.resources.map((r) => ({
      kind: r.kind,
      id: r.id,
      arn: r.arn,
      engine: r.engine,
      tags: r.tags,
      evaluate: (req: Requirements, e: EvalContext): CheckResult[] => {
        const managed = parseBackupTags(r.tags, req.rpoHours).managedSnapshots;
        const options = { ...e.options, minRetentionDays: req.retentionDays };
        return evaluateResource(r, inv, options, req.rpoHours, managed, e.now);
      },
    }));
    return { items, failures };
  },
};
