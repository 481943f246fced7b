import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { s3Api } from '../../aws/s3.js';
import { s3ControlApi } from '../../aws/s3control.js';
import { type ApiFactory, pacedFor } from '../apis.js';
import { s3Kind } from '../kinds/s3.js';
import { backupApis, backupProbe } from './awsBackup.js';
import { type ProbeRead, verifyAutomation } from './part.js';

/** S3 and S3 Control (the account's public access block), with AWS Backup for the buckets' recovery points. */
export const s3Apis: ApiFactory = (scope) =>
  scope.kinds.includes('s3')
    ? {
        ...backupApis(scope),
        s3: s3Api(scope.aws.get(S3Client), pacedFor('s3', scope.throttles)),
        // One call per run: it shares S3's pace.
        s3Control: s3ControlApi(scope.aws.get(S3ControlClient), pacedFor('s3', scope.throttles)),
      }
    : {};

export const s3Probes: readonly ProbeRead[] = [
  ['s3', (aws) => aws.get(S3Client).send(new ListBucketsCommand({ MaxBuckets: 1 }))],
  // Refused, open buckets would be unverified rather than checked against the account's block.
  ['s3control', (aws) => s3ControlApi(aws.get(S3ControlClient)).accountPublicAccessBlock(aws.target.account)],
  backupProbe,
];

/**
 * backupVerify's `s3` worker: the buckets, in a bundle of its own. AWS Backup holds recovery points of buckets, so it
 * reads only those.
 */
export const backupVerifyS3 = verifyAutomation({
  part: 's3',
  kinds: [s3Kind],
  apis: s3Apis,
  probes: s3Probes,
  evidence: { resourceType: 'S3' },
});
