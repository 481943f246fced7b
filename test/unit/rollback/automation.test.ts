import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AutomationContext } from '../../../lib/automations/types.js';
import { ClientPool } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { rollbackAutomation } from '../../../lib/rollback/automation.js';
import { rollbackOptionsSchema } from '../../../lib/rollback/options.js';
import { knownGoodKey, observedKey } from '../../../lib/rollback/stateKeys.js';
import { memorySink } from '../../../lib/runtime/metricSink.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const ddb = mockClient(DynamoDBClient);
const home = { account: '123456789012', region: 'eu-west-1' };
const env = {
  WARDEN_STAGE: 'dev',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: home.account,
  WARDEN_STATE_TABLE: 'state',
};
const options = v.parse(rollbackOptionsSchema, {
  allowedTargets: ['lambda:payments:live', 'lambda:orders-*', 'codedeploy:a/b', 'lambda:orders-api:live'],
  healthyMinutes: 30,
});

function context(now: Date, target = home, extraEnv: Record<string, string> = {}): AutomationContext {
  const pool = new ClientPool({
    homeAccount: home.account,
    homeRegion: 'eu-west-1',
    roleName: 'r',
    maxAttempts: 1,
  });
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    target,
    aws: pool.for(target),
    config: loadConfig({ ...env, ...extraEnv }),
    now: () => now,
    logger: silent,
    metrics: memorySink(),
    dryRun: false,
  };
}

describe('Function: rollbackAutomation.run', () => {
  let items: ReturnType<typeof fakeDynamo>['items'];
  beforeEach(() => {
    cw.reset();
    lambda.reset();
    ddb.reset();
    items = fakeDynamo(ddb).items;
    lambda.on(GetAliasCommand, { FunctionName: 'payments' }).resolves({ FunctionVersion: '17' });
    lambda.on(GetAliasCommand, { FunctionName: 'orders-api' }).resolves({
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: { '42': 0.1 } },
    });
  });

  it('records a version as last known good once it stayed on the alias for the healthy period', async () => {
    // Act
    const first = await rollbackAutomation.run(context(new Date('2026-11-26T10:00:00Z')), options);
    const early = await rollbackAutomation.run(context(new Date('2026-11-26T10:20:00Z')), options);
    const healthy = await rollbackAutomation.run(context(new Date('2026-11-26T10:31:00Z')), options);
    const again = await rollbackAutomation.run(context(new Date('2026-11-26T10:36:00Z')), options);

    // Assess
    expect(first.report.observations).toEqual({
      'lambda:payments:live': 'observed:17',
      'lambda:orders-api:live': 'canary-in-progress:41',
    });
    expect(early.report.observations).toMatchObject({ 'lambda:payments:live': 'waiting:17' });
    expect(healthy.findings).toHaveLength(1);
    expect(healthy.findings[0]).toMatchObject({ check: 'known-good-recorded', severity: 'info' });
    expect(again.report.observations).toMatchObject({ 'lambda:payments:live': 'unchanged:17' });
    const good = items.get(`${knownGoodKey(home, 'lambda:payments:live').pk}\u0000known-good`);
    expect(good?.version).toEqual({ S: '17' });
  });

  it('restarts the healthy period when the alias moves to another version', async () => {
    // Prepare
    await rollbackAutomation.run(context(new Date('2026-11-26T10:00:00Z')), options);
    lambda.on(GetAliasCommand, { FunctionName: 'payments' }).resolves({ FunctionVersion: '18' });

    // Act
    const moved = await rollbackAutomation.run(context(new Date('2026-11-26T10:40:00Z')), options);

    // Assess
    expect(moved.report.observations).toMatchObject({ 'lambda:payments:live': 'observed:18' });
    const seen = items.get(`${observedKey(home, 'lambda:payments:live').pk}\u0000observed`);
    expect(seen?.since).toEqual({ S: '2026-11-26T10:40:00.000Z' });
  });

  it('reports an alias it cannot read as a finding and goes on', async () => {
    // Prepare
    lambda
      .on(GetAliasCommand, { FunctionName: 'payments' })
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));

    // Act
    const result = await rollbackAutomation.run(context(new Date('2026-11-26T10:00:00Z')), options);

    // Assess
    expect(result.findings[0]).toMatchObject({ check: 'known-good-watch-failed', severity: 'medium' });
    expect(result.report.observations).toMatchObject({
      'lambda:payments:live': 'error',
      'lambda:orders-api:live': 'canary-in-progress:41',
    });
  });

  it('skips targets of other accounts and runs without a state table', async () => {
    // Act
    const other = await rollbackAutomation.run(
      context(new Date(), { account: '210987654321', region: 'eu-west-1' }),
      options,
    );
    const noTable = await rollbackAutomation.run(
      context(new Date(), home, { WARDEN_STATE_TABLE: '' }),
      options,
    );

    // Assess
    expect(other.summary).toBe('known-good watch skipped: state table is in the home account');
    expect(noTable.summary).toBe('known-good watch skipped: WARDEN_STATE_TABLE is not set');
    expect(lambda).not.toReceiveAnyCommand();
  });

  it('declares its permissions and probes with one cheap alarm read', async () => {
    // Prepare
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    // Act
    await rollbackAutomation.probe(context(new Date()).aws);

    // Assess
    expect(cw).toReceiveCommandExactlyOnceWith(DescribeAlarmsCommand, { MaxRecords: 1 });
    expect(
      rollbackAutomation.mutatingPermissions.every((p) => rollbackAutomation.permissions.includes(p)),
    ).toBe(true);
    expect(v.safeParse(rollbackAutomation.options, { unknown: 1 }).success).toBe(false);
  });
});
