import type { LoggerLike } from '../../automations/types.js';
import type { Target } from '../../aws/clients.js';
import type { DynamoDbDrillApi } from '../../aws/dynamodb.js';
import type { RdsApi } from '../../aws/rds.js';
import { describeError } from '../../errors.js';
import type { Finding, FindingAction } from '../../findings/finding.js';
import { backupFinding } from '../findings.js';
import { tagMap } from '../model.js';
import { TAGS } from '../tags.js';
import type { DrillOptions, DrillSettings } from './messages.js';
import { DRILL_AUTOMATION } from './report.js';
import { TABLE_DRILL_PREFIX } from './tableMessages.js';

/** The name prefix of every temporary drill instance and cluster (IAM allows restores and deletes of these only). */
export const RDS_DRILL_PREFIX = 'wd-';

/** One temporary resource a crashed drill left behind: how to find it again and how to delete it. */
export interface Leftover {
  kind: 'db' | 'cluster' | 'table';
  id: string;
  arn: string;
  createdAt: Date;
  drillId: string;
  remove(): Promise<unknown>;
}

/** Lists the leftovers of one place (account, region); each service adds its own. */
export type LeftoverFinder = ((place: Target, olderThan: Date) => Promise<Leftover[]>) & { service: string };

export interface SweepDeps {
  finders: readonly LeftoverFinder[];
  now: () => Date;
  logger: LoggerLike;
  dryRun: boolean;
}

/**
 * A running drill is younger than this: the restore and the deletion each wait at most maxWaitMinutes, and the
 * last SQS redeliveries add minutes. Anything older that still carries a drill tag is a crashed drill's leftover.
 */
export const leftoverAgeMs = (settings: Pick<DrillSettings, 'maxWaitMinutes'>) =>
  (2 * settings.maxWaitMinutes + 60) * 60_000;

/** Every (account, region) a drill of these options may have restored into: home, DR region, tables' places. */
export function sweepPlaces(options: DrillOptions, home: Target): Target[] {
  const places = new Map<string, Target>();
  const add = (account: string | undefined, region: string | undefined) => {
    const t = { account: account ?? home.account, region: region ?? home.region };
    places.set(`${t.account}/${t.region}`, t);
  };
  for (const db of Object.values(options.databases)) {
    add(db.account, db.region);
    if (options.dr) add(db.account, options.dr.region);
  }
  for (const table of Object.values(options.tables)) add(table.account, table.region);
  return [...places.values()];
}

const created = (d: Date | undefined) => d ?? new Date(0);

/** RDS leftovers: wd-* instances and clusters with a warden:drill tag, created before `olderThan`. */
export function rdsLeftovers(rdsFor: (place: Target) => RdsApi): LeftoverFinder {
  const find = async (place: Target, olderThan: Date) => {
    const rds = rdsFor(place);
    const out: Leftover[] = [];
    for (const i of await rds.listInstances()) {
      const id = i.DBInstanceIdentifier ?? '';
      const drillId = tagMap(i.TagList)[TAGS.drill];
      if (!id.startsWith(RDS_DRILL_PREFIX) || !drillId || i.DBInstanceStatus === 'deleting') continue;
      if (created(i.InstanceCreateTime) >= olderThan) continue;
      out.push({
        kind: 'db',
        id,
        arn: i.DBInstanceArn ?? `arn:aws:rds:${place.region}:${place.account}:db:${id}`,
        createdAt: created(i.InstanceCreateTime),
        drillId,
        remove: () => rds.deleteInstance(id, i.DBClusterIdentifier !== undefined),
      });
    }
    for (const c of await rds.listClusters()) {
      const id = c.DBClusterIdentifier ?? '';
      const drillId = tagMap(c.TagList)[TAGS.drill];
      if (!id.startsWith(RDS_DRILL_PREFIX) || !drillId || c.Status === 'deleting') continue;
      if (created(c.ClusterCreateTime) >= olderThan) continue;
      out.push({
        kind: 'cluster',
        id,
        arn: c.DBClusterArn ?? `arn:aws:rds:${place.region}:${place.account}:cluster:${id}`,
        createdAt: created(c.ClusterCreateTime),
        drillId,
        // A cluster still holding its instance refuses deletion: the next sweep deletes it once the instance is gone.
        remove: () => rds.deleteCluster(id),
      });
    }
    return out;
  };
  return Object.assign(find, { service: 'rds' });
}

