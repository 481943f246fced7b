import { CloudWatchClient, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { recorded, replayReads } from './awsFixtures.js';
import { exampleEvent } from './helpers.js';

const HOME = '123456789012';
const MEMBER = '222222222222';
const LOCKED = '333333333333';
const FOREIGN = '444444444444';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/WardenExecutionRole`;

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const cd = mockClient(CodeDeployClient);
const ddb = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);
const sqs = mockClient(SQSClient);
const sts = mockClient(STSClient);
const context = {
  awsRequestId: 'req-1',
  functionName: 'warden-dev-autoRollback',
  functionVersion: '3',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:${HOME}:function:warden-dev-autoRollback:live`,
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** The example canary alarm as a member account forwards it to warden's alarm bus. */
function forwarded(account: string) {
  const home = exampleEvent('alarm-canary');
  return {
    ...home,
    account,
    resources: home.resources.map((r) => r.replace(`:${HOME}:`, `:${account}:`)),
  };
}

/** The credentials a mocked call's client was built with: which account it acts in. */
async function accessKeyOf(call: { thisValue: unknown }): Promise<string | undefined> {
  const client = call.thisValue as { config: { credentials: AwsCredentialIdentityProvider } };
  return (await client.config.credentials()).accessKeyId;
}

const published = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => JSON.parse(e.MessageBody!) as Record<string, unknown>);

let handler: (event: unknown, context: Context) => Promise<unknown>;
let items: ReturnType<typeof fakeDynamo>['items'];

