import { describeError } from '../../errors.js';
import { TAGS } from '../tags.js';
import {
  fail,
  go,
  MAX_DELETE_ATTEMPTS,
  type StepDeps,
  type StepResult,
  stay,
  waitedTooLong,
} from './flow.js';
import type { CheckOutcome } from './messages.js';
import { TABLE_DRILL_PREFIX, type TableDrillMessage } from './tableMessages.js';
import type { TableKey } from './tableOptions.js';

/** Scan pages one step reads before handing on (each up to 1 MB): a step stays well inside the Lambda timeout. */
export const SCAN_PAGES_PER_STEP = 40;

/** Step 1: check point-in-time recovery, then restore the table at its latest restorable time into the temporary one. */
async function restore(deps: StepDeps, msg: TableDrillMessage, now: Date): Promise<StepResult> {
  const ddb = deps.dynamoFor(msg.target);
  const [source, pitr] = await Promise.all([ddb.table(msg.table), ddb.pointInTime(msg.table)]);
  if (!source || !pitr) return fail(msg, now, `table ${msg.table} not found`);
  if (!pitr.enabled) return fail(msg, now, `point-in-time recovery is not enabled on ${msg.table}`);
  const picked = {
    sourceItemCount: source.itemCount ?? 0,
    ...(pitr.latest ? { restorePoint: pitr.latest.toISOString() } : {}),
  };
  if (msg.dryRun) return go(msg, 'report', now, picked);
  let outcome: Awaited<ReturnType<typeof ddb.restoreToLatest>>;
  try {
    outcome = await ddb.restoreToLatest(msg.table, msg.tempTable);
  } catch (err) {
    return fail({ ...msg, ...picked }, now, `restore of ${msg.table} failed: ${describeError(err)}`);
  }
  if (outcome === 'missing')
    return fail({ ...msg, ...picked }, now, `table ${msg.table} vanished before the restore`);
  return go(msg, 'waitAvailable', now, picked, msg.settings.pollSeconds);
}

/** Step 2: poll until the restored table is ACTIVE; tag it as warden's (the sweep and operators find it by tag). */
async function waitAvailable(deps: StepDeps, msg: TableDrillMessage, now: Date): Promise<StepResult> {
  const ddb = deps.dynamoFor(msg.target);
  const t = await ddb.table(msg.tempTable);
  if (!t) return fail(msg, now, `restored table ${msg.tempTable} disappeared while restoring`);
  if (t.status === 'ACTIVE') {
    await ddb.tag(t.arn, [
      { Key: TAGS.managed, Value: 'true' },
      { Key: TAGS.drill, Value: msg.drillId },
      { Key: 'warden:source', Value: msg.table },
    ]);
    return go(msg, 'validate', now, { availableAt: now.toISOString(), tableArn: t.arn });
  }
  if (waitedTooLong(msg, now))
    return fail(msg, now, `not ACTIVE after ${msg.settings.maxWaitMinutes} min (status ${t.status})`);
  return stay(msg);
}

/** The item count within the tolerance of the source's (an empty source wants an empty restore). */
export function countOutcome(restored: number, source: number, tolerancePercent: number): CheckOutcome {
  const allowed = Math.floor((source * tolerancePercent) / 100);
  const diff = Math.abs(restored - source);
  const check = 'itemCount';
  return diff <= allowed
    ? {
        check,
        passed: true,
        reason: `${restored} items, source ~${source} (within ${tolerancePercent} %)`,
        value: restored,
      }
    : {
        check,
        passed: false,
        reason: `${restored} items, source ~${source}: off by ${diff}, over the ${tolerancePercent} % tolerance (${allowed})`,
        value: restored,
      };
}

const keyName = (k: TableKey) =>
  Object.entries(k)
    .map(([n, v]) => `${n}=${v}`)
    .join(',');

/**
 * Step 3: count the restored table's items with a Select=COUNT scan (several steps for a large table: the count
 * and the cursor travel in the message), then look up each configured key.
 */
