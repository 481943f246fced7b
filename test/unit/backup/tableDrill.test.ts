import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  type ScanCommandInput,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { drillOptionsSchema } from '../../../lib/backup/drill/messages.js';
import { processDrillMessage, runDrillInline } from '../../../lib/backup/drill/runner.js';
import { startScheduledDrills } from '../../../lib/backup/drill/schedule.js';
import { sweepLeftovers, tableLeftovers } from '../../../lib/backup/drill/sweep.js';
import type { TableDrillMessage } from '../../../lib/backup/drill/tableMessages.js';
import { newTableDrill } from '../../../lib/backup/drill/tableReport.js';
import { SCAN_PAGES_PER_STEP } from '../../../lib/backup/drill/tableSteps.js';
import { drillDeps } from '../../../lib/backup/drill/wiring.js';
import { backupCommand } from '../../../lib/cli/backup.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { backupCli } from './cliContext.js';
import { SETTINGS } from './drillFakes.js';
import { ACCOUNT, hoursAgo, NOW, REGION, silentLogger, TARGET } from './fixtures.js';

/**
 * DynamoDB restore drills through the real adapter and client pool, DynamoDB mocked as a small state machine:
 * the restored table is CREATING, then ACTIVE; a Select=COUNT scan pages through its items; DeleteTable makes it
 * DELETING, then gone.
 */
