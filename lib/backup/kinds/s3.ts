import type { BucketProtection, PublicAccessBlockConfiguration } from '../../aws/s3.js';
import { describeError } from '../../errors.js';
import { mapLimit } from '../../runtime/mapLimit.js';
import { type CheckResult, result, skippedResult } from '../checks.js';
import { partitionOf } from './dynamodb.js';
import {
  type EvalContext,
  type KindScan,
  type ProtectedItem,
  type ProtectionKind,
  type Requirements,
  tagRecord,
} from './types.js';

const CONCURRENCY = 8;
const CHECKS = [
  'versioning',
  'retention-period',
  'dr-copy',
  'encryption',
  'public-access',
  'object-lock',
] as const;

/** Noncurrent-version expiry of the enabled lifecycle rules: the shortest one decides how long versions are kept. */
function noncurrentRetention(p: BucketProtection, req: Requirements): CheckResult {
  const rules = (p.lifecycleRules ?? []).filter((r) => r.Status === 'Enabled');
  const expiring = rules.flatMap((r) =>
    r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined
      ? [{ id: r.ID ?? '(unnamed)', days: r.NoncurrentVersionExpiration.NoncurrentDays }]
      : [],
  );
  const detail = { requiredDays: req.retentionDays, rules: expiring.map((e) => `${e.id}:${e.days}d`) };
  if (expiring.length === 0)
    return result(
      'retention-period',
      false,
      'medium',
      'no enabled lifecycle rule keeps noncurrent versions for a set number of days',
      detail,
    );
  const shortest = expiring.reduce((a, b) => (b.days < a.days ? b : a));
  return shortest.days >= req.retentionDays
    ? result(
        'retention-period',
        true,
        'medium',
        `noncurrent versions kept ${shortest.days} d >= ${req.retentionDays} d`,
        detail,
      )
    : result(
        'retention-period',
        false,
        'medium',
        `lifecycle rule ${shortest.id} expires noncurrent versions after ${shortest.days} d < ${req.retentionDays} d`,
        detail,
      );
}

const SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/** The account's S3 Block Public Access settings (S3 Control), or why they could not be read. */
export type AccountBlock =
  | { config: PublicAccessBlockConfiguration | undefined; error?: undefined }
  | { config?: undefined; error: string };

/**
 * Public access is blocked when each of the four settings is on for the bucket or for its account (S3 applies the
 * stricter of the two). When the account's settings could not be read, a bucket that blocks everything itself still
 * passes; one that does not is unverified (it may be blocked at the account level), never a pass or a false alarm.
 */
export function publicAccess(
  bucket: PublicAccessBlockConfiguration | undefined,
  account: AccountBlock,
): CheckResult {
  const on = (k: (typeof SETTINGS)[number]) => bucket?.[k] === true || account.config?.[k] === true;
  const open = SETTINGS.filter((k) => !on(k));
  const byAccount = SETTINGS.filter((k) => bucket?.[k] !== true && account.config?.[k] === true);
  const detail = {
    notBlocked: open,
    blockedByBucket: SETTINGS.filter((k) => bucket?.[k] === true),
    blockedByAccount: SETTINGS.filter((k) => account.config?.[k] === true),
    accountBlockRead: account.error === undefined,
  };
  if (open.length === 0)
    return result(
      'public-access',
      true,
      'high',
      byAccount.length === 0
        ? 'public access blocked'
        : `public access blocked (${byAccount.length === 4 ? 'all four settings' : byAccount.join(', ')} by the account)`,
      detail,
    );
  if (account.error !== undefined) {
    const why = `public access not blocked on the bucket (${open.join(', ')}) and the account's block could not be read: ${account.error}`;
    return {
      check: 'public-access',
      status: 'error',
      reason: why,
      severity: 'high',
      detail: { ...detail, error: why },
    };
  }
  return result(
    'public-access',
    false,
    'high',
    `public access not blocked by the bucket or the account: ${open.join(', ')}`,
    detail,
  );
}

