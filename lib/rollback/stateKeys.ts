import type { Target } from '../aws/clients.js';
import type { StateKey } from '../aws/stateStore.js';

/**
 * Keys of rollback state in the shared table (pk/sk strings, all under `rollback#`, the only items the rollback
 * role may reach). Every key carries the account and region of the alarm's target (`where`): the home account
 * for its own alarms, the member account for a forwarded one, so per-account state needs no new layout and the
 * items written so far stay readable as they are. Decisions share one partition, newest last, account in the sk.
 */
export const DECISION_LOG_PK = 'rollback#decision';
export const EVENT_TTL_SECONDS = 7 * 86_400;
export const DECISION_TTL_SECONDS = 30 * 86_400;
export const KNOWN_GOOD_TTL_SECONDS = 365 * 86_400;

/** One alarm state change: the idempotency claim. */
export function eventKey(where: Target, alarmName: string, stateTime: string): StateKey {
  return { pk: `rollback#event#${where.account}#${where.region}#${alarmName}`, sk: stateTime };
}

function targetPk(where: Target, key: string): string {
  return `rollback#target#${where.account}#${where.region}#${key}`;
}

export function cooldownKey(where: Target, key: string): StateKey {
  return { pk: targetPk(where, key), sk: 'cooldown' };
}

/** The version an alias was last seen at, and since when. */
export function observedKey(where: Target, key: string): StateKey {
  return { pk: targetPk(where, key), sk: 'observed' };
}

export function knownGoodKey(where: Target, key: string): StateKey {
  return { pk: targetPk(where, key), sk: 'known-good' };
}

export function decisionKey(at: Date, where: Target, key: string, alarmName: string): StateKey {
  return {
    pk: DECISION_LOG_PK,
    sk: `${at.toISOString()}#${where.account}#${where.region}#${key}#${alarmName}`,
  };
}