/** DynamoDB leftovers: tables named warden-drill-* (only drills create those), created before `olderThan`. */
export function tableLeftovers(dynamoFor: (place: Target) => DynamoDbDrillApi): LeftoverFinder {
  const find = async (place: Target, olderThan: Date) => {
    const ddb = dynamoFor(place);
    const out: Leftover[] = [];
    for (const name of await ddb.listTableNames()) {
      if (!name.startsWith(TABLE_DRILL_PREFIX)) continue;
      const t = await ddb.table(name);
      if (!t || t.status === 'DELETING' || created(t.createdAt) >= olderThan) continue;
      // The drill tags its table once ACTIVE; one that crashed before is still warden's by its name.
      const tags = t.status === 'ACTIVE' ? await ddb.listTags(t.arn) : [];
      out.push({
        kind: 'table',
        id: name,
        arn: t.arn,
        createdAt: created(t.createdAt),
        drillId: tags.find((x) => x.Key === TAGS.drill)?.Value ?? name.slice(TABLE_DRILL_PREFIX.length),
        remove: () => ddb.deleteTable(name),
      });
    }
    return out;
  };
  return Object.assign(find, { service: 'dynamodb' });
}

/**
 * Crash recovery, run before the scheduled drills start: deletes what earlier drills left behind (a drill whose
 * messages were lost cannot clean up itself), in every place drills restore to, the DR region included.
 * One finding per leftover (what was deleted, or why it could not be); a listing that fails is a finding too.
 */
export async function sweepLeftovers(
  deps: SweepDeps,
  options: DrillOptions,
  home: Target,
): Promise<Finding[]> {
  const now = deps.now();
  const olderThan = new Date(now.getTime() - leftoverAgeMs(options));
  const findings: Finding[] = [];
  for (const place of sweepPlaces(options, home)) {
    const scope = { automation: DRILL_AUTOMATION, target: place, now, dryRun: deps.dryRun };
    for (const find of deps.finders) {
      let leftovers: Leftover[];
      try {
        leftovers = await find(place, olderThan);
      } catch (err) {
        findings.push(
          backupFinding(scope, {
            check: 'drill-sweep',
            severity: 'high',
            resourceArn: `arn:aws:${find.service}:${place.region}:${place.account}:*`,
            title: `could not look for leftover ${find.service} drill resources in ${place.region}: ${describeError(err)}`,
            detail: { error: describeError(err) },
          }),
        );
        continue;
      }
      for (const l of leftovers) findings.push(await sweepOne(deps, scope, l));
    }
  }
  deps.logger.info('drill leftovers swept', { leftovers: findings.length });
  return findings;
}

const VERBS: Record<FindingAction['result'], string> = {
  planned: 'would delete',
  succeeded: 'deleted',
  skipped: 'already gone',
  failed: 'delete failed',
};

async function sweepOne(
  deps: SweepDeps,
  scope: Parameters<typeof backupFinding>[0],
  l: Leftover,
): Promise<Finding> {
  const detail = { resource: l.id, kind: l.kind, drillId: l.drillId, createdAt: l.createdAt.toISOString() };
  let action: FindingAction;
  if (deps.dryRun) action = { type: 'drill-sweep', result: 'planned', detail };
  else {
    try {
      const outcome = await l.remove();
      action = {
        type: 'drill-sweep',
        result: outcome === 'missing' ? 'skipped' : 'succeeded',
        detail: outcome === 'missing' ? { ...detail, reason: 'already deleted' } : detail,
      };
    } catch (err) {
      action = { type: 'drill-sweep', result: 'failed', detail: { ...detail, error: describeError(err) } };
    }
  }
  const verb = VERBS[action.result];
  return backupFinding(scope, {
    check: 'drill-cleanup',
    severity: action.result === 'failed' ? 'critical' : 'medium',
    resourceArn: l.arn,
    title: `${l.id}: leftover of drill ${l.drillId} (created ${l.createdAt.toISOString()}): ${verb}`,
    detail: { ...detail, ...(action.result === 'failed' ? { error: String(action.detail?.error) } : {}) },
    action,
  });
}
