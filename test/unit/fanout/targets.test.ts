import {
  AccessDeniedException,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { organizationsReader } from '../../../lib/aws/organizations.js';
import { loadConfig } from '../../../lib/config.js';
import { resolveTargetSet, targetResolver } from '../../../lib/fanout/targets.js';
import { type FakeOrg, minWalkPages, mockOrganization } from '../../support/fakeOrganization.js';

const ROOT = 'r-ab12';
const OU_PROD = 'ou-ab12-00000001';
const OU_PROD_EU = 'ou-ab12-00000002';
const OU_SANDBOX = 'ou-ab12-00000003';
const HOME = '111111111111';
const EXPLICIT = '222222222222';

const org: FakeOrg = {
  root: ROOT,
  ous: [
    { id: OU_PROD, parent: ROOT },
    { id: OU_PROD_EU, parent: OU_PROD },
    { id: OU_SANDBOX, parent: ROOT },
  ],
  accounts: [
    { id: HOME, parent: ROOT },
    { id: '300000000001', name: 'prod-a', parent: OU_PROD, tags: { env: 'prod' } },
    { id: '300000000002', name: 'prod-eu', parent: OU_PROD_EU, tags: { env: 'prod', team: 'x' } },
    { id: '300000000003', name: 'gone', parent: OU_PROD_EU, state: 'SUSPENDED', tags: { env: 'prod' } },
    { id: '300000000004', name: 'closing', parent: OU_PROD, state: 'PENDING_CLOSURE' },
    { id: '300000000005', name: 'sandbox', parent: OU_SANDBOX, tags: { env: 'sandbox' } },
    { id: EXPLICIT, name: 'explicit', parent: OU_SANDBOX },
  ],
};
const mock = mockOrganization(org);
const reader = organizationsReader(new OrganizationsClient({ region: 'us-east-1' }));
afterAll(() => mock.restore());

const deps = (env: Record<string, string> = {}) => ({
  config: loadConfig({
    WARDEN_STAGE: 'dev',
    AWS_REGION: 'eu-west-1',
    WARDEN_TARGET_REGIONS: 'eu-west-1,us-east-1',
    WARDEN_TARGET_SOURCE: 'organizations',
    ...env,
  }),
  homeAccount: HOME,
  org: reader,
  now: () => new Date('2026-01-01T00:00:00Z'),
});
const ids = (accounts: { account: string }[]) => accounts.map((a) => a.account).sort();

describe('Function: resolveTargetSet', () => {
  beforeEach(() => mock.resetHistory());

  it('keeps the explicit list, and never calls Organizations, with the explicit source', async () => {
    // Act
    const r = await resolveTargetSet(
      deps({ WARDEN_TARGET_SOURCE: 'explicit', WARDEN_TARGET_ACCOUNTS: EXPLICIT }),
    );
    // Assess
    expect(r.accounts).toEqual([{ account: EXPLICIT, sources: ['explicit'] }]);
    expect(r.targets).toEqual([
      { account: EXPLICIT, region: 'eu-west-1' },
      { account: EXPLICIT, region: 'us-east-1' },
    ]);
    expect(mock.calls()).toHaveLength(0);
  });

  it('merges the ACTIVE organization accounts with the explicit ones, recording the source of each', async () => {
    // Act
    const r = await resolveTargetSet(deps({ WARDEN_TARGET_ACCOUNTS: `${EXPLICIT},333333333333` }));
    // Assess
    expect(ids(r.accounts)).toEqual(
      [HOME, EXPLICIT, '333333333333', '300000000001', '300000000002', '300000000005'].sort(),
    );
    expect(r.accounts.find((a) => a.account === EXPLICIT)).toMatchObject({
      sources: ['explicit', 'organizations'],
      parent: OU_SANDBOX,
    });
    expect(r.accounts.find((a) => a.account === '333333333333')?.sources).toEqual(['explicit']);
    expect(r.targets).toHaveLength(12);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { account: '300000000003', name: 'gone', reason: 'state SUSPENDED' },
        { account: '300000000004', name: 'closing', reason: 'state PENDING_CLOSURE' },
      ]),
    );
    expect(r.findings).toEqual([]);
  });

  it('drops an explicit account the organization reports suspended', async () => {
    // Act
    const r = await resolveTargetSet(deps({ WARDEN_TARGET_ACCOUNTS: '300000000003' }));
    // Assess
    expect(ids(r.accounts)).not.toContain('300000000003');
  });

  it('replaces the explicit list with the accounts under the OUs, walking nested OUs once', async () => {
    // Act
    const r = await resolveTargetSet(
      deps({
        WARDEN_TARGET_ACCOUNTS: EXPLICIT,
        WARDEN_ORG_TARGET_MODE: 'replace',
        WARDEN_ORG_UNITS: `${OU_PROD},${OU_PROD_EU}`,
      }),
    );
    // Assess
    expect(ids(r.accounts)).toEqual(['300000000001', '300000000002']);
    expect(r.accounts.find((a) => a.account === '300000000002')?.parent).toBe(OU_PROD_EU);
    expect(mock.commandCalls(ListRootsCommand)).toHaveLength(0);
    const pages =
      mock.commandCalls(ListAccountsForParentCommand).length +
      mock.commandCalls(ListOrganizationalUnitsForParentCommand).length;
    expect(pages).toBe(minWalkPages(org, [OU_PROD]));
  });

  it('keeps accounts with an include tag and drops those with an exclude tag', async () => {
    // Act
    const r = await resolveTargetSet(
      deps({
        WARDEN_ORG_TARGET_MODE: 'replace',
        WARDEN_ORG_INCLUDE_TAGS: 'env=prod,env=sandbox',
        WARDEN_ORG_EXCLUDE_TAGS: 'team=x',
      }),
    );
    // Assess
    expect(ids(r.accounts)).toEqual(['300000000001', '300000000005']);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { account: '300000000002', name: 'prod-eu', reason: 'tag team=x excluded' },
        { account: EXPLICIT, name: 'explicit', reason: 'none of the include tags (env=prod, env=sandbox)' },
      ]),
    );
    // Tags are read for ACTIVE accounts only.
    expect(mock).not.toReceiveCommandWith(ListTagsForResourceCommand, { ResourceId: '300000000003' });
  });

  it('runs the explicit targets and raises one finding when an Organizations call fails', async () => {
    // Prepare
    mock.on(ListRootsCommand).rejectsOnce(
      new AccessDeniedException({
        message: 'not the management account',
        Message: 'not the management account',
        $metadata: {},
      }),
    );
    // Act
    const r = await resolveTargetSet(deps({ WARDEN_TARGET_ACCOUNTS: EXPLICIT }));
    // Assess
    expect(r.accounts).toEqual([{ account: EXPLICIT, sources: ['explicit'] }]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ check: 'target-source', severity: 'high', account: HOME });
    expect(String(r.findings[0]?.detail.error)).toContain('not the management account');
  });

  it('falls back to the home account when Organizations fails and no account is listed', async () => {
    // Prepare
    const { org: _org, ...withoutOrg } = deps();
    // Act
    const r = await resolveTargetSet(withoutOrg);
    // Assess
    expect(r.accounts).toEqual([{ account: HOME, sources: ['home'] }]);
    expect(r.findings).toHaveLength(1);
  });
});

describe('Function: targetResolver', () => {
  it('reads the organization once per run', async () => {
    // Prepare
    mock.resetHistory();
    const resolve = targetResolver(deps());
    // Act
    const [a, b] = await Promise.all([resolve(), resolve()]);
    const c = await resolve();
    // Assess
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(mock.commandCalls(ListRootsCommand)).toHaveLength(1);
  });
});

describe('Function: loadConfig (organizations source)', () => {
  it.each([
    ['WARDEN_ORG_UNITS', 'ou-1'],
    ['WARDEN_ORG_INCLUDE_TAGS', 'env'],
    ['WARDEN_ORG_EXCLUDE_TAGS', '=prod'],
    ['WARDEN_TARGET_SOURCE', 'org'],
    ['WARDEN_ORG_TARGET_MODE', 'union'],
  ])('names %s when it is malformed', (name, value) => {
    // Act
    const act = () => deps({ [name]: value });
    // Assess
    expect(act).toThrow(new RegExp(`${name}: expected`));
  });
});
