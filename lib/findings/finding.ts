import { createHash } from 'node:crypto';
import type * as v from 'valibot';
import type { actionSchema, findingSchema } from './findingSchema.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type FindingAction = v.InferOutput<typeof actionSchema>;
export type Finding = v.InferOutput<typeof findingSchema>;
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
