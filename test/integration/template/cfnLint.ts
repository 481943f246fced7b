import { createRequire } from 'node:module';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';

/**
 * Runs the npm `cfn-lint` (martysweet/cfn-lint 1.9.7, offline) on a template object. Its bundled resource
 * specification is 2.29.0 (2019): the properties and types CloudFormation added since are declared here, each
 * as documented in today's CloudFormation reference, so the linter still checks everything else (types, required
 * properties, references, intrinsic functions) instead of errors being filtered out.
 */
const require = createRequire(import.meta.url);

interface LintError {
  message: string;
  resource: string;
}
interface LintResult {
  templateValid: boolean;
  errors: { crit: LintError[]; warn: LintError[]; info: LintError[] };
}
interface Spec {
  ResourceTypes: Record<
    string,
    { Properties: Record<string, unknown>; Attributes?: Record<string, unknown> }
  >;
  PropertyTypes: Record<string, { Properties: Record<string, unknown> }>;
}

const tags = {
  Type: 'List',
  ItemType: 'Tag',
  Required: false,
  UpdateType: 'Mutable',
  DuplicatesAllowed: true,
};
const str = { PrimitiveType: 'String', Required: false, UpdateType: 'Mutable' };
const int = { PrimitiveType: 'Integer', Required: false, UpdateType: 'Mutable' };
const strings = { Type: 'List', PrimitiveItemType: 'String', Required: false, UpdateType: 'Mutable' };
const json = { PrimitiveType: 'Json', Required: false, UpdateType: 'Mutable' };

/** Resource properties added to CloudFormation after spec 2.29.0 (added only where the bundled spec lacks them). */
const NEW_PROPERTIES: Record<string, Record<string, unknown>> = {
  'AWS::Logs::LogGroup': { KmsKeyId: str, Tags: tags },
  'AWS::IAM::Role': { Tags: tags },
  'AWS::Lambda::Function': { Architectures: strings, EphemeralStorage: json, LoggingConfig: json },
  'AWS::Lambda::EventSourceMapping': {
    MaximumBatchingWindowInSeconds: int,
    FunctionResponseTypes: strings,
    MaximumRetryAttempts: int,
    BisectBatchOnFunctionError: { PrimitiveType: 'Boolean', Required: false, UpdateType: 'Mutable' },
    ScalingConfig: json,
  },
  'AWS::Lambda::EventInvokeConfig': {},
  'AWS::SNS::Topic': { Tags: tags },
  'AWS::SQS::Queue': {
    SqsManagedSseEnabled: { PrimitiveType: 'Boolean', Required: false, UpdateType: 'Mutable' },
  },
  'AWS::EC2::EIP': { Tags: tags },
  'AWS::EC2::VPCEndpoint': { Tags: tags },
  'AWS::EC2::FlowLog': { MaxAggregationInterval: int, Tags: tags },
  'AWS::CloudWatch::Alarm': { Tags: tags },
  'AWS::Events::Rule': { EventBusName: str },
  'AWS::Events::EventBusPolicy': { EventBusName: str, Statement: json },
  'AWS::DynamoDB::Table': {
    TableClass: str,
    DeletionProtectionEnabled: { PrimitiveType: 'Boolean', Required: false, UpdateType: 'Mutable' },
  },
};
const NEW_PROPERTY_TYPE_PROPERTIES: Record<string, Record<string, unknown>> = {
  'AWS::CloudWatch::Alarm.MetricDataQuery': { Period: int, AccountId: str },
  'AWS::DynamoDB::Table.SSESpecification': { KMSMasterKeyId: str, SSEType: str },
  'AWS::Events::Rule.Target': { RetryPolicy: json, DeadLetterConfig: json },
};
/** Resource types added to CloudFormation after spec 2.29.0. */
const NEW_TYPES: Spec['ResourceTypes'] = {
  'AWS::Events::EventBus': {
    Properties: { Name: { ...str, Required: true }, EventSourceName: str, Policy: json, Tags: tags },
    Attributes: {
      Arn: { PrimitiveType: 'String' },
      Name: { PrimitiveType: 'String' },
      Policy: { PrimitiveType: 'Json' },
    },
  },
  'AWS::XRay::SamplingRule': {
    Properties: { SamplingRule: { ...json, Required: true }, RuleName: str, Tags: tags },
    Attributes: { RuleArn: { PrimitiveType: 'String' }, RuleName: { PrimitiveType: 'String' } },
  },
};

/** Properties the bundled spec requires that CloudFormation made optional since (the `Statement` form replaces them). */
const NOW_OPTIONAL: Record<string, string[]> = {
  'AWS::Events::EventBusPolicy': ['Action', 'Principal'],
};

let patched = false;

function patchSpec(): void {
  if (patched) return;
  const spec = require('cfn-lint/lib/awsData').awsResources as Spec;
  for (const [type, props] of Object.entries(NEW_PROPERTIES)) {
    const resource = spec.ResourceTypes[type];
    if (!resource) continue;
    for (const [name, def] of Object.entries(props)) resource.Properties[name] ??= def;
  }
  for (const [type, props] of Object.entries(NEW_PROPERTY_TYPE_PROPERTIES)) {
    const propertyType = spec.PropertyTypes[type];
    if (!propertyType) continue;
    for (const [name, def] of Object.entries(props)) propertyType.Properties[name] ??= def;
  }
  for (const [type, def] of Object.entries(NEW_TYPES)) spec.ResourceTypes[type] ??= def;
  for (const [type, names] of Object.entries(NOW_OPTIONAL)) {
    for (const name of names) {
      const def = spec.ResourceTypes[type]?.Properties[name] as { Required?: boolean } | undefined;
      if (def) def.Required = false;
    }
  }
  patched = true;
}

/** Critical errors and warnings the linter reports for the template (evaluated with these parameter values). */
export function lintTemplate(
  template: CfnTemplate,
  parameters: Record<string, string> = {},
): { crit: string[]; warn: string[] } {
  patchSpec();
  const api = require('cfn-lint/lib/api') as {
    validateJsonObject(t: unknown, o: { parameters: Record<string, string> }): LintResult;
  };
  // The linter writes to the template while resolving it.
  const result = api.validateJsonObject(structuredClone(template), { parameters });
  const line = (e: LintError) => `${e.resource}: ${e.message}`;
  return { crit: result.errors.crit.map(line), warn: result.errors.warn.map(line) };
}
