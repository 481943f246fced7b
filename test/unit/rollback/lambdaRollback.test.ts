import {
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExecutionError, ValidationError } from '../../../lib/errors.js';
import { planLambda } from '../../../lib/rollback/lambdaRollback.js';

const lambda = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'eu-west-1' });
const target = { functionName: 'payments', alias: 'live' };
const retry = { attempts: 3, baseMs: 1, sleep: async () => {} };
const none = async () => ({});

describe('Function: planLambda', () => {
  beforeEach(() => {
    lambda.reset();
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '17', RevisionId: 'r1' });
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolvesOnce({ Versions: [{ Version: '$LATEST' }, { Version: '15' }], NextMarker: 'm' })
      .resolves({
        Versions: [{ Version: '16' }, { Version: '17' }, { Version: '18' }],
      });
    lambda.on(UpdateAliasCommand).resolves({});
  });

  it('follows version pages and never picks a version newer than the current one', async () => {
    // Act
    const plan = await planLambda(client, target, { history: none, retry });

    // Assess
    expect(plan).toMatchObject({ kind: 'plan', from: '17', to: '16' });
    expect(lambda).toReceiveCommandTimes(ListVersionsByFunctionCommand, 2);
  });

  it('ignores a recorded known good version newer than the current one', async () => {
    // Act
    const plan = await planLambda(client, target, { history: async () => ({ knownGood: '18' }), retry });

    // Assess
    expect(plan).toMatchObject({ to: '16' });
  });

  it('accepts an explicit older version and refuses a newer one', async () => {
    // Act
    const plan = await planLambda(client, target, { history: none, toVersion: '15', retry });
    const newer = planLambda(client, target, { history: none, toVersion: '18', retry });

    // Assess
    expect(plan).toMatchObject({ to: '15' });
    await expect(newer).rejects.toThrow(ValidationError);
  });

  it('has nothing to do for an alias on $LATEST or on the first version', async () => {
    // Prepare
    lambda
      .on(GetAliasCommand)
      .resolvesOnce({ FunctionVersion: '$LATEST' })
      .resolvesOnce({ FunctionVersion: '1' });
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: '1' }] });

    // Act
    const latest = await planLambda(client, target, { history: none, retry });
    const first = await planLambda(client, target, { history: none, retry });

    // Assess
    expect(latest).toMatchObject({ kind: 'none' });
    expect(first).toMatchObject({ kind: 'none' });
  });

  it('converges when a retried update had already landed', async () => {
    // Prepare
    const plan = await planLambda(client, target, { history: none, retry });
    lambda
      .on(UpdateAliasCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '16', RevisionId: 'r2' });

    // Act
    const to = plan.kind === 'plan' ? await plan.apply() : undefined;

    // Assess
    expect(to).toBe('16');
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
  });

  it('stops when someone else moved the alias during the rollback', async () => {
    // Prepare
    const plan = await planLambda(client, target, { history: none, retry });
    lambda
      .on(UpdateAliasCommand)
      .rejectsOnce(Object.assign(new Error('revision changed'), { name: 'PreconditionFailedException' }));
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '19', RevisionId: 'r3' });

    // Act
    const act = plan.kind === 'plan' ? plan.apply() : Promise.resolve('');

    // Assess
    await expect(act).rejects.toThrow(ExecutionError);
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
  });

  it('does not roll back further an alias warden already rolled back to this version', async () => {
    // Act
    const plan = await planLambda(client, target, { history: async () => ({ rolledBackTo: '17' }), retry });
    const explicit = await planLambda(client, target, {
      history: async () => ({ rolledBackTo: '17' }),
      toVersion: '15',
      retry,
    });

    // Assess
    expect(plan).toMatchObject({
      kind: 'none',
      message: expect.stringContaining('where warden rolled it back'),
    });
    expect(explicit).toMatchObject({ kind: 'plan', to: '15' });
  });
});
