import { beforeEach, describe, expect, it } from 'vitest';
import type { ClientPool } from '../../../lib/aws/clients.js';
import { secretCommand } from '../../../lib/cli/secret.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { ValidationError } from '../../../lib/errors.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { mockSecretsManager, SecretStore } from './fakeSecretsManager.js';

const sm = mockSecretsManager();
let store: SecretStore;

function context(apply: boolean, json: boolean) {
  const out: string[] = [];
  const published: Finding[] = [];
  const pool = {
    for: () => ({ target: { account: '111111111111', region: 'eu-west-1' }, get: () => sm.client }),
  } as unknown as ClientPool;
  const ctx: CliContext = {
    io: { out: (l) => out.push(l), err: () => {}, progress: () => {} },
    json,
    apply,
    config: () => {
      throw new Error('not needed');
    },
    pool: () => pool,
    target: async () => ({ account: '111111111111', region: 'eu-west-1' }),
    publish: async (f) => {
      published.push(...f);
    },
    now: () => new Date('2026-11-26T10:00:00Z'),
  };
  return { ctx, out, published };
}

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
});

describe('Function: secretCommand.run', () => {
  it('plans a rotation without --apply and publishes the planned action', async () => {
    // Prepare
    store.add({ name: 'app/db', value: '{}' });
    const { ctx, out, published } = context(false, false);
    // Act
    const code = await secretCommand.run(['rotate', 'app/db'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'planned: Would rotate app/db now',
      'dry-run: nothing changed; re-run with --apply to act',
    ]);
    expect(published[0]?.action?.result).toBe('planned');
  });

  it('prints one JSON document and exits 1 when the operation is refused', async () => {
    // Prepare
    store.add({ name: 'app/db', value: '{}' });
    const { ctx, out } = context(true, true);
    // Act
    const code = await secretCommand.run(['rollback', 'app/db'], ctx);
    // Assess
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ outcome: 'refused' });
  });

  it('rejects bad usage with a ValidationError', async () => {
    // Prepare
    const { ctx } = context(false, false);
    // Act + Assess
    await expect(secretCommand.run(['explode', 'x'], ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(secretCommand.run(['heal'], ctx)).rejects.toThrow('one secret id');
    await expect(secretCommand.run(['heal', 'a', '--force'], ctx)).rejects.toThrow();
  });
});
