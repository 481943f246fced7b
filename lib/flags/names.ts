import { AUTOMATION_NAMES } from '../automations/catalog.js';

/**
 * Every automation that reads a flag: the scheduled ones (fanned out per account by dispatch, so their flags may
 * set an apply share and allow and deny lists), the monthly restore drill and the alarm-driven rollback (one
 * mode for all their targets). A test keeps these equal to the names those automations use.
 */
export const FANNED_OUT: readonly string[] = AUTOMATION_NAMES;
export const FLAG_AUTOMATIONS: readonly string[] = [...AUTOMATION_NAMES, 'restoreDrill', 'autoRollback'];

/** The document's fields that only a fanned-out automation honours. */
export const SHARE_FIELDS = ['applyPercent', 'allow', 'deny'] as const;
