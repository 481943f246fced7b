import type { FunctionInfo, InfraSettings } from '../../../lib/dashboards/settings.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';

export const SETTINGS: InfraSettings = {
  stage: 'test',
  owner: 'platform-team',
  durationBudgetRatio: 0.8,
  durationBudgetsMs: { restoreDrill: 600_000 },
  functionErrorsThreshold: 2,
  queueAgeSecondsThreshold: 900,
  dailyBudgetUsd: 100,
  monthlyBudgetUsd: 2000,
  rpoHours: 24,
  drillRtoBudgetSeconds: 3600,
  concurrencyLimit: 1000,
};

export const FUNCTIONS: FunctionInfo[] = [
  { key: 'notify', logicalPrefix: 'Notify', name: 'warden-test-notify', timeoutSeconds: 30 },
  {
    key: 'restoreDrill',
    logicalPrefix: 'RestoreDrill',
    name: 'warden-test-restoreDrill',
    timeoutSeconds: 900,
  },
];

/** A small compiled template: key, topic, a work queue with its DLQ, a table, a log group and one static alarm. */
export function smallTemplate(): CfnTemplate {
  return {
    Resources: {
      WardenKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      AlertsTopic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } },
      WorkQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'warden-test-work',
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': ['WorkFailures', 'Arn'] },
            maxReceiveCount: 3,
          },
        },
      },
      WorkFailures: { Type: 'AWS::SQS::Queue', Properties: {} },
      StateTable: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true } } },
      NotifyLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/lambda/warden-test-notify', RetentionInDays: 7 },
      },
      Flags: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: '{}' } },
      CostAnomalyAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'warden-test-cost-anomaly',
          Namespace: 'Warden',
          MetricName: 'CostAnomalies',
          Statistic: 'Maximum',
          Period: 86400,
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
        },
      },
      WardenDashboard: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardName: 'warden-test', DashboardBody: '{"widgets":[]}' },
      },
    },
  };
}
