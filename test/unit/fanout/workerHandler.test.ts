import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../lib/fanout/dispatch.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { fakeAutomation } from '../../support/fakeAutomation.js';
import { lambdaContext, sqsEvent } from '../../support/findings.js';

const sts = mockClient(STSClient);
const rds = mockClient(RDSClient);
const sqs = mockClient(SQSClient);
type Handler = (event: unknown, context: unknown) => Promise<SQSBatchResponse & Record<string, unknown>>;
let handler: Handler;

const unit = (account: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    automation: 'backupVerify',
    account,
    region: 'eu-west-1',
    dryRun: true,
    dispatchId: 'd1',
    dispatchedAt: '2026-11-26T00:00:00.000Z',
    ...extra,
  });

function published(): Finding[] {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => JSON.parse(e.MessageBody!) as Finding);
}

describe('Handler: worker (createWorkerHandler)', () => {
  beforeAll(async () => {
    vi.stubEnv('WARDEN_STAGE', 'dev');
    vi.stubEnv('WARDEN_HOME_ACCOUNT', '111111111111');
    vi.stubEnv(
      'WARDEN_FINDINGS_QUEUE_URL',
      'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-dev-findings',
    );
    const { createWorkerHandler } = await import('../../../lib/fanout/workerHandler.js');
    handler = createWorkerHandler(fakeAutomation) as unknown as Handler;
  });
  afterAll(() => vi.unstubAllEnvs());
  beforeEach(() => {
    sts.reset();
    rds.reset();
    sqs.reset();
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/WardenExecutionRole' }).resolves({
      Credentials: {
        AccessKeyId: 'A',
        SecretAccessKey: 'S',
        SessionToken: 'T',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    sts.on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::333333333333:role/WardenExecutionRole' }).rejects(
      Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
      }),
    );
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: 'arn:aws:rds:eu-west-1:1:db:orders' }],
    });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('runs every unit, and an account whose role cannot be assumed gives a finding while the others complete', async () => {
    // Act
    const out = await handler(
      sqsEvent([
        { id: 'home', body: unit('111111111111') },
        { id: 'member', body: unit('222222222222') },
        { id: 'locked', body: unit('333333333333') },
      ]),
      lambdaContext,
    );
    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 2);
    const findings = published();
    expect(
      findings
        .filter((f) => f.check === 'fake')
        .map((f) => f.account)
        .sort(),
    ).toEqual(['111111111111', '222222222222']);
    expect(findings.find((f) => f.check === 'target-access')).toMatchObject({
      account: '333333333333',
      severity: 'high',
      resourceArn: 'arn:aws:iam::333333333333:role/WardenExecutionRole',
    });
    expect(sts).not.toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::111111111111:role/WardenExecutionRole',
    });
  });

  it('rejects a malformed or foreign unit alone, with a clear error and no AWS call for it', async () => {
    // Act
    const out = await handler(
      sqsEvent([
        { id: 'bad-account', body: unit('12') },
        { id: 'other-automation', body: unit('111111111111', { automation: 'costAnomaly' }) },
        // backupVerify's S3 part belongs to the S3 worker, not to this (first) part's.
        { id: 'other-part', body: unit('111111111111', { part: 's3' }) },
        { id: 'unknown-option', body: unit('111111111111', { options: { deleteAll: true } }) },
        { id: 'not-json', body: 'backupVerify please' },
        { id: 'ok', body: unit('111111111111') },
      ]),
      lambdaContext,
    );
    // Assess
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'bad-account',
      'not-json',
      'other-automation',
      'other-part',
      'unknown-option',
    ]);
    expect(rds).toHaveReceivedCommandTimes(DescribeDBInstancesCommand, 1);
  });

  it('publishes an automation-failed finding when a unit fails on its last receive', async () => {
    // Prepare
    rds.on(DescribeDBInstancesCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalFailure' }));
    // Act
    const first = await handler(
      sqsEvent([{ id: 'u', body: unit('111111111111'), receives: 1 }]),
      lambdaContext,
    );
    const beforeLast = published().length;
    const last = await handler(
      sqsEvent([{ id: 'u', body: unit('111111111111'), receives: 5 }]),
      lambdaContext,
    );
    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'u' }]);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'u' }]);
    expect(beforeLast).toBe(0);
    expect(published()).toEqual([expect.objectContaining({ check: 'automation-failed', severity: 'high' })]);
  });

  it('runs a unit outside the apply share in dry-run and its findings say so; one inside applies', async () => {
    // Prepare: dispatch half of two accounts into apply mode, the other dry by the share.
    const bodies: string[] = [];
    const report = await dispatch(
      {
        targets: [
          { account: '111111111111', region: 'eu-west-1' },
          { account: '222222222222', region: 'eu-west-1' },
        ],
        flags: { enabled: true, dryRun: false, applyPercent: 50, source: 'ssm' },
        // backupVerify's first part only: the fake automation is that part's worker.
        send: async (queue, m) => {
          if (queue === 'backupVerify') bodies.push(...m.map((x) => x.body));
        },
        now: () => new Date('2026-11-26T00:00:00Z'),
        dispatchId: 'd2',
      },
      { automation: 'backupVerify' },
    );
    // Act
    const out = await handler(sqsEvent(bodies.map((body, i) => ({ id: `u${i}`, body }))), lambdaContext);
    // Assess
    expect(report).toMatchObject({
      units: 6,
      appliedUnits: 3,
      applyPercent: 50,
      queues: { backupVerify: 2, 'backupVerify-s3': 2, 'backupVerify-caches': 2 },
    });
    expect(out.batchItemFailures).toEqual([]);
    const findings = published().filter((f) => f.check === 'fake');
    expect(findings).toHaveLength(2);
    const dry = findings.filter((f) => f.dryRun);
    const applied = findings.filter((f) => !f.dryRun);
    expect(dry).toHaveLength(1);
    expect(dry[0]!.detail).toEqual({ dryRunReason: 'outside applyPercent 50' });
    expect(applied).toHaveLength(1);
    expect(applied[0]!.detail).toEqual({});
    expect(applied[0]!.account).not.toBe(dry[0]!.account);
  });

  it('says why in the finding of an unreachable target that runs dry', async () => {
    // Act
    await handler(
      sqsEvent([{ id: 'u', body: unit('333333333333', { dryRunReason: 'deny list' }) }]),
      lambdaContext,
    );
    // Assess
    expect(published()).toEqual([
      expect.objectContaining({
        check: 'target-access',
        dryRun: true,
        detail: expect.objectContaining({ dryRunReason: 'deny list' }),
      }),
    ]);
  });

  it('answers a selfcheck probe with the automation read call in the target', async () => {
    // Act
    const out = await handler({ probe: { account: '222222222222', region: 'us-east-1' } }, lambdaContext);
    // Assess
    expect(out).toEqual({
      automation: 'backupVerify',
      account: '222222222222',
      region: 'us-east-1',
      ok: true,
    });
    expect(rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, { MaxRecords: 20 });
  });
});
