import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { rollbackCommand } from '../../../lib/cli/rollback.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import { ConfigError, ValidationError } from '../../../lib/errors.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { replayReads } from './awsFixtures.js';

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const cd = mockClient(CodeDeployClient);
const ddb = mockClient(DynamoDBClient);
const env = {
  WARDEN_STAGE: 'dev',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: '123456789012',
  WARDEN_STATE_TABLE: 'state',
};

function context(apply: boolean, json = false, extraEnv: Record<string, string> = {}) {
  const lines: string[] = [];
  const published: Finding[] = [];
  const pool = new ClientPool({
    homeAccount: '123456789012',
    homeRegion: 'eu-west-1',
    roleName: 'WardenExecutionRole',
    maxAttempts: 1,
  });
  let now = new Date('2026-11-26T11:00:00Z');
  const ctx: CliContext = {
    io: { out: (l) => lines.push(l), err: (l) => lines.push(l), progress: () => {} },
    json,
    apply,
    config: () => loadConfig({ ...env, ...extraEnv }),
    pool: () => pool,
    target: async () => ({ account: '123456789012', region: 'eu-west-1' }),
    publish: async (f) => {
      published.push(...f);
    },
    now: () => {
      now = new Date(now.getTime() + 1000);
      return now;
    },
  };
  return { ctx, lines, published };
}

describe('Function: rollbackCommand', () => {
  beforeEach(() => {
    for (const m of [cw, lambda, cd, ddb]) m.reset();
    fakeDynamo(ddb);
    replayReads({ cw, lambda, cd });
    lambda.on(UpdateAliasCommand).resolves({});
  });

  it('plans without --apply and changes nothing', async () => {
    // Prepare
    const { ctx, lines, published } = context(false);

    // Act
    const code = await rollbackCommand.run(['lambda:payments:live'], ctx);

    // Assess
    expect(code).toBe(0);
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
    expect(lines).toEqual([
      'Dry-run: would roll back lambda:payments:live: alias moved from version 17 to 16 (previous published)',
      'dry-run: nothing changed; re-run with --apply to roll back',
    ]);
    expect(published[0]).toMatchObject({ dryRun: true, action: { result: 'planned' } });
  });

  it('rolls back to the requested version with --apply and lists it in status', async () => {
    // Prepare
    const run = context(true);
    const show = context(false, true);

    // Act
    const code = await rollbackCommand.run(['lambda:payments:live', '--to', '14'], run.ctx);
    await rollbackCommand.run(['status', '--limit', '5'], show.ctx);

    // Assess
    expect(code).toBe(0);
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'payments',
      FunctionVersion: '14',
    });
    const doc = JSON.parse(show.lines[0] ?? '{}') as { decisions: Record<string, unknown>[] };
    expect(doc.decisions).toHaveLength(1);
    expect(doc.decisions[0]).toMatchObject({
      outcome: 'performed',
      from: '17',
      to: '14',
      alarmName: 'manual',
      dryRun: false,
    });
  });

  it('prints recent decisions as lines', async () => {
    // Prepare
    await rollbackCommand.run(['lambda:orders-api:live'], context(true).ctx);
    const { ctx, lines } = context(false);

    // Act
    await rollbackCommand.run(['status'], ctx);

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'performed  remove-canary-weights  lambda:orders-api:live 42 -> 41  alarm manual',
    );
  });

  it.each([
    [[]],
    [['lambda:a:live', 'extra']],
    [['ecs:svc']],
    [['codedeploy:a/b', '--to', '3']],
    [['lambda:payments:live', '--to', '99']],
    [['status', '--limit', '0']],
    [['lambda:a:live', '--limit', '3']],
  ])('rejects bad usage %j', async (args) => {
    // Act
    const act = rollbackCommand.run(args, context(false).ctx);

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
  });

  it('says which variable is missing when no state table is configured', async () => {
    // Act
    const act = rollbackCommand.run(['status'], context(false, false, { WARDEN_STATE_TABLE: '' }).ctx);

    // Assess
    await expect(act).rejects.toThrow(ConfigError);
    await expect(act).rejects.toThrow('WARDEN_STATE_TABLE');
  });
});