const ddbMock = mockClient(DynamoDBClient);
const TEMP = 'warden-drill-orders-202611261200';
const arnOf = (t: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${t}`;
const err = <E extends Error>(C: new (o: { $metadata: object; message: string }) => E, message = 'x') =>
  new C({ $metadata: {}, message });

interface Table {
  status: string;
  polls: number;
  createdAt: Date;
}

/** `pages`: the items counted per scan page of the restored table; the cursor of each page holds a binary key. */
function fakeDynamo(
  opts: { pages?: number[]; pitr?: boolean; present?: string[]; tables?: Map<string, Table> } = {},
) {
  const tables = opts.tables ?? new Map<string, Table>();
  const pages = opts.pages ?? [400, 400, 195];
  ddbMock.on(DescribeTableCommand).callsFake(({ TableName }: { TableName: string }) => {
    if (TableName === 'orders')
      return { Table: { TableName, TableStatus: 'ACTIVE', TableArn: arnOf(TableName), ItemCount: 1000 } };
    const t = tables.get(TableName);
    if (!t) throw err(ResourceNotFoundException, 'Requested resource not found');
    t.polls++;
    if (t.status === 'CREATING' && t.polls > 1) t.status = 'ACTIVE';
    if (t.status === 'DELETING' && t.polls > 1) {
      tables.delete(TableName);
      throw err(ResourceNotFoundException, 'Requested resource not found');
    }
    return {
      Table: { TableName, TableStatus: t.status, TableArn: arnOf(TableName), CreationDateTime: t.createdAt },
    };
  });
  ddbMock.on(DescribeContinuousBackupsCommand).resolves({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: opts.pitr === false ? 'DISABLED' : 'ENABLED',
        LatestRestorableDateTime: hoursAgo(0.1),
      },
    },
  });
  ddbMock
    .on(RestoreTableToPointInTimeCommand)
    .callsFake(({ TargetTableName }: { TargetTableName: string }) => {
      tables.set(TargetTableName, { status: 'CREATING', polls: 0, createdAt: NOW });
      return {};
    });
  ddbMock.on(TagResourceCommand).resolves({});
  ddbMock.on(ScanCommand).callsFake((input: ScanCommandInput) => {
    const at = input.ExclusiveStartKey
      ? Number(Buffer.from(input.ExclusiveStartKey.id?.B ?? []).toString())
      : 0;
    const next = at + 1;
    return {
      Count: pages[at] ?? 0,
      ...(next < pages.length
        ? { LastEvaluatedKey: { id: { B: Buffer.from(String(next)) }, n: { N: '7' } } }
        : {}),
    };
  });
  ddbMock.on(GetItemCommand).callsFake((input: GetItemCommandInput) => {
    const pk = input.Key?.pk?.S ?? '';
    return (opts.present ?? ['customer#1']).includes(pk) ? { Item: input.Key } : {};
  });
  ddbMock.on(DeleteTableCommand).callsFake(({ TableName }: { TableName: string }) => {
    const t = tables.get(TableName);
    if (!t) throw err(ResourceNotFoundException);
    t.status = 'DELETING';
    t.polls = 0;
    return {};
  });
  return tables;
}

function harness() {
  let t = NOW.getTime();
  const published: Finding[] = [];
  const metrics = memorySink();
  const pool = new ClientPool({ homeAccount: ACCOUNT, homeRegion: REGION, roleName: 'R', maxAttempts: 1 });
  const rt = {
    pool,
    sqs: undefined as never,
    publish: async (f: readonly Finding[]) => {
      published.push(...f);
    },
    metrics,
    logger: silentLogger,
    now: () => new Date(t),
    validate: async () => ({ connectError: 'not a database' }),
  };
  const deps = drillDeps(rt, 'inline');
  return {
    deps,
    published,
    metrics,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

const validation = { itemCountTolerancePercent: 5, keys: [{ pk: 'customer#1', sk: 7 }] };
const first = (dryRun = false, over: Partial<TableDrillMessage['validation']> = {}) =>
  newTableDrill({
    target: TARGET,
    table: 'orders',
    settings: SETTINGS,
    validation: { ...validation, ...over },
    now: NOW,
    dryRun,
  });

beforeEach(() => {
  ddbMock.reset();
});

describe('Function: runDrillInline (DynamoDB)', () => {
  it('restores the table to its latest restorable time, validates count and keys, measures the RTO and deletes it', async () => {
    // Prepare
    const tables = fakeDynamo();
    const h = harness();
    // Act
    const summary = await runDrillInline(h.deps, first(), h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true, rtoSeconds: 600, dbId: 'orders' });
    expect(ddbMock).toHaveReceivedCommandWith(RestoreTableToPointInTimeCommand, {
      SourceTableName: 'orders',
      TargetTableName: TEMP,
      UseLatestRestorableTime: true,
      BillingModeOverride: 'PAY_PER_REQUEST',
    });
    expect(ddbMock).toHaveReceivedCommandWith(TagResourceCommand, {
      ResourceArn: arnOf(TEMP),
      Tags: expect.arrayContaining([
        { Key: 'warden:managed', Value: 'true' },
        { Key: 'warden:drill', Value: 'orders-202611261200' },
      ]),
    });
    expect(
      ddbMock.commandCalls(ScanCommand).map((c) => [c.args[0].input.TableName, c.args[0].input.Select]),
    ).toEqual([
      [TEMP, 'COUNT'],
      [TEMP, 'COUNT'],
      [TEMP, 'COUNT'],
    ]);
    expect(ddbMock).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: TEMP,
      Key: { pk: { S: 'customer#1' }, sk: { N: '7' } },
      ConsistentRead: true,
    });
    expect(ddbMock.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([TEMP]);
    expect(tables.size).toBe(0);
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({
      check: 'restore-drill',
      severity: 'info',
      resourceArn: arnOf('orders'),
      detail: {
        sourceItemCount: 1000,
        restoredItemCount: 995,
        checks: [
          'pass itemCount: 995 items, source ~1000 (within 5 %)',
          'pass key pk=customer#1,sk=7: present',
        ],
      },
      action: { result: 'succeeded', detail: { temporaryTable: TEMP, deleted: true } },
    });
    expect(h.metrics.recorded.map((m) => [m.name, m.value])).toEqual([
      ['RestoreDrillRtoSeconds', 600],
      ['RestoreDrillPassed', 1],
    ]);
  });

  it('fails on a count outside the tolerance and a missing key, and still deletes the table', async () => {
    // Prepare
    const tables = fakeDynamo({ pages: [500, 300], present: [] });
    const h = harness();
    // Act
    const summary = await runDrillInline(h.deps, first(), h.sleep);
    // Assess
    expect(summary.passed).toBe(false);
    expect(summary.reason).toContain('800 items, source ~1000: off by 200, over the 5 % tolerance (50)');
    expect(summary.reason).toContain('key pk=customer#1,sk=7: missing');
    expect(tables.size).toBe(0);
    expect(h.published[0]).toMatchObject({ severity: 'high', action: { result: 'failed' } });
  });

  it('fails without restoring when point-in-time recovery is off, and dry-run only reads', async () => {
    // Prepare
    fakeDynamo({ pitr: false });
    const h = harness();
    // Act
    const off = await runDrillInline(h.deps, first(), h.sleep);
    fakeDynamo();
    const dry = await runDrillInline(h.deps, first(true), h.sleep);
    // Assess
    expect(off.reason).toBe('point-in-time recovery is not enabled on orders');
    expect(dry).toMatchObject({ dryRun: true, passed: false });
    expect(dry.reason).toMatch(
      new RegExp(`^dry-run: would restore orders \\(latest restorable time .*\\) into ${TEMP}$`),
    );
    expect(ddbMock.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([TEMP]);
  });

  it('retries a throttled restore with backoff and a delete refused while the table is busy', async () => {
    // Prepare
    const tables = fakeDynamo();
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
      name: 'ThrottlingException',
    });
    ddbMock
      .on(RestoreTableToPointInTimeCommand)
      .rejectsOnce(throttled)
      .callsFake(({ TargetTableName }) => {
        tables.set(TargetTableName, { status: 'CREATING', polls: 0, createdAt: NOW });
        return {};
      });
    const busy = ddbMock.on(DeleteTableCommand);
    busy.rejectsOnce(err(ResourceInUseException, 'table is being updated')).callsFake(({ TableName }) => {
      const t = tables.get(TableName);
      if (t) Object.assign(t, { status: 'DELETING', polls: 0 });
      return {};
    });
    const h = harness();
    // Act
    const summary = await runDrillInline(h.deps, first(), h.sleep);
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true });
    expect(ddbMock.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(2);
    expect(ddbMock.commandCalls(DeleteTableCommand)).toHaveLength(2);
    expect(tables.size).toBe(0);
  });
});

describe('Function: processDrillMessage (DynamoDB)', () => {
  it('hands a long count on to the next step with its cursor (binary keys included), and resumes it', async () => {
    // Prepare: more pages than one step reads
    const pages = Array.from({ length: SCAN_PAGES_PER_STEP + 5 }, () => 20);
    const tables = fakeDynamo({ pages });
    tables.set(TEMP, { status: 'ACTIVE', polls: 0, createdAt: NOW });
    const h = harness();
    const queue: { message: unknown; delaySeconds: number }[] = [];
    const deps = {
      ...h.deps,
      enqueue: async (message: unknown, delaySeconds: number) => void queue.push({ message, delaySeconds }),
    };
    const atValidate = { ...first(), step: 'validate' as const, sourceItemCount: 900 };
    // Act
    await processDrillMessage(deps, atValidate);
    const handed = JSON.parse(JSON.stringify(queue.shift()?.message)) as TableDrillMessage;
    await processDrillMessage(deps, handed);
    // Assess
    expect(handed.step).toBe('validate');
    expect(handed.scan).toEqual({ count: SCAN_PAGES_PER_STEP * 20, cursor: expect.any(String) });
    expect(queue[0]?.message).toMatchObject({
      step: 'delete',
      scan: { count: 900 },
      validatedAt: NOW.toISOString(),
      outcomes: [
        expect.objectContaining({ check: 'itemCount', passed: true }),
        expect.objectContaining({ check: 'key pk=customer#1,sk=7', passed: true }),
      ],
    });
    expect(ddbMock.commandCalls(ScanCommand)).toHaveLength(pages.length);
  });

  it('goes to deleting the restored table when a step keeps failing, instead of the DLQ', async () => {
    // Prepare: the restore went through, then every DescribeTable of the restored table fails
    const tables = fakeDynamo();
    tables.set(TEMP, { status: 'CREATING', polls: 0, createdAt: NOW });
    ddbMock
      .on(DescribeTableCommand, { TableName: TEMP })
      .rejects(Object.assign(new Error('We encountered an internal error'), { name: 'InternalServerError' }));
    const h = harness();
    const queue: { message: unknown; delaySeconds: number }[] = [];
    const deps = {
      ...h.deps,
      enqueue: async (message: unknown, delaySeconds: number) => {
        queue.push({ message, delaySeconds });
      },
    };
    const waiting = { ...first(), step: 'waitAvailable' as const, sourceItemCount: 1000 };
    // Act
    const early = processDrillMessage(deps, waiting, 1);
    await expect(early).rejects.toThrow('internal error');
    await processDrillMessage(deps, waiting, 4);
    const next = queue[0]?.message as TableDrillMessage;
    await processDrillMessage(deps, next);
    // Assess
    expect(next).toMatchObject({
      step: 'delete',
      failure: 'waitAvailable kept failing: InternalServerError: We encountered an internal error',
    });
    expect(ddbMock.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([TEMP]);
  });

  it('refuses a message whose temporary table lacks the drill prefix, naming the field', async () => {
    // Prepare
    const h = harness();
    // Act
    const run = processDrillMessage(h.deps, { ...first(), step: 'delete', tempTable: 'orders' });
    // Assess
    await expect(run).rejects.toThrow(/tempTable/);
    expect(ddbMock.commandCalls(DeleteTableCommand)).toHaveLength(0);
  });
});

describe('Function: sweepLeftovers (DynamoDB)', () => {
  it('deletes warden-drill-* tables older than a drill can run, never another table or a young one', async () => {
    // Prepare
    const tables = new Map<string, Table>([
      ['warden-drill-orders-202611010300', { status: 'ACTIVE', polls: 0, createdAt: hoursAgo(600) }],
      ['warden-drill-orders-202611261100', { status: 'CREATING', polls: 0, createdAt: hoursAgo(1) }],
      ['orders-archive', { status: 'ACTIVE', polls: 0, createdAt: hoursAgo(600) }],
    ]);
    fakeDynamo({ tables });
    ddbMock.on(ListTablesCommand).resolves({ TableNames: [...tables.keys()] });
    ddbMock
      .on(ListTagsOfResourceCommand)
      .resolves({ Tags: [{ Key: 'warden:drill', Value: 'orders-202611010300' }] });
    const h = harness();
    const options = v.parse(drillOptionsSchema, { ...SETTINGS, databases: {}, tables: { orders: {} } });
    // Act
    const findings = await sweepLeftovers(
      { finders: [tableLeftovers(h.deps.dynamoFor)], now: () => NOW, logger: silentLogger, dryRun: false },
      options,
      TARGET,
    );
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'drill-cleanup',
      resourceArn: arnOf('warden-drill-orders-202611010300'),
      action: { type: 'drill-sweep', result: 'succeeded', detail: { drillId: 'orders-202611010300' } },
    });
    expect(ddbMock.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([
      'warden-drill-orders-202611010300',
    ]);
  });
});

describe('Function: startScheduledDrills (tables)', () => {
  it('sweeps first, then starts one drill per database and per table', async () => {
    // Prepare
    const events: string[] = [];
    const options = {
      ...SETTINGS,
      databases: { db1: { database: 'app', checks: [{ kind: 'rowCount', table: 't', min: 1 }] } },
      tables: { orders: { keys: [{ pk: 'a' }] } },
    };
    // Act
    const ids = await startScheduledDrills(
      {
        enqueue: async (m) => void events.push(`enqueue ${m.service ?? 'rds'} ${m.step}`),
        now: () => NOW,
        logger: silentLogger,
        home: TARGET,
        dryRun: true,
        loadOptions: async () => options,
        sweep: async () => void events.push('sweep'),
      },
      { start: 'all' },
    );
    // Assess
    expect(ids).toEqual(['db1-202611261200', 'orders-202611261200']);
    expect(events).toEqual(['sweep', 'enqueue rds restore', 'enqueue dynamodb restore']);
  });

  it('names the field of a bad table config', () => {
    // Assess
    expect(() =>
      v.parse(drillOptionsSchema, {
        ...SETTINGS,
        databases: {},
        tables: { orders: { keys: [{ a: 1, b: 2, c: 3 }] } },
      }),
    ).toThrow(/a partition key and at most a sort key/);
  });
});

describe('Function: backupCommand.run drill (a table of the config)', () => {
  it('drills a DynamoDB table named in --config: a dry-run reads and says what it would restore', async () => {
    // Prepare
    fakeDynamo();
    const dir = mkdtempSync(join(tmpdir(), 'warden-table-drill-'));
    const file = join(dir, 'drill.json');
    writeFileSync(file, JSON.stringify({ ...SETTINGS, databases: {}, tables: { orders: validation } }));
    const { ctx, out } = backupCli();
    // Act
    const code = await backupCommand.run(['drill', 'orders', '--config', file], ctx);
    const unknown = backupCommand.run(['drill', 'nope', '--config', file], ctx);
    // Assess
    expect(code).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^DRY-RUN orders: dry-run: would restore orders .* into ${TEMP}$`));
    await expect(unknown).rejects.toThrow(/one of the databases or tables in .*: orders/);
    expect(ddbMock.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    rmSync(dir, { recursive: true });
  });
});
