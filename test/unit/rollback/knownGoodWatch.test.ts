import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../../lib/aws/clients.js';
import { AssumeRoleError } from '../../../lib/errors.js';
import { runKnownGoodWatch } from '../../../lib/rollback/knownGoodWatch.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { HOME, testDeps } from './helpers.js';

const lambda = mockClient(LambdaClient);
const ddbStub = mockClient(DynamoDBClient);
const ddb = new DynamoDBClient({ region: 'eu-west-1' });
const member = (region: string) => ({ account: '222222222222', region });
const locked = (region: string) => ({ account: '333333333333', region });

describe('Function: runKnownGoodWatch', () => {
  beforeEach(() => {
    lambda.reset();
    ddbStub.reset();
    fakeDynamo(ddbStub);
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '17' });
  });

  it('watches home and every target account x region, one finding for an account whose role is missing', async () => {
    // Prepare
    const targets = [member('eu-west-1'), member('us-east-1'), locked('eu-west-1'), locked('us-east-1')];
    const deps = testDeps(
      ddb,
      { allowedTargets: ['lambda:payments:live', 'lambda:orders-*'] },
      false,
      targets,
    );
    const reached: Target[] = [];
    deps.reach = async (where) => {
      reached.push(where);
      if (where.account === '333333333333')
        throw new AssumeRoleError(where.account, 'arn:aws:iam::333333333333:role/WardenExecutionRole');
    };

    // Act
    const report = await runKnownGoodWatch(deps);

    // Assess
    expect(report).toMatchObject({
      watched: 3,
      unreachable: ['333333333333'],
      observations: {
        [`${HOME.account}/eu-west-1`]: { 'lambda:payments:live': 'observed:17' },
        '222222222222/eu-west-1': { 'lambda:payments:live': 'observed:17' },
        '222222222222/us-east-1': { 'lambda:payments:live': 'observed:17' },
        '333333333333/eu-west-1': { '*': 'role-unavailable' },
        '333333333333/us-east-1': { '*': 'role-unavailable' },
      },
    });
    expect(lambda).toReceiveCommandTimes(GetAliasCommand, 3);
    expect(deps.published).toHaveLength(1);
    expect(deps.published[0]).toMatchObject({
      check: 'known-good-watch-failed',
      account: '333333333333',
      resourceArn: 'arn:aws:iam::333333333333:role/WardenExecutionRole',
    });
    expect(reached.filter((t) => t.account === '333333333333').length).toBeGreaterThanOrEqual(1);
  });

  it('assumes no role and reads nothing when no exact lambda target is allowed', async () => {
    // Prepare
    const deps = testDeps(ddb, { allowedTargets: ['lambda:orders-*', 'codedeploy:checkout/*'] }, false, [
      member('eu-west-1'),
    ]);
    let reached = 0;
    deps.reach = async () => {
      reached++;
    };

    // Act
    const report = await runKnownGoodWatch(deps);

    // Assess
    expect(report).toEqual({ watched: 0, skipped: 'no exact lambda:<function>:<alias> in rollbackTargets' });
    expect(reached).toBe(0);
    expect(lambda).not.toReceiveAnyCommand();
  });

  it('does nothing when its flag disables it', async () => {
    // Prepare
    const deps = testDeps(ddb, { allowedTargets: ['lambda:payments:live'] });
    deps.mode = async () => ({ enabled: false, dryRun: false });

    // Act
    const report = await runKnownGoodWatch(deps);

    // Assess
    expect(report).toEqual({ watched: 0, skipped: 'disabled by its flag' });
    expect(lambda).not.toReceiveAnyCommand();
  });
});
