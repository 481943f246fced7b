import { describe, expect, it } from 'vitest';
import { triggersByFunction } from '../../../lib/cli/deploymentSummary.js';

describe('Function: triggersByFunction', () => {
  it('reads schedules, queues, rules and rotation permissions, through the live alias too', () => {
    // Prepare
    const resources = {
      R1: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'rate(6 hours)',
          Targets: [{ Arn: { Ref: 'DispatchAliasLive' }, Input: '{"automation":"backupVerify"}' }],
        },
      },
      R2: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['aws.cloudwatch'] },
          Targets: [{ Arn: { 'Fn::GetAtt': ['AutoRollbackLambdaFunction', 'Arn'] } }],
        },
      },
      M1: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'NotifyAliasLive' },
          EventSourceArn: { 'Fn::GetAtt': ['FindingsQueue', 'Arn'] },
          BatchSize: 10,
        },
      },
      P1: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { Ref: 'RotateSecretAliasLive' },
          Principal: 'secretsmanager.amazonaws.com',
        },
      },
    };
    // Act
    const t = triggersByFunction(resources);
    // Assess
    expect(t.get('DispatchLambdaFunction')).toEqual(['schedule rate(6 hours) {"automation":"backupVerify"}']);
    expect(t.get('AutoRollbackLambdaFunction')).toEqual(['rule {"source":["aws.cloudwatch"]}']);
    expect(t.get('NotifyLambdaFunction')).toEqual(['sqs FindingsQueue (batch 10)']);
    expect(t.get('RotateSecretLambdaFunction')).toEqual(['secrets manager rotation']);
  });
});
