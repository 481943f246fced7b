import {
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DescribeDBInstancesCommandInput,
  DescribeDBSnapshotsCommand,
  type DescribeDBSnapshotsCommandInput,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RestoreDBInstanceFromDBSnapshotCommandInput,
} from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import mysql from 'mysql2/promise';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { drillOptionsSchema } from '../../../lib/backup/drill/messages.js';
import { runDrillInline } from '../../../lib/backup/drill/runner.js';
import { secretLogin } from '../../../lib/backup/drill/secretLogin.js';
import { rdsLeftovers, sweepLeftovers } from '../../../lib/backup/drill/sweep.js';
import { localValidator } from '../../../lib/backup/drill/validator.js';
import { drillDeps } from '../../../lib/backup/drill/wiring.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { connectAny } from '../../../lib/secrets/drivers.js';
import { DR_SETTINGS, firstMessage } from '../../unit/backup/drillFakes.js';
import {
  ACCOUNT,
  DR_REGION,
  hoursAgo,
  NOW,
  REGION,
  silentLogger,
  snapshot,
} from '../../unit/backup/fixtures.js';
import { authPgAdmin, authPgUrl, suffix } from '../secrets/databases.js';
import { captureLogger } from '../secrets/support.js';

/**
 * A DR drill through the real RDS adapter and client pool: RDS is mocked per region (the client's own region
 * decides what it sees), the restored instance in the DR region is the PostgreSQL that checks passwords and
 * requires TLS, and the login is a role whose password the test planted.
 */
const rdsMock = mockClient(RDSClient);
const smMock = mockClient(SecretsManagerClient);
const url = authPgUrl();
const TABLE = `warden_dr_drill_${suffix()}`;
const USER = `wdrdrill_${suffix()}`;
const PLANTED = `Dr-drill-planted-${suffix()}-pw`;
const DR_COPY = 'warden-dr-orders-202611260300';

interface Instance {
  region: string;
  status: 'creating' | 'available' | 'deleting';
  polls: number;
  input?: RestoreDBInstanceFromDBSnapshotCommandInput;
  tags?: { Key: string; Value: string }[];
  createdAt?: Date;
}

/** RDS in two regions: home holds the newest snapshot, the DR region the copy; restores land where they are asked. */
function fakeRegions(
  instances: Map<string, Instance>,
  restoreFailures: string[] = [],
  restoredIn: string[] = [],
  restored = { engine: 'postgres', host: url.hostname, port: Number(url.port) },
) {
  const regionOf = async (getClient: () => RDSClient) => await getClient().config.region();
  rdsMock
    .on(DescribeDBSnapshotsCommand)
    .callsFake(async (input: DescribeDBSnapshotsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      expect(input.DBInstanceIdentifier).toBe('orders');
      return {
        DBSnapshots:
          region === DR_REGION
            ? [
                snapshot('orders', DR_COPY, 9, { SnapshotType: 'manual' }, DR_REGION),
                snapshot(
                  'orders',
                  'warden-dr-orders-202611250300',
                  33,
                  { SnapshotType: 'manual' },
                  DR_REGION,
                ),
              ]
            : [snapshot('orders', 'rds:orders-2026-11-26-11-00', 1)],
      };
    });
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  rdsMock
    .on(RestoreDBInstanceFromDBSnapshotCommand)
    .callsFake(async (input: RestoreDBInstanceFromDBSnapshotCommandInput, getClient) => {
      const failure = restoreFailures.shift();
      if (failure) throw Object.assign(new Error(`${failure} (test)`), { name: failure });
      const id = input.DBInstanceIdentifier as string;
      const region = await regionOf(getClient);
      restoredIn.push(region);
      instances.set(id, { region, status: 'creating', polls: 0, input });
      return {};
    });
  rdsMock
    .on(DeleteDBInstanceCommand)
    .callsFake(async (input: { DBInstanceIdentifier: string }, getClient) => {
      const i = instances.get(input.DBInstanceIdentifier);
      if (!i || i.region !== (await regionOf(getClient)))
        throw new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' });
      i.status = 'deleting';
      return {};
    });
  rdsMock
    .on(DescribeDBInstancesCommand)
    .callsFake(async (input: DescribeDBInstancesCommandInput, getClient) => {
      const region = await regionOf(getClient);
      if (!input.DBInstanceIdentifier) {
        return {
          DBInstances: [...instances]
            .filter(([, i]) => i.region === region)
            .map(([id, i]) => ({
              DBInstanceIdentifier: id,
              DBInstanceArn: `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`,
              DBInstanceStatus: i.status,
              TagList: i.tags ?? i.input?.Tags,
              InstanceCreateTime: i.createdAt ?? NOW,
            })),
        };
      }
      const i = instances.get(input.DBInstanceIdentifier);
      if (!i || i.region !== region)
        throw new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' });
      i.polls++;
      if (i.status === 'deleting' && i.polls > 1) {
        instances.delete(input.DBInstanceIdentifier);
        throw new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' });
      }
      if (i.status === 'creating' && i.polls > 1) i.status = 'available';
      return {
        DBInstances: [
          {
            DBInstanceIdentifier: input.DBInstanceIdentifier,
            DBInstanceStatus: i.status,
            Engine: restored.engine,
            Endpoint: { Address: restored.host, Port: restored.port },
          },
        ],
      };
    });
}

