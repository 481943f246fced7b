import type { AwsSecurityFinding } from '../aws/securityHub.js';
import type { Finding, Severity } from '../findings/finding.js';
import { runbookFor } from './format.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const LABELS = {
  info: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
} as const satisfies Record<Severity, string>;

/** ASFF finding types (namespace/category/classifier) per automation; the rest are best-practice checks. */
const TYPES: Record<string, string> = {
  backupVerify: 'Software and Configuration Checks/AWS Security Best Practices/Backup',
  snapshotLifecycle: 'Software and Configuration Checks/AWS Security Best Practices/Backup',
  restoreDrill: 'Software and Configuration Checks/AWS Security Best Practices/Backup',
  secretExpiry: 'Software and Configuration Checks/AWS Security Best Practices/Secret Rotation',
  rotateSecret: 'Software and Configuration Checks/AWS Security Best Practices/Secret Rotation',
  costAnomaly: 'Effects/Resource Consumption',
  autoRollback: 'Effects/Denial of Service',
};

/** ASFF resource types of the resources warden's findings name (by `service:resource-type` of the ARN). */
const RESOURCE_TYPES: Record<string, string> = {
  'rds:db': 'AwsRdsDbInstance',
  'rds:cluster': 'AwsRdsDbCluster',
  'rds:snapshot': 'AwsRdsDbSnapshot',
  'rds:cluster-snapshot': 'AwsRdsDbClusterSnapshot',
  'secretsmanager:secret': 'AwsSecretsManagerSecret',
  'lambda:function': 'AwsLambdaFunction',
  'iam:role': 'AwsIamRole',
  'dynamodb:table': 'AwsDynamoDbTable',
  's3:': 'AwsS3Bucket',
};

export function resourceType(arn: string): string {
  const parts = arn.split(':');
  const [prefix, , service] = parts;
  const rest = parts.slice(5).join(':');
  if (prefix !== 'arn' || !service || parts.length < 6) return 'Other';
  const kind = /^[a-z-]+(?=[:/])/.exec(rest)?.[0] ?? '';
  return RESOURCE_TYPES[`${service}:${kind}`] ?? 'Other';
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);

export interface AsffContext {
  /** The account's default integration (lib/aws/securityHub defaultProductArn). */
  productArn: string;
  /** The account importing: BatchImportFindings under the default product accepts only its own account. */
  homeAccount: string;
  partition: string;
  runbookUrl: string;
  /** UpdatedAt: Security Hub keeps the import with the latest UpdatedAt, so it is the time of sending. */
  now: Date;
}

/**
 * One warden finding in the AWS Security Finding Format. Id is the finding id, so a re-import updates the same
 * Security Hub finding; a resolved finding is archived (RecordState); the target account, when it is not the
 * importing one, is kept in the resource and in ProductFields.
 */
export function toAsff(f: Finding, ctx: AsffContext): AwsSecurityFinding {
  const label = LABELS[f.severity];
  const types = [TYPES[f.automation] ?? 'Software and Configuration Checks/AWS Security Best Practices'];
  const runbook = runbookFor(f.automation, ctx.runbookUrl);
  const partition = f.resourceArn.startsWith('arn:') ? (f.resourceArn.split(':')[1] ?? '') : ctx.partition;
  const detail = Object.entries(f.detail)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join(', ');
  const description = [
    `${f.automation}/${f.check} on ${f.resourceArn} (account ${f.account}, ${f.region})`,
    detail && `Detail: ${detail}`,
    f.action && `Action: ${f.action.type} ${f.action.result}`,
    f.dryRun ? 'Dry-run.' : '',
  ]
    .filter(Boolean)
    .join('. ');
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: f.id,
    ProductArn: ctx.productArn,
    GeneratorId: `warden/${f.automation}/${f.check}`,
    AwsAccountId: ctx.homeAccount,
    Types: types,
    CreatedAt: f.observedAt,
    UpdatedAt: ctx.now.toISOString(),
    LastObservedAt: f.observedAt,
    Severity: { Label: label },
    FindingProviderFields: { Severity: { Label: label, Original: f.severity }, Types: types },
    Title: cut(f.title, 256),
    Description: cut(description, 1024),
    Remediation: {
      Recommendation: { Text: cut(`Follow the warden runbook: ${runbook}`, 512), Url: runbook },
    },
    SourceUrl: runbook,
    ProductFields: {
      'warden/automation': f.automation,
      'warden/check': f.check,
      'warden/account': f.account,
      'warden/dryRun': String(f.dryRun),
    },
    Resources: [
      {
        Type: resourceType(f.resourceArn),
        Id: f.resourceArn,
        ...(partition === 'aws' || partition === 'aws-cn' || partition === 'aws-us-gov'
          ? { Partition: partition }
          : {}),
        Region: f.region,
      },
    ],
    RecordState: f.status === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
    // Read by Security Hub when the finding is created only; a resolve also sets it with BatchUpdateFindings.
    Workflow: { Status: f.status === 'resolved' ? 'RESOLVED' : 'NEW' },
  };
}
