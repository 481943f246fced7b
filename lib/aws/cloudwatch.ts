import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** What warden needs of one alarm (metric or composite), as DescribeAlarms reports it now. */
export interface AlarmInfo {
  name: string;
  arn: string;
  state: AlarmStateValue;
  /** When the state value last changed. */
  transitionedAt: Date | undefined;
  /** Dimensions of the alarm's metric, or of every metric of a metric-math alarm (first value wins). */
  dimensions: Record<string, string>;
}

/** Current state of the named alarm; undefined when it no longer exists. */
export async function describeAlarm(cw: CloudWatchClient, name: string): Promise<AlarmInfo | undefined> {
  const out = await cw.send(
    new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  const metric = out.MetricAlarms?.[0];
  if (metric) {
    const dimensions: Record<string, string> = {};
    const all = [
      ...(metric.Dimensions ?? []),
      ...(metric.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? []),
    ];
    for (const d of all) if (d.Name && d.Value && !(d.Name in dimensions)) dimensions[d.Name] = d.Value;
    return {
      name,
      arn: metric.AlarmArn ?? '',
      state: (metric.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
      transitionedAt: metric.StateTransitionedTimestamp ?? metric.StateUpdatedTimestamp,
      dimensions,
    };
  }
  const composite = out.CompositeAlarms?.[0];
  if (composite) {
    return {
      name,
      arn: composite.AlarmArn ?? '',
      state: (composite.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
      transitionedAt: composite.StateTransitionedTimestamp ?? composite.StateUpdatedTimestamp,
      dimensions: {},
    };
  }
  return undefined;
}

/** Tags of a CloudWatch resource (an alarm) as a plain map. */
export async function listTags(cw: CloudWatchClient, resourceArn: string): Promise<Record<string, string>> {
  const out = await cw.send(new ListTagsForResourceCommand({ ResourceARN: resourceArn }));
  const tags: Record<string, string> = {};
  for (const t of out.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
  return tags;
}

/** Cheap read proving cloudwatch:DescribeAlarms is allowed. */
export async function probeAlarms(cw: CloudWatchClient): Promise<void> {
  await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
}
