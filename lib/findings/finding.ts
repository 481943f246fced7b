import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

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
export type FindingAction = z.infer<typeof actionSchema>;

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
export type Finding = z.infer<typeof findingSchema>;
export type FindingDetail = Finding['detail'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Stable id: the same problem on the same resource keeps its id across runs. */
export function findingId(automation: string, check: string, resourceArn: string): string {
  return createHash('sha256')
    .update(`${automation}\u0000${check}\u0000${resourceArn}`)
    .digest('hex')
    .slice(0, 32);
}

export type FindingInput = Omit<Finding, 'id' | 'status' | 'observedAt' | 'detail'> & {
  status?: Finding['status'];
  detail?: FindingDetail;
  observedAt: Date;
};

export function makeFinding(input: FindingInput): Finding {
  const { observedAt, ...rest } = input;
  return {
    ...rest,
    id: findingId(input.automation, input.check, input.resourceArn),
    status: input.status ?? 'open',
    detail: input.detail ?? {},
    observedAt: observedAt.toISOString(),
  };
}
