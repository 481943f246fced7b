import { describe, expect, it } from 'vitest';
import type { CfnResource, CfnTemplate } from '../../../lib/dashboards/template.js';
import {
  ROLLBACK_MUTATING_PERMISSIONS,
  ROLLBACK_READ_PERMISSIONS,
} from '../../../lib/rollback/automation.js';
import { loadCfnYaml, withParameters } from '../../support/cfnYaml.js';
import { lintTemplate } from './cfnLint.js';
import { packageTemplate } from './packageTemplate.js';
import { activeResources, conditionValues, ofType, refersTo, resolveIf } from './templateModel.js';

const PACKAGE_TIMEOUT = 300_000;
const MEMBER_TEMPLATE = new URL('../../../resources/member-account-role.yml', import.meta.url);
const BUS_ARN = 'arn:aws:events:eu-west-1:111111111111:event-bus/warden-dev-alarms';
const ORG = 'o-a1b2c3d4e5';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const actions = (s: Statement) => ([] as string[]).concat(s.Action);
const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;
const statementsOf = (role: CfnResource | undefined): Statement[] =>
  ((props(role).Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap(
    (p) => p.PolicyDocument.Statement,
  );

/** The member template as deployed in account 222222222222 with these parameters: `Fn::If` and `Ref`s resolved. */
function deployed(values: Record<string, string>) {
  const t = withParameters(loadCfnYaml(MEMBER_TEMPLATE), {
    'AWS::Partition': 'aws',
    'AWS::AccountId': '222222222222',
    WardenAccountId: '111111111111',
    Stage: 'dev',
    ExternalId: 'shared-secret',
    ...values,
  });
  const conditions = conditionValues(t);
  const active = (r: { Condition?: string }) => !r.Condition || conditions[r.Condition] === true;
  const resources = Object.fromEntries(Object.entries(t.Resources).filter(([, r]) => active(r)));
  const outputs = Object.entries((t.Outputs ?? {}) as Record<string, { Condition?: string }>);
  const template = {
    ...t,
    Resources: dropNoValue(resolveIf(resources, conditions)) as Record<string, CfnResource>,
    Outputs: Object.fromEntries(outputs.filter(([, o]) => active(o))),
  };
  return { template, conditions };
}

/** Its resources. */
function member(values: Record<string, string>) {
  const { template, conditions } = deployed(values);
  return { conditions, resources: template.Resources };
}

/** Drops list items `!Ref AWS::NoValue` leaves behind (an `!If` whose condition is false). */
function dropNoValue(node: unknown): unknown {
  const none = (x: unknown) => JSON.stringify(x) === '{"Ref":"AWS::NoValue"}';
  if (Array.isArray(node)) return node.filter((x) => !none(x)).map(dropNoValue);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, dropNoValue(v)]));
}

/** Whether an IAM ArnLike pattern (`*` any run, `?` one character) matches the ARN. */
function arnLike(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(arn);
}

