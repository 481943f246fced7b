import * as z from 'zod/mini';
import { DEFAULT_RETENTION } from './retention.js';
import { MAX_RPO_HOURS } from './tags.js';

const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
const region = z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/));
/** A KMS key id, ARN or alias in the DR region. */
const kmsKey = z
  .string()
  .check(
    z.regex(
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+|alias\/\S+|[a-f0-9-]{36}|mrk-[a-f0-9]{32})$/,
    ),
  );

export const retentionPolicySchema = z.strictObject({
  daily: z._default(int(0, 366), DEFAULT_RETENTION.daily),
  weekly: z._default(int(0, 520), DEFAULT_RETENTION.weekly),
  monthly: z._default(int(0, 1200), DEFAULT_RETENTION.monthly),
});

/** Options of backupVerify; every field has a default, so `{}` is valid. Unknown keys are rejected. */
export const verifyOptionsSchema = z.strictObject({
  /** Overrides the stage RPO (WARDEN_RPO_HOURS); a `warden:rpo-hours` tag overrides both. */
  rpoHours: z.optional(z.number().check(z.positive(), z.maximum(MAX_RPO_HOURS))),
  retention: z._default(retentionPolicySchema, { ...DEFAULT_RETENTION }),
  minRetentionDays: z._default(int(1, 35), 7),
  /** Region holding the DR copies; the DR check is skipped without it. */
  drRegion: z.optional(region),
  /** A snapshot still `creating` after this many hours is reported as stuck. */
  stuckHours: z._default(z.number().check(z.positive(), z.maximum(168)), 6),
  /** How far back a failed or stuck snapshot counts as recent. */
  recentHours: z._default(z.number().check(z.positive(), z.maximum(24 * 90)), 72),
});
export type VerifyOptions = z.infer<typeof verifyOptionsSchema>;

export const lifecycleOptionsSchema = z
  .strictObject({
    retention: z._default(retentionPolicySchema, { ...DEFAULT_RETENTION }),
    drRegion: z.optional(region),
    /** KMS key in the DR region the copies are re-encrypted with (required with drRegion). */
    drKmsKeyId: z.optional(kmsKey),
    /** Also prune managed copies in the DR region with the same policy. */
    pruneDrCopies: z._default(z.boolean(), true),
  })
  .check(
    z.refine((o) => !o.drRegion || o.drKmsKeyId !== undefined, {
      path: ['drKmsKeyId'],
      message: 'a KMS key id, ARN or alias in the DR region (required when drRegion is set)',
    }),
  );
export type LifecycleOptions = z.infer<typeof lifecycleOptionsSchema>;
