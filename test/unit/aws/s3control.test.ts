import {
  GetPublicAccessBlockCommand,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3ControlApi } from '../../../lib/aws/s3control.js';

const mock = mockClient(S3ControlClient);
const error = (name: string, status: number) =>
  new S3ControlServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });

describe('Function: s3ControlApi', () => {
  beforeEach(() => mock.reset());

  it("reads the account's Block Public Access settings for the account asked", async () => {
    // Prepare
    const config = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    mock.on(GetPublicAccessBlockCommand, { AccountId: '111122223333' }).resolves({
      PublicAccessBlockConfiguration: config,
    });
    // Act
    const got = await s3ControlApi(new S3ControlClient({ region: 'eu-west-1' })).accountPublicAccessBlock(
      '111122223333',
    );
    // Assess
    expect(got).toEqual(config);
    expect(mock).toHaveReceivedCommandTimes(GetPublicAccessBlockCommand, 1);
  });

  it('answers undefined for an account without settings, and throws any other error', async () => {
    // Prepare
    const api = s3ControlApi(new S3ControlClient({ region: 'eu-west-1' }));
    mock
      .on(GetPublicAccessBlockCommand, { AccountId: '1' })
      .rejects(error('NoSuchPublicAccessBlockConfiguration', 404));
    mock.on(GetPublicAccessBlockCommand, { AccountId: '2' }).rejects(error('AccessDenied', 403));
    // Act
    const none = await api.accountPublicAccessBlock('1');
    const denied = api.accountPublicAccessBlock('2');
    // Assess
    expect(none).toBeUndefined();
    await expect(denied).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
