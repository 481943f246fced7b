import {
  type Account,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

/** The most a page of ListAccounts, ListAccountsForParent or ListOrganizationalUnitsForParent may hold. */
export const ORGANIZATIONS_PAGE_SIZE = 20;

/** An account as warden uses it: id, name, and whether it is usable (ACTIVE, not suspended or closed). */
export interface OrgAccount {
  id: string;
  name: string;
  active: boolean;
  /** The account's state as Organizations gives it (`State`, or the older `Status`). */
  state: string;
}

function toAccount(a: Account): OrgAccount | undefined {
  if (!a.Id) return undefined;
  const state = String(a.State ?? a.Status ?? 'UNKNOWN');
  return { id: a.Id, name: a.Name ?? a.Id, active: state === 'ACTIVE', state };
}

/** Every account of the organization (management or delegated-administrator account), every page. */
export async function listOrganizationAccounts(org: OrganizationsClient): Promise<OrgAccount[]> {
  const out: OrgAccount[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(
      new ListAccountsCommand({
        MaxResults: ORGANIZATIONS_PAGE_SIZE,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const a of page.Accounts ?? []) {
      const account = toAccount(a);
      if (account) out.push(account);
    }
    token = page.NextToken;
  } while (token);
  return out;
}

/** The organization's root id (`r-...`). */
export async function organizationRootId(org: OrganizationsClient): Promise<string> {
  const out = await org.send(new ListRootsCommand({}));
  const id = out.Roots?.[0]?.Id;
  if (!id) throw new Error('Organizations returned no root');
  return id;
}

/** An account found under an organizational unit, with the OU path from the start of the walk down to it. */
export interface AccountUnder extends OrgAccount {
  /** OU ids from the walk's start (first) to the account's own parent (last). */
  path: string[];
}

async function pages<T>(
  fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
) {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

/**
 * Every account under a root or OU, nested OUs included, each with its OU path. Siblings are read concurrently
 * (one parent's children and accounts at once), each listing paged at the API's maximum page size. OUs in `skip`
 * are not entered (another walk covers them).
 */
export async function listAccountsUnder(
  org: OrganizationsClient,
  parentId: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<AccountUnder[]> {
  const walk = async (id: string, path: string[]): Promise<AccountUnder[]> => {
    const here = [...path, id];
    const [children, accounts] = await Promise.all([
      pages(async (token) => {
        const p = await org.send(
          new ListOrganizationalUnitsForParentCommand({
            ParentId: id,
            MaxResults: ORGANIZATIONS_PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        return {
          items: (p.OrganizationalUnits ?? []).flatMap((u) => (u.Id ? [u.Id] : [])),
          next: p.NextToken,
        };
      }),
      pages(async (token) => {
        const p = await org.send(
          new ListAccountsForParentCommand({
            ParentId: id,
            MaxResults: ORGANIZATIONS_PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        return { items: (p.Accounts ?? []).flatMap((a) => toAccount(a) ?? []), next: p.NextToken };
      }),
    ]);
    const nested = await Promise.all(children.filter((c) => !skip.has(c)).map((c) => walk(c, here)));
    return [...accounts.map((a) => ({ ...a, path: here })), ...nested.flat()];
  };
  return walk(parentId, []);
}

/** An account's tags (ListTagsForResource, every page), as key -> value. */
export async function listAccountTags(
  org: OrganizationsClient,
  accountId: string,
): Promise<Record<string, string>> {
  const tags = await pages(async (token) => {
    const p = await org.send(
      new ListTagsForResourceCommand({ ResourceId: accountId, ...(token ? { NextToken: token } : {}) }),
    );
    return { items: p.Tags ?? [], next: p.NextToken };
  });
  return Object.fromEntries(tags.flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

/** The reads target resolution makes of AWS Organizations, bound to one client. */
export interface OrganizationsReader {
  rootId(): Promise<string>;
  accountsUnder(parentId: string, skip: ReadonlySet<string>): Promise<AccountUnder[]>;
  tagsOf(accountId: string): Promise<Record<string, string>>;
}

export function organizationsReader(org: OrganizationsClient): OrganizationsReader {
  return {
    rootId: () => organizationRootId(org),
    accountsUnder: (parentId, skip) => listAccountsUnder(org, parentId, skip),
    tagsOf: (accountId) => listAccountTags(org, accountId),
  };
}
