import * as v from 'valibot';
import { isoDateTime, record, strictObject } from '../schemas.js';

/** One unit of work: an automation for one (account, region), as put on its work queue by dispatch. */
export const workUnitSchema = strictObject({
  automation: v.pipe(v.string(), v.regex(/^[a-z][A-Za-z0-9]{1,40}$/)),
  account: v.pipe(v.string(), v.regex(/^\d{12}$/)),
  region: v.pipe(v.string(), v.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/)),
  /** The part of the automation this unit runs (WORKER_PARTS); absent: the first part, or the whole automation. */
  part: v.optional(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9]{1,30}$/))),
  dryRun: v.boolean(),
  /** Why the unit runs in dry-run (the flag, the deny list, outside the apply share); absent in apply mode. */
  dryRunReason: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(300))),
  options: v.optional(record(v.unknown())),
  dispatchId: v.pipe(v.string(), v.minLength(1)),
  dispatchedAt: isoDateTime,
});
export type WorkUnit = v.InferOutput<typeof workUnitSchema>;

/** The request of a scheduled dispatch (the EventBridge rule's constant input). */
export const dispatchRequestSchema = strictObject({
  automation: v.string(),
  options: v.optional(record(v.unknown())),
  /** Restrict to these targets (the CLI, a manual run); default: every configured target. */
  accounts: v.optional(v.array(v.pipe(v.string(), v.regex(/^\d{12}$/)))),
  regions: v.optional(v.array(v.string())),
});
export type DispatchRequest = v.InferOutput<typeof dispatchRequestSchema>;
