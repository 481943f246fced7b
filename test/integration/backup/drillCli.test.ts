import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DBInstanceNotFoundFault,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  type DescribeDBInstancesCommandInput,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupCommand } from '../../../lib/cli/backup.js';
import { backupCli } from '../../unit/backup/cliContext.js';
import { ACCOUNT, REGION, snapshot } from '../../unit/backup/fixtures.js';
import { authPgAdmin, authPgUrl, suffix } from '../secrets/databases.js';

/**
 * `warden backup drill <db> --apply` end to end in the CLI: RDS and Secrets Manager are mocked, the restored
 * instance is the PostgreSQL that checks passwords and requires TLS, and the login is a role with a password the
 * test planted. Every output of the command (stdout, stderr with debug logs, findings) is searched for it.
 */
const rdsMock = mockClient(RDSClient);
const smMock = mockClient(SecretsManagerClient);
const url = authPgUrl();
const TABLE = `warden_cli_drill_${suffix()}`;
const USER = `wclidrill_${suffix()}`;
const PLANTED = `Cli-drill-planted-${suffix()}-pw`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:orders-db-AbCdEf`;
let dir: string;
let configFile: string;

/** The restored instance: available at the test server's endpoint from restore until deleted. */
function fakeRestore(): void {
  let state: 'none' | 'available' | 'deleted' = 'none';
  rdsMock
    .on(DescribeDBSnapshotsCommand)
    .resolves({ DBSnapshots: [snapshot('orders-db', 'rds:orders-db-1', 3)] });
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  rdsMock.on(RestoreDBInstanceFromDBSnapshotCommand).callsFake(() => {
    state = 'available';
    return {};
  });
  rdsMock.on(DeleteDBInstanceCommand).callsFake(() => {
    state = 'deleted';
    return {};
  });
  rdsMock.on(DescribeDBInstancesCommand).callsFake((input: DescribeDBInstancesCommandInput) => {
    if (state !== 'available') throw new DBInstanceNotFoundFault({ $metadata: {}, message: 'not found' });
    return {
      DBInstances: [
        {
          DBInstanceIdentifier: input.DBInstanceIdentifier,
          DBInstanceStatus: 'available',
          Engine: 'postgres',
          Endpoint: { Address: url.hostname, Port: Number(url.port) },
        },
      ],
    };
  });
}

const cli = () => backupCli({ apply: true, progress: true });

beforeAll(async () => {
  const c = await authPgAdmin();
  await c.query(`CREATE TABLE ${TABLE} (id int)`);
  await c.query(`INSERT INTO ${TABLE} VALUES (1), (2), (3)`);
  await c.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${PLANTED}'`);
  await c.query(`GRANT SELECT ON ${TABLE} TO ${USER}`);
  await c.end();
  dir = mkdtempSync(join(tmpdir(), 'warden-drill-cli-'));
  configFile = join(dir, 'drill.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      subnetGroup: 'warden-drills',
      securityGroupIds: ['sg-0a1b2c3d4e5f60789'],
      pollSeconds: 0,
      databases: {
        'orders-db': {
          database: url.pathname.slice(1),
          secretArn: SECRET_ARN,
          checks: [{ kind: 'rowCount', table: TABLE, min: 1 }],
        },
      },
    }),
  );
});

afterAll(async () => {
  const c = await authPgAdmin();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`DROP ROLE IF EXISTS ${USER}`);
  await c.end();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  rdsMock.reset();
  smMock.reset();
  vi.stubEnv('WARDEN_DEBUG', '1'); // every log line of the drill on stderr
  return () => vi.unstubAllEnvs();
});

describe('Function: backupCommand.run (drill --apply)', () => {
  it('validates with the secret over verified TLS and prints no password, passing or failing', async () => {
    // Prepare
    const wrong = `Cli-drill-wrong-${suffix()}-pw`;
    const runs: { code: number; output: string; findings: number }[] = [];
    // Act
    for (const password of [PLANTED, wrong]) {
      fakeRestore();
      smMock
        .on(GetSecretValueCommand)
        .resolves({ ARN: SECRET_ARN, SecretString: JSON.stringify({ username: USER, password }) });
      const run = cli();
      const code = await backupCommand.run(['drill', 'orders-db', '--config', configFile], run.ctx);
      runs.push({
        code,
        output: [...run.out, ...run.err, JSON.stringify(run.publish.findings)].join('\n'),
        findings: run.publish.findings.length,
      });
    }
    // Assess
    expect(runs.map((r) => r.code)).toEqual([0, 1]);
    expect(runs[0]?.output).toContain('PASSED orders-db');
    expect(runs[1]?.output).toContain(`as "${USER}": authentication failed (28P01)`);
    expect(runs.map((r) => r.findings)).toEqual([1, 1]); // the findings are part of what is searched
    for (const run of runs) {
      expect(run.output).not.toContain(PLANTED);
      expect(run.output).not.toContain(wrong);
    }
  });
});
