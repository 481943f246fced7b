import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import { ALARM_EVENT_NAME, alarmArnOf, alarmEventSchema, partitionOf } from '../../../lib/rollback/event.js';
import { parseWith } from '../../../lib/validation.js';
import { exampleEvent } from './helpers.js';

describe('Function: alarmEventSchema', () => {
  it('accepts a CloudWatch Alarm State Change event as EventBridge delivers it', () => {
    // Prepare
    const event = exampleEvent('alarm-canary');

    // Act
    const parsed = parseWith(alarmEventSchema, event, ALARM_EVENT_NAME);

    // Assess
    expect(parsed.detail.state.value).toBe('ALARM');
    expect(parsed.detail.configuration).toBeDefined();
  });

  it('rejects an event that is not an alarm state change, naming the field', () => {
    // Prepare
    const ec2 = {
      ...exampleEvent('alarm-canary'),
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
    };

    // Act
    const act = () => parseWith(alarmEventSchema, ec2, ALARM_EVENT_NAME);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      'invalid CloudWatch alarm state change event: detail-type: expected one of "CloudWatch Alarm State Change"',
    );
  });

  it('rejects an alarm event without a state timestamp', () => {
    // Prepare
    const event = exampleEvent('alarm-canary') as unknown as { detail: { state: Record<string, unknown> } };
    delete event.detail.state.timestamp;

    // Act
    const act = () => parseWith(alarmEventSchema, event, ALARM_EVENT_NAME);

    // Assess
    expect(act).toThrow('detail.state.timestamp: expected string (missing)');
  });
});

describe('Function: alarmArnOf', () => {
  it('rebuilds the ARN from account, region and name when resources is empty', () => {
    // Prepare
    const event = { ...exampleEvent('alarm-canary'), resources: [] };

    // Act
    const arn = alarmArnOf(event);

    // Assess
    expect(arn).toBe('arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-api-errors');
    expect(partitionOf('arn:aws-cn:cloudwatch:cn-north-1:1:alarm:x')).toBe('aws-cn');
  });
});
