import { type CfnTemplate, propsOf } from './template.js';

/** Resource types whose CloudFormation `Tags` is a list of { Key, Value }. */
export const LIST_TAGGED_TYPES: ReadonlySet<string> = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::FlowLog',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBSubnetGroup',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::XRay::SamplingRule',
]);

/** Resource types whose CloudFormation `Tags` is a { key: value } map. */
export const MAP_TAGGED_TYPES: ReadonlySet<string> = new Set(['AWS::SSM::Parameter']);

/**
 * Adds the tags a resource lacks (stack tags do not reach every resource type). Existing values win.
 * Returns the logical ids it changed.
 */
export function addMissingTags(template: CfnTemplate, tags: Readonly<Record<string, string>>): string[] {
  const changed: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = propsOf(resource);
    if (LIST_TAGGED_TYPES.has(resource.Type)) {
      const list = Array.isArray(props.Tags) ? (props.Tags as { Key: unknown }[]) : [];
      const missing = Object.entries(tags).filter(([k]) => !list.some((t) => t.Key === k));
      if (missing.length === 0) continue;
      props.Tags = [...list, ...missing.map(([Key, Value]) => ({ Key, Value }))];
      changed.push(id);
    } else if (MAP_TAGGED_TYPES.has(resource.Type)) {
      const map = props.Tags && typeof props.Tags === 'object' ? (props.Tags as Record<string, unknown>) : {};
      const missing = Object.entries(tags).filter(([k]) => !(k in map));
      if (missing.length === 0) continue;
      props.Tags = { ...map, ...Object.fromEntries(missing) };
      changed.push(id);
    }
  }
  return changed;
}

/** Tag values of a resource (list or map form), for tests and reports. */
export function tagsOf(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const tags = props?.Tags;
  if (Array.isArray(tags))
    return Object.fromEntries(tags.map((t: { Key: string; Value: unknown }) => [t.Key, t.Value]));
  if (tags && typeof tags === 'object') return tags as Record<string, unknown>;
  return {};
}
