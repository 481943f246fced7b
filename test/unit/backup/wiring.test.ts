import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ParameterNotFound } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { drillsQueueUrl } from '../../../lib/backup/drill/schedule.js';
import { drillEntry, handleDrillBatch, queueUrlFromArn } from '../../../lib/backup/drill/wiring.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { firstMessage } from './drillFakes.js';
import { ACCOUNT, hoursAgo, NOW, REGION, silentLogger, snapshot } from './fixtures.js';

const rdsMock = mockClient(RDSClient);
const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBClient);
const stsMock = mockClient(STSClient);
/** These batches never reach the validate step. */
const noValidation = async (): Promise<never> => {
  throw new Error('validation not expected here');
};
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:warden-dev-drills`;

const record = (id: string, body: string, receives = '1'): SQSRecord =>
  ({
    messageId: id,
    body,
    eventSourceARN: QUEUE_ARN,
    attributes: { ApproximateReceiveCount: receives },
  }) as unknown as SQSRecord;

describe('Function: handleDrillBatch', () => {
  beforeEach(() => {
    rdsMock.reset();
    sqsMock.reset();
  });

  it('runs each record and reports only the failed ones back to SQS', async () => {
    // Prepare
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [snapshot('orders', 's1', 3)] });
    rdsMock.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const published: Finding[] = [];
    const runtime = {
      pool: new ClientPool({
        homeAccount: ACCOUNT,
        homeRegion: REGION,
        roleName: 'WardenExecutionRole',
        maxAttempts: 1,
      }),
      sqs: new SQSClient({ region: REGION }),
      publish: async (f: readonly Finding[]) => void published.push(...f),
      metrics: memorySink(),
      logger: silentLogger,
      now: () => NOW,
      validate: noValidation,
    };
    const good = firstMessage([{ kind: 'rowCount', table: 'orders', min: 1 }]);
    const event: SQSEvent = { Records: [record('m1', JSON.stringify(good)), record('m2', '{not json')] };
    // Act
    const response = await handleDrillBatch(runtime, event, {} as Context);
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(rdsMock).toHaveReceivedCommandWith(RestoreDBInstanceFromDBSnapshotCommand, {
      DBInstanceIdentifier: good.tempId,
      PubliclyAccessible: false,
    });
    const entry = sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input;
    expect(entry?.QueueUrl).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/warden-dev-drills`);
    expect(entry?.Entries?.[0]).toMatchObject({
      DelaySeconds: 300,
      MessageAttributes: { correlationId: { DataType: 'String', StringValue: good.drillId } },
    });
    const sent = JSON.parse(entry?.Entries?.[0]?.MessageBody ?? '{}');
    expect(sent).toMatchObject({ step: 'waitAvailable', snapshotId: 's1' });
  });
});

