import { describe, expect, it } from 'vitest';
import type { BucketProtection, S3Api } from '../../../../lib/aws/s3.js';
import type { S3ControlApi } from '../../../../lib/aws/s3control.js';
import { bucketChecks, publicAccess, s3Kind } from '../../../../lib/backup/kinds/s3.js';
import { ACCOUNT, DR, evalCtx, REGION, REQ, scanCtx, statusOf } from './support.js';

const good = (o: Partial<BucketProtection> = {}): BucketProtection => ({
  versioning: 'Enabled',
  lifecycleRules: [{ ID: 'keep-30', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }],
  replication: {
    Role: 'r',
    Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::orders-dr' } }],
  },
  encryption: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } }],
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  objectLock: undefined,
  ...o,
});
const regions = new Map([
  ['orders', REGION],
  ['orders-dr', DR],
]);

describe('Function: bucketChecks', () => {
  it('passes a versioned, replicated, encrypted, private bucket and reports Object Lock only where present', () => {
    // Act
    const checks = bucketChecks(good(), regions, REQ, evalCtx({ drRegion: DR }));
    const locked = bucketChecks(
      good({
        objectLock: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } },
        },
      }),
      regions,
      REQ,
      evalCtx({ drRegion: DR }),
    );
    // Assess
    expect(statusOf(checks)).toEqual({
      versioning: 'pass',
      'retention-period': 'pass',
      'dr-copy': 'pass',
      encryption: 'pass',
      'public-access': 'pass',
      'object-lock': 'skipped',
    });
    expect(locked.find((c) => c.check === 'object-lock')).toMatchObject({
      status: 'pass',
      reason: 'Object Lock COMPLIANCE 30 d',
    });
  });

  it('fails a rule that expires noncurrent versions sooner than required, naming the rule and the days', () => {
    // Act
    const checks = bucketChecks(
      good({
        lifecycleRules: [
          { ID: 'keep-30', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
          { ID: 'logs', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 3 } },
          { ID: 'off', Status: 'Disabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
        ],
      }),
      regions,
      REQ,
      evalCtx(),
    );
    // Assess
    expect(checks.find((c) => c.check === 'retention-period')).toMatchObject({
      status: 'fail',
      reason: 'lifecycle rule logs expires noncurrent versions after 3 d < 7 d',
    });
  });

  it('fails no versioning, no noncurrent rule, replication elsewhere and open public access', () => {
    // Act
    const checks = bucketChecks(
      good({
        versioning: 'Suspended',
        lifecycleRules: [],
        replication: {
          Role: 'r',
          Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::orders' } }],
        },
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
        encryption: undefined,
      }),
      regions,
      REQ,
      evalCtx({ drRegion: DR }),
    );
    // Assess
    expect(statusOf(checks)).toMatchObject({
      versioning: 'fail',
      'retention-period': 'fail',
      'dr-copy': 'fail',
      encryption: 'fail',
      'public-access': 'fail',
    });
    expect(checks.find((c) => c.check === 'public-access')?.reason).toBe(
      'public access not blocked by the bucket or the account: BlockPublicPolicy',
    );
    expect(checks.find((c) => c.check === 'dr-copy')?.reason).toBe(
      `no enabled replication rule to ${DR} (orders@${REGION})`,
    );
  });
});

describe('Function: publicAccess', () => {
  const all = {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };
  const acls = { BlockPublicAcls: true, IgnorePublicAcls: true };

  it('passes a bucket without its own block when the account blocks everything, and says so', () => {
    // Act
    const check = publicAccess(undefined, { config: all });
    // Assess
    expect(check).toMatchObject({
      status: 'pass',
      reason: 'public access blocked (all four settings by the account)',
      detail: { notBlocked: [], blockedByBucket: [], accountBlockRead: true },
    });
  });

  it('takes each setting from the bucket or the account, and fails naming those neither sets', () => {
    // Act
    const mixed = publicAccess({ BlockPublicPolicy: true, RestrictPublicBuckets: true }, { config: acls });
    const open = publicAccess({ BlockPublicPolicy: true }, { config: acls });
    const none = publicAccess(undefined, { config: undefined });
    // Assess
    expect(mixed).toMatchObject({
      status: 'pass',
      reason: 'public access blocked (BlockPublicAcls, IgnorePublicAcls by the account)',
    });
    expect(open).toMatchObject({
      status: 'fail',
      severity: 'high',
      reason: 'public access not blocked by the bucket or the account: RestrictPublicBuckets',
    });
    expect(none.detail.notBlocked).toEqual([
      'BlockPublicAcls',
      'IgnorePublicAcls',
      'BlockPublicPolicy',
      'RestrictPublicBuckets',
    ]);
  });

  it("is unverified, not failed, when the bucket is open and the account's block could not be read", () => {
    // Act
    const unread = publicAccess(acls, { error: 'AccessDenied: not allowed' });
    const closed = publicAccess(all, { error: 'AccessDenied: not allowed' });
    // Assess
    expect(unread).toMatchObject({
      status: 'error',
      reason:
        "public access not blocked on the bucket (BlockPublicPolicy, RestrictPublicBuckets) and the account's block could not be read: AccessDenied: not allowed",
    });
    expect(closed).toMatchObject({ status: 'pass', reason: 'public access blocked' });
  });
});

