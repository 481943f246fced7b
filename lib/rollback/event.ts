import * as v from 'valibot';
import { looseObject } from '../schemas.js';

const alarmState = looseObject({
  value: v.picklist(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  timestamp: v.pipe(v.string(), v.minLength(10)),
  reason: v.optional(v.string()),
});

/**
 * EventBridge `CloudWatch Alarm State Change` (source aws.cloudwatch). Loose objects: AWS adds fields over
 * time; the ones warden relies on are checked. Any other event fails on `detail-type` or `source`.
 */
export const alarmEventSchema = looseObject({
  id: v.pipe(v.string(), v.minLength(1)),
  'detail-type': v.literal('CloudWatch Alarm State Change'),
  source: v.literal('aws.cloudwatch'),
  account: v.pipe(v.string(), v.regex(/^\d{12}$/)),
  region: v.pipe(v.string(), v.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/)),
  time: v.string(),
  resources: v.array(v.string()),
  detail: looseObject({
    alarmName: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
    state: alarmState,
    previousState: v.optional(alarmState),
  }),
});
export type AlarmEvent = v.InferOutput<typeof alarmEventSchema>;

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
