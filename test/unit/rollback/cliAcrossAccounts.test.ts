import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { replayReads } from './awsFixtures.js';

const MEMBER = '222222222222';
const LOCKED = '333333333333';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/WardenExecutionRole`;
const env = {
  WARDEN_STAGE: 'dev',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: '123456789012',
  WARDEN_STATE_TABLE: 'warden-dev-state',
  WARDEN_EXTERNAL_ID: 'member-external-id',
};

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const cd = mockClient(CodeDeployClient);
const ddb = mockClient(DynamoDBClient);
const sts = mockClient(STSClient);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} },
    env,
  );
  return { code, out, err };
}

describe('CLI: warden rollback --account (a member account)', () => {
  let items: ReturnType<typeof fakeDynamo>['items'];
  beforeEach(() => {
    for (const m of [cw, lambda, cd, ddb, sts]) m.reset();
    items = fakeDynamo(ddb).items;
    replayReads({ cw, lambda, cd });
    lambda.on(UpdateAliasCommand).resolves({});
    sts.on(AssumeRoleCommand, { RoleArn: roleArn(MEMBER) }).resolves({
      Credentials: {
        AccessKeyId: `KEY-${MEMBER}`,
        SecretAccessKey: 'S',
        SessionToken: 'T',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    sts
      .on(AssumeRoleCommand, { RoleArn: roleArn(LOCKED) })
      .rejects(
        Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }),
      );
  });

  it('rolls the alias back in that account through its member role and records it under that account', async () => {
    // Act
    const { code, out } = await run('rollback', 'lambda:payments:live', '--account', MEMBER, '--apply');
    const status = await run('rollback', 'status');

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'Rolled back lambda:payments:live: alias moved from version 17 to 16 (previous published)',
    ]);
    expect(sts).toReceiveCommandWith(AssumeRoleCommand, {
      RoleArn: roleArn(MEMBER),
      ExternalId: 'member-external-id',
      RoleSessionName: 'warden-cli',
    });
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'payments',
      Name: 'live',
      FunctionVersion: '16',
    });
    const client = lambda.commandCalls(UpdateAliasCommand)[0]!.thisValue as {
      config: { credentials: AwsCredentialIdentityProvider };
    };
    expect((await client.config.credentials()).accessKeyId).toBe(`KEY-${MEMBER}`);
    expect([...items.keys()].some((k) => k.startsWith(`rollback#target#${MEMBER}#eu-west-1#`))).toBe(true);
    expect(status.out[0]).toContain(
      `${MEMBER}/eu-west-1  performed  point-alias  lambda:payments:live 17 -> 16`,
    );
  });

  it('stops before any change, naming the role, when the member role cannot be assumed', async () => {
    // Act
    const { code, err } = await run('rollback', 'lambda:payments:live', '--account', LOCKED, '--apply');

    // Assess
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(`cannot assume ${roleArn(LOCKED)} in account ${LOCKED}`);
    expect(lambda).not.toReceiveAnyCommand();
    expect(items.size).toBe(0);
  });
});
