import * as z from 'zod/mini';

const alarmState = z.looseObject({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  timestamp: z.string().check(z.minLength(10)),
  reason: z.optional(z.string()),
});

/**
 * EventBridge `CloudWatch Alarm State Change` (source aws.cloudwatch). Loose objects: AWS adds fields over
 * time; the ones warden relies on are checked. Any other event fails on `detail-type` or `source`.
 */
export const alarmEventSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/)),
  time: z.string(),
  resources: z.array(z.string()),
  detail: z.looseObject({
    alarmName: z.string().check(z.minLength(1), z.maxLength(255)),
    state: alarmState,
    previousState: z.optional(alarmState),
  }),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;

export const ALARM_EVENT_NAME = 'CloudWatch alarm state change event';

/** The alarm's ARN: from `resources`, else rebuilt from account, region and name. */
export function alarmArnOf(event: AlarmEvent): string {
  const fromEvent = event.resources.find((r) => r.includes(':cloudwatch:') && r.includes(':alarm:'));
  return fromEvent ?? `arn:aws:cloudwatch:${event.region}:${event.account}:alarm:${event.detail.alarmName}`;
}

/** AWS partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}
