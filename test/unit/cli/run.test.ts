import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { createStateStore } from '../../../lib/aws/stateStore.js';
import { runCommand } from '../../../lib/cli/run.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import type { Finding } from '../../../lib/findings/finding.js';
import { warningKey } from '../../../lib/secrets/warningLedger.js';
import { fakeDynamo } from '../../support/fakeDynamo.js';
import { mockSecretsManager, SecretStore } from '../secrets/fakeSecretsManager.js';

const sm = mockSecretsManager();
const ddb = mockClient(DynamoDBClient);
const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');
const env = { WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_HOME_ACCOUNT: '111111111111' };
let store: SecretStore;

function context(extraEnv: Record<string, string>) {
  const lines: string[] = [];
  const published: Finding[] = [];
  const ctx: CliContext = {
    io: { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), progress: () => {} },
    json: false,
    apply: false,
    config: () => loadConfig({ ...env, ...extraEnv }),
    pool: () =>
      new ClientPool({
        homeAccount: '111111111111',
        homeRegion: 'eu-west-1',
        roleName: 'WardenExecutionRole',
        maxAttempts: 1,
      }),
    target: async () => ({ account: '111111111111', region: 'eu-west-1' }),
    publish: async (f) => {
      published.push(...f);
    },
    now: () => NOW,
  };
  return { ctx, lines, published };
}

describe('Command: warden run secretExpiry', () => {
  let five: string;
  let two: string;
  beforeEach(() => {
    ddb.reset();
    sm.mock.reset();
    store = new SecretStore();
    store.clock = () => NOW;
    store.install(sm.mock);
    five = store.add({ name: 'five/db', value: '{}' });
    store.find(five).lastRotatedDate = new Date(NOW.getTime() - 25 * DAY);
    two = store.add({ name: 'two/db', value: '{}' });
    store.find(two).lastRotatedDate = new Date(NOW.getTime() - 28 * DAY);
  });

  it('reads what the deployed worker warned from the state table and writes nothing there', async () => {
    // Prepare: the worker warned five/db's 7-day tier yesterday
    const table = fakeDynamo(ddb);
    const deployed = createStateStore(new DynamoDBClient({}), () => NOW);
    const dueDate = new Date(NOW.getTime() + 5 * DAY);
    await deployed.putIfAbsent('state', warningKey({ secretArn: five, dueDate, tier: 7 }), {}, DAY / 1000);
    ddb.resetHistory();
    const { ctx, lines, published } = context({ WARDEN_STATE_TABLE: 'state' });
    // Act
    const code = await runCommand.run(['secretExpiry'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(published.map((f) => [f.resourceArn, f.check])).toEqual([[two, 'due-in-3d']]);
    expect(lines[0]).toContain('2 due within 7 days (1 warned now, 1 warned before for the same tier)');
    expect(ddb).not.toReceiveCommand(PutItemCommand);
    expect(ddb).not.toReceiveCommand(UpdateItemCommand);
    expect(table.items.size).toBe(1);
  });

  it('without the state table, remembers for this command only', async () => {
    // Prepare
    const { ctx, lines, published } = context({});
    // Act
    await runCommand.run(['secretExpiry'], ctx);
    // Assess
    expect(published.map((f) => f.check)).toEqual(['due-in-7d', 'due-in-3d']);
    expect(lines[0]).toContain('(2 warned now, 0 warned before for the same tier)');
    expect(ddb.calls()).toEqual([]);
  });
});