describe('Function: drillEntry', () => {
  let published: Finding[] = [];
  beforeEach(() => {
    sqsMock.reset();
    rdsMock.reset();
    ddbMock.reset();
    stsMock.reset();
    published = [];
    // The sweep before the drills: nothing left behind, unless a test says so.
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    ddbMock.on(ListTablesCommand).resolves({ TableNames: [] });
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: hoursAgo(-1) },
    });
  });

  const runtime = (flags: { enabled: boolean; dryRun: boolean }, options: unknown) => ({
    pool: new ClientPool({
      homeAccount: ACCOUNT,
      homeRegion: REGION,
      roleName: 'WardenExecutionRole',
      maxAttempts: 1,
    }),
    sqs: new SQSClient({ region: REGION }),
    publish: async (f: readonly Finding[]) => {
      published.push(...f);
    },
    metrics: memorySink(),
    logger: silentLogger,
    now: () => NOW,
    validate: noValidation,
    stage: 'dev',
    region: REGION,
    homeAccount: async () => ACCOUNT,
    flags: async () => flags,
    loadOptions: async () => options,
  });
  const options = {
    subnetGroup: 'warden-drills',
    securityGroupIds: ['sg-0123456789abcdef0'],
    databases: {
      orders: { database: 'orders', checks: [{ kind: 'rowCount', table: 'orders', min: 1 }] },
      billing: {
        database: 'billing',
        account: '444455556666',
        checks: [{ kind: 'rowCount', table: 'invoices', min: 1 }],
      },
    },
  };

  it('starts one drill per configured database on the schedule, in its target', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // Act
    const out = await drillEntry(runtime({ enabled: true, dryRun: false }, options))(
      { start: 'all' },
      {} as Context,
    );
    // Assess
    expect(out).toEqual({ drills: ['orders-202611261200', 'billing-202611261200'] });
    const bodies = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .map((c) => JSON.parse(c.args[0].input.Entries?.[0]?.MessageBody ?? '{}'));
    expect(bodies.map((b) => [b.step, b.target.account, b.dryRun])).toEqual([
      ['restore', ACCOUNT, false],
      ['restore', '444455556666', false],
    ]);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.QueueUrl).toBe(
      drillsQueueUrl(REGION, ACCOUNT, 'dev'),
    );
  });

  it('starts only the named databases that have a drill config, in dry-run when the flag says so', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // Act
    const out = await drillEntry(runtime({ enabled: true, dryRun: true }, options))(
      { start: ['orders', 'ghost'] },
      {} as Context,
    );
    // Assess
    expect(out).toEqual({ drills: ['orders-202611261200'] });
    const body = JSON.parse(
      sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}',
    );
    expect(body.dryRun).toBe(true);
  });

  it('starts nothing when the restoreDrill flag is off', async () => {
    // Act
    const out = await drillEntry(runtime({ enabled: false, dryRun: true }, options))(
      { start: 'all' },
      {} as Context,
    );
    // Assess
    expect(out).toEqual({ drills: [] });
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('sweeps what crashed drills left behind before it starts new ones', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'wd-orders-202610010300',
          DBInstanceStatus: 'available',
          InstanceCreateTime: hoursAgo(24 * 56),
          TagList: [{ Key: 'warden:drill', Value: 'orders-202610010300' }],
        },
      ],
    });
    rdsMock.on(DeleteDBInstanceCommand).resolves({});
    // Act
    const out = await drillEntry(runtime({ enabled: true, dryRun: false }, options))(
      { start: ['orders'] },
      {} as Context,
    );
    // Assess
    expect(out).toEqual({ drills: ['orders-202611261200'] });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: 'wd-orders-202610010300',
    });
    // Both accounts of the options are swept (the mocked RDS answers the same in each).
    expect(published.map((f) => [f.account, f.check, f.action?.result])).toEqual([
      [ACCOUNT, 'drill-cleanup', 'succeeded'],
      ['444455556666', 'drill-cleanup', 'succeeded'],
    ]);
  });

  it("answers selfcheck's probe with the places it could read, creating nothing", async () => {
    // Prepare
    ddbMock
      .on(DescribeTableCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    // Act
    const run = drillEntry(runtime({ enabled: false, dryRun: true }, options))(
      { probe: 'restoreDrill' },
      {} as Context,
    );
    // Assess
    await expect(run).rejects.toThrow(
      `restoreDrill cannot read where drills restore: ${ACCOUNT}/${REGION}: AccessDenied: denied`,
    );
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(rdsMock).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
  });

  it('probes nothing on a stage without drill options', async () => {
    // Prepare
    const rt = runtime({ enabled: true, dryRun: true }, options);
    rt.loadOptions = async () => {
      throw new Error('Parameter not found', {
        cause: new ParameterNotFound({ $metadata: {}, message: 'Parameter not found' }),
      });
    };
    // Act
    const out = await drillEntry(rt)({ probe: 'restoreDrill' }, {} as Context);
    // Assess
    expect(out).toEqual({ places: [] });
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('names the bad field of an invalid drill options parameter', async () => {
    await expect(
      drillEntry(runtime({ enabled: true, dryRun: true }, { databases: {} }))(
        { start: 'all' },
        {} as Context,
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'subnetGroup',
    });
  });
});

describe('Function: queueUrlFromArn', () => {
  it('rejects something that is not a queue ARN', () => {
    expect(() => queueUrlFromArn('nope')).toThrow('not an SQS queue ARN');
  });
});
