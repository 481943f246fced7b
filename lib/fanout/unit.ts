import * as z from 'zod/mini';

/** One unit of work: an automation for one (account, region), as put on its work queue by dispatch. */
export const workUnitSchema = z.strictObject({
  automation: z.string().check(z.regex(/^[a-z][A-Za-z0-9]{1,40}$/)),
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/)),
  dryRun: z.boolean(),
  options: z.optional(z.record(z.string(), z.unknown())),
  dispatchId: z.string().check(z.minLength(1)),
  dispatchedAt: z.iso.datetime(),
});
export type WorkUnit = z.infer<typeof workUnitSchema>;

/** The request of a scheduled dispatch (the EventBridge rule's constant input). */
export const dispatchRequestSchema = z.strictObject({
  automation: z.string(),
  options: z.optional(z.record(z.string(), z.unknown())),
  /** Restrict to these targets (the CLI, a manual run); default: every configured target. */
  accounts: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/)))),
  regions: z.optional(z.array(z.string())),
});
export type DispatchRequest = z.infer<typeof dispatchRequestSchema>;
