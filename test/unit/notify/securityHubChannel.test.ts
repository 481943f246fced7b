import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultProductArn, importFindings, setWorkflowStatus } from '../../../lib/aws/securityHub.js';
import { formatNotification } from '../../../lib/notify/format.js';
import { securityHubChannel } from '../../../lib/notify/securityHub.js';
import { fakeSecurityHub } from '../../support/fakeSecurityHub.js';
import { aFinding } from '../../support/findings.js';

const hub = mockClient(SecurityHubClient);
const PRODUCT = defaultProductArn('aws', 'eu-west-1', '111111111111');
let clock = new Date('2026-11-26T09:00:00Z');

function channel() {
  const client = new SecurityHubClient({ region: 'eu-west-1' });
  return securityHubChannel({
    api: {
      import: (f) => importFindings(client, f),
      setWorkflow: (f, s) => setWorkflowStatus(client, f, s),
    },
    target: async () => ({ productArn: PRODUCT, homeAccount: '111111111111', partition: 'aws' }),
    runbookUrl: 'https://runbooks.example',
    now: () => clock,
    lingerMs: 5,
  });
}

const send = (c: ReturnType<typeof channel>, f = aFinding()) => c.send(formatNotification(f, 'open', 'x'), f);
const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    aFinding({ resourceArn: `arn:aws:rds:eu-west-1:111111111111:db:d${i}` }),
  );

describe('Function: securityHubChannel', () => {
  beforeEach(() => {
    hub.reset();
    clock = new Date('2026-11-26T09:00:00Z');
  });

  it('imports the findings of one SQS batch sent together in one call', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const c = channel();
    // Act
    await Promise.all(many(10).map((f) => send(c, f)));
    // Assess
    expect(fake.importSizes).toEqual([10]);
    expect(fake.findings.size).toBe(10);
  });

  it('never sends more than 100 findings in one call', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const c = channel();
    // Act
    await Promise.all(many(230).map((f) => send(c, f)));
    // Assess
    expect(fake.importSizes).toEqual([100, 100, 30]);
  });

  it('fails only the send of a finding Security Hub refused', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const [a, b, d] = many(3);
    fake.refuse.set(b!.id, 'LimitExceeded');
    const c = channel();
    // Act
    const results = await Promise.allSettled([a, b, d].map((f) => send(c, f)));
    // Assess
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain(
      `Security Hub BatchImportFindings refused finding ${b!.id}: LimitExceeded`,
    );
  });

  it('updates the same Security Hub finding on every send, archives and resolves it, and reopens it', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const c = channel();
    const f = aFinding();
    // Act
    await send(c, f);
    clock = new Date('2026-11-26T10:00:00Z');
    await send(c, aFinding({ severity: 'critical' }));
    const escalated = structuredClone(fake.findings.get(f.id));
    clock = new Date('2026-11-26T11:00:00Z');
    await send(c, aFinding({ status: 'resolved' }));
    const resolved = structuredClone(fake.findings.get(f.id));
    clock = new Date('2026-11-26T12:00:00Z');
    await send(c, f);
    // Assess
    expect(fake.findings.size).toBe(1);
    expect(escalated).toMatchObject({
      Severity: { Label: 'CRITICAL' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(resolved).toMatchObject({ RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' } });
    expect(fake.findings.get(f.id)).toMatchObject({ RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } });
  });

  it('fails a resolve whose workflow update Security Hub did not process', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const c = channel();
    const f = aFinding({ status: 'resolved' });
    // The import "succeeds" but the finding is not there for BatchUpdateFindings (a concurrent update).
    fake.refuse.clear();
    const original = fake.findings.set.bind(fake.findings);
    fake.findings.set = (k, v) => (k === f.id ? fake.findings : original(k, v));
    // Act
    const err = await send(c, f).catch((e: unknown) => e);
    // Assess
    expect(String(err)).toContain(
      `Security Hub BatchUpdateFindings refused finding ${f.id}: FindingNotFound`,
    );
  });

  it('fails every send of a call Security Hub refused as a whole', async () => {
    // Prepare
    hub
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const c = channel();
    // Act
    const results = await Promise.allSettled(many(3).map((f) => send(c, f)));
    // Assess
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'AccessDeniedException' });
  });
});
