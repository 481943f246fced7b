import type {
  AwsBackupApi,
  BackupVaultListMember,
  CopyJob,
  ProtectedResource,
  RecoveryPointByBackupVault,
} from '../../aws/backup.js';
import type { Target } from '../../aws/clients.js';
import type { DynamoDbApi } from '../../aws/dynamodb.js';
import type { ElastiCacheApi } from '../../aws/elasticache.js';
import type { KmsApi } from '../../aws/kms.js';
import type { RdsApi } from '../../aws/rds.js';
import type { S3Api } from '../../aws/s3.js';
import type { S3ControlApi } from '../../aws/s3control.js';
import type { CheckName, CheckResult } from '../checks.js';
import type { VerifyOptions } from '../options.js';

import type { KindName } from './names.js';

export type { KindName };

/** What a resource must meet: from its warden:* tags, else the kind's and the stage's defaults. */
export interface Requirements {
  rpoHours: number;
  retentionDays: number;
  /** ElastiCache: the DR-region cache whose snapshots count as this one's DR copy (tag warden:dr-cache). */
  drCache?: string | undefined;
}

/** The AWS Backup recovery points, vaults and DR copies of the region, keyed for every kind to use. */
export interface BackupEvidence {
  protectedResources: Map<string, ProtectedResource>;
  /** Recovery points per resource ARN, newest first. */
  points: Map<string, RecoveryPointByBackupVault[]>;
  vaults: Map<string, BackupVaultListMember>;
  /** Completed copy jobs per resource ARN, newest first; undefined when the copy jobs could not be listed. */
  copies: Map<string, CopyJob[]> | undefined;
  /** Vaults whose recovery points could not be listed, with the error. */
  vaultErrors: Map<string, string>;
  copyError?: string | undefined;
}

export interface EvalContext {
  now: Date;
  options: VerifyOptions;
  /** Undefined when AWS Backup was not read (its listing failed: reported once for the region). */
  evidence: BackupEvidence | undefined;
}

/** One resource found by a kind's scan, with what was read about it; `evaluate` runs its checks (pure). */
export interface ProtectedItem {
  /** The report's kind column: instance, cluster, dynamodb, elasticache, s3, backup. */
  kind: string;
  id: string;
  arn: string;
  engine: string;
  /** Undefined when the tags could not be read: the resource is then checked with the defaults, and says so. */
  tags: Record<string, string> | undefined;
  tagError?: string | undefined;
  evaluate(req: Requirements, ctx: EvalContext): CheckResult[];
}

/** A listing (or one resource's read) that failed: reported as an api-error finding, never skipped quietly. */
export interface ScanFailure {
  kind: KindName;
  scope: string;
  region: string;
  resourceArn?: string | undefined;
  error: string;
}

export interface KindScan {
  items: ProtectedItem[];
  failures: ScanFailure[];
}

/** The adapters a scan may use; each kind takes the ones it needs (a DR-region twin where it reads the DR region). */
export interface ProtectionApis {
  rds?: RdsApi | undefined;
  drRds?: RdsApi | undefined;
  dynamodb?: DynamoDbApi | undefined;
  s3?: S3Api | undefined;
  /** The account's S3 Block Public Access settings, which S3 applies to each bucket with the bucket's own. */
  s3Control?: S3ControlApi | undefined;
  elasticache?: ElastiCacheApi | undefined;
  drElasticache?: ElastiCacheApi | undefined;
  backup?: AwsBackupApi | undefined;
  /** Key managers, for a check that wants a customer-managed key (DynamoDB with `dynamodbKms: customer`). */
  kms?: KmsApi | undefined;
}

export interface ScanContext {
  apis: ProtectionApis;
  target: Target;
  options: VerifyOptions;
  now: Date;
  /** Whether a resource with these tags is checked (its warden:backup tag, else the kind's default). */
  wanted(kind: KindName, tags: Record<string, string>): boolean;
  evidence: BackupEvidence | undefined;
}

/** One kind in the catalog: its checks (the report's columns), the IAM reads it needs, and its scan. */
export interface ProtectionKind {
  name: KindName;
  description: string;
  checks: readonly CheckName[];
  permissions: readonly string[];
  /** Whether its adapters are present in `apis` (a kind without them is reported as not scanned). */
  ready(apis: ProtectionApis): boolean;
  scan(ctx: ScanContext): Promise<KindScan>;
}

export const tagRecord = (tags: readonly { Key?: string | undefined; Value?: string | undefined }[]) => {
  const out: Record<string, string> = {};
  for (const t of tags) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
};