const pool = () =>
  new ClientPool({
    homeAccount: ACCOUNT,
    homeRegion: REGION,
    roleName: 'WardenExecutionRole',
    maxAttempts: 1,
  });

function harness(logger = captureLogger()) {
  let t = NOW.getTime();
  const published: Finding[] = [];
  const metrics = memorySink();
  const p = pool();
  const runtime = {
    pool: p,
    sqs: undefined as never,
    publish: async (f: readonly Finding[]) => {
      published.push(...f);
    },
    metrics,
    logger,
    now: () => new Date(t),
    // Either driver, by the restored engine, as `warden backup drill` validates.
    validate: localValidator(secretLogin(p, connectAny), logger),
  };
  const deps = drillDeps(runtime, 'inline');
  const sleep = async (ms: number) => {
    t += ms;
  };
  return { deps, published, metrics, sleep, logger };
}

function drMessage(min = 1) {
  const msg = firstMessage([{ kind: 'rowCount', table: TABLE, min }], false, NOW, 'dr');
  msg.validation.database = url.pathname.slice(1);
  return msg;
}

beforeAll(async () => {
  const c = await authPgAdmin();
  await c.query(`CREATE TABLE ${TABLE} (id serial PRIMARY KEY)`);
  await c.query(`INSERT INTO ${TABLE} SELECT FROM generate_series(1, 20)`);
  await c.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${PLANTED}'`);
  await c.query(`GRANT SELECT ON ${TABLE} TO ${USER}`);
  await c.end();
});

afterAll(async () => {
  const c = await authPgAdmin();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`DROP ROLE IF EXISTS ${USER}`);
  await c.end();
});

beforeEach(() => {
  rdsMock.reset();
  smMock.reset();
  smMock
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ username: USER, password: PLANTED }) });
});

