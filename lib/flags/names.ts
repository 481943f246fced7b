import { AUTOMATION_NAMES } from '../automations/catalog.js';

/**
 * Every automation that reads a flag: the scheduled ones (fanned out per account by dispatch), the monthly restore
 * drill and the alarm-driven rollback. A test keeps these equal to the names those automations use.
 */
export const FANNED_OUT: readonly string[] = AUTOMATION_NAMES;
export const FLAG_AUTOMATIONS: readonly string[] = [...AUTOMATION_NAMES, 'restoreDrill', 'autoRollback'];

/**
 * The automations whose flag may set an apply share and allow and deny lists, decided per account: the fanned-out
 * ones, autoRollback (by the alarm's account, over home and warden's target accounts) and restoreDrill (by the
 * database's account, over the accounts of the drills it starts).
 */
export const PER_ACCOUNT: readonly string[] = [...FANNED_OUT, 'autoRollback', 'restoreDrill'];

/** The document's fields that only a fanned-out automation honours. */
export const SHARE_FIELDS = ['applyPercent', 'allow', 'deny'] as const;
