// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub placeholders
import { describe, expect, it } from 'vitest';
import { functionAlarms, queueAlarms, queuesOf, routeAlarmsTo } from '../../../lib/dashboards/alarms.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';
import { FUNCTIONS, SETTINGS, smallTemplate } from './fixtures.js';

describe('Function: functionAlarms', () => {
  it('alarms on errors over the threshold, any throttle and p95 duration over the budget', () => {
    // Act
    const alarms = functionAlarms(FUNCTIONS[0] as never, SETTINGS);

    // Assess
    expect(Object.keys(alarms)).toEqual(['NotifyErrorsAlarm', 'NotifyThrottlesAlarm', 'NotifyDurationAlarm']);
    expect(alarms.NotifyErrorsAlarm?.Properties).toMatchObject({
      AlarmName: 'warden-test-notify-errors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'warden-test-notify' }],
      Threshold: 2,
    });
    expect(alarms.NotifyThrottlesAlarm?.Properties).toMatchObject({ MetricName: 'Throttles', Threshold: 1 });
    expect(alarms.NotifyDurationAlarm?.Properties).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p95',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 24_000,
    });
  });
});

describe('Function: queuesOf', () => {
  it('finds DLQs through redrive policies (both GetAtt forms) and by name', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        ...smallTemplate().Resources,
        Other: {
          Type: 'AWS::SQS::Queue',
          Condition: 'IsProd',
          Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': 'Parked.Arn' } } },
        },
        Parked: { Type: 'AWS::SQS::Queue' },
        ReportsDlq: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: 'not an object' } },
      },
    };

    // Act
    const queues = queuesOf(t);

    // Assess
    expect(queues).toEqual([
      { logicalId: 'WorkQueue', name: 'warden-test-work', isDlq: false },
      { logicalId: 'WorkFailures', name: '${WorkFailures.QueueName}', isDlq: true },
      { logicalId: 'Other', name: '${Other.QueueName}', isDlq: false, condition: 'IsProd' },
      { logicalId: 'Parked', name: '${Parked.QueueName}', isDlq: true },
      { logicalId: 'ReportsDlq', name: '${ReportsDlq.QueueName}', isDlq: true },
    ]);
  });
});

describe('Function: queueAlarms', () => {
  it('alarms on any message in a DLQ and on the age of a work queue, keeping the queue condition', () => {
    // Act
    const dlq = queueAlarms(
      { logicalId: 'WorkFailures', name: 'x-dlq', isDlq: true, condition: 'IsProd' },
      SETTINGS,
    );
    const work = queueAlarms({ logicalId: 'WorkQueue', name: 'x', isDlq: false }, SETTINGS);

    // Assess
    expect(dlq.WorkFailuresDepthAlarm).toMatchObject({
      Condition: 'IsProd',
      Properties: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        Dimensions: [{ Name: 'QueueName', Value: 'x-dlq' }],
      },
    });
    expect(work.WorkQueueAgeAlarm?.Properties).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 900,
    });
    expect(work.WorkQueueAgeAlarm?.Condition).toBeUndefined();
  });
});

describe('Function: routeAlarmsTo', () => {
  it('gives alarms without actions the topic for alarm and OK, leaving alarms with actions alone', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        A: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
        B: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { AlarmActions: ['arn:aws:sns:eu-west-1:1:other'] },
        },
        C: { Type: 'AWS::CloudWatch::Alarm' },
      },
    };

    // Act
    const routed = routeAlarmsTo(t, 'AlertsTopic');

    // Assess
    expect(routed).toEqual(['A', 'C']);
    expect(t.Resources.A?.Properties).toEqual({
      AlarmActions: [{ Ref: 'AlertsTopic' }],
      OKActions: [{ Ref: 'AlertsTopic' }],
    });
    expect(t.Resources.B?.Properties).toEqual({ AlarmActions: ['arn:aws:sns:eu-west-1:1:other'] });
  });
});