describe('Function: runDrillInline (from the DR copy)', () => {
  it('restores the newest DR copy in the DR region, validates it, measures the RTO and deletes it there', async () => {
    // Prepare
    const instances = new Map<string, Instance>();
    const restoredIn: string[] = [];
    fakeRegions(instances, [], restoredIn);
    const h = harness();
    const msg = drMessage(20);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(summary).toMatchObject({
      passed: true,
      cleanedUp: true,
      rtoSeconds: 600,
      rtoTargetSeconds: 14_400,
    });
    expect(summary.reason).toContain(`restored ${DR_COPY} in the DR region ${DR_REGION}`);
    const restores = rdsMock.commandCalls(RestoreDBInstanceFromDBSnapshotCommand);
    expect(restoredIn).toEqual([DR_REGION]);
    expect(restores).toHaveLength(1);
    expect(restores[0]?.args[0].input).toMatchObject({
      DBSnapshotIdentifier: DR_COPY,
      DBInstanceIdentifier: msg.tempId,
      DBSubnetGroupName: 'warden-drills-dr',
      VpcSecurityGroupIds: ['sg-0fedcba9876543210'],
      Tags: expect.arrayContaining([{ Key: 'warden:drill', Value: msg.drillId }]),
    });
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: msg.tempId,
      SkipFinalSnapshot: true,
    });
    expect(instances.size).toBe(0);
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({
      check: 'restore-drill',
      severity: 'info',
      detail: {
        from: `DR copy in ${DR_REGION}`,
        snapshot: DR_COPY,
        checks: [`pass rowCount ${TABLE}: 20 rows >= 20`],
      },
      action: {
        result: 'succeeded',
        detail: { region: DR_REGION, subnetGroup: 'warden-drills-dr', deleted: true },
      },
    });
    expect(JSON.stringify({ summary, published: h.published, lines: h.logger.lines })).not.toContain(PLANTED);
  });

  it('retries a throttled restore with backoff, and deletes the DR instance when validation fails', async () => {
    // Prepare: two throttles, then the restore goes through; the floor is above the 20 rows
    const instances = new Map<string, Instance>();
    fakeRegions(instances, ['ThrottlingException', 'ThrottlingException']);
    const h = harness();
    const msg = drMessage(1000);
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    // Assess
    expect(rdsMock.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(3);
    expect(summary.passed).toBe(false);
    expect(summary.reason).toContain('20 rows, below the floor of 1000');
    expect(rdsMock).toHaveReceivedCommandWith(DeleteDBInstanceCommand, { DBInstanceIdentifier: msg.tempId });
    expect(instances.size).toBe(0);
    expect(h.published[0]).toMatchObject({ severity: 'high', action: { result: 'failed' } });
  });

  it('fails a DR drill when the DR region holds no copy, and restores nothing', async () => {
    // Prepare
    fakeRegions(new Map());
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
    const h = harness();
    // Act
    const summary = await runDrillInline(h.deps, drMessage(), h.sleep);
    // Assess
    expect(summary.passed).toBe(false);
    expect(summary.reason).toContain(`no available DR copy of orders in ${DR_REGION} to restore`);
    expect(rdsMock.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1); // cleanup still runs, finds nothing
  });
});

describe('Function: runDrillInline (from the DR copy, MariaDB)', () => {
  const my = new URL(process.env.TEST_MYSQL_URL as string);
  const MY_TABLE = `warden_dr_drill_${suffix()}`;
  const MY_USER = `wdr${suffix()}`;
  const MY_PW = `Dr-maria-${suffix()}-pw`;
  const admin = () => mysql.createConnection(my.href);
  beforeAll(async () => {
    const c = await admin();
    await c.query(`CREATE TABLE ${MY_TABLE} (id int PRIMARY KEY)`);
    await c.query(`INSERT INTO ${MY_TABLE} VALUES (1), (2), (3)`);
    await c.query(`CREATE USER '${MY_USER}'@'%' IDENTIFIED BY '${MY_PW}'`);
    await c.query(`GRANT SELECT ON \`${my.pathname.slice(1)}\`.${MY_TABLE} TO '${MY_USER}'@'%'`);
    await c.end();
  });
  afterAll(async () => {
    const c = await admin();
    await c.query(`DROP TABLE IF EXISTS ${MY_TABLE}`);
    await c.query(`DROP USER IF EXISTS '${MY_USER}'@'%'`);
    await c.end();
  });

  it('logs in to the restored MariaDB in the DR region with the secret, validates and deletes it there', async () => {
    // Prepare
    const instances = new Map<string, Instance>();
    const restoredIn: string[] = [];
    fakeRegions(instances, [], restoredIn, {
      engine: 'mariadb',
      host: my.hostname,
      port: Number(my.port || 3306),
    });
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: MY_USER, password: MY_PW }) });
    const h = harness();
    const msg = firstMessage([{ kind: 'rowCount', table: MY_TABLE, min: 3 }], false, NOW, 'dr');
    msg.validation.database = my.pathname.slice(1);
    msg.validation.tls = 'prefer';
    // Act
    const summary = await runDrillInline(h.deps, msg, h.sleep);
    const wrong = await (async () => {
      smMock.reset();
      smMock
        .on(GetSecretValueCommand)
        .resolves({ SecretString: JSON.stringify({ username: MY_USER, password: 'nope' }) });
      fakeRegions(instances, [], restoredIn, {
        engine: 'mariadb',
        host: my.hostname,
        port: Number(my.port || 3306),
      });
      return runDrillInline(harness().deps, msg, h.sleep);
    })();
    // Assess
    expect(summary).toMatchObject({ passed: true, cleanedUp: true });
    expect(h.published[0]?.detail.checks).toEqual([`pass rowCount ${MY_TABLE}: 3 rows >= 3`]);
    expect(restoredIn).toEqual([DR_REGION, DR_REGION]);
    expect(wrong.passed).toBe(false);
    expect(wrong.reason).toContain('cannot connect to the restored database');
    expect(instances.size).toBe(0);
    expect(JSON.stringify({ summary, wrong, published: h.published, lines: h.logger.lines })).not.toContain(
      MY_PW,
    );
  });
});

