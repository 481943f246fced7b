/**
 * Region prefixes of Cost Explorer `USAGE_TYPE` values (`EUW1-NatGateway-Bytes`, `APN1-TimedStorage-ByteHrs`).
 * Source: the AWS billing codes of the regions as Cost Explorer's `REGION` dimension shows them (AWS Cost and Usage
 * Report, "Understanding your usage types"; the same table as ../shared/datasets/cost/README.md, plus ap-east-1,
 * me-central-1 and GovCloud).
 */
export const USAGE_TYPE_REGION_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  USE1: 'us-east-1',
  USE2: 'us-east-2',
  USW1: 'us-west-1',
  USW2: 'us-west-2',
  CAN1: 'ca-central-1',
  SAE1: 'sa-east-1',
  EUW1: 'eu-west-1',
  EUW2: 'eu-west-2',
  EUW3: 'eu-west-3',
  EUC1: 'eu-central-1',
  EUN1: 'eu-north-1',
  EUS1: 'eu-south-1',
  APN1: 'ap-northeast-1',
  APN2: 'ap-northeast-2',
  APN3: 'ap-northeast-3',
  APS1: 'ap-southeast-1',
  APS2: 'ap-southeast-2',
  APS3: 'ap-south-1',
  APE1: 'ap-east-1',
  MES1: 'me-south-1',
  MEC1: 'me-central-1',
  AFS1: 'af-south-1',
  UGW1: 'us-gov-west-1',
  UGE1: 'us-gov-east-1',
});

/** Services billed globally: every usage type of theirs is in `global` (CloudFront's start with an edge group). */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set([
  'Tax',
  'AWS Support (Business)',
  'AWS Support (Enterprise)',
  'AWS Support (Developer)',
  'Savings Plans for AWS Compute usage',
  'Amazon Route 53',
  'Amazon CloudFront',
]);

/** Usage types billed globally whatever their service. */
const GLOBAL_USAGE_TYPES: ReadonlySet<string> = new Set(['Shield-Monthly-Fee']);

/** Region reported for a usage type whose prefix looks like a region code but is not in the table. */
export const UNKNOWN_REGION = 'unknown';

/** A prefix shaped like a region code (`EUW1-`, `APS3-`), to tell an unknown region from a usage type name. */
const CODE_RE = /^([A-Z]{3}\d)-/;

/**
 * Region of a usage type: from its prefix (an inter-region transfer such as `USE1-USW2-AWS-Out-Bytes` is named
 * after its source), `global` for global services and charges, `unknown` for a region-shaped prefix not in the
 * table, and us-east-1 for any other usage type without a prefix (EC2 in us-east-1 is billed without one).
 */
export function regionOfUsageType(service: string, usageType: string): string {
  if (GLOBAL_SERVICES.has(service) || GLOBAL_USAGE_TYPES.has(usageType)) return 'global';
  const code = CODE_RE.exec(usageType)?.[1];
  if (code === undefined) return 'us-east-1';
  return USAGE_TYPE_REGION_PREFIXES[code] ?? UNKNOWN_REGION;
}
