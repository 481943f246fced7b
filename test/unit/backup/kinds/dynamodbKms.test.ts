import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TableDescription } from '../../../../lib/aws/dynamodb.js';
import { kmsApi } from '../../../../lib/aws/kms.js';
import { encryptionCheck } from '../../../../lib/backup/kinds/dynamodb.js';

const kms = mockClient(KMSClient);
const CMK = 'arn:aws:kms:eu-west-1:111122223333:key/1111-cmk';
const AWS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/2222-aws';
const table = (key?: string): TableDescription => ({
  TableName: 't',
  ...(key ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: key } } : {}),
});

describe('Function: encryptionCheck (DynamoDB)', () => {
  beforeEach(() => {
    kms.reset();
    kms
      .on(DescribeKeyCommand, { KeyId: CMK })
      .resolves({ KeyMetadata: { KeyId: 'cmk', KeyManager: 'CUSTOMER' } });
    kms
      .on(DescribeKeyCommand, { KeyId: AWS_KEY })
      .resolves({ KeyMetadata: { KeyId: 'aws', KeyManager: 'AWS' } });
  });

  it('wants a customer-managed key with `customer`, reading each key once however many tables share it', async () => {
    // Prepare
    const api = kmsApi(new KMSClient({ region: 'eu-west-1' }));
    // Act
    const cmk = { manager: await api.keyManager(CMK) };
    const again = { manager: await api.keyManager(CMK) };
    const awsManaged = { manager: await api.keyManager(AWS_KEY) };
    // Assess
    expect(encryptionCheck(table(CMK), 'customer', cmk)).toMatchObject({
      status: 'pass',
      detail: { keyManager: 'CUSTOMER' },
    });
    expect(encryptionCheck(table(CMK), 'customer', again).status).toBe('pass');
    expect(encryptionCheck(table(AWS_KEY), 'customer', awsManaged)).toMatchObject({
      status: 'fail',
      reason: 'encrypted with AWS-managed KMS key 2222-aws (a customer-managed key is required)',
    });
    expect(encryptionCheck(table(), 'customer')).toMatchObject({ status: 'fail' });
    expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 2);
  });

  it('takes any KMS key with `required`, the AWS owned key too with `optional`, and never asks KMS for them', () => {
    // Assess
    expect(encryptionCheck(table(AWS_KEY), 'required').status).toBe('pass');
    expect(encryptionCheck(table(), 'required').status).toBe('fail');
    expect(encryptionCheck(table(), 'optional').status).toBe('pass');
    expect(kms).not.toHaveReceivedAnyCommand();
  });

  it('reports a key it may not describe as unverified, with the reason, never as a pass', async () => {
    // Prepare
    kms
      .on(DescribeKeyCommand)
      .rejects(
        Object.assign(new Error('not authorized to kms:DescribeKey'), { name: 'AccessDeniedException' }),
      );
    const api = kmsApi(new KMSClient({ region: 'eu-west-1' }), { sleep: async () => {} });
    // Act
    const read = await api.keyManager(CMK).then(
      (manager) => ({ manager }),
      (err: Error) => ({ error: err.message }),
    );
    // Assess
    expect(encryptionCheck(table(CMK), 'customer', read)).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('not authorized to kms:DescribeKey'),
    });
  });
});