describe('Function: s3Kind.scan', () => {
  it("reads the account's public access block once, for the buckets it checks, and applies it to each", async () => {
    // Prepare
    const accounts: string[] = [];
    const api: S3Api = {
      listBuckets: async () => ['a', 'b', 'skipped'].map((Name) => ({ Name, BucketRegion: REGION })),
      bucketTags: async (b) => (b === 'skipped' ? [] : [{ Key: 'warden:backup', Value: 'required' }]),
      bucketProtection: async () => good({ publicAccessBlock: undefined }),
      bucketRegion: async () => REGION,
    };
    const s3Control: S3ControlApi = {
      accountPublicAccessBlock: async (account) => {
        accounts.push(account);
        return {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        };
      },
    };
    // Act
    const scan = await s3Kind.scan(scanCtx({ s3: api, s3Control }));
    // Assess
    expect(accounts).toEqual([ACCOUNT]);
    const statuses = scan.items.map(
      (i) => i.evaluate(REQ, evalCtx()).find((c) => c.check === 'public-access')?.status,
    );
    expect(statuses).toEqual(['pass', 'pass', undefined]);
  });

  it('reads no account block when no bucket is checked', async () => {
    // Prepare
    let reads = 0;
    const api: S3Api = {
      listBuckets: async () => [{ Name: 'tmp', BucketRegion: REGION }],
      bucketTags: async () => [],
      bucketProtection: async () => good(),
      bucketRegion: async () => REGION,
    };
    // Act
    await s3Kind.scan(
      scanCtx({ s3: api, s3Control: { accountPublicAccessBlock: async () => void reads++ } }),
    );
    // Assess
    expect(reads).toBe(0);
  });

  it('checks only tagged buckets of the target region by default, reading the others’ tags only', async () => {
    // Prepare
    const read: string[] = [];
    const api: S3Api = {
      listBuckets: async () => [
        { Name: 'orders', BucketRegion: REGION },
        { Name: 'tmp', BucketRegion: REGION },
        { Name: 'orders-dr', BucketRegion: DR },
      ],
      bucketTags: async (b) => (b === 'orders' ? [{ Key: 'warden:backup', Value: 'required' }] : []),
      bucketProtection: async (b) => {
        read.push(b);
        return good();
      },
      bucketRegion: async () => 'unknown',
    };
    // Act
    const scan = await s3Kind.scan(scanCtx({ s3: api }, { drRegion: DR }));
    // Assess
    expect(scan.items.map((i) => i.id)).toEqual(['orders', 'tmp']);
    expect(read).toEqual(['orders']);
    const checks = scan.items[0]?.evaluate(REQ, evalCtx({ drRegion: DR })) ?? [];
    expect(statusOf(checks)['dr-copy']).toBe('pass');
  });

  it('reports an unreadable bucket as errors on every check', async () => {
    // Prepare
    const api: S3Api = {
      listBuckets: async () => [{ Name: 'orders', BucketRegion: REGION }],
      bucketTags: async () => [{ Key: 'warden:backup', Value: 'required' }],
      bucketProtection: async () => {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      },
      bucketRegion: async () => REGION,
    };
    // Act
    const scan = await s3Kind.scan(scanCtx({ s3: api }));
    // Assess
    const checks = scan.items[0]?.evaluate(REQ, evalCtx()) ?? [];
    expect(checks).toHaveLength(6);
    expect(checks.every((c) => c.status === 'error')).toBe(true);
  });

  it('asks S3 where a replication destination of another account lives', async () => {
    // Prepare
    const asked: string[] = [];
    const api: S3Api = {
      listBuckets: async () => [{ Name: 'orders', BucketRegion: REGION }],
      bucketTags: async () => [{ Key: 'warden:backup', Value: 'required' }],
      bucketProtection: async () =>
        good({
          replication: {
            Role: 'r',
            Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::vault-acct-dr' } }],
          },
        }),
      bucketRegion: async (b) => {
        asked.push(b);
        return DR;
      },
    };
    // Act
    const scan = await s3Kind.scan(scanCtx({ s3: api }, { drRegion: DR }));
    // Assess
    expect(asked).toEqual(['vault-acct-dr']);
    const dr = scan.items[0]?.evaluate(REQ, evalCtx({ drRegion: DR })).find((c) => c.check === 'dr-copy');
    expect(dr).toMatchObject({ status: 'pass', reason: `replicated to vault-acct-dr in ${DR}` });
  });

  it('checks a bucket whose tags cannot be read, and says its tags were unreadable', async () => {
    // Prepare
    const api: S3Api = {
      listBuckets: async () => [{ Name: 'orders', BucketRegion: REGION }],
      bucketTags: async () => {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      },
      bucketProtection: async () => good(),
      bucketRegion: async () => REGION,
    };
    // Act
    const scan = await s3Kind.scan(scanCtx({ s3: api }));
    // Assess
    expect(scan.items[0]).toMatchObject({
      id: 'orders',
      tags: undefined,
      tagError: 'AccessDenied: Access Denied',
    });
    expect(scan.items[0]?.evaluate(REQ, evalCtx())).toHaveLength(6);
  });
});
