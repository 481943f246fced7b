import { describe, expect, it } from 'vitest';
import type { DynamoDbApi } from '../../../../lib/aws/dynamodb.js';
import { dynamoChecks, dynamodbKind } from '../../../../lib/backup/kinds/dynamodb.js';
import { DR, evalCtx, hoursAgo, REGION, REQ, scanCtx, statusOf } from './support.js';

const table = (o: Record<string, unknown> = {}) => ({
  TableName: 'orders',
  TableArn: `arn:aws:dynamodb:${REGION}:111122223333:table/orders`,
  DeletionProtectionEnabled: true,
  SSEDescription: {
    Status: 'ENABLED' as const,
    SSEType: 'KMS' as const,
    KMSMasterKeyArn: 'arn:aws:kms:eu-west-1:1:key/k1',
  },
  ...o,
});
const pitr = (o: Record<string, unknown> = {}) => ({
  ContinuousBackupsStatus: 'ENABLED' as const,
  PointInTimeRecoveryDescription: {
    PointInTimeRecoveryStatus: 'ENABLED' as const,
    LatestRestorableDateTime: hoursAgo(0.1),
    RecoveryPeriodInDays: 35,
    ...o,
  },
});

describe('Function: dynamoChecks', () => {
  it('passes a table with PITR, deletion protection, a KMS key and no DR region configured', () => {
    // Act
    const checks = dynamoChecks(table(), pitr(), REQ, evalCtx());
    // Assess
    expect(statusOf(checks)).toEqual({
      pitr: 'pass',
      'recovery-point': 'pass',
      'retention-period': 'pass',
      'deletion-protection': 'pass',
      encryption: 'pass',
      'dr-copy': 'skipped',
    });
    expect(checks.find((c) => c.check === 'recovery-point')?.detail).toMatchObject({
      source: 'point-in-time',
    });
  });

  it('fails PITR disabled, a short recovery period, no deletion protection and the AWS owned key, with the numbers', () => {
    // Act
    const off = dynamoChecks(
      table({ DeletionProtectionEnabled: false, SSEDescription: undefined }),
      {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
      REQ,
      evalCtx(),
    );
    const short = dynamoChecks(
      table(),
      pitr({ RecoveryPeriodInDays: 3 }),
      { rpoHours: 24, retentionDays: 14 },
      evalCtx(),
    );
    // Assess
    expect(statusOf(off)).toMatchObject({
      pitr: 'fail',
      'recovery-point': 'fail',
      'retention-period': 'fail',
      'deletion-protection': 'fail',
      encryption: 'fail',
    });
    const retention = short.find((c) => c.check === 'retention-period');
    expect(retention?.reason).toBe('point-in-time recovery period 3 d < 14 d');
    expect(retention?.detail).toEqual({ recoveryPeriodDays: 3, requiredDays: 14 });
  });

  it('accepts the AWS owned key when the config makes KMS optional', () => {
    // Act
    const checks = dynamoChecks(
      table({ SSEDescription: undefined }),
      pitr(),
      REQ,
      evalCtx({ dynamodbKms: 'optional' }),
    );
    // Assess
    expect(statusOf(checks).encryption).toBe('pass');
  });

  it('fails a latest restorable time over the RPO with its age', () => {
    // Act
    const checks = dynamoChecks(table(), pitr({ LatestRestorableDateTime: hoursAgo(30) }), REQ, evalCtx());
    // Assess
    const rp = checks.find((c) => c.check === 'recovery-point');
    expect(rp).toMatchObject({ status: 'fail', detail: { ageHours: 30, rpoHours: 24 } });
  });

  it('passes the DR check on an ACTIVE global-table replica in the DR region only', () => {
    // Act
    const active = dynamoChecks(
      table({ Replicas: [{ RegionName: DR, ReplicaStatus: 'ACTIVE' }] }),
      pitr(),
      REQ,
      evalCtx({ drRegion: DR }),
    );
    const elsewhere = dynamoChecks(
      table({ Replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] }),
      pitr(),
      REQ,
      evalCtx({ drRegion: DR }),
    );
    // Assess
    expect(statusOf(active)['dr-copy']).toBe('pass');
    expect(elsewhere.find((c) => c.check === 'dr-copy')).toMatchObject({
      status: 'fail',
      reason: `no global-table replica in ${DR}`,
    });
  });
});