describe('Template: the member-account role and alarm forwarding', () => {
  it.each([
    ['alone', {}],
    [
      'forwarding by prefix, with operators',
      {
        WardenAlarmBusArn: BUS_ARN,
        RollbackAlarmPrefix: 'rollback-',
        OperatorPrincipalArns: 'arn:aws:iam::111111111111:role/oncall',
      },
    ],
  ])('passes the CloudFormation linter, as deployed %s', (_, values: Record<string, string>) => {
    // Prepare: the linter mis-resolves an Fn::If whose branch holds another function, so it gets the template
    // with the conditions already applied (parameters in; the linter still checks types, ARNs and references).
    const { template } = deployed(values);

    // Act
    const result = lintTemplate(template, {
      WardenAccountId: '111111111111',
      Stage: 'dev',
      ExternalId: 'shared-secret',
      ...values,
    });

    // Assess
    expect(result.crit).toEqual([]);
    expect(result.warn).toEqual([]);
  });

  it('trusts the worker roles and the autoRollback role of the warden account, with the external id', () => {
    // Prepare
    const { resources } = member({});
    const trust = (
      props(resources.WardenExecutionRole).AssumeRolePolicyDocument as { Statement: Statement[] }
    ).Statement;

    // Act
    const patterns = trust[0]?.Condition?.ArnLike?.['aws:PrincipalArn'] as string[];
    const admitted = (arn: string) => patterns.some((p) => arnLike(p, arn));

    // Assess
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Condition?.StringEquals).toEqual({ 'sts:ExternalId': 'shared-secret' });
    expect(admitted('arn:aws:iam::111111111111:role/warden-dev-autoRollback-eu-west-1-lambdaRole')).toBe(
      true,
    );
    expect(
      admitted('arn:aws:iam::111111111111:role/warden-dev-backupVerifyWorker-eu-west-1-lambdaRole'),
    ).toBe(true);
    expect(admitted('arn:aws:iam::111111111111:role/warden-prod-autoRollback-eu-west-1-lambdaRole')).toBe(
      false,
    );
    expect(admitted('arn:aws:iam::111111111111:role/warden-dev-notify-eu-west-1-lambdaRole')).toBe(false);
    expect(admitted('arn:aws:iam::999999999999:role/warden-dev-autoRollback-eu-west-1-lambdaRole')).toBe(
      false,
    );
  });

  it('admits the listed operator roles only when given, with the same external id', () => {
    // Prepare
    const operators = 'arn:aws:iam::111111111111:role/oncall,arn:aws:iam::111111111111:role/release';

    // Act
    const { resources, conditions } = member({ OperatorPrincipalArns: operators });
    const trust = (
      props(resources.WardenExecutionRole).AssumeRolePolicyDocument as { Statement: Statement[] }
    ).Statement;

    // Assess
    expect(conditions.TrustOperators).toBe(true);
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Condition?.StringEquals).toEqual({ 'sts:ExternalId': 'shared-secret' });
    expect(trust[0]?.Condition?.ArnLike?.['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::111111111111:role/warden-dev-*Worker-*-lambdaRole',
      'arn:aws:iam::111111111111:role/warden-dev-autoRollback-*-lambdaRole',
      'arn:aws:iam::111111111111:role/warden-dev-restoreDrill-*-lambdaRole',
      'arn:aws:iam::111111111111:role/warden-dev-drillValidate*-*-lambdaRole',
      ...operators.split(','),
    ]);
  });

  it("grants autoRollback's reads, and its changes only on resources tagged warden:rollback=enabled", () => {
    // Prepare
    const { resources } = member({});
    const statements = statementsOf(resources.WardenExecutionRole);

    // Act
    const granted = statements.filter((s) =>
      actions(s).some((a) => /^(lambda|codedeploy|cloudwatch):/.test(a)),
    );
    const tagged = granted.filter((s) => s.Condition !== undefined);

    // Assess
    expect(granted.flatMap(actions).sort()).toEqual(
      [...ROLLBACK_READ_PERMISSIONS, ...ROLLBACK_MUTATING_PERMISSIONS].sort(),
    );
    expect(tagged.flatMap(actions).sort()).toEqual([
      'codedeploy:CreateDeployment',
      'codedeploy:StopDeployment',
      'lambda:UpdateAlias',
    ]);
    for (const s of tagged) {
      expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/warden:rollback': 'enabled' } });
    }
    // Every grant stays in the member account.
    for (const s of granted) {
      for (const r of ([] as unknown[]).concat(s.Resource)) expect(r).toContain(':222222222222:');
    }
  });

  it('forwards nothing without the bus ARN', () => {
    // Act
    const { resources, conditions } = member({});

    // Assess
    expect(conditions.ForwardAlarms).toBe(false);
    expect(ofType(resources, 'AWS::Events::Rule')).toEqual([]);
    expect(Object.keys(resources)).toEqual(['WardenExecutionRole']);
  });

  it("forwards every alarm going to ALARM to warden's bus through a role that may only put events there", () => {
    // Act
    const { resources } = member({ WardenAlarmBusArn: BUS_ARN });
    const rule = props(resources.WardenAlarmForwardRule);
    const role = resources.WardenAlarmForwardRole;

    // Assess
    expect(rule.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(rule.Targets).toEqual([
      { Id: 'warden-alarm-bus', Arn: BUS_ARN, RoleArn: { 'Fn::GetAtt': ['WardenAlarmForwardRole', 'Arn'] } },
    ]);
    expect(statementsOf(role)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN }]);
    const trust = (props(role).AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust.map((s) => s.Principal)).toEqual([{ Service: 'events.amazonaws.com' }]);
  });

  it("forwards only the alarms named with warden's prefix when one is given", () => {
    // Act
    const { resources } = member({ WardenAlarmBusArn: BUS_ARN, RollbackAlarmPrefix: 'rollback-' });

    // Assess
    expect((props(resources.WardenAlarmForwardRule).EventPattern as { detail: unknown }).detail).toEqual({
      alarmName: [{ prefix: 'rollback-' }],
      state: { value: ['ALARM'] },
    });
  });
});

