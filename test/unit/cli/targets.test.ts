import { ListRootsCommand, OrganizationsServiceException } from '@aws-sdk/client-organizations';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../lib/cli/main.js';
import { recorder } from '../../support/cliIo.js';
import { type FakeOrg, mockOrganization } from '../../support/fakeOrganization.js';

const HOME = '111111111111';
const org: FakeOrg = {
  root: 'r-ab12',
  ous: [{ id: 'ou-ab12-00000001', parent: 'r-ab12' }],
  accounts: [
    { id: HOME, name: 'management', parent: 'r-ab12' },
    { id: '300000000001', name: 'prod-a', parent: 'ou-ab12-00000001' },
    { id: '300000000002', name: 'old', parent: 'ou-ab12-00000001', state: 'SUSPENDED' },
  ],
};
const organizations = mockOrganization(org);
afterAll(() => organizations.restore());
const env = {
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: HOME,
  WARDEN_TARGET_SOURCE: 'organizations',
  WARDEN_TARGET_ACCOUNTS: '222222222222',
  WARDEN_TARGET_REGIONS: 'eu-west-1,us-east-1',
};

describe('Command: warden targets', () => {
  beforeEach(() => organizations.resetHistory());

  it('prints each target account with its source, and the skipped ones with why', async () => {
    // Prepare
    const io = recorder({ progress: false });
    // Act
    const code = await main(['targets'], io, env);
    // Assess
    expect(code).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/222222222222\s+explicit\s/);
    expect(out).toMatch(/300000000001\s+prod-a\s+organizations\s+ou-ab12-00000001\s+eu-west-1,us-east-1/);
    expect(out).toMatch(/300000000002\s+old\s+skipped: state SUSPENDED/);
    expect(out).toContain('3 account(s) x 2 region(s) = 6 target(s); source organizations (merge)');
  });

  it('prints the resolution as JSON with --json', async () => {
    // Prepare
    const io = recorder({ progress: false });
    // Act
    const code = await main(['targets', '--json'], io, { ...env, WARDEN_ORG_TARGET_MODE: 'replace' });
    // Assess
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.join('\n')) as { accounts: { account: string; sources: string[] }[] };
    expect(r.accounts.map((a) => a.account).sort()).toEqual([HOME, '300000000001']);
    expect(r).toMatchObject({ source: 'organizations', mode: 'replace', findings: [] });
  });

  it('lists the explicit targets and the finding, exit 1, when Organizations cannot be read', async () => {
    // Prepare
    const io = recorder({ progress: false });
    organizations.on(ListRootsCommand).rejectsOnce(
      new OrganizationsServiceException({
        name: 'AWSOrganizationsNotInUseException',
        $fault: 'client',
        message: 'Your account is not a member of an organization.',
        $metadata: {},
      }),
    );
    // Act
    const code = await main(['targets'], io, env);
    // Assess
    expect(code).toBe(1);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/222222222222\s+explicit/);
    expect(out).not.toContain('300000000001');
    expect(out).toContain('target-source');
  });

  it('exits 2 on an argument', async () => {
    // Prepare
    const io = recorder({ progress: false });
    // Act
    const code = await main(['targets', 'all'], io, env);
    // Assess
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('warden targets [--json]');
  });
});