function fakeApi(over: Partial<DynamoDbApi> = {}) {
  const calls: string[] = [];
  const api: DynamoDbApi = {
    region: REGION,
    listTableNames: async () => ['orders', 'scratch', 'broken'],
    listTags: async (arn) => {
      calls.push(`tags ${arn.split('/').pop()}`);
      return arn.endsWith('/scratch') ? [{ Key: 'warden:backup', Value: 'skip' }] : [];
    },
    describeTable: async (name) => {
      calls.push(`describe ${name}`);
      if (name === 'broken') throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      return table({ TableName: name, TableArn: `arn:aws:dynamodb:${REGION}:111122223333:table/${name}` });
    },
    describeContinuousBackups: async (name) => {
      calls.push(`backups ${name}`);
      return pitr();
    },
    ...over,
  };
  return { api, calls };
}

describe('Function: dynamodbKind.scan', () => {
  it('describes only the tables it checks, and reports an unreadable one as errors, not a pass', async () => {
    // Prepare
    const { api, calls } = fakeApi();
    // Act
    const scan = await dynamodbKind.scan(scanCtx({ dynamodb: api }));
    // Assess
    expect(calls).not.toContain('describe scratch');
    expect(calls).toContain('describe orders');
    const broken = scan.items.find((i) => i.id === 'broken');
    const checks = broken?.evaluate(REQ, evalCtx()) ?? [];
    expect(checks.length).toBe(6);
    expect(checks.every((c) => c.status === 'error' && c.reason.includes('denied'))).toBe(true);
    expect(statusOf(scan.items.find((i) => i.id === 'orders')?.evaluate(REQ, evalCtx()) ?? [])).toMatchObject(
      { pitr: 'pass' },
    );
  });

  it('reports a failed ListTables as a scan failure', async () => {
    // Prepare
    const { api } = fakeApi({
      listTableNames: async () => {
        throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      },
    });
    // Act
    const scan = await dynamodbKind.scan(scanCtx({ dynamodb: api }));
    // Assess
    expect(scan.items).toEqual([]);
    expect(scan.failures).toEqual([
      { kind: 'dynamodb', scope: 'tables', region: REGION, error: 'AccessDeniedException: not authorized' },
    ]);
  });

  it('asks KMS who manages the key only with `dynamodbKms: customer`, and judges encryption on the answer', async () => {
    // Prepare
    const { api } = fakeApi();
    const asked: string[] = [];
    const kms = {
      keyManager: async (arn: string) => {
        asked.push(arn);
        return 'AWS' as const;
      },
    };
    // Act
    const customer = await dynamodbKind.scan(scanCtx({ dynamodb: api, kms }, { dynamodbKms: 'customer' }));
    const anyKey = await dynamodbKind.scan(scanCtx({ dynamodb: api, kms }));
    // Assess
    const orders = (scan: typeof customer) => scan.items.find((i) => i.id === 'orders');
    const encryption = (scan: typeof customer, o: Record<string, unknown>) =>
      orders(scan)
        ?.evaluate(REQ, evalCtx(o))
        .find((c) => c.check === 'encryption');
    expect(encryption(customer, { dynamodbKms: 'customer' })).toMatchObject({
      status: 'fail',
      detail: { keyManager: 'AWS' },
    });
    expect(encryption(anyKey, {})).toMatchObject({ status: 'pass' });
    expect(asked).toHaveLength(1);
  });
});
