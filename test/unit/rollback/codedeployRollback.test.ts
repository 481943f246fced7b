import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { planCodeDeploy } from '../../../lib/rollback/codedeployRollback.js';

const cd = mockClient(CodeDeployClient);
const client = new CodeDeployClient({ region: 'eu-west-1' });
const target = { application: 'checkout', group: 'checkout-prod' };
const retry = { attempts: 3, baseMs: 1, sleep: async () => {} };
const revision = (sha: string) => ({
  revisionType: 'S3' as const,
  s3Location: { bucket: 'artifacts', key: `checkout/${sha}.zip`, bundleType: 'zip' as const },
});

describe('Function: planCodeDeploy', () => {
  beforeEach(() => {
    cd.reset();
    cd.on(ListDeploymentsCommand, {
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    }).resolves({
      deployments: [],
    });
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastAttemptedDeployment: { deploymentId: 'd-NEW', status: 'Succeeded' },
        lastSuccessfulDeployment: { deploymentId: 'd-NEW', status: 'Succeeded' },
      },
    });
    cd.on(ListDeploymentsCommand, { includeOnlyStatuses: ['Succeeded'] }).resolves({
      deployments: ['d-OLD', 'd-NEW', 'd-OLDER'],
    });
    cd.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        { deploymentId: 'd-OLDER', createTime: new Date('2026-11-20T10:00:00Z'), revision: revision('aaa') },
        { deploymentId: 'd-NEW', createTime: new Date('2026-11-26T09:00:00Z'), revision: revision('ccc') },
        { deploymentId: 'd-OLD', createTime: new Date('2026-11-24T10:00:00Z'), revision: revision('bbb') },
      ],
    });
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ROLLBACK' });
  });

  it('redeploys the previous successful revision when the last deployment already succeeded', async () => {
    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm checkout-5xx', retry });
    const to = plan.kind === 'plan' ? await plan.apply() : undefined;

    // Assess
    expect(plan).toMatchObject({ kind: 'plan', action: 'redeploy-revision', from: 'd-NEW', to: 'd-OLD' });
    expect(to).toBe('d-ROLLBACK');
    expect(cd).toReceiveCommandExactlyOnceWith(CreateDeploymentCommand, {
      applicationName: 'checkout',
      deploymentGroupName: 'checkout-prod',
      revision: revision('bbb'),
      description: 'warden rollback of d-NEW: alarm checkout-5xx',
    });
  });

  it('does not start a second deployment when a retried create had already landed', async () => {
    // Prepare
    cd.on(CreateDeploymentCommand).rejectsOnce(
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
    );
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });
    cd.on(ListDeploymentsCommand, {
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    }).resolves({
      deployments: ['d-LANDED'],
    });

    // Act
    const to = plan.kind === 'plan' ? await plan.apply() : undefined;

    // Assess
    expect(to).toBe('d-LANDED');
    expect(cd).toReceiveCommandTimes(CreateDeploymentCommand, 1);
  });

  it('has nothing to do when the last deployment failed and none is running', async () => {
    // Prepare
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { lastAttemptedDeployment: { deploymentId: 'd-X', status: 'Failed' } },
    });

    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });

    // Assess
    expect(plan).toMatchObject({ kind: 'none' });
    expect(cd).not.toReceiveCommand(CreateDeploymentCommand);
  });

  it('has nothing to do when no earlier revision differs from the current one', async () => {
    // Prepare
    cd.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        { deploymentId: 'd-NEW', createTime: new Date('2026-11-26T09:00:00Z'), revision: revision('ccc') },
      ],
    });

    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });

    // Assess
    expect(plan).toMatchObject({
      kind: 'none',
      message: 'checkout/checkout-prod: no earlier successful revision to redeploy',
    });
  });

  it('treats a deployment already stopped by a lost first attempt as done', async () => {
    // Prepare
    cd.on(ListDeploymentsCommand, {
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    }).resolves({
      deployments: ['d-RUN'],
    });
    cd.on(StopDeploymentCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    cd.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-RUN', status: 'Stopped' } });

    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });
    const to = plan.kind === 'plan' ? await plan.apply() : undefined;

    // Assess
    expect(to).toBe('automatic rollback');
    expect(cd).toReceiveCommandTimes(StopDeploymentCommand, 1);
  });

  it('copes with sparse responses: no ids, no times, no revisions', async () => {
    // Prepare
    cd.on(ListDeploymentsCommand).resolves({});
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        lastAttemptedDeployment: { deploymentId: 'd-NEW', status: 'Succeeded' },
        lastSuccessfulDeployment: { deploymentId: 'd-NEW', status: 'Succeeded' },
      },
    });
    cd.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: [{}, { deploymentId: 'd-OLD' }] });

    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });

    // Assess
    expect(plan).toMatchObject({ kind: 'none' });
    expect(cd).not.toReceiveCommand(BatchGetDeploymentsCommand);
  });

  it.each([
    [{ creator: 'codeDeployRollback' as const }],
    [{ description: 'warden rollback of d-PREV: alarm checkout-5xx' }],
  ])('does not roll back a deployment that is itself a rollback (%j)', async (marker) => {
    // Prepare
    cd.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [
        {
          deploymentId: 'd-NEW',
          createTime: new Date('2026-11-26T09:00:00Z'),
          revision: revision('ccc'),
          ...marker,
        },
        { deploymentId: 'd-OLD', createTime: new Date('2026-11-24T10:00:00Z'), revision: revision('bbb') },
      ],
    });

    // Act
    const plan = await planCodeDeploy(client, target, { reason: 'alarm', retry });

    // Assess
    expect(plan).toMatchObject({ kind: 'none', message: expect.stringContaining('is itself a rollback') });
  });
});
