/**
 * Canary releases of warden itself, as plain CloudFormation added to the compiled template at package time
 * (a local Serverless plugin calls this; see docs/rollback.md). Per function: an alias `live` whose
 * CodeDeployLambdaAliasUpdate policy shifts traffic, a deployment group, and two alarms on the new version alone
 * (ExecutedVersion). Every trigger is re-pointed at the alias. A failed shift fails the stack update, and
 * CloudFormation's rollback returns every function's alias to its previous version together.
 */

type Json = unknown;
export interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  [key: string]: Json;
}
export interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Json>;
}

export interface CanarySettings {
  alias: string;
  /** e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes (prod) or CodeDeployDefault.LambdaAllAtOnce (dev). */
  deploymentConfig: string;
  errorRatePercent: number;
  p95DurationMs: number;
  /** Per function (logical id without `LambdaFunction`, e.g. `Selfcheck`) p95 thresholds for slow sweeps. */
  p95DurationMsByFunction?: Record<string, number>;
}

export const CANARY_APPLICATION = 'WardenDeployApplication';
export const CANARY_ROLE = 'WardenCodeDeployRole';

/** Resource types whose references to a function are re-pointed at its alias. */
const TRIGGER_TYPES = new Set([
  'AWS::Events::Rule',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Permission',
  'AWS::SecretsManager::RotationSchedule',
  'AWS::Scheduler::Schedule',
  'AWS::SNS::Subscription',
  'AWS::Logs::SubscriptionFilter',
]);

function refersTo(node: Json, fn: string): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const o = node as Record<string, Json>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return false;
  if (o.Ref === fn) return true;
  const att = o['Fn::GetAtt'];
  return Array.isArray(att) && att[0] === fn && att[1] === 'Arn';
}

/** Replaces every reference to `fn` (Ref or GetAtt Arn) under `node` by a Ref to the alias (its ARN). */
function retarget(node: Json, fn: string, alias: string): Json {
  if (refersTo(node, fn)) return { Ref: alias };
  if (Array.isArray(node)) return node.map((n) => retarget(n, fn, alias));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, retarget(v, fn, alias)]));
  }
  return node;
}

function alarm(description: string, dims: Json, props: Record<string, Json>): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      ...props,
      ...(props.Metrics ? {} : { Dimensions: dims, Namespace: 'AWS/Lambda', Period: 60 }),
    },
  };
}

function canaryAlarms(
  fn: string,
  versionId: string,
  name: string,
  s: CanarySettings,
): Record<string, Resource> {
  const dims = [
    { Name: 'FunctionName', Value: { Ref: fn } },
    { Name: 'Resource', Value: { 'Fn::Sub': `\${${fn}}:${s.alias}` } },
    { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [versionId, 'Version'] } },
  ];
  const stat = (id: string, metric: string) => ({
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dims },
      Period: 60,
      Stat: 'Sum',
    },
  });
  return {
    [`${name}CanaryErrorRateAlarm`]: alarm(
      `warden canary: error rate of the new ${name} version > ${s.errorRatePercent} %`,
      dims,
      {
        Threshold: s.errorRatePercent,
        Metrics: [
          stat('errors', 'Errors'),
          stat('invocations', 'Invocations'),
          { Id: 'rate', Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)', ReturnData: true },
        ],
      },
    ),
    [`${name}CanaryP95DurationAlarm`]: alarm(`warden canary: p95 duration of the new ${name} version`, dims, {
      MetricName: 'Duration',
      ExtendedStatistic: 'p95',
      Threshold: s.p95DurationMsByFunction?.[name] ?? s.p95DurationMs,
    }),
  };
}

/** Adds the canary resources in place and returns the logical ids of the functions covered. */
export function addCanaryDeployments(template: Template, s: CanarySettings): string[] {
  const res = template.Resources;
  const versions = Object.entries(res).filter(([, r]) => r.Type === 'AWS::Lambda::Version');
  const covered: string[] = [];
  for (const [versionId, version] of versions) {
    const fn = (version.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref;
    if (!fn || res[fn]?.Type !== 'AWS::Lambda::Function') continue;
    const name = fn.replace(/LambdaFunction$/, '');
    const aliasId = `${name}Alias${s.alias[0]?.toUpperCase()}${s.alias.slice(1)}`;
    const groupId = `${name}DeploymentGroup`;
    const alarms = canaryAlarms(fn, versionId, name, s);
    res[groupId] = {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: { Ref: CANARY_APPLICATION },
        ServiceRoleArn: { 'Fn::GetAtt': [CANARY_ROLE, 'Arn'] },
        DeploymentConfigName: s.deploymentConfig,
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
        },
        AlarmConfiguration: {
          Enabled: true,
          Alarms: Object.keys(alarms).map((id) => ({ Name: { Ref: id } })),
        },
      },
    };
    res[aliasId] = {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: fn },
        FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
        Name: s.alias,
      },
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: CANARY_APPLICATION },
          DeploymentGroupName: { Ref: groupId },
        },
      },
    };
    Object.assign(res, alarms);
    for (const [id, r] of Object.entries(res)) {
      if (TRIGGER_TYPES.has(r.Type) && r.Properties)
        res[id] = { ...r, Properties: retarget(r.Properties, fn, aliasId) as Record<string, Json> };
    }
    covered.push(fn);
  }
  if (covered.length === 0) return covered;
  res[CANARY_APPLICATION] = {
    Type: 'AWS::CodeDeploy::Application',
    Properties: { ComputePlatform: 'Lambda' },
  };
  res[CANARY_ROLE] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      ManagedPolicyArns: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JS template
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited' },
      ],
    },
  };
  return covered;
}
