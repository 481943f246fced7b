import * as v from 'valibot';
import { int, isoDateTime, strictObject, variant } from '../../schemas.js';
import { checkOutcomeSchema, DRILL_STEPS, drillMessageSchema, drillSettingsSchema } from './messages.js';
import { drillTableSchema, tableNameSchema } from './tableOptions.js';

/** Every table a drill restores is named so: IAM allows restoring into, and deleting, these names only. */
export const TABLE_DRILL_PREFIX = 'warden-drill-';

/**
 * The state of a DynamoDB drill (restore to the latest restorable time into `tempTable`, validate, delete), carried
 * in its message like an RDS drill's: any step can be replayed from it.
 */
export const tableDrillMessageSchema = strictObject({
  service: v.literal('dynamodb'),
  drillId: v.pipe(v.string(), v.regex(/^[\w.-]{1,80}$/)),
  step: v.picklist(DRILL_STEPS),
  target: strictObject({ account: v.pipe(v.string(), v.regex(/^\d{12}$/)), region: v.string() }),
  table: tableNameSchema,
  tempTable: v.pipe(tableNameSchema, v.startsWith(TABLE_DRILL_PREFIX)),
  startedAt: isoDateTime,
  stepStartedAt: isoDateTime,
  stepAttempts: v.pipe(int, v.minValue(0)),
  deleteRequests: v.optional(v.pipe(int, v.minValue(0))),
  settings: drillSettingsSchema,
  validation: drillTableSchema,
  dryRun: v.boolean(),
  /** Why this drill runs dry while its flag applies elsewhere (outside the apply share, deny list). */
  dryRunReason: v.optional(v.string()),
  /** The source's ItemCount when the restore started (DynamoDB refreshes it about every 6 h). */
  sourceItemCount: v.optional(v.pipe(int, v.minValue(0))),
  /** The latest restorable time of the source when the restore was asked for: the recovery point restored. */
  restorePoint: v.optional(isoDateTime),
  tableArn: v.optional(v.string()),
  availableAt: v.optional(isoDateTime),
  /** Items counted so far by the validation scan, and where it goes on (a large table takes several steps). */
  scan: v.optional(strictObject({ count: v.pipe(int, v.minValue(0)), cursor: v.optional(v.string()) })),
  validatedAt: v.optional(isoDateTime),
  outcomes: v.optional(v.array(checkOutcomeSchema)),
  failure: v.optional(v.string()),
  cleanupFailure: v.optional(v.string()),
});
export type TableDrillMessage = v.InferOutput<typeof tableDrillMessageSchema>;

/** Any drill step message on the drills queue: an RDS drill's (no `service`) or a DynamoDB drill's. */
export const anyDrillMessageSchema = variant('service', [drillMessageSchema, tableDrillMessageSchema]);
