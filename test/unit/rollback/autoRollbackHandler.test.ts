import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { replayReads } from './awsFixtures.js';
import { exampleEvent } from './helpers.js';

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const cd = mockClient(CodeDeployClient);
const ddb = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);
const sqs = mockClient(SQSClient);
const context = {
  awsRequestId: 'req-1',
  functionName: 'warden-dev-autoRollback',
  functionVersion: '3',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:warden-dev-autoRollback:live',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

let handler: (event: unknown, context: Context) => Promise<unknown>;

describe('Function: auto-rollback handler', () => {
  beforeAll(async () => {
    vi.stubEnv('WARDEN_STAGE', 'dev');
    vi.stubEnv('WARDEN_HOME_ACCOUNT', '123456789012');
    vi.stubEnv('WARDEN_STATE_TABLE', 'warden-dev-state');
    vi.stubEnv(
      'WARDEN_FINDINGS_QUEUE_URL',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/warden-dev-findings',
    );
    vi.stubEnv('WARDEN_ROLLBACK_TARGETS', 'lambda:payments:live');
    ({ handler } = (await import('../../../functions/auto-rollback.js')) as unknown as {
      handler: typeof handler;
    });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    for (const m of [cw, lambda, cd, ddb, ssm, sqs]) m.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    fakeDynamo(ddb);
    replayReads({ cw, lambda, cd });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  });

  it('turns an EventBridge alarm event for a target outside the allow-list into a skip, changing nothing', async () => {
    // Act
    const report = await handler(exampleEvent('alarm-canary'), context);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'target-not-allowed' });
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
    // The decision is a finding on the findings queue.
    const published = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(published.map((e) => JSON.parse(e.MessageBody!).automation)).toContain('autoRollback');
  });

  it('rejects an event that is not a CloudWatch alarm state change before any AWS call', async () => {
    // Prepare
    const event = { ...exampleEvent('alarm-canary'), 'detail-type': 'Scheduled Event', source: 'aws.events' };

    // Act
    const act = handler(event, context);

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
    await expect(act).rejects.toThrow('detail-type: expected one of "CloudWatch Alarm State Change"');
    expect(cw).not.toReceiveAnyCommand();
  });

  it('records last known good versions on its 5-minute schedule, in the home account', async () => {
    // Act
    const report = (await handler({ watch: 'knownGood' }, context)) as Record<string, unknown>;

    // Assess
    expect(report).toMatchObject({ watched: 1 });
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
  });
});
