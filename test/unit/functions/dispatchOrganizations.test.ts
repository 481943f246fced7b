import { AccessDeniedException, ListRootsCommand } from '@aws-sdk/client-organizations';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeOrg, mockOrganization } from '../../support/fakeOrganization.js';
import { lambdaContext } from '../../support/findings.js';

const org: FakeOrg = {
  root: 'r-ab12',
  ous: [{ id: 'ou-ab12-00000001', parent: 'r-ab12' }],
  accounts: [
    { id: '300000000001', parent: 'ou-ab12-00000001' },
    { id: '300000000002', parent: 'ou-ab12-00000001', state: 'SUSPENDED' },
    { id: '300000000003', parent: 'r-ab12' },
  ],
};
const sqs = mockClient(SQSClient);
const ssm = mockClient(SSMClient);
const organizations = mockOrganization(org);
type Handler = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
let handler: Handler;

const sent = (queue: string) =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .filter((c) => c.args[0].input.QueueUrl?.endsWith(`/warden-prod-${queue}`))
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => JSON.parse(e.MessageBody!) as Record<string, string>);

describe('Handler: dispatch (organizations source)', () => {
  beforeAll(() => {
    vi.stubEnv('WARDEN_STAGE', 'prod');
    vi.stubEnv('WARDEN_TARGET_SOURCE', 'organizations');
    vi.stubEnv('WARDEN_ORG_UNITS', 'ou-ab12-00000001');
    vi.stubEnv('WARDEN_TARGET_ACCOUNTS', '222222222222');
    vi.stubEnv('WARDEN_TARGET_REGIONS', 'eu-west-1,us-east-1');
    vi.stubEnv('WARDEN_FINDINGS_QUEUE_URL', 'warden-prod-findings');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    organizations.restore();
  });
  beforeEach(async () => {
    vi.resetModules();
    ({ handler } = (await import('../../../functions/dispatch.js')) as unknown as { handler: Handler });
    sqs.reset();
    ssm.reset();
    organizations.resetHistory();
    sqs.on(GetQueueUrlCommand).callsFake(async (input: { QueueName: string }) => ({
      QueueUrl: `https://sqs.eu-west-1.amazonaws.com/111111111111/${input.QueueName}`,
    }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'none', $metadata: {} }));
  });

  it('puts units for the explicit and the ACTIVE organization accounts under the OU, none for a suspended one', async () => {
    // Act
    const report = await handler({ automation: 'backupVerify' }, lambdaContext);
    // Assess
    // One unit per account and region on each of backupVerify's two parts.
    expect(report).toMatchObject({
      units: 12,
      queues: { backupVerify: 4, 'backupVerify-s3': 4, 'backupVerify-caches': 4 },
    });
    for (const queue of ['work-backupVerify', 'work-backupVerify-s3', 'work-backupVerify-caches'])
      expect([...new Set(sent(queue).map((u) => u.account))].sort()).toEqual([
        '222222222222',
        '300000000001',
      ]);
    expect(sent('findings')).toEqual([]);
  });

  it('dispatches the explicit targets and publishes one finding when Organizations refuses', async () => {
    // Prepare
    organizations
      .on(ListRootsCommand)
      .rejects(new AccessDeniedException({ message: 'denied', Message: 'denied', $metadata: {} }));
    vi.stubEnv('WARDEN_ORG_UNITS', '');
    vi.resetModules();
    ({ handler } = (await import('../../../functions/dispatch.js')) as unknown as { handler: Handler });
    // Act
    const report = await handler({ automation: 'backupVerify' }, lambdaContext);
    // Assess
    expect(report).toMatchObject({ units: 6 });
    expect(new Set(sent('work-backupVerify').map((u) => u.account))).toEqual(new Set(['222222222222']));
    expect(new Set(sent('work-backupVerify-caches').map((u) => u.account))).toEqual(
      new Set(['222222222222']),
    );
    expect(sent('findings')).toEqual([expect.objectContaining({ check: 'target-source', severity: 'high' })]);
  });
});