describe('Function: sweepLeftovers', () => {
  const options = v.parse(drillOptionsSchema, {
    ...DR_SETTINGS,
    databases: {
      orders: { database: 'app', checks: [{ kind: 'rowCount', table: 't', min: 1 }], from: 'dr' },
    },
  });
  const tag = (drillId: string) => [{ Key: 'warden:drill', Value: drillId }];
  const seed = () => {
    const instances = new Map<string, Instance>([
      // a crashed DR drill's instance, two days old
      [
        'wd-orders-202611240300',
        {
          region: DR_REGION,
          status: 'available',
          polls: 0,
          tags: tag('orders-202611240300'),
          createdAt: hoursAgo(48),
        },
      ],
      // a drill running now: young
      [
        'wd-orders-202611261100',
        {
          region: DR_REGION,
          status: 'creating',
          polls: 0,
          tags: tag('orders-202611261100'),
          createdAt: hoursAgo(1),
        },
      ],
      // old, but not a drill's: no tag, or not the wd- prefix
      [
        'wd-handmade',
        { region: DR_REGION, status: 'available', polls: 0, tags: [], createdAt: hoursAgo(48) },
      ],
      ['orders', { region: REGION, status: 'available', polls: 0, tags: tag('x'), createdAt: hoursAgo(48) }],
      // a crashed home-region drill's instance
      [
        'wd-orders-202611010300',
        {
          region: REGION,
          status: 'available',
          polls: 0,
          tags: tag('orders-202611010300'),
          createdAt: hoursAgo(600),
        },
      ],
    ]);
    fakeRegions(instances);
    return instances;
  };

  it('deletes the leftovers of crashed drills in the home and the DR region, and nothing else', async () => {
    // Prepare
    const instances = seed();
    const h = harness();
    // Act
    const findings = await sweepLeftovers(
      { finders: [rdsLeftovers(h.deps.rdsFor)], now: () => NOW, logger: silentLogger, dryRun: false },
      options,
      { account: ACCOUNT, region: REGION },
    );
    // Assess
    expect(findings.map((f) => [f.region, f.title])).toEqual([
      [
        REGION,
        expect.stringMatching(/^wd-orders-202611010300: leftover of drill orders-202611010300 .*: deleted$/),
      ],
      [
        DR_REGION,
        expect.stringMatching(/^wd-orders-202611240300: leftover of drill orders-202611240300 .*: deleted$/),
      ],
    ]);
    expect(findings.every((f) => f.check === 'drill-cleanup' && f.action?.result === 'succeeded')).toBe(true);
    expect(
      rdsMock.commandCalls(DeleteDBInstanceCommand).map((c) => c.args[0].input.DBInstanceIdentifier),
    ).toEqual(['wd-orders-202611010300', 'wd-orders-202611240300']);
    expect(instances.get('wd-orders-202611240300')?.status).toBe('deleting');
    expect(instances.get('wd-orders-202611261100')?.status).toBe('creating');
    expect(rdsMock.commandCalls(DeleteDBClusterCommand)).toHaveLength(0);
  });

  it('only plans in dry-run, and reports a listing that failed', async () => {
    // Prepare
    seed();
    rdsMock.on(DescribeDBClustersCommand).callsFake(async (_input, getClient) => {
      if ((await getClient().config.region()) === REGION)
        throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      return { DBClusters: [] };
    });
    const h = harness();
    // Act
    const findings = await sweepLeftovers(
      { finders: [rdsLeftovers(h.deps.rdsFor)], now: () => NOW, logger: silentLogger, dryRun: true },
      options,
      { account: ACCOUNT, region: REGION },
    );
    // Assess
    expect(findings.map((f) => [f.region, f.check, f.action?.result ?? f.severity])).toEqual([
      [REGION, 'drill-sweep', 'high'],
      [DR_REGION, 'drill-cleanup', 'planned'],
    ]);
    expect(findings[0]?.title).toContain('AccessDenied: denied');
    expect(rdsMock.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);
  });
});
