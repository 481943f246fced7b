// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub placeholders
import { describe, expect, it } from 'vitest';
import { packageTemplate } from './packageTemplate.js';
import { activeResources, conditionValues } from './templateModel.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Type: string; Properties?: Record<string, unknown> };

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:warden/dev/pagerduty';

/** Every grant of a Security Hub action or of the PagerDuty secret, by policy or role, with its roles. */
function channelGrants(resources: Record<string, Resource>) {
  const out: { id: string; roles: unknown; statements: Statement[] }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::Role') continue;
    const docs =
      r.Type === 'AWS::IAM::Policy'
        ? [r.Properties?.PolicyDocument]
        : ((r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
            (p) => p.PolicyDocument,
          );
    const statements = docs
      .flatMap((d) => (d as { Statement: Statement[] }).Statement)
      .filter(
        (s) =>
          ([] as string[]).concat(s.Action).some((a) => a.startsWith('securityhub:')) ||
          JSON.stringify(s.Resource).includes('pagerduty'),
      );
    if (statements.length > 0) out.push({ id, roles: r.Properties?.Roles, statements });
  }
  return out;
}

const envOf = (resources: Record<string, Resource>, fn: string) =>
  (resources[fn]?.Properties as { Environment?: { Variables?: Record<string, unknown> } } | undefined)
    ?.Environment?.Variables;

describe('Template: optional notification channels', () => {
  it('grants nothing for Security Hub or PagerDuty when they are not configured', async () => {
    // Act
    const t = await packageTemplate('dev');
    const active = activeResources(t) as Record<string, Resource>;
    // Assess
    expect(conditionValues(t)).toMatchObject({ SecurityHubChannel: false, PagerDutyChannel: false });
    expect(channelGrants(active)).toEqual([]);
    expect(envOf(active, 'NotifyLambdaFunction')).toMatchObject({
      WARDEN_SECURITY_HUB: 'false',
      WARDEN_PAGERDUTY_SECRET_ARN: '',
      WARDEN_PAGERDUTY_MIN_SEVERITY: 'high',
    });
  }, 300_000);

  it('grants notify the import under the default product, the workflow update and the routing key secret, and selfcheck their probes', async () => {
    // Act
    const t = await packageTemplate('dev', {
      securityHubEnabled: 'true',
      pagerDutySecretArn: SECRET,
      pagerDutyMinSeverity: 'critical',
    });
    const active = activeResources(t) as Record<string, Resource>;
    // Assess
    expect(conditionValues(t)).toMatchObject({ SecurityHubChannel: true, PagerDutyChannel: true });
    const grants = channelGrants(active);
    expect(grants.map((g) => [g.id, g.roles])).toEqual([
      ['SecurityHubChannelPolicy', [{ Ref: 'NotifyIamRoleLambdaExecution' }]],
      ['SecurityHubProbePolicy', [{ Ref: 'SelfcheckIamRoleLambdaExecution' }]],
      [
        'PagerDutyChannelPolicy',
        [{ Ref: 'NotifyIamRoleLambdaExecution' }, { Ref: 'SelfcheckIamRoleLambdaExecution' }],
      ],
    ]);
    const [hub, probe, pagerDuty] = grants.map((g) => g.statements);
    expect(hub).toEqual([
      {
        Effect: 'Allow',
        Action: ['securityhub:BatchImportFindings'],
        Resource: {
          'Fn::Sub':
            'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default',
        },
      },
      {
        Effect: 'Allow',
        Action: ['securityhub:BatchUpdateFindings'],
        Resource: {
          'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default',
        },
      },
    ]);
    expect(probe).toEqual([
      {
        Effect: 'Allow',
        Action: ['securityhub:DescribeHub'],
        Resource: {
          'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default',
        },
      },
    ]);
    expect(pagerDuty).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [SECRET, `${SECRET}-??????`],
      },
    ]);
    expect(envOf(active, 'NotifyLambdaFunction')).toMatchObject({
      WARDEN_SECURITY_HUB: 'true',
      WARDEN_PAGERDUTY_SECRET_ARN: SECRET,
      WARDEN_PAGERDUTY_MIN_SEVERITY: 'critical',
    });
    expect(envOf(active, 'SelfcheckLambdaFunction')).toMatchObject({
      WARDEN_SECURITY_HUB: 'true',
      WARDEN_PAGERDUTY_SECRET_ARN: SECRET,
    });
  }, 300_000);
});