function alarmRules(t: CfnTemplate) {
  return ofType(t.Resources, 'AWS::Events::Rule').filter(([, r]) =>
    JSON.stringify(props(r).EventPattern ?? {}).includes('CloudWatch Alarm State Change'),
  );
}

/** A packaged `Fn::Join` of literals and pseudo parameters, as CloudFormation would make it. */
function joined(value: unknown, pseudo: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a literal or Fn::Join: ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => (typeof part === 'string' ? part : (pseudo[(part as { Ref: string }).Ref] ?? '?')))
    .join(join[0]);
}

/** The statements the active bus policies admit, by statement id. */
function busStatements(t: CfnTemplate): Record<string, unknown> {
  const policies = ofType(activeResources(t), 'AWS::Events::EventBusPolicy');
  for (const [, p] of policies) expect(refersTo(props(p).EventBusName, 'AlarmBus')).toBe(true);
  return Object.fromEntries(policies.map(([, p]) => [props(p).StatementId, props(p).Statement]));
}

const busArn = { 'Fn::GetAtt': ['AlarmBus', 'Arn'] };

describe('Template: the alarm bus of member accounts', () => {
  it(
    'admits the accounts of the organization (orgId) and the listed target accounts',
    async () => {
      // Act
      const t = await packageTemplate('dev', { orgId: ORG, targetAccounts: '222222222222,333333333333' });

      // Assess
      expect(busStatements(t)).toEqual({
        AlarmsFromTheOrganization: {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
        AlarmsFromTargetAccounts: {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Split': [',', '222222222222,333333333333'] } },
          Action: 'events:PutEvents',
          Resource: busArn,
        },
      });
      expect(lintTemplate(t)).toEqual({ crit: [], warn: [] });
    },
    PACKAGE_TIMEOUT,
  );

  it(
    'admits no other account by default, and feeds autoRollback from the bus as from the default bus',
    async () => {
      // Prepare
      const t = await packageTemplate('dev');

      // Act
      const rules = alarmRules(t);
      const onBus = rules.filter(([, r]) => props(r).EventBusName !== undefined);
      const role = activeResources(t).AutoRollbackIamRoleLambdaExecution;
      const assume = statementsOf(role).filter((s) => actions(s).includes('sts:AssumeRole'));
      const roleName = joined(props(role).RoleName, { 'AWS::Region': 'eu-west-1' });
      const trust = (
        props(member({}).resources.WardenExecutionRole).AssumeRolePolicyDocument as { Statement: Statement[] }
      ).Statement;
      const patterns = trust[0]?.Condition?.ArnLike?.['aws:PrincipalArn'] as string[];

      // Assess
      expect(busStatements(t)).toEqual({});
      expect(props(t.Resources.AlarmBus).Name).toBe('warden-dev-alarms');
      expect(rules).toHaveLength(2);
      expect(onBus).toHaveLength(1);
      const [, busRule] = onBus[0]!;
      expect(refersTo(props(busRule).EventBusName, 'AlarmBus')).toBe(true);
      expect(props(busRule).EventPattern).toEqual(props(rules.find((r) => r !== onBus[0])![1]).EventPattern);
      expect(JSON.stringify(props(busRule).Targets)).toContain('AutoRollbackAliasLive');
      // The rule may invoke the function (its permission names the rule on the bus).
      const permissions = ofType(t.Resources, 'AWS::Lambda::Permission').filter(([, p]) =>
        JSON.stringify(props(p).SourceArn ?? '').includes('AlarmBus'),
      );
      expect(permissions).toHaveLength(1);
      expect(JSON.stringify(props(permissions[0]![1]).FunctionName)).toContain('AutoRollbackAliasLive');
      // autoRollback may assume the member role in any account, and its role is the one the member role trusts.
      expect(JSON.stringify(assume.map((s) => s.Resource))).toContain(':role/WardenExecutionRole');
      expect(roleName).toBe('warden-dev-autoRollback-eu-west-1-lambdaRole');
      expect(patterns.some((p) => arnLike(p, `arn:aws:iam::111111111111:role/${roleName}`))).toBe(true);
    },
    PACKAGE_TIMEOUT,
  );
});