async function validate(deps: StepDeps, msg: TableDrillMessage, now: Date): Promise<StepResult> {
  const ddb = deps.dynamoFor(msg.target);
  let { count, cursor } = msg.scan ?? { count: 0, cursor: undefined };
  for (let page = 0; page < SCAN_PAGES_PER_STEP; page++) {
    const r = await ddb.countPage(msg.tempTable, cursor);
    count += r.count;
    cursor = r.cursor;
    if (!cursor) break;
  }
  if (cursor) return { next: { message: { ...msg, scan: { count, cursor } }, delaySeconds: 0 } };
  const outcomes = [countOutcome(count, msg.sourceItemCount ?? 0, msg.validation.itemCountTolerancePercent)];
  for (const key of msg.validation.keys) {
    const check = `key ${keyName(key)}`;
    try {
      const found = await ddb.hasItem(msg.tempTable, key);
      outcomes.push({ check, passed: found, reason: found ? 'present' : 'missing', value: null });
    } catch (err) {
      outcomes.push({ check, passed: false, reason: `lookup failed: ${describeError(err)}`, value: null });
    }
  }
  const failed = outcomes.filter((o) => !o.passed);
  return go(msg, 'delete', now, {
    scan: { count },
    outcomes,
    ...(failed.length === 0
      ? { validatedAt: now.toISOString() }
      : { failure: `validation failed: ${failed.map((o) => `${o.check}: ${o.reason}`).join('; ')}` }),
  });
}

/** Step 4: delete the temporary table (always reached); never a table without warden's drill prefix. */
async function remove(deps: StepDeps, msg: TableDrillMessage, now: Date): Promise<StepResult> {
  if (!msg.tempTable.startsWith(TABLE_DRILL_PREFIX))
    return go(msg, 'report', now, {
      cleanupFailure: `refused to delete ${msg.tempTable}: not a drill table`,
    });
  try {
    await deps.dynamoFor(msg.target).deleteTable(msg.tempTable);
  } catch (err) {
    // A table still CREATING or being tagged refuses deletion (ResourceInUseException): ask again after a poll.
    const attempts = msg.stepAttempts + 1;
    if (attempts >= MAX_DELETE_ATTEMPTS)
      return go(msg, 'report', now, {
        cleanupFailure: `deleting ${msg.tempTable} failed ${attempts} times: ${describeError(err)}`,
      });
    return { next: { message: { ...msg, stepAttempts: attempts }, delaySeconds: msg.settings.pollSeconds } };
  }
  return go(
    msg,
    'waitDeleted',
    now,
    { deleteRequests: (msg.deleteRequests ?? 0) + 1 },
    msg.settings.pollSeconds,
  );
}

/** Step 5: poll until the table is gone. */
async function waitDeleted(deps: StepDeps, msg: TableDrillMessage, now: Date): Promise<StepResult> {
  const t = await deps.dynamoFor(msg.target).table(msg.tempTable);
  if (!t) return go(msg, 'report', now);
  if (t.status !== 'DELETING') {
    if ((msg.deleteRequests ?? 0) >= MAX_DELETE_ATTEMPTS)
      return go(msg, 'report', now, {
        cleanupFailure: `still ${t.status} after ${msg.deleteRequests} delete requests`,
      });
    return go(msg, 'delete', now, {}, msg.settings.pollSeconds);
  }
  if (waitedTooLong(msg, now))
    return go(msg, 'report', now, {
      cleanupFailure: `still deleting after ${msg.settings.maxWaitMinutes} min`,
    });
  return stay(msg);
}

/** Runs the step a DynamoDB drill message names; each is safe to run twice. */
export async function runTableStep(deps: StepDeps, msg: TableDrillMessage): Promise<StepResult> {
  const now = deps.now();
  if (msg.dryRun && msg.step !== 'restore') return go(msg, 'report', now);
  switch (msg.step) {
    case 'restore':
      return restore(deps, msg, now);
    case 'waitAvailable':
      return waitAvailable(deps, msg, now);
    case 'validate':
      return validate(deps, msg, now);
    case 'delete':
      return remove(deps, msg, now);
    case 'waitDeleted':
      return waitDeleted(deps, msg, now);
    case 'report':
      return {};
  }
}
