import * as z from 'zod/mini';
import { SEVERITIES } from './finding.js';

// The finding's wire schema, apart from lib/findings/finding.ts so that only the code that parses findings
// (notify) bundles it; producers only build them.
const detailValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);

/** What an automation did (or would have done in dry-run) about a finding. */
export const actionSchema = z.strictObject({
  type: z.string().check(z.minLength(1)),
  result: z.enum(['planned', 'succeeded', 'failed', 'skipped']),
  detail: z.optional(z.record(z.string(), detailValue)),
});

export const findingSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-f0-9]{32}$/)),
  automation: z.string().check(z.minLength(1)),
  check: z.string().check(z.minLength(1)),
  severity: z.enum(SEVERITIES),
  status: z.enum(['open', 'resolved']),
  account: z.string(),
  region: z.string(),
  resourceArn: z.string().check(z.minLength(1)),
  title: z.string().check(z.minLength(1), z.maxLength(300)),
  detail: z.record(z.string(), detailValue),
  observedAt: z.iso.datetime(),
  dryRun: z.boolean(),
  action: z.optional(actionSchema),
});
