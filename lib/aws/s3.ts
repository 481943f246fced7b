import {
  type Bucket,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  type LifecycleRule,
  ListBucketsCommand,
  type ObjectLockConfiguration,
  type PublicAccessBlockConfiguration,
  type ReplicationConfiguration,
  type S3Client,
  type ServerSideEncryptionRule,
  type Tag,
} from '@aws-sdk/client-s3';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

export type {
  Bucket,
  LifecycleRule,
  ObjectLockConfiguration,
  PublicAccessBlockConfiguration,
  ReplicationConfiguration,
};

/** ListBuckets: MaxBuckets 1 to 10,000 (Amazon S3 API Reference). */
export const LIST_BUCKETS_MAX = 10_000;

/** The bucket settings backup verification reads: undefined where the bucket has none of that kind. */
export interface BucketProtection {
  versioning: string | undefined;
  lifecycleRules: LifecycleRule[] | undefined;
  replication: ReplicationConfiguration | undefined;
  encryption: ServerSideEncryptionRule[] | undefined;
  publicAccessBlock: PublicAccessBlockConfiguration | undefined;
  objectLock: ObjectLockConfiguration | undefined;
}

export interface S3Api {
  /** Every bucket of the account with its region (ListBuckets is global: filter by BucketRegion locally). */
  listBuckets(): Promise<Bucket[]>;
  /** Empty when the bucket has no tags. */
  bucketTags(bucket: string): Promise<Tag[]>;
  /** The six configuration reads of one bucket, made together. */
  bucketProtection(bucket: string): Promise<BucketProtection>;
  /** The region of a bucket this account does not own (a replication destination elsewhere). */
  bucketRegion(bucket: string): Promise<string>;
}

/**
 * S3 reports a missing configuration as an error the SDK does not model as a class (NoSuchTagSet,
 * NoSuchLifecycleConfiguration, ...): those names, and only those, mean "not configured".
 */
const NOT_CONFIGURED = new Set([
  'NoSuchTagSet',
  'NoSuchLifecycleConfiguration',
  'ReplicationConfigurationNotFoundError',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'ObjectLockConfigurationNotFoundError',
]);

export function s3Api(client: S3Client, options: PacedCallOptions = {}): S3Api {
  const { call, pages } = pacedCalls(options);
  const optional = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call(fn);
    } catch (err) {
      if (err instanceof Error && NOT_CONFIGURED.has(err.name)) return undefined;
      throw err;
    }
  };
  return {
    listBuckets: () =>
      pages(async (ContinuationToken) => {
        const r = await client.send(
          new ListBucketsCommand({ MaxBuckets: LIST_BUCKETS_MAX, ContinuationToken }),
        );
        return { items: r.Buckets ?? [], next: r.ContinuationToken };
      }),
    bucketTags: async (Bucket) =>
      (await optional(() => client.send(new GetBucketTaggingCommand({ Bucket }))))?.TagSet ?? [],
    async bucketProtection(Bucket) {
      const [versioning, lifecycle, replication, encryption, pab, lock] = await Promise.all([
        call(() => client.send(new GetBucketVersioningCommand({ Bucket }))),
        optional(() => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))),
        optional(() => client.send(new GetBucketReplicationCommand({ Bucket }))),
        optional(() => client.send(new GetBucketEncryptionCommand({ Bucket }))),
        optional(() => client.send(new GetPublicAccessBlockCommand({ Bucket }))),
        optional(() => client.send(new GetObjectLockConfigurationCommand({ Bucket }))),
      ]);
      return {
        versioning: versioning.Status,
        lifecycleRules: lifecycle?.Rules,
        replication: replication?.ReplicationConfiguration,
        encryption: encryption?.ServerSideEncryptionConfiguration?.Rules,
        publicAccessBlock: pab?.PublicAccessBlockConfiguration,
        objectLock: lock?.ObjectLockConfiguration,
      };
    },
    async bucketRegion(Bucket) {
      const r = await call(() => client.send(new GetBucketLocationCommand({ Bucket })));
      // us-east-1 buckets report no constraint; EU is the legacy name of eu-west-1.
      const c = r.LocationConstraint as string | undefined;
      return !c ? 'us-east-1' : c === 'EU' ? 'eu-west-1' : c;
    },
  };
}
