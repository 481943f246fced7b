import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  chunksById,
  defaultProductArn,
  describeHub,
  importFindings,
  setWorkflowStatus,
} from '../../../lib/aws/securityHub.js';
import { fakeSecurityHub } from '../../support/fakeSecurityHub.js';

const hub = mockClient(SecurityHubClient);
const client = () => new SecurityHubClient({ region: 'eu-west-1' });
const PRODUCT = defaultProductArn('aws', 'eu-west-1', '111111111111');

const asff = (id: string, updatedAt = '2026-11-26T08:00:00.000Z'): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: id,
  ProductArn: PRODUCT,
  GeneratorId: 'warden/backupVerify/rpo',
  AwsAccountId: '111111111111',
  Types: ['Software and Configuration Checks/AWS Security Best Practices'],
  CreatedAt: '2026-11-26T08:00:00.000Z',
  UpdatedAt: updatedAt,
  Severity: { Label: 'HIGH' },
  Title: `finding ${id}`,
  Description: 'd',
  Resources: [{ Type: 'Other', Id: `res-${id}` }],
});

describe('Function: importFindings', () => {
  beforeEach(() => hub.reset());

  it('imports 250 findings in calls of 100, 100 and 50', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    const findings = Array.from({ length: 250 }, (_, i) => asff(`f${i}`));
    // Act
    const failed = await importFindings(client(), findings);
    // Assess
    expect(failed).toEqual([]);
    expect(fake.importSizes).toEqual([100, 100, 50]);
    expect(fake.findings.size).toBe(250);
  });

  it('returns the findings Security Hub refused, with their error, and keeps the others', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    fake.refuse.set('f1', 'LimitExceeded');
    // Act
    const failed = await importFindings(client(), [
      asff('f0'),
      asff('f1'),
      { ...asff('f2'), Title: 'x'.repeat(257) },
    ]);
    // Assess
    expect(failed).toEqual([
      { id: 'f1', code: 'LimitExceeded', message: 'refused' },
      { id: 'f2', code: 'InvalidInput', message: 'Title longer than 256' },
    ]);
    expect([...fake.findings.keys()]).toEqual(['f0']);
  });

  it('never puts the same Id twice in one call', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    // Act
    const failed = await importFindings(client(), [
      asff('a', '2026-11-26T08:00:00.000Z'),
      asff('a', '2026-11-26T09:00:00.000Z'),
    ]);
    // Assess
    expect(failed).toEqual([]);
    expect(fake.importSizes).toEqual([1, 1]);
    expect(fake.findings.get('a')?.UpdatedAt).toBe('2026-11-26T09:00:00.000Z');
  });

  it('lets an error of the whole call through', async () => {
    // Prepare
    hub
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    // Act
    const err = await importFindings(client(), [asff('a')]).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('Function: setWorkflowStatus', () => {
  beforeEach(() => hub.reset());

  it('sets the workflow of known findings in calls of at most 100 and returns the unprocessed ones', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    await importFindings(
      client(),
      Array.from({ length: 120 }, (_, i) => asff(`f${i}`)),
    );
    const ids = [...Array.from({ length: 120 }, (_, i) => `f${i}`), 'ghost'].map((id) => ({
      id,
      productArn: PRODUCT,
    }));
    // Act
    const failed = await setWorkflowStatus(client(), ids, 'RESOLVED');
    // Assess
    expect(failed).toEqual([{ id: 'ghost', code: 'FindingNotFound', message: 'not found' }]);
    expect(
      hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input.FindingIdentifiers?.length),
    ).toEqual([100, 21]);
    expect(fake.findings.get('f119')?.Workflow).toEqual({ Status: 'RESOLVED' });
  });
});

describe('Function: describeHub', () => {
  beforeEach(() => hub.reset());

  it('gives the hub ARN, and fails when Security Hub is not enabled', async () => {
    // Prepare
    const fake = fakeSecurityHub(hub);
    // Act
    const on = await describeHub(client());
    fake.disabled = true;
    const off = await describeHub(client()).catch((e: unknown) => e);
    // Assess
    expect(on.hubArn).toBe('arn:aws:securityhub:eu-west-1:111111111111:hub/default');
    expect(off).toMatchObject({ name: 'InvalidAccessException' });
  });
});

describe('Function: chunksById', () => {
  it('fills chunks up to the limit and moves a repeated id to a later chunk', () => {
    // Act
    const chunks = chunksById(['a', 'b', 'a', 'c', 'a'], (x) => x, 2);
    // Assess
    expect(chunks).toEqual([['a', 'b'], ['a', 'c'], ['a']]);
  });
});
