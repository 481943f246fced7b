import { describe, expect, it } from 'vitest';
import type { Target } from '../../../lib/aws/clients.js';
import { rollbackAccounts } from '../../../lib/rollback/accounts.js';

const home = { account: '111111111111', region: 'eu-west-1' };
const member = { account: '222222222222', region: 'eu-west-1' };
const later = { account: '333333333333', region: 'eu-west-1' };

function source(initial: Target[]) {
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  const state = { targets: initial, resolutions: 0 };
  const accounts = rollbackAccounts({
    home: () => home,
    now: () => clock.now,
    resolve: async () => {
      state.resolutions++;
      return state.targets;
    },
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { accounts, state, advance };
}

describe('Function: rollbackAccounts', () => {
  it('serves the home account without resolving, and target accounts from one cached resolution', async () => {
    // Prepare
    const { accounts, state } = source([member, { ...member, region: 'us-east-1' }]);

    // Act
    const homeAllowed = await accounts.allows(home.account);
    const before = state.resolutions;
    const memberAllowed = await accounts.allows(member.account);
    const targets = await accounts.targets();

    // Assess
    expect(homeAllowed).toBe(true);
    expect(before).toBe(0);
    expect(memberAllowed).toBe(true);
    expect(targets).toEqual([home, member, { ...member, region: 'us-east-1' }]);
    expect(state.resolutions).toBe(1);
  });

  it('refuses an account warden does not target, re-resolving on a miss at most once a minute', async () => {
    // Prepare
    const { accounts, state, advance } = source([member]);
    await accounts.targets();

    // Act
    const early = await accounts.allows(later.account);
    advance(30_000);
    const stillCached = await accounts.allows(later.account);
    state.targets = [member, later];
    const beforeRefresh = await accounts.allows(later.account);
    advance(61_000);
    const afterRefresh = await accounts.allows(later.account);

    // Assess
    expect([early, stillCached, beforeRefresh, afterRefresh]).toEqual([false, false, false, true]);
    expect(state.resolutions).toBe(2);
  });

  it('lists home once even when the targets include it', async () => {
    // Prepare
    const { accounts } = source([home, member]);

    // Act
    const targets = await accounts.targets();

    // Assess
    expect(targets).toEqual([home, member]);
  });

  it('shares one resolution among concurrent callers and does not cache a failure', async () => {
    // Prepare
    let calls = 0;
    let fail = true;
    const accounts = rollbackAccounts({
      home: () => home,
      now: () => new Date('2026-12-01T10:00:00Z'),
      resolve: async () => {
        calls++;
        if (fail) throw new Error('organizations: AccessDenied');
        return [member];
      },
    });

    // Act
    const failed = await Promise.allSettled([accounts.allows(member.account), accounts.targets()]);
    fail = false;
    const recovered = await accounts.allows(member.account);

    // Assess
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(recovered).toBe(true);
    expect(calls).toBe(2);
  });
});
