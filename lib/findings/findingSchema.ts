import * as v from 'valibot';
import { isoDateTime, number, record, strictObject } from '../schemas.js';
import { SEVERITIES } from './finding.js';

// The finding's wire schema, apart from lib/findings/finding.ts so that only the code that parses findings
// (notify) bundles it; producers only build them.
const detailValue = v.union([
  v.string(),
  number,
  v.boolean(),
  v.null(),
  v.array(v.union([v.string(), number])),
]);

/** What an automation did (or would have done in dry-run) about a finding. */
export const actionSchema = strictObject({
  type: v.pipe(v.string(), v.minLength(1)),
  result: v.picklist(['planned', 'succeeded', 'failed', 'skipped']),
  detail: v.optional(record(detailValue)),
});

export const findingSchema = strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-f0-9]{32}$/)),
  automation: v.pipe(v.string(), v.minLength(1)),
  check: v.pipe(v.string(), v.minLength(1)),
  severity: v.picklist(SEVERITIES),
  status: v.picklist(['open', 'resolved']),
  account: v.string(),
  region: v.string(),
  resourceArn: v.pipe(v.string(), v.minLength(1)),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(300)),
  detail: record(detailValue),
  observedAt: isoDateTime,
  dryRun: v.boolean(),
  action: v.optional(actionSchema),
});
