import { describe, expect, it } from 'vitest';
import { applyInfra } from '../../../lib/dashboards/infra.js';
import {
  alarmsOf,
  dashboardsOf,
  metricsInExpression,
  widgetMetrics,
} from '../../../lib/dashboards/inspect.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';
import { FUNCTIONS, SETTINGS, smallTemplate } from './fixtures.js';

describe('Function: metricsInExpression', () => {
  it('reads SEARCH queries, Metrics Insights queries and ignores plain math', () => {
    // Assess
    expect(
      metricsInExpression(
        `SEARCH('Namespace="Warden" MetricName="BackupCompliant" stage="dev"', 'Minimum', 3600)`,
      ),
    ).toEqual([{ namespace: 'Warden', name: 'BackupCompliant' }]);
    expect(
      metricsInExpression(`SEARCH('{AWS/Lambda,FunctionName} MetricName="Errors"', 'Sum', 300)`),
    ).toEqual([{ namespace: 'AWS/Lambda', name: 'Errors' }]);
    expect(metricsInExpression(`SEARCH('Errors', 'Sum', 300)`)).toEqual([]);
    expect(metricsInExpression(`SELECT MAX(SecretsOverdue) FROM Warden WHERE stage = 'dev'`)).toEqual([
      { namespace: 'Warden', name: 'SecretsOverdue' },
    ]);
    expect(metricsInExpression(`SELECT AVG(Duration) FROM SCHEMA("AWS/Lambda", FunctionName)`)).toEqual([
      { namespace: 'AWS/Lambda', name: 'Duration' },
    ]);
    expect(metricsInExpression('100 * m1 / 1000')).toEqual([]);
  });
});

describe('Function: widgetMetrics', () => {
  it('reads metric rows and expressions, and nothing from text widgets', () => {
    // Assess
    expect(
      widgetMetrics({
        type: 'metric',
        x: 0,
        y: 0,
        width: 8,
        height: 6,
        properties: {
          metrics: [
            ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'q'],
            [{ expression: 'm1 * 2' }],
            [{ id: 'x' }],
          ],
        },
      }),
    ).toEqual([{ namespace: 'AWS/SQS', name: 'ApproximateAgeOfOldestMessage' }]);
    expect(
      widgetMetrics({ type: 'text', x: 0, y: 0, width: 24, height: 1, properties: { markdown: '#' } }),
    ).toEqual([]);
  });
});

describe('Function: alarmsOf', () => {
  it('summarises single-metric, math and Metrics Insights alarms with thresholds and actions', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        Math: {
          Type: 'AWS::CloudWatch::Alarm',
          Condition: 'IsProd',
          Properties: {
            Metrics: [
              {
                Id: 'c',
                MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions' } },
                ReturnData: false,
              },
              { Id: 'p', Expression: '100 * c / 1000', ReturnData: true },
            ],
            ComparisonOperator: 'GreaterThanThreshold',
            Threshold: 80,
            EvaluationPeriods: 2,
            AlarmActions: [{ Ref: 'AlertsTopic' }, 'arn:aws:sns:eu-west-1:1:x', { 'Fn::ImportValue': 'y' }],
          },
        },
        Insights: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            Metrics: [{ Id: 'q', Expression: "SELECT MIN(BackupCompliant) FROM Warden WHERE stage = 'dev'" }],
          },
        },
        Empty: { Type: 'AWS::CloudWatch::Alarm' },
      },
    };

    // Act
    const alarms = alarmsOf(t);

    // Assess
    expect(alarms[0]).toEqual({
      logicalId: 'Math',
      name: 'Math',
      description: '',
      signal: '100 * c / 1000',
      metrics: [{ namespace: 'AWS/Lambda', name: 'ConcurrentExecutions' }],
      comparison: 'GreaterThanThreshold',
      threshold: 80,
      evaluationPeriods: 2,
      actions: ['AlertsTopic', 'arn:aws:sns:eu-west-1:1:x', '{"Fn::ImportValue":"y"}'],
      condition: 'IsProd',
    });
    expect(alarms[1]?.metrics).toEqual([{ namespace: 'Warden', name: 'BackupCompliant' }]);
    expect(alarms[2]).toMatchObject({ signal: 'metric math', metrics: [], actions: [] });
  });
});

describe('Function: dashboardsOf', () => {
  it('parses generated bodies with preview values', () => {
    // Prepare
    const t = smallTemplate();
    applyInfra(t, FUNCTIONS, SETTINGS);
    t.Resources.Unnamed = { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } };

    // Act
    const boards = dashboardsOf(t);

    // Assess
    expect(boards.map((b) => [b.name, b.widgets.length > 0])).toEqual([
      ['warden-test', true],
      ['Unnamed', false],
    ]);
    expect(JSON.stringify(boards[0]?.body)).toContain(
      'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:warden-test-notify-errors',
    );
    expect(JSON.stringify(boards[0]?.body)).toContain('"region":"eu-west-1"');
  });
});
