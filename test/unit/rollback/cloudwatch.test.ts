import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeAlarm } from '../../../lib/aws/cloudwatch.js';

const cw = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'eu-west-1' });

describe('Function: describeAlarm', () => {
  beforeEach(() => cw.reset());

  it('collects the dimensions of a metric-math alarm, first value winning', async () => {
    // Prepare
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'rate',
          AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:rate',
          StateValue: 'ALARM',
          StateUpdatedTimestamp: new Date('2026-11-26T10:00:00Z'),
          Metrics: [
            { Id: 'e', Expression: 'm1/m2' },
            {
              Id: 'm1',
              MetricStat: {
                Metric: {
                  Dimensions: [
                    { Name: 'FunctionName', Value: 'orders' },
                    { Name: 'Resource', Value: 'orders:live' },
                  ],
                },
                Period: 60,
                Stat: 'Sum',
              },
            },
            {
              Id: 'm2',
              MetricStat: {
                Metric: { Dimensions: [{ Name: 'FunctionName', Value: 'other' }] },
                Period: 60,
                Stat: 'Sum',
              },
            },
          ],
        },
      ],
    });

    // Act
    const alarm = await describeAlarm(client, 'rate');

    // Assess
    expect(alarm).toMatchObject({
      state: 'ALARM',
      dimensions: { FunctionName: 'orders', Resource: 'orders:live' },
      transitionedAt: new Date('2026-11-26T10:00:00Z'),
    });
  });

  it('reads a composite alarm, which has no dimensions', async () => {
    // Prepare
    cw.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [
        { AlarmName: 'any', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:any', StateValue: 'OK' },
      ],
    });

    // Act
    const alarm = await describeAlarm(client, 'any');

    // Assess
    expect(alarm).toMatchObject({
      state: 'OK',
      dimensions: {},
      arn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:any',
    });
  });

  it('returns undefined for an alarm that no longer exists', async () => {
    // Prepare
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });

    // Act + Assess
    expect(await describeAlarm(client, 'gone')).toBeUndefined();
  });
});
