import { beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_NAMES } from '../../../lib/automations/catalog.js';
import type { CfnResource, CfnTemplate } from '../../../lib/dashboards/template.js';
import { packageTemplate, STAGES, type Stage } from './packageTemplate.js';

const cap = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;
const props = (t: CfnTemplate, id: string) => (t.Resources[id]?.Properties ?? {}) as Record<string, unknown>;
const ofType = (t: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

const templates = new Map<Stage, CfnTemplate>();
beforeAll(async () => {
  for (const s of STAGES) templates.set(s, await packageTemplate(s));
}, 300_000);

describe.each(STAGES)('Template: findings pipeline and rollback, %s stage', (stage) => {
  it('has the findings queue, KMS-encrypted, with a DLQ after 5 receives', () => {
    // Prepare
    const t = templates.get(stage)!;
    // Act
    const q = props(t, 'FindingsQueue');
    // Assess
    expect(q.KmsMasterKeyId).toEqual({ Ref: 'WardenKey' });
    expect(q.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['FindingsDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it.each(AUTOMATION_NAMES.map((a) => [a]))(
    'has a work queue with a DLQ and a worker for %s',
    (automation) => {
      // Prepare
      const t = templates.get(stage)!;
      // Act
      const q = props(t, `WorkQueue${cap(automation)}`);
      const mapping = ofType(t, 'AWS::Lambda::EventSourceMapping').find(([, r]) =>
        JSON.stringify(r.Properties?.EventSourceArn).includes(`WorkQueue${cap(automation)}"`),
      );
      // Assess
      expect(q.QueueName).toBe(`warden-${stage}-work-${automation}`);
      expect((q.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(5);
      expect(JSON.stringify(mapping?.[1].Properties?.FunctionName)).toContain(`${cap(automation)}Worker`);
      expect(mapping?.[1].Properties?.ScalingConfig).toEqual({
        MaximumConcurrency: stage === 'prod' ? 50 : 10,
      });
      expect(mapping?.[1].Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    },
  );

  it('has the alerts topic on the key and the state table with TTL on the key', () => {
    // Prepare
    const t = templates.get(stage)!;
    // Act
    const topic = props(t, 'AlertsTopic');
    const table = props(t, 'StateTable');
    // Assess
    expect(topic.KmsMasterKeyId).toEqual({ Ref: 'WardenKey' });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.SSESpecification).toMatchObject({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { Ref: 'WardenKey' },
    });
    expect(t.Resources.AlertsEmailSubscription?.Condition).toBe('HasAlarmEmail');
  });

  it('fires autoRollback on alarm state changes to ALARM, with access to the state table', () => {
    // Prepare
    const t = templates.get(stage)!;
    // Act
    const rule = ofType(t, 'AWS::Events::Rule').find(([, r]) =>
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('CloudWatch Alarm State Change'),
    );
    const role = JSON.stringify(props(t, 'AutoRollbackIamRoleLambdaExecution'));
    // Assess
    expect(rule?.[1].Properties?.EventPattern).toMatchObject({
      source: ['aws.cloudwatch'],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(JSON.stringify(rule?.[1].Properties?.Targets)).toContain('AutoRollbackAliasLive');
    expect(role).toContain('dynamodb:PutItem');
    expect(role).toContain('"StateTable","Arn"');
  });

  it('releases every function behind a `live` alias through CodeDeploy, watched by alarms on the new version', () => {
    // Prepare
    const t = templates.get(stage)!;
    const functions = ofType(t, 'AWS::Lambda::Function').map(([id]) => id.replace(/LambdaFunction$/, ''));
    // Act
    const groups = ofType(t, 'AWS::CodeDeploy::DeploymentGroup');
    // Assess
    expect(ofType(t, 'AWS::CodeDeploy::Application')).toHaveLength(1);
    for (const f of functions) {
      expect(t.Resources[`${f}AliasLive`]?.Type, f).toBe('AWS::Lambda::Alias');
      expect(t.Resources[`${f}DeploymentGroup`]?.Type, f).toBe('AWS::CodeDeploy::DeploymentGroup');
    }
    for (const [id, g] of groups) {
      const config = JSON.stringify(g.Properties?.DeploymentConfigName);
      expect(config, id).toContain(stage === 'dev' ? 'LambdaAllAtOnce' : 'LambdaCanary10Percent5Minutes');
      const alarms =
        (g.Properties?.AlarmConfiguration as { Alarms?: { Name: unknown }[] } | undefined)?.Alarms ?? [];
      expect(alarms.length, id).toBeGreaterThanOrEqual(2);
    }
    const canaryAlarms = ofType(t, 'AWS::CloudWatch::Alarm').filter(([id]) => /Canary/.test(id));
    expect(canaryAlarms.length).toBe(functions.length * 2);
    for (const [id, a] of canaryAlarms) expect(JSON.stringify(a.Properties), id).toContain('ExecutedVersion');
  });
});
