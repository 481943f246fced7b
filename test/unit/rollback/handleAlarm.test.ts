import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  ServiceException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lib/rollback/handleAlarm.js';
import { knownGoodKey } from '../../../lib/rollback/stateKeys.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { recorded, replayReads } from './awsFixtures.js';
import { exampleEvent, testDeps, withState } from './helpers.js';

const cw = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const cd = mockClient(CodeDeployClient);
const ddbStub = mockClient(DynamoDBClient);
const ddb = new DynamoDBClient({ region: 'eu-west-1' });
const home = { account: '123456789012', region: 'eu-west-1' };

describe('Function: handleAlarmEvent', () => {
  beforeEach(() => {
    cw.reset();
    lambda.reset();
    cd.reset();
    ddbStub.reset();
    fakeDynamo(ddbStub);
    replayReads({ cw, lambda, cd });
    lambda.on(UpdateAliasCommand).resolves({});
    cd.on(StopDeploymentCommand).resolves({ status: 'Pending' });
  });

  it('removes the canary weight when the alias routes traffic to a new version', async () => {
    // Prepare
    const deps = testDeps(ddb);

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'orders-api',
      Name: 'live',
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: '6d2a1c2e-0b7f-4a8e-9d0c-3f1b2a4c5d6e',
    });
    expect(report).toMatchObject({
      outcome: 'performed',
      reason: 'remove-canary-weights',
      from: '42',
      to: '41',
    });
    expect(deps.published).toHaveLength(1);
    expect(deps.published[0]).toMatchObject({
      automation: 'autoRollback',
      severity: 'high',
      resourceArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live',
      action: { type: 'remove-canary-weights', result: 'succeeded', detail: { from: '42', to: '41' } },
    });
    expect(deps.recorded).toEqual([{ name: 'RollbacksPerformed', unit: 'Count', value: 1 }]);
  });

  it('points a plain alias at the last known good version recorded by warden', async () => {
    // Prepare
    const deps = testDeps(ddb, { alarmPrefix: 'payments-' });
    await deps.store.update(deps.table, knownGoodKey(home, 'lambda:payments:live'), { version: '15' });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-plain'), deps);

    // Assess
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'payments',
      FunctionVersion: '15',
    });
    expect(lambda).not.toReceiveCommand(ListVersionsByFunctionCommand);
    expect(report).toMatchObject({ outcome: 'performed', reason: 'point-alias', from: '17', to: '15' });
    expect(deps.published[0]?.title).toContain('last known good');
  });

  it('falls back to the previous published version when no known good version is recorded', async () => {
    // Prepare
    const deps = testDeps(ddb, { alarmPrefix: 'payments-' });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-plain'), deps);

    // Assess
    expect(lambda).toReceiveCommandExactlyOnceWith(UpdateAliasCommand, {
      FunctionName: 'payments',
      FunctionVersion: '16',
    });
    expect(report).toMatchObject({ outcome: 'performed', from: '17', to: '16' });
  });

  it('does not roll back when the current version is the recorded last known good', async () => {
    // Prepare
    const deps = testDeps(ddb, { alarmPrefix: 'payments-' });
    await deps.store.update(deps.table, knownGoodKey(home, 'lambda:payments:live'), { version: '17' });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-plain'), deps);

    // Assess
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'nothing-to-roll-back' });
  });

  it('stops the active CodeDeploy deployment with automatic rollback', async () => {
    // Prepare
    const deps = testDeps(ddb);

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-codedeploy'), deps);

    // Assess
    expect(cd).toReceiveCommandExactlyOnceWith(StopDeploymentCommand, {
      deploymentId: 'd-7Q2XJ5K1B',
      autoRollbackEnabled: true,
    });
    expect(report).toMatchObject({ outcome: 'performed', reason: 'stop-deployment', from: 'd-7Q2XJ5K1B' });
    expect(deps.published[0]?.resourceArn).toBe(
      'arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:checkout/checkout-prod',
    );
  });

  it('acts once when the same event is delivered twice, even concurrently', async () => {
    // Prepare
    const deps = testDeps(ddb);
    const event = exampleEvent('alarm-canary');

    // Act
    const reports = await Promise.all([handleAlarmEvent(event, deps), handleAlarmEvent(event, deps)]);
    const late = await handleAlarmEvent(event, deps);

    // Assess
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
    expect(reports.map((r) => r.outcome).sort()).toEqual(['performed', 'skipped']);
    expect(late).toMatchObject({ outcome: 'skipped', reason: 'duplicate-event' });
    expect(deps.recorded.filter((m) => m.name === 'RollbacksSkipped')).toHaveLength(2);
  });

  it('acts once when a flapping alarm fires again inside the cooldown, and again after it', async () => {
    // Prepare
    const deps = testDeps(ddb);
    const first = exampleEvent('alarm-canary');
    const again = withState(first, 'ALARM', '2026-11-26T10:06:11.000+0000');
    const data = recorded();
    data.cloudwatch.DescribeAlarms['orders-api-errors'].MetricAlarms[0].StateTransitionedTimestamp = new Date(
      '2026-11-26T10:06:11.000Z',
    );

    // Act
    await handleAlarmEvent(first, deps);
    replayReads({ cw, lambda, cd }, data);
    const flap = await handleAlarmEvent(again, deps);
    deps.clock.now = new Date('2026-11-26T10:20:00.000Z');
    const later = withState(first, 'ALARM', '2026-11-26T10:19:40.000+0000');
    data.cloudwatch.DescribeAlarms['orders-api-errors'].MetricAlarms[0].StateTransitionedTimestamp = new Date(
      '2026-11-26T10:19:40.000Z',
    );
    replayReads({ cw, lambda, cd }, data);
    const afterCooldown = await handleAlarmEvent(later, deps);

    // Assess
    expect(flap).toMatchObject({ outcome: 'skipped', reason: 'cooldown' });
    expect(afterCooldown).toMatchObject({ outcome: 'performed' });
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 2);
  });

  it('keeps the idempotency claim and the cooldown of each account apart', async () => {
    // Prepare
    const deps = testDeps(ddb, {}, false, [{ account: '222222222222', region: 'eu-west-1' }]);
    const inHome = exampleEvent('alarm-canary');
    const inMember = { ...inHome, account: '222222222222' };

    // Act
    const first = await handleAlarmEvent(inHome, deps);
    replayReads({ cw, lambda, cd });
    const other = await handleAlarmEvent(inMember, deps);
    replayReads({ cw, lambda, cd });
    const again = await handleAlarmEvent(inMember, deps);

    // Assess
    expect([first.outcome, other.outcome, again.outcome]).toEqual(['performed', 'performed', 'skipped']);
    expect(again).toMatchObject({ reason: 'duplicate-event' });
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 2);
  });

  it('rejects and counts an event of an account warden does not serve, before any call or record', async () => {
    // Prepare
    const deps = testDeps(ddb, {}, false, [{ account: '222222222222', region: 'eu-west-1' }]);
    const foreign = { ...exampleEvent('alarm-canary'), account: '444444444444' };

    // Act
    const report = await handleAlarmEvent(foreign, deps);

    // Assess
    expect(report).toEqual({
      outcome: 'rejected',
      reason: 'account-not-allowed',
      account: '444444444444',
      alarmName: foreign.detail.alarmName,
    });
    expect(deps.recorded).toContainEqual(expect.objectContaining({ name: 'AlarmEventsRejected', value: 1 }));
    expect(cw).not.toReceiveAnyCommand();
    expect(ddbStub).not.toReceiveAnyCommand();
    expect(deps.published).toEqual([]);
  });

  it('does nothing when the alarm is already back to OK', async () => {
    // Prepare
    const deps = testDeps(ddb);
    cw.on(DescribeAlarmsCommand, { AlarmNames: ['orders-api-errors'] }).resolves({
      MetricAlarms: [{ AlarmName: 'orders-api-errors', AlarmArn: 'arn:x', StateValue: 'OK' }],
    });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
    expect(ddbStub).not.toReceiveCommand(PutItemCommand);
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'alarm-no-longer-in-alarm' });
    expect(deps.published[0]).toMatchObject({ severity: 'info', action: { result: 'skipped' } });
  });

  it('reports a disallowed target as a finding and changes nothing', async () => {
    // Prepare
    const deps = testDeps(ddb, { allowedTargets: ['lambda:orders-api:live'] });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-not-allowed'), deps);

    // Assess
    expect(report).toMatchObject({
      outcome: 'skipped',
      reason: 'target-not-allowed',
      target: 'lambda:billing:live',
    });
    expect(deps.published[0]).toMatchObject({ severity: 'medium', check: 'rollback-skipped' });
    expect(lambda).not.toReceiveCommand(GetAliasCommand);
  });

  it('reports an unparseable target tag as a finding without crashing', async () => {
    // Prepare
    const deps = testDeps(ddb);
    cw.on(ListTagsForResourceCommand).resolves({
      Tags: [{ Key: 'warden:rollback-target', Value: 'ecs:orders' }],
    });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'target-invalid', target: null });
    expect(deps.published[0]?.title).toContain('"ecs:orders"');
  });

  it('reports an opted-in alarm without a resolvable target', async () => {
    // Prepare
    const deps = testDeps(ddb, { alarmPrefix: 'checkout-' });
    cw.on(ListTagsForResourceCommand).resolves({ Tags: [] });

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-codedeploy'), deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'target-unresolved' });
    expect(cd).not.toReceiveAnyCommand();
  });

  it('ignores alarms that did not opt in, without a finding', async () => {
    // Prepare
    const deps = testDeps(ddb);

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-plain'), deps);

    // Assess
    expect(report).toEqual({
      outcome: 'ignored',
      reason: 'not-opted-in',
      alarmName: 'payments-p95-duration',
    });
    expect(deps.published).toEqual([]);
    expect(deps.recorded).toEqual([{ name: 'AlarmEventsIgnored', unit: 'Count', value: 1 }]);
    expect(cw).not.toReceiveCommand(DescribeAlarmsCommand);
  });

  it('retries AWS errors, then reports a critical finding and frees the target', async () => {
    // Prepare
    const deps = testDeps(ddb);
    lambda.on(UpdateAliasCommand).rejects(new ServiceException({ message: 'Lambda is down', $metadata: {} }));

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);
    lambda.on(UpdateAliasCommand).resolves({});
    const next = await handleAlarmEvent(
      withState(exampleEvent('alarm-canary'), 'ALARM', '2026-11-26T10:02:11.900+0000'),
      deps,
    );

    // Assess
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 4);
    expect(deps.sleeps).toEqual([200, 400]);
    expect(report).toMatchObject({ outcome: 'failed', reason: 'aws-error' });
    expect(deps.published[0]).toMatchObject({ severity: 'critical', action: { result: 'failed' } });
    expect(deps.published[0]?.detail.error).toBe('ServiceException: Lambda is down');
    expect(deps.recorded[0]).toMatchObject({ name: 'RollbacksFailed' });
    expect(next).toMatchObject({ outcome: 'performed' });
  });

  it('reports a critical finding when the alarm cannot be read', async () => {
    // Prepare
    const deps = testDeps(ddb);
    cw.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(cw).toReceiveCommandTimes(DescribeAlarmsCommand, 3);
    expect(report).toMatchObject({ outcome: 'failed' });
    expect(deps.published[0]?.resourceArn).toBe(
      'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-api-errors',
    );
  });

  it('plans without changing anything or claiming state in dry-run', async () => {
    // Prepare
    const deps = testDeps(ddb, {}, true);

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(lambda).not.toReceiveCommand(UpdateAliasCommand);
    expect(ddbStub).not.toReceiveCommand(PutItemCommand);
    expect(report).toMatchObject({ outcome: 'planned', dryRun: true, from: '42', to: '41' });
    expect(deps.published[0]).toMatchObject({ dryRun: true, action: { result: 'planned' } });
    expect(deps.recorded).toEqual([
      { name: 'RollbacksSkipped', unit: 'Count', value: 1, dimensions: { reason: 'dry-run' } },
    ]);
  });

  it('skips an event older than the alarm last state change', async () => {
    // Prepare
    const deps = testDeps(ddb);
    const stale = withState(exampleEvent('alarm-canary'), 'ALARM', '2026-11-26T09:00:00.000+0000');

    // Act
    const report = await handleAlarmEvent(stale, deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'stale-event' });
  });

  it('skips with a finding when the automation is disabled by its flag', async () => {
    // Prepare
    const deps = { ...testDeps(ddb), mode: async () => ({ enabled: false, dryRun: false }) };

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'automation-disabled' });
    expect(cw).not.toReceiveAnyCommand();
  });

  it('skips an event that is not a transition to ALARM', async () => {
    // Prepare
    const deps = testDeps(ddb);

    // Act
    const report = await handleAlarmEvent(
      withState(exampleEvent('alarm-canary'), 'OK', '2026-11-26T10:09:00.000+0000'),
      deps,
    );

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'not-an-alarm-transition' });
    expect(cw).not.toReceiveAnyCommand();
  });

  it('does not chain rollbacks when the alarm fires again after the cooldown', async () => {
    // Prepare
    const deps = testDeps(ddb, { alarmPrefix: 'payments-' });
    const first = exampleEvent('alarm-plain');
    await handleAlarmEvent(first, deps);
    deps.clock.now = new Date('2026-11-26T10:30:00.000Z');
    const data = recorded();
    data.lambda.GetAlias['payments:live'].FunctionVersion = '16';
    data.cloudwatch.DescribeAlarms['payments-p95-duration'].MetricAlarms[0].StateTransitionedTimestamp =
      new Date('2026-11-26T10:29:00.000Z');
    replayReads({ cw, lambda, cd }, data);

    // Act
    const again = await handleAlarmEvent(withState(first, 'ALARM', '2026-11-26T10:29:00.000+0000'), deps);

    // Assess
    expect(again).toMatchObject({ outcome: 'skipped', reason: 'nothing-to-roll-back' });
    expect(deps.published[1]?.title).toContain('where warden rolled it back');
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
  });

  it('still reports a performed rollback when recording its state afterwards fails', async () => {
    // Prepare
    const deps = testDeps(ddb);
    ddbStub
      .on(UpdateItemCommand)
      .rejectsOnce(
        Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }),
      );

    // Act
    const report = await handleAlarmEvent(exampleEvent('alarm-canary'), deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'performed', from: '42', to: '41' });
    expect(deps.published[0]?.detail.error).toBe(
      'state not recorded: ProvisionedThroughputExceededException: Throughput exceeded',
    );
    expect(lambda).toReceiveCommandTimes(UpdateAliasCommand, 1);
  });
});