describe('Function: auto-rollback handler across accounts', () => {
  beforeAll(async () => {
    vi.stubEnv('WARDEN_STAGE', 'dev');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('WARDEN_HOME_ACCOUNT', HOME);
    vi.stubEnv('WARDEN_TARGET_ACCOUNTS', `${MEMBER},${LOCKED}`);
    vi.stubEnv('WARDEN_EXTERNAL_ID', 'member-external-id');
    vi.stubEnv('WARDEN_DRY_RUN', 'false');
    vi.stubEnv('WARDEN_FLAGS_MAX_AGE_SECONDS', '0'); // each test's flag is read afresh
    vi.stubEnv('WARDEN_STATE_TABLE', 'warden-dev-state');
    vi.stubEnv(
      'WARDEN_FINDINGS_QUEUE_URL',
      `https://sqs.eu-west-1.amazonaws.com/${HOME}/warden-dev-findings`,
    );
    vi.stubEnv('WARDEN_ROLLBACK_TARGETS', 'lambda:orders-api:live');
    ({ handler } = (await import('../../../functions/auto-rollback.js')) as unknown as {
      handler: typeof handler;
    });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    for (const m of [cw, lambda, cd, ddb, ssm, sqs, sts]) m.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    items = fakeDynamo(ddb).items;
    replayReads({ cw, lambda, cd });
    const tags =
      recorded().cloudwatch.ListTagsForResource[
        `arn:aws:cloudwatch:eu-west-1:${HOME}:alarm:orders-api-errors`
      ];
    for (const account of [MEMBER, LOCKED, FOREIGN]) {
      cw.on(ListTagsForResourceCommand, {
        ResourceARN: `arn:aws:cloudwatch:eu-west-1:${account}:alarm:orders-api-errors`,
      }).resolves(tags);
    }
    lambda.on(UpdateAliasCommand).resolves({});
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
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
      .rejects(Object.assign(new Error(`Role ${roleArn(LOCKED)} does not exist`), { name: 'AccessDenied' }));
  });

  it("rolls a member account's alarm back in that account, through its member role, keyed by that account", async () => {
    // Act
    const report = await handler(forwarded(MEMBER), context);

    // Assess
    expect(report).toMatchObject({
      outcome: 'performed',
      reason: 'remove-canary-weights',
      from: '42',
      to: '41',
    });
    expect(sts).toReceiveCommandWith(AssumeRoleCommand, {
      RoleArn: roleArn(MEMBER),
      ExternalId: 'member-external-id',
      RoleSessionName: 'warden-rollback',
    });
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'orders-api',
      Name: 'live',
      FunctionVersion: '41',
    });
    // The alarm read and the alias update both ran with the member account's credentials.
    const update = lambda.commandCalls(UpdateAliasCommand)[0]!;
    const tagRead = cw.commandCalls(ListTagsForResourceCommand)[0]!;
    expect(await accessKeyOf(update)).toBe(`KEY-${MEMBER}`);
    expect(await accessKeyOf(tagRead)).toBe(`KEY-${MEMBER}`);
    // Idempotency claim, cooldown and decision carry the member account.
    const keys = [...items.keys()];
    expect(keys.some((k) => k.startsWith(`rollback#event#${MEMBER}#eu-west-1#orders-api-errors`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`rollback#target#${MEMBER}#eu-west-1#lambda:orders-api:live`))).toBe(
      true,
    );
    expect(keys.some((k) => k.includes(`#${HOME}#`))).toBe(false);
    expect(published()).toContainEqual(
      expect.objectContaining({ automation: 'autoRollback', account: MEMBER, check: 'alarm-rollback' }),
    );
  });

  it('skips a duplicate delivery of the same forwarded event, and acts on the same alarm at home on its own', async () => {
    // Act
    const first = await handler(forwarded(MEMBER), context);
    const duplicate = await handler(forwarded(MEMBER), context);
    const atHome = await handler(exampleEvent('alarm-canary'), context);

    // Assess
    expect([first, duplicate, atHome]).toMatchObject([
      { outcome: 'performed' },
      { outcome: 'skipped', reason: 'duplicate-event' },
      { outcome: 'performed' },
    ]);
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 2);
  });

  it('rejects an event of an account warden does not serve before any call in it', async () => {
    // Act
    const report = await handler(forwarded(FOREIGN), context);

    // Assess
    expect(report).toEqual({
      outcome: 'rejected',
      reason: 'account-not-allowed',
      account: FOREIGN,
      alarmName: 'orders-api-errors',
    });
    expect(sts).not.toReceiveAnyCommand();
    expect(cw).not.toReceiveAnyCommand();
    expect(lambda).not.toReceiveAnyCommand();
    expect(items.size).toBe(0);
    expect(published()).toEqual([]);
  });

  it('turns an alarm of an account whose member role is missing into one critical finding, touching nothing', async () => {
    // Act
    const report = await handler(forwarded(LOCKED), context);

    // Assess
    expect(report).toMatchObject({ outcome: 'failed', reason: 'aws-error' });
    expect((report as { message: string }).message).toContain(
      `warden cannot act in account ${LOCKED}: its member role cannot be assumed`,
    );
    expect(cw).not.toReceiveAnyCommand();
    expect(lambda).not.toReceiveAnyCommand();
    const findings = published();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ account: LOCKED, severity: 'critical', check: 'alarm-rollback' });
  });

  it('records known good versions in every account it serves; a missing member role is one finding', async () => {
    // Act
    const report = (await handler({ watch: 'knownGood' }, context)) as Record<string, unknown>;

    // Assess
    expect(report).toMatchObject({
      watched: 2,
      unreachable: [LOCKED],
      observations: {
        [`${HOME}/eu-west-1`]: { 'lambda:orders-api:live': 'canary-in-progress:41' },
        [`${MEMBER}/eu-west-1`]: { 'lambda:orders-api:live': 'canary-in-progress:41' },
        [`${LOCKED}/eu-west-1`]: { '*': 'role-unavailable' },
      },
    });
    const reads = lambda.commandCalls(GetAliasCommand);
    expect(await Promise.all(reads.map((r) => accessKeyOf(r).catch(() => 'home')))).toContain(
      `KEY-${MEMBER}`,
    );
    const findings = published();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'known-good-watch-failed',
      account: LOCKED,
      resourceArn: roleArn(LOCKED),
    });
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
  });

  it('decides apply or dry-run by the alarm account under an apply share: allowed applies, the rest plans', async () => {
    // Prepare: applying in the member account only
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Value: JSON.stringify({ dryRun: false, applyPercent: 0, allow: [MEMBER] }) },
    });

    // Act
    const member = await handler(forwarded(MEMBER), context);
    const home = await handler(exampleEvent('alarm-canary'), context);

    // Assess
    expect(member).toMatchObject({ outcome: 'performed', dryRun: false });
    expect(home).toMatchObject({ outcome: 'planned', dryRun: true });
    expect((home as { message: string }).message).toMatch(/\(dry-run: outside applyPercent 0\)$/);
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
    expect(await accessKeyOf(lambda.commandCalls(UpdateAliasCommand)[0]!)).toBe(`KEY-${MEMBER}`);
    expect(published().find((f) => f.account === HOME)).toMatchObject({ dryRun: true });
  });
});
