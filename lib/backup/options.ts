import * as v from 'valibot';
import { int as integer, number, strictObject } from '../schemas.js';
import { KIND_NAMES } from './kinds/names.js';
import { DEFAULT_RETENTION } from './retention.js';
import { MAX_RPO_HOURS } from './tags.js';

const int = (min: number, max: number) => v.pipe(integer, v.minValue(min), v.maxValue(max));
const region = v.pipe(v.string(), v.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/));
/** A KMS key id, ARN or alias in the DR region. */
const kmsKey = v.pipe(
  v.string(),
  v.regex(
    /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+|alias\/\S+|[a-f0-9-]{36}|mrk-[a-f0-9]{32})$/,
  ),
);

export const retentionPolicySchema = strictObject({
  daily: v.optional(int(0, 366), DEFAULT_RETENTION.daily),
  weekly: v.optional(int(0, 520), DEFAULT_RETENTION.weekly),
  monthly: v.optional(int(0, 1200), DEFAULT_RETENTION.monthly),
});

const mode = (fallback: 'required' | 'skip') => v.optional(v.picklist(['required', 'skip']), fallback);

/** Whether a resource of each kind without a warden:backup tag is checked. S3: only tagged buckets by default. */
export const kindDefaultsSchema = strictObject({
  rds: mode('required'),
  dynamodb: mode('required'),
  elasticache: mode('required'),
  s3: mode('skip'),
  backup: mode('required'),
});

/** Options of backupVerify; every field has a default, so `{}` is valid. Unknown keys are rejected. */
export const verifyOptionsSchema = strictObject({
  /** Overrides the stage RPO (WARDEN_RPO_HOURS); a `warden:rpo-hours` tag overrides both. */
  rpoHours: v.optional(v.pipe(number, v.gtValue(0), v.maxValue(MAX_RPO_HOURS))),
  retention: v.optional(retentionPolicySchema, { ...DEFAULT_RETENTION }),
  /** Required retention (RDS backups, DynamoDB recovery period, cache snapshots, noncurrent versions, AWS Backup). */
  minRetentionDays: v.optional(int(1, 35), 7),
  /** The kinds to scan (all by default). */
  kinds: v.optional(v.pipe(v.array(v.picklist(KIND_NAMES)), v.minLength(1)), [...KIND_NAMES]),
  /** Per-kind default for untagged resources. */
  defaults: v.optional(kindDefaultsSchema, {
    rds: 'required',
    dynamodb: 'required',
    elasticache: 'required',
    s3: 'skip',
    backup: 'required',
  }),
  /**
   * DynamoDB: `customer` wants a customer-managed KMS key; `required` a KMS key, AWS or customer managed; `optional`
   * also accepts the AWS owned key.
   */
  dynamodbKms: v.optional(v.picklist(['customer', 'required', 'optional']), 'required'),
  /** Region holding the DR copies; the DR check is skipped without it. */
  drRegion: v.optional(region),
  /** A snapshot still `creating` after this many hours is reported as stuck. */
  stuckHours: v.optional(v.pipe(number, v.gtValue(0), v.maxValue(168)), 6),
  /** How far back a failed or stuck snapshot counts as recent. */
  recentHours: v.optional(v.pipe(number, v.gtValue(0), v.maxValue(24 * 90)), 72),
});
export type VerifyOptions = v.InferOutput<typeof verifyOptionsSchema>;

export const lifecycleOptionsSchema = v.pipe(
  strictObject({
    retention: v.optional(retentionPolicySchema, { ...DEFAULT_RETENTION }),
    drRegion: v.optional(region),
    /** KMS key in the DR region the copies are re-encrypted with (required with drRegion). */
    drKmsKeyId: v.optional(kmsKey),
    /** Also prune managed copies in the DR region with the same policy. */
    pruneDrCopies: v.optional(v.boolean(), true),
  }),
  v.forward(
    v.check(
      (o) => !o.drRegion || o.drKmsKeyId !== undefined,
      'a KMS key id, ARN or alias in the DR region (required when drRegion is set)',
    ),
    ['drKmsKeyId'],
  ),
);
export type LifecycleOptions = v.InferOutput<typeof lifecycleOptionsSchema>;
