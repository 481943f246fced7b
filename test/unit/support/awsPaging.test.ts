import { RDSServiceException } from '@aws-sdk/client-rds';
import {
  InvalidNextTokenException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import {
  BatchEntryIdsNotDistinct,
  EmptyBatchRequest,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  batchesFor,
  checkSendMessageBatch,
  pagesFor,
  RDS_MAX_RECORDS,
  rdsPage,
  SECRETS_MANAGER_MAX_RESULTS,
  SQS_MAX_BATCH_ENTRIES,
} from '../../support/awsPaging.js';
import { mockSecretsManager, SecretStore } from '../secrets/fakeSecretsManager.js';

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Fake: Secrets Manager paging (SecretStore behind the mocked client)', () => {
  const sm = mockSecretsManager();
  let store: SecretStore;

  beforeEach(() => {
    sm.mock.reset();
    store = new SecretStore();
    for (let i = 0; i < 250; i++) store.add({ name: `app-${i}`, value: '{}' });
    store.install(sm.mock);
  });

  it('returns at most MaxResults secrets a page and walks them all with NextToken', async () => {
    // Prepare
    const sizes: number[] = [];
    const names = new Set<string>();
    let token: string | undefined;
    // Act
    do {
      const r = await sm.client.send(new ListSecretsCommand({ MaxResults: 40, NextToken: token }));
      sizes.push(r.SecretList?.length ?? 0);
      for (const s of r.SecretList ?? []) names.add(s.Name ?? '');
      token = r.NextToken;
    } while (token);
    // Assess
    expect(sizes).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(names.size).toBe(250);
  });

  it('serves the API maximum, 100, when MaxResults is left out', async () => {
    // Act
    const r = await sm.client.send(new ListSecretsCommand({}));
    // Assess
    expect(r.SecretList).toHaveLength(SECRETS_MANAGER_MAX_RESULTS);
    expect(r.NextToken).toBeDefined();
  });

  it.each([101, 0, 1000])(
    'rejects MaxResults %i with a ValidationException, as the service does',
    async (n) => {
      // Act
      const call = sm.client.send(new ListSecretsCommand({ MaxResults: n }));
      // Assess
      await expect(call).rejects.toBeInstanceOf(SecretsManagerServiceException);
      await expect(call).rejects.toMatchObject({ name: 'ValidationException' });
    },
  );

  it('rejects a NextToken it never issued with InvalidNextTokenException', async () => {
    // Act
    const call = sm.client.send(new ListSecretsCommand({ MaxResults: 100, NextToken: 'made-up' }));
    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('pages ListSecretVersionIds and rejects MaxResults above 100', async () => {
    // Prepare
    const arn = store.add({ name: 'rotating', value: 'v1' });
    for (let i = 0; i < 3; i++) store.put({ SecretId: arn, SecretString: `v${i + 2}` });
    // Act
    const first = await sm.client.send(new ListSecretVersionIdsCommand({ SecretId: arn, MaxResults: 1 }));
    const rest = await sm.client.send(
      new ListSecretVersionIdsCommand({ SecretId: arn, MaxResults: 1, NextToken: first.NextToken }),
    );
    const tooMany = sm.client.send(new ListSecretVersionIdsCommand({ SecretId: arn, MaxResults: 101 }));
    // Assess
    expect(first.Versions).toHaveLength(1);
    expect(rest.Versions?.[0]?.VersionId).not.toBe(first.Versions?.[0]?.VersionId);
    expect(rest.NextToken).toBeUndefined();
    await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('Function: rdsPage', () => {
  it('returns MaxRecords items a page and a Marker to the next until the last', () => {
    // Prepare
    const items = numbers(230);
    const seen: number[] = [];
    let marker: string | undefined;
    let calls = 0;
    // Act
    do {
      const p = rdsPage(items, { MaxRecords: 100, Marker: marker });
      seen.push(...p.items);
      marker = p.Marker;
      calls++;
    } while (marker);
    // Assess
    expect(seen).toEqual(items);
    expect(calls).toBe(pagesFor(230, RDS_MAX_RECORDS));
  });

  it.each([19, 101, 0])('rejects MaxRecords %i with InvalidParameterValue, as RDS does', (n) => {
    // Act
    const call = () => rdsPage(numbers(5), { MaxRecords: n });
    // Assess
    expect(call).toThrow(RDSServiceException);
    expect(call).toThrow(expect.objectContaining({ name: 'InvalidParameterValue' }));
  });

  it('rejects a Marker it never issued', () => {
    // Assess
    expect(() => rdsPage(numbers(5), { Marker: 'page-99' })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue' }),
    );
  });

  it('answers an empty list with one empty page, which still costs a call', () => {
    // Assess
    expect(rdsPage([], {})).toEqual({ items: [] });
    expect(pagesFor(0, RDS_MAX_RECORDS)).toBe(1);
  });
});

describe('Function: checkSendMessageBatch', () => {
  const entries = (n: number) => numbers(n).map((i) => ({ Id: `m${i}` }));

  it('accepts 1 to 10 entries', () => {
    // Assess
    expect(() => checkSendMessageBatch(entries(1))).not.toThrow();
    expect(() => checkSendMessageBatch(entries(SQS_MAX_BATCH_ENTRIES))).not.toThrow();
    expect(batchesFor(25, SQS_MAX_BATCH_ENTRIES)).toBe(3);
  });

  it('rejects 11 entries, none, and repeated ids as SQS does', () => {
    // Assess
    expect(() => checkSendMessageBatch(entries(11))).toThrow(TooManyEntriesInBatchRequest);
    expect(() => checkSendMessageBatch([])).toThrow(EmptyBatchRequest);
    expect(() => checkSendMessageBatch([{ Id: 'a' }, { Id: 'a' }])).toThrow(BatchEntryIdsNotDistinct);
  });
});
