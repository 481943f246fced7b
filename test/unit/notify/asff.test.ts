import { describe, expect, it } from 'vitest';
import { defaultProductArn } from '../../../lib/aws/securityHub.js';
import { resourceType, toAsff } from '../../../lib/notify/asff.js';
import { aFinding } from '../../support/findings.js';

const ctx = {
  productArn: defaultProductArn('aws', 'eu-west-1', '999999999999'),
  homeAccount: '999999999999',
  partition: 'aws',
  runbookUrl: 'https://runbooks.example/ops/',
  now: new Date('2026-11-26T09:00:00Z'),
};

describe('Function: toAsff', () => {
  it('maps a finding to ASFF with every required field, under the home account default product', () => {
    // Act
    const a = toAsff(aFinding(), ctx);
    // Assess
    expect(a).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: aFinding().id,
      ProductArn: 'arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default',
      GeneratorId: 'warden/backupVerify/rpo',
      AwsAccountId: '999999999999',
      Types: ['Software and Configuration Checks/AWS Security Best Practices/Backup'],
      CreatedAt: '2026-11-26T08:00:00.000Z',
      UpdatedAt: '2026-11-26T09:00:00.000Z',
      Severity: { Label: 'HIGH' },
      FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'high' } },
      Title: aFinding().title,
      Remediation: {
        Recommendation: {
          Text: 'Follow the warden runbook: https://runbooks.example/ops/backup-restore.md',
          Url: 'https://runbooks.example/ops/backup-restore.md',
        },
      },
      Resources: [
        {
          Type: 'AwsRdsDbInstance',
          Id: 'arn:aws:rds:eu-west-1:111111111111:db:orders',
          Partition: 'aws',
          Region: 'eu-west-1',
        },
      ],
      ProductFields: { 'warden/account': '111111111111' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(a.Description).toContain('account 111111111111');
    expect(a.Description).toContain('ageHours=30');
    // The Lambda bundle serialises Resource without Details (build/slim/aws-sdk.cjs): warden must never send it.
    expect(a.Resources?.every((r) => !('Details' in r))).toBe(true);
  });

  it('maps each severity to its label', () => {
    // Act
    const labels = (['info', 'low', 'medium', 'high', 'critical'] as const).map(
      (severity) => toAsff(aFinding({ severity }), ctx).Severity?.Label,
    );
    // Assess
    expect(labels).toEqual(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
  });

  it('archives a resolved finding and marks it resolved', () => {
    // Act
    const a = toAsff(aFinding({ status: 'resolved' }), ctx);
    // Assess
    expect(a.RecordState).toBe('ARCHIVED');
    expect(a.Workflow).toEqual({ Status: 'RESOLVED' });
  });

  it('keeps Title within 256 and Description within 1024 characters', () => {
    // Act
    const a = toAsff(aFinding({ title: 't'.repeat(300), detail: { note: 'n'.repeat(2000) } }), ctx);
    // Assess
    expect(a.Title).toHaveLength(256);
    expect(a.Description).toHaveLength(1024);
    expect(a.Description?.endsWith('...')).toBe(true);
  });

  it('names a resource that is not an ARN as Other, in the home partition', () => {
    // Act
    const a = toAsff(aFinding({ resourceArn: 'warden:dev:backupVerify:111111111111:eu-west-1' }), ctx);
    // Assess
    expect(a.Resources).toEqual([
      {
        Type: 'Other',
        Id: 'warden:dev:backupVerify:111111111111:eu-west-1',
        Partition: 'aws',
        Region: 'eu-west-1',
      },
    ]);
  });
});

describe('Function: resourceType', () => {
  it.each([
    ['arn:aws:rds:eu-west-1:1:db:orders', 'AwsRdsDbInstance'],
    ['arn:aws:rds:eu-west-1:1:cluster:c', 'AwsRdsDbCluster'],
    ['arn:aws:rds:eu-west-1:1:snapshot:rds:s', 'AwsRdsDbSnapshot'],
    ['arn:aws:rds:eu-west-1:1:cluster-snapshot:s', 'AwsRdsDbClusterSnapshot'],
    ['arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf', 'AwsSecretsManagerSecret'],
    ['arn:aws:lambda:eu-west-1:1:function:api', 'AwsLambdaFunction'],
    ['arn:aws:iam::1:role/WardenExecutionRole', 'AwsIamRole'],
    ['arn:aws:dynamodb:eu-west-1:1:table/t', 'AwsDynamoDbTable'],
    ['arn:aws:s3:::backups', 'AwsS3Bucket'],
    ['arn:aws:cloudwatch:eu-west-1:1:alarm:a', 'Other'],
    ['arn:aws:ce::1:cost/daily', 'Other'],
  ])('%s is %s', (arn, type) => {
    // Act / Assess
    expect(resourceType(arn)).toBe(type);
  });
});
