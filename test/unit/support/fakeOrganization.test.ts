import {
  InvalidInputException,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  ParentNotFoundException,
} from '@aws-sdk/client-organizations';
import { afterAll, describe, expect, it } from 'vitest';
import { ORGANIZATIONS_MAX_RESULTS, organizationsPage } from '../../support/awsPaging.js';
import { type FakeOrg, minWalkPages, mockOrganization } from '../../support/fakeOrganization.js';

const org: FakeOrg = {
  root: 'r-ab12',
  ous: [{ id: 'ou-ab12-00000001', parent: 'r-ab12' }],
  accounts: Array.from({ length: 41 }, (_, i) => ({ id: String(100000000000 + i), parent: 'r-ab12' })),
};
const mock = mockOrganization(org);
const client = new OrganizationsClient({ region: 'us-east-1' });
afterAll(() => mock.restore());

describe('Fake: Organizations paging', () => {
  it('pages at MaxResults and refuses more than 20, less than 1, or a token it never issued', () => {
    // Prepare
    const items = Array.from({ length: 45 }, (_, i) => i);
    // Act
    const first = organizationsPage(items, { MaxResults: 20 });
    const last = organizationsPage(items, { MaxResults: 20, NextToken: 'page-40' });
    // Assess
    expect(first).toEqual({ items: items.slice(0, 20), NextToken: 'page-20' });
    expect(last).toEqual({ items: items.slice(40) });
    for (const input of [
      { MaxResults: ORGANIZATIONS_MAX_RESULTS + 1 },
      { MaxResults: 0 },
      { NextToken: 'x' },
    ])
      expect(() => organizationsPage(items, input)).toThrow(InvalidInputException);
  });

  it('answers a listing of an unknown parent with ParentNotFoundException', async () => {
    // Act
    const act = client.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-99999999' }));
    // Assess
    await expect(act).rejects.toBeInstanceOf(ParentNotFoundException);
  });

  it('counts the fewest pages of a walk: both listings of each parent, at least one page each', async () => {
    // Act
    const ouPage = await client.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-ab12-00000001' }),
    );
    // Assess
    expect(ouPage.OrganizationalUnits).toEqual([]);
    expect(minWalkPages(org, ['r-ab12'])).toBe(1 + 3 + 1 + 1);
  });
});
