import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  ParentNotFoundException,
  TargetNotFoundException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { ORGANIZATIONS_MAX_RESULTS, organizationsPage, pagesFor } from './awsPaging.js';

export interface FakeAccount {
  id: string;
  name?: string;
  parent: string;
  state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  tags?: Record<string, string>;
}

/** An organization as the fake serves it: a root, OUs by parent, accounts by parent. */
export interface FakeOrg {
  root: string;
  ous: { id: string; parent: string }[];
  accounts: FakeAccount[];
}

type Serve = <T>(answer: () => T) => Promise<T>;
const now: Serve = async (answer) => answer();
const meta = { $metadata: { httpStatusCode: 400 } };

/**
 * Answers the Organizations reads from `org`, paged as the service pages them (MaxResults 1..20, NextToken), with
 * ParentNotFoundException for an unknown parent and TargetNotFoundException for an unknown account's tags.
 * `serve` delays and counts each call (bench/support/served.ts).
 */
export function mockOrganization(org: FakeOrg, serve: Serve = now) {
  const mock = mockClient(OrganizationsClient);
  const parents = new Set([org.root, ...org.ous.map((o) => o.id)]);
  const parent = (id: string | undefined) => {
    if (!id || !parents.has(id))
      throw new ParentNotFoundException({ message: `parent ${id} not found`, Message: 'not found', ...meta });
    return id;
  };
  const shape = (a: FakeAccount) => ({
    Id: a.id,
    Name: a.name ?? `account ${a.id}`,
    Arn: `arn:aws:organizations::000000000000:account/o-fake/${a.id}`,
    State: a.state ?? 'ACTIVE',
    Status: a.state === 'ACTIVE' || !a.state ? 'ACTIVE' : 'SUSPENDED',
  });
  mock
    .on(ListRootsCommand)
    .callsFake(() => serve(() => ({ Roots: [{ Id: org.root, Name: 'Root' }] })))
    .on(ListAccountsCommand)
    .callsFake((input) =>
      serve(() => {
        const p = organizationsPage(org.accounts.map(shape), input);
        return { Accounts: p.items, NextToken: p.NextToken };
      }),
    )
    .on(ListAccountsForParentCommand)
    .callsFake((input) =>
      serve(() => {
        const id = parent(input.ParentId);
        const p = organizationsPage(org.accounts.filter((a) => a.parent === id).map(shape), input);
        return { Accounts: p.items, NextToken: p.NextToken };
      }),
    )
    .on(ListOrganizationalUnitsForParentCommand)
    .callsFake((input) =>
      serve(() => {
        const id = parent(input.ParentId);
        const children = org.ous.filter((o) => o.parent === id).map((o) => ({ Id: o.id, Name: o.id }));
        const p = organizationsPage(children, input);
        return { OrganizationalUnits: p.items, NextToken: p.NextToken };
      }),
    )
    .on(ListTagsForResourceCommand)
    .callsFake((input) =>
      serve(() => {
        const account = org.accounts.find((a) => a.id === input.ResourceId);
        if (!account)
          throw new TargetNotFoundException({ message: 'target not found', Message: 'not found', ...meta });
        const tags = Object.entries(account.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
        const p = organizationsPage(tags, { NextToken: input.NextToken });
        return { Tags: p.items, NextToken: p.NextToken };
      }),
    );
  return mock;
}

/**
 * The fewest ListOrganizationalUnitsForParent and ListAccountsForParent pages that walk every parent under
 * `starts` (each parent needs both listings, at least one page each, at 20 a page).
 */
export function minWalkPages(org: FakeOrg, starts: readonly string[]): number {
  const under = (id: string): string[] => [
    id,
    ...org.ous.filter((o) => o.parent === id).flatMap((o) => under(o.id)),
  ];
  return starts
    .flatMap(under)
    .reduce(
      (n, id) =>
        n +
        pagesFor(org.ous.filter((o) => o.parent === id).length, ORGANIZATIONS_MAX_RESULTS) +
        pagesFor(org.accounts.filter((a) => a.parent === id).length, ORGANIZATIONS_MAX_RESULTS),
      0,
    );
}
