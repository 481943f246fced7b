import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, describe, expect, it } from 'vitest';
import { listAccountsUnder, listAccountTags, organizationsReader } from '../../../lib/aws/organizations.js';
import { type FakeOrg, minWalkPages, mockOrganization } from '../../support/fakeOrganization.js';

const ROOT = 'r-ab12';
const ou = (n: number) => `ou-ab12-${String(n).padStart(8, '0')}`;
const id = (n: number) => String(200000000000 + n);

/** 45 accounts straight under the root (3 pages), an OU with 25 (2 pages) and a nested OU with 1, suspended. */
const org: FakeOrg = {
  root: ROOT,
  ous: [
    { id: ou(1), parent: ROOT },
    { id: ou(2), parent: ou(1) },
  ],
  accounts: [
    ...Array.from({ length: 45 }, (_, i) => ({ id: id(i), parent: ROOT })),
    ...Array.from({ length: 25 }, (_, i) => ({
      id: id(100 + i),
      parent: ou(1),
      tags: Object.fromEntries(Array.from({ length: 23 }, (_, t) => [`k${t}`, `v${i}`])),
    })),
    { id: id(200), parent: ou(2), state: 'SUSPENDED' },
  ],
};
const mock = mockOrganization(org);
const client = new OrganizationsClient({ region: 'us-east-1' });
afterAll(() => mock.restore());

describe('Function: listAccountsUnder', () => {
  it('walks nested OUs page by page, each account once with its OU path', async () => {
    // Prepare
    mock.resetHistory();
    // Act
    const accounts = await listAccountsUnder(client, ROOT);
    // Assess
    expect(accounts).toHaveLength(71);
    expect(new Set(accounts.map((a) => a.id)).size).toBe(71);
    expect(accounts.find((a) => a.id === id(200))).toMatchObject({
      active: false,
      state: 'SUSPENDED',
      path: [ROOT, ou(1), ou(2)],
    });
    const pages =
      mock.commandCalls(ListAccountsForParentCommand).length +
      mock.commandCalls(ListOrganizationalUnitsForParentCommand).length;
    expect(pages).toBe(minWalkPages(org, [ROOT]));
    for (const c of mock.commandCalls(ListAccountsForParentCommand))
      expect(c.args[0].input.MaxResults).toBe(20);
  });

  it('does not enter an OU in skip', async () => {
    // Act
    const accounts = await listAccountsUnder(client, ROOT, new Set([ou(1)]));
    // Assess
    expect(accounts).toHaveLength(45);
  });
});

describe('Function: listAccountTags', () => {
  it('reads every page of an account tags', async () => {
    // Act
    const tags = await listAccountTags(client, id(103));
    // Assess
    expect(Object.keys(tags)).toHaveLength(23);
    expect(tags.k22).toBe('v3');
    expect(mock).toReceiveCommandWith(ListTagsForResourceCommand, {
      ResourceId: id(103),
      NextToken: 'page-20',
    });
  });

  it('lets the service error of an unknown account through', async () => {
    // Act
    const act = organizationsReader(client).tagsOf('999999999999');
    // Assess
    await expect(act).rejects.toThrow(/TargetNotFound|not found/);
  });
});
