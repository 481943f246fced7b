import { describe, expect, it } from 'vitest';
import { applyInfra, encryptLogGroups, encryptQueuesTopicsTables } from '../../../lib/dashboards/infra.js';
import { dashboardsOf } from '../../../lib/dashboards/inspect.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';
import { FUNCTIONS, SETTINGS, smallTemplate } from './fixtures.js';

const KEY = { 'Fn::GetAtt': ['WardenKey', 'Arn'] };

describe('Function: applyInfra', () => {
  it('adds function and queue alarms, routes every alarm to the topic and fills the dashboard', () => {
    // Prepare
    const t = smallTemplate();

    // Act
    const report = applyInfra(t, FUNCTIONS, SETTINGS);

    // Assess
    expect(report.alarmsAdded).toEqual([
      'NotifyErrorsAlarm',
      'NotifyThrottlesAlarm',
      'NotifyDurationAlarm',
      'RestoreDrillErrorsAlarm',
      'RestoreDrillThrottlesAlarm',
      'RestoreDrillDurationAlarm',
      'WorkQueueAgeAlarm',
      'WorkFailuresDepthAlarm',
    ]);
    expect(report.alarmsRouted).toHaveLength(9);
    expect(report.warnings).toEqual([]);
    expect(report.dashboard).toBe(true);
    const [board] = dashboardsOf(t);
    expect(board?.widgets.find((w) => w.type === 'alarm')?.properties.alarms).toHaveLength(9);
  });

  it('warns instead of overwriting an existing resource and when the alerts topic is missing', () => {
    // Prepare
    const t = smallTemplate();
    delete t.Resources.AlertsTopic;
    delete t.Resources.WardenDashboard;
    t.Resources.NotifyErrorsAlarm = { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'mine' } };

    // Act
    const report = applyInfra(t, FUNCTIONS.slice(0, 1), SETTINGS);

    // Assess
    expect(report.warnings).toEqual([
      'NotifyErrorsAlarm already exists: generated alarm not added',
      'AlertsTopic is not in the template: alarms have no action yet',
    ]);
    expect(t.Resources.NotifyErrorsAlarm?.Properties).toEqual({ AlarmName: 'mine', Tags: expect.any(Array) });
    expect(report.alarmsRouted).toEqual([]);
    expect(report.dashboard).toBe(false);
  });

  it('tags, encrypts log groups and data stores in one pass', () => {
    // Prepare
    const t = smallTemplate();

    // Act
    const report = applyInfra(t, [], SETTINGS);

    // Assess
    expect(report.logGroupsEncrypted).toEqual(['NotifyLogGroup']);
    expect(report.dataEncrypted).toEqual([
      'AlertsTopic (was "alias/aws/sns")',
      'WorkQueue (was "unencrypted")',
      'WorkFailures (was "unencrypted")',
      'StateTable (was "AWS owned key")',
    ]);
    expect(report.tagged).toContain('Flags');
    expect(t.Resources.Flags?.Properties?.Tags).toEqual({
      Service: 'warden',
      Stage: 'test',
      Owner: 'platform-team',
    });
  });
});

describe('Function: encryptLogGroups', () => {
  it('sets the key on log groups without one and does nothing without the key', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        WardenKey: { Type: 'AWS::KMS::Key' },
        A: { Type: 'AWS::Logs::LogGroup' },
        B: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: 'arn:aws:kms:eu-west-1:1:key/other' } },
      },
    };
    const keyless: CfnTemplate = { Resources: { A: { Type: 'AWS::Logs::LogGroup' } } };

    // Act
    const done = encryptLogGroups(t);

    // Assess
    expect(done).toEqual(['A']);
    expect(t.Resources.A?.Properties).toEqual({ KmsKeyId: KEY });
    expect(encryptLogGroups(keyless)).toEqual([]);
    expect(keyless.Resources.A?.Properties).toBeUndefined();
  });
});

describe('Function: encryptQueuesTopicsTables', () => {
  it('replaces AWS managed keys and keeps a customer key already set', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        WardenKey: { Type: 'AWS::KMS::Key' },
        Q: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
        Own: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { Ref: 'WardenKey' } } },
        T: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: 'WardenKey' } },
          },
        },
        U: { Type: 'AWS::DynamoDB::Table' },
      },
    };

    // Act
    const done = encryptQueuesTopicsTables(t);

    // Assess
    expect(done).toEqual(['Q (was "unencrypted")', 'U (was "AWS owned key")']);
    expect(t.Resources.Q?.Properties).toEqual({ KmsMasterKeyId: KEY });
    expect(t.Resources.Own?.Properties).toEqual({ KmsMasterKeyId: { Ref: 'WardenKey' } });
    expect(t.Resources.U?.Properties).toEqual({
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY },
    });
    expect(encryptQueuesTopicsTables({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } })).toEqual([]);
  });
});
