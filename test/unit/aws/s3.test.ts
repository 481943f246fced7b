import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3Api } from '../../../lib/aws/s3.js';
import { listBucketsPage, s3NotConfigured } from '../../support/protectionPaging.js';

const mock = mockClient(S3Client);

describe('Function: s3Api', () => {
  beforeEach(() => mock.reset());

  it('lists every bucket with its region at the largest page', async () => {
    // Prepare
    const buckets = [
      { Name: 'a', BucketRegion: 'eu-west-1' },
      { Name: 'b', BucketRegion: 'us-east-1' },
    ];
    mock.on(ListBucketsCommand).callsFake((input) => listBucketsPage(buckets, input));
    // Act
    const all = await s3Api(new S3Client({})).listBuckets();
    // Assess
    expect(all).toEqual(buckets);
    expect(mock).toHaveReceivedCommandWith(ListBucketsCommand, { MaxBuckets: 10_000 });
  });

  it('reads a missing configuration as undefined and no tag set as no tags', async () => {
    // Prepare
    mock.on(GetBucketTaggingCommand).rejects(s3NotConfigured('NoSuchTagSet'));
    mock.on(GetBucketVersioningCommand).resolves({});
    mock.on(GetBucketLifecycleConfigurationCommand).rejects(s3NotConfigured('NoSuchLifecycleConfiguration'));
    mock.on(GetBucketReplicationCommand).rejects(s3NotConfigured('ReplicationConfigurationNotFoundError'));
    mock
      .on(GetBucketEncryptionCommand)
      .rejects(s3NotConfigured('ServerSideEncryptionConfigurationNotFoundError'));
    mock.on(GetPublicAccessBlockCommand).rejects(s3NotConfigured('NoSuchPublicAccessBlockConfiguration'));
    mock
      .on(GetObjectLockConfigurationCommand)
      .rejects(s3NotConfigured('ObjectLockConfigurationNotFoundError'));
    const api = s3Api(new S3Client({}));
    // Act
    const tags = await api.bucketTags('plain');
    const p = await api.bucketProtection('plain');
    // Assess
    expect(tags).toEqual([]);
    expect(p).toEqual({
      versioning: undefined,
      lifecycleRules: undefined,
      replication: undefined,
      encryption: undefined,
      publicAccessBlock: undefined,
      objectLock: undefined,
    });
  });

  it('lets a refused read propagate (never read as "not configured")', async () => {
    // Prepare
    mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    mock.on(GetBucketLifecycleConfigurationCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'Access Denied',
      }),
    );
    mock.on(GetBucketReplicationCommand).resolves({});
    mock.on(GetBucketEncryptionCommand).resolves({});
    mock.on(GetPublicAccessBlockCommand).resolves({});
    mock.on(GetObjectLockConfigurationCommand).resolves({});
    // Act
    const read = s3Api(new S3Client({})).bucketProtection('locked');
    // Assess
    await expect(read).rejects.toThrow('Access Denied');
  });

  it('maps the legacy location constraints to region names', async () => {
    // Prepare
    mock.on(GetBucketLocationCommand, { Bucket: 'old' }).resolves({});
    mock.on(GetBucketLocationCommand, { Bucket: 'eu' }).resolves({ LocationConstraint: 'EU' });
    const api = s3Api(new S3Client({}));
    // Act / Assess
    expect(await api.bucketRegion('old')).toBe('us-east-1');
    expect(await api.bucketRegion('eu')).toBe('eu-west-1');
  });
});