/** The checks of one bucket from its six configuration reads (pure); `regionOf` knows the buckets' regions. */
export function bucketChecks(
  p: BucketProtection,
  regionOf: ReadonlyMap<string, string>,
  req: Requirements,
  ctx: EvalContext,
  account: AccountBlock = { config: undefined },
): CheckResult[] {
  const versioned = p.versioning === 'Enabled';
  const checks: CheckResult[] = [
    result('versioning', versioned, 'high', `versioning is ${p.versioning ?? 'never enabled'}`, {
      status: p.versioning ?? 'Disabled',
    }),
    noncurrentRetention(p, req),
  ];
  const dr = ctx.options.drRegion;
  if (!dr) checks.push(skippedResult('dr-copy', 'no DR region configured'));
  else {
    const rules = (p.replication?.Rules ?? []).filter((r) => r.Status === 'Enabled');
    const destinations = rules.map((r) => {
      const bucket = (r.Destination?.Bucket ?? '').replace(/^arn:[^:]+:s3:::/, '');
      return { bucket, region: regionOf.get(bucket) ?? 'unknown' };
    });
    const inDr = destinations.find((d) => d.region === dr);
    checks.push(
      result(
        'dr-copy',
        inDr !== undefined,
        'high',
        inDr
          ? `replicated to ${inDr.bucket} in ${dr}`
          : rules.length === 0
            ? 'no enabled replication rule'
            : `no enabled replication rule to ${dr} (${destinations.map((d) => `${d.bucket}@${d.region}`).join(', ')})`,
        {
          drRegion: dr,
          source: 'replication',
          destinations: destinations.map((d) => `${d.bucket}@${d.region}`),
        },
      ),
    );
  }
  const algo = p.encryption?.[0]?.ApplyServerSideEncryptionByDefault;
  checks.push(
    result(
      'encryption',
      algo?.SSEAlgorithm !== undefined,
      'medium',
      algo?.SSEAlgorithm ? `default encryption ${algo.SSEAlgorithm}` : 'no default encryption',
      { algorithm: algo?.SSEAlgorithm ?? null, kmsKeyId: algo?.KMSMasterKeyID ?? null },
    ),
  );
  checks.push(publicAccess(p.publicAccessBlock, account));
  const lock = p.objectLock;
  const retention = lock?.Rule?.DefaultRetention;
  checks.push(
    lock?.ObjectLockEnabled === 'Enabled'
      ? result(
          'object-lock',
          true,
          'info',
          retention
            ? `Object Lock ${retention.Mode} ${retention.Days ?? retention.Years} ${retention.Days !== undefined ? 'd' : 'y'}`
            : 'Object Lock enabled, no default retention',
          { mode: retention?.Mode ?? null, days: retention?.Days ?? null, years: retention?.Years ?? null },
        )
      : skippedResult('object-lock', 'no Object Lock'),
  );
  return checks;
}

const unreadable = (why: string): CheckResult[] =>
  CHECKS.map((check) => ({ check, status: 'error', reason: why, severity: 'high', detail: { error: why } }));

/** S3 buckets of the target region: ListBuckets, then per bucket its tags and, when checked, six reads. */
export const s3Kind: ProtectionKind = {
  name: 's3',
  description:
    'S3 buckets: versioning, noncurrent-version lifecycle, DR replication, encryption, public access',
  checks: CHECKS,
  permissions: [
    's3:ListAllMyBuckets',
    's3:GetBucketTagging',
    's3:GetBucketVersioning',
    's3:GetLifecycleConfiguration',
    's3:GetReplicationConfiguration',
    's3:GetEncryptionConfiguration',
    's3:GetBucketPublicAccessBlock',
    's3:GetAccountPublicAccessBlock',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketLocation',
  ],
  ready: (apis) => apis.s3 !== undefined,
  async scan(ctx): Promise<KindScan> {
    const api = ctx.apis.s3;
    const out: KindScan = { items: [], failures: [] };
    if (!api) return out;
    const { region } = ctx.target;
    let regionOf: Map<string, string>;
    try {
      regionOf = new Map((await api.listBuckets()).map((b) => [b.Name ?? '', b.BucketRegion ?? 'unknown']));
    } catch (err) {
      out.failures.push({ kind: 's3', scope: 'buckets', region, error: describeError(err) });
      return out;
    }
    const mine = [...regionOf].filter(([, r]) => r === region).map(([name]) => name);
    const partition = partitionOf(region);
    // The account's block applies to every bucket: read once, on the first bucket that is checked.
    let accountBlock: Promise<AccountBlock> | undefined;
    const account = () => {
      const control = ctx.apis.s3Control;
      accountBlock ??= control
        ? control.accountPublicAccessBlock(ctx.target.account).then(
            (config): AccountBlock => ({ config }),
            (err: unknown): AccountBlock => ({ error: describeError(err) }),
          )
        : Promise.resolve({ error: 'not read (no S3 Control client)' });
      return accountBlock;
    };
    const found = await mapLimit(mine, CONCURRENCY, async (name): Promise<ProtectedItem | undefined> => {
      const base = { kind: 's3', id: name, arn: `arn:${partition}:s3:::${name}`, engine: 's3' };
      let tags: Record<string, string> | undefined;
      let tagError: string | undefined;
      try {
        tags = tagRecord(await api.bucketTags(name));
      } catch (err) {
        tagError = describeError(err);
      }
      if (tags && !ctx.wanted('s3', tags)) {
        return { ...base, tags, evaluate: () => [] };
      }
      try {
        const p = await api.bucketProtection(name);
        // A replication destination in another account is not in our listing: ask S3 where it lives.
        for (const r of p.replication?.Rules ?? []) {
          const dest = (r.Destination?.Bucket ?? '').replace(/^arn:[^:]+:s3:::/, '');
          if (dest && !regionOf.has(dest))
            regionOf.set(dest, await api.bucketRegion(dest).catch(() => 'unknown'));
        }
        const block = await account();
        return { ...base, tags, tagError, evaluate: (req, e) => bucketChecks(p, regionOf, req, e, block) };
      } catch (err) {
        const why = `bucket configuration could not be read: ${describeError(err)}`;
        return { ...base, tags, tagError, evaluate: () => unreadable(why) };
      }
    });
    out.items.push(...found.filter((i): i is ProtectedItem => i !== undefined));
    return out;
  },
};
