/** The parts of a CloudFormation template warden's infrastructure code reads and writes. */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export const ALARM_TYPE = 'AWS::CloudWatch::Alarm';
export const DASHBOARD_TYPE = 'AWS::CloudWatch::Dashboard';

/** A resource's Properties, created empty when absent. */
export function propsOf(resource: CfnResource): Record<string, unknown> {
  if (!resource.Properties) resource.Properties = {};
  return resource.Properties;
}

/** Logical ids and resources of one type, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** Values for `${...}` placeholders when a template is read without deploying it. */
export interface SubstitutionContext {
  region: string;
  account: string;
  partition: string;
}

export const PREVIEW_CONTEXT: SubstitutionContext = {
  region: 'eu-west-1',
  account: '123456789012',
  partition: 'aws',
};

function attributeValue(
  template: CfnTemplate,
  logicalId: string,
  attribute: string,
  ctx: SubstitutionContext,
): string {
  const resource = template.Resources[logicalId];
  const props = resource?.Properties ?? {};
  if (resource?.Type === ALARM_TYPE && attribute === 'Arn') {
    const name = typeof props.AlarmName === 'string' ? props.AlarmName : logicalId;
    return `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.account}:alarm:${name}`;
  }
  if (
    resource?.Type === 'AWS::SQS::Queue' &&
    attribute === 'QueueName' &&
    typeof props.QueueName === 'string'
  ) {
    return props.QueueName;
  }
  return `${logicalId}.${attribute}`;
}

/**
 * Resolves the placeholders of a string `Fn::Sub` (pseudo parameters, `${Resource.Attribute}`, `${Resource}`) with
 * preview values, so a dashboard body can be parsed and shown without deploying. `${!Literal}` stays literal.
 */
export function resolveSub(
  template: CfnTemplate,
  text: string,
  ctx: SubstitutionContext = PREVIEW_CONTEXT,
): string {
  return text.replace(/\$\{([^}]+)\}/g, (_all, ref: string) => {
    if (ref.startsWith('!')) return `\${${ref.slice(1)}}`;
    if (ref === 'AWS::Region') return ctx.region;
    if (ref === 'AWS::AccountId') return ctx.account;
    if (ref === 'AWS::Partition') return ctx.partition;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    if (ref === 'AWS::StackName') return 'stack';
    const dot = ref.indexOf('.');
    if (dot > 0) return attributeValue(template, ref.slice(0, dot), ref.slice(dot + 1), ctx);
    return ref;
  });
}

/** A dashboard's body as text: a literal string or a string `Fn::Sub` (resolved with preview values). */
export function dashboardBodyText(
  template: CfnTemplate,
  resource: CfnResource,
  ctx?: SubstitutionContext,
): string {
  const body = resource.Properties?.DashboardBody;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'Fn::Sub' in body && typeof body['Fn::Sub'] === 'string') {
    return resolveSub(template, body['Fn::Sub'], ctx);
  }
  throw new TypeError('DashboardBody is neither a string nor a string Fn::Sub');
}
