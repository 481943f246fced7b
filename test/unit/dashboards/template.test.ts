// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub placeholders
import { describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  dashboardBodyText,
  propsOf,
  resolveSub,
} from '../../../lib/dashboards/template.js';

const T: CfnTemplate = {
  Resources: {
    Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'warden-dev-work' } },
    Anon: { Type: 'AWS::SQS::Queue' },
    A: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'warden-dev-x' } },
    B: { Type: 'AWS::CloudWatch::Alarm' },
  },
};

describe('Function: resolveSub', () => {
  it('fills pseudo parameters, alarm ARNs, queue names and keeps ${!literals}', () => {
    // Act
    const text = resolveSub(
      T,
      '${AWS::Region} ${AWS::AccountId} ${AWS::Partition} ${AWS::URLSuffix} ${AWS::StackName} ${Q.QueueName} ${Anon.QueueName} ${A.Arn} ${B.Arn} ${Q} ${!Keep}',
    );

    // Assess
    expect(text).toBe(
      'eu-west-1 123456789012 aws amazonaws.com stack warden-dev-work Anon.QueueName arn:aws:cloudwatch:eu-west-1:123456789012:alarm:warden-dev-x arn:aws:cloudwatch:eu-west-1:123456789012:alarm:B Q ${Keep}',
    );
  });
});

describe('Function: dashboardBodyText', () => {
  it('reads a literal body or a string Fn::Sub and rejects anything else', () => {
    // Prepare
    const sub = {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardBody: { 'Fn::Sub': '{"r":"${AWS::Region}"}' } },
    };
    const join = {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardBody: { 'Fn::Join': ['', []] } },
    };

    // Assess
    expect(
      dashboardBodyText(T, { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } }),
    ).toBe('{}');
    expect(dashboardBodyText(T, sub, { region: 'us-east-1', account: '1', partition: 'aws' })).toBe(
      '{"r":"us-east-1"}',
    );
    expect(() => dashboardBodyText(T, join)).toThrow(TypeError);
    expect(() => dashboardBodyText(T, { Type: 'AWS::CloudWatch::Dashboard' })).toThrow(TypeError);
  });
});

describe('Function: propsOf', () => {
  it('creates empty properties once', () => {
    // Prepare
    const r = { Type: 'AWS::SQS::Queue' } as { Type: string; Properties?: Record<string, unknown> };

    // Act
    propsOf(r).A = 1;

    // Assess
    expect(r.Properties).toEqual({ A: 1 });
  });
});
