import {
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../lib/aws/clients.js';
import { flagsCommand } from '../../../lib/cli/flags.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { loadConfig } from '../../../lib/config.js';
import { ValidationError } from '../../../lib/errors.js';

const ssm = mockClient(SSMClient);
const PATH = '/warden/prod/flags';
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(200000000000 + i));
const env = {
  WARDEN_STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: '123456789012',
  WARDEN_TARGET_ACCOUNTS: ACCOUNTS.join(','),
};

function context(opts: { apply?: boolean; json?: boolean } = {}) {
  const lines: string[] = [];
  const pool = new ClientPool({
    homeAccount: '123456789012',
    homeRegion: 'eu-west-1',
    roleName: 'WardenExecutionRole',
    maxAttempts: 1,
  });
  const ctx: CliContext = {
    io: { out: (l) => lines.push(...l.split('\n')), err: (l) => lines.push(l), progress: () => {} },
    json: opts.json ?? false,
    apply: opts.apply ?? false,
    config: () => loadConfig(env),
    pool: () => pool,
    target: async () => ({ account: '123456789012', region: 'eu-west-1' }),
    publish: async () => {},
    now: () => new Date('2026-11-26T11:00:00Z'),
  };
  return { ctx, lines };
}

const stored = (name: string, value: string) =>
  ssm
    .on(GetParameterCommand, { Name: `${PATH}/${name}` })
    .resolves({ Parameter: { Name: name, Value: value } });
const lastJson = (lines: string[]) => JSON.parse(lines.at(-1)!) as Record<string, unknown>;

describe('Function: flagsCommand', () => {
  beforeEach(() => {
    ssm.reset();
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'none', $metadata: {} }));
    ssm.on(PutParameterCommand).resolves({ Version: 4 });
  });

  it('lists every automation with its mode and source, and flags an unusable or unknown parameter', async () => {
    // Prepare
    ssm
      .on(GetParametersByPathCommand)
      .resolvesOnce({
        Parameters: [{ Name: `${PATH}/snapshotLifecycle`, Value: '{"dryRun":false,"applyPercent":10}' }],
        NextToken: 't',
      })
      .resolves({
        Parameters: [
          { Name: `${PATH}/costAnomaly`, Value: '{"dryRun":"no"}' },
          { Name: `${PATH}/snapshotLifecyle`, Value: '{"enabled":false}' },
        ],
      });
    const { ctx, lines } = context({ json: true });
    // Act
    const code = await flagsCommand.run(['list'], ctx);
    // Assess
    const out = lastJson(lines) as { path: string; flags: Record<string, unknown>[] };
    const by = Object.fromEntries(out.flags.map((f) => [f.automation, f]));
    expect(code).toBe(1);
    expect(out.path).toBe(PATH);
    expect(Object.keys(by)).toEqual([
      'backupVerify',
      'snapshotLifecycle',
      'secretExpiry',
      'costAnomaly',
      'restoreDrill',
      'autoRollback',
      'snapshotLifecyle',
    ]);
    expect(by.snapshotLifecycle).toMatchObject({
      dryRun: false,
      applyPercent: 10,
      source: 'ssm',
      perAccount: true,
    });
    expect(by.backupVerify).toMatchObject({
      enabled: true,
      dryRun: null,
      applyPercent: 100,
      source: 'default',
    });
    expect(by.costAnomaly).toMatchObject({
      dryRun: true,
      source: 'fallback',
      problem: `${PATH}/costAnomaly: dryRun: expected boolean`,
    });
    expect(by.snapshotLifecyle).toMatchObject({ known: false });
    expect(ssm).toHaveReceivedCommandWith(GetParametersByPathCommand, { Path: PATH, MaxResults: 10 });
  });

  it('prints a table without --json', async () => {
    // Prepare
    ssm.on(GetParametersByPathCommand).resolves({
      Parameters: [{ Name: `${PATH}/snapshotLifecycle`, Value: '{"dryRun":false,"applyPercent":10}' }],
    });
    const { ctx, lines } = context();
    // Act
    const code = await flagsCommand.run(['list'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^automation\s+enabled\s+dryRun\s+applyPercent\s+allow\s+deny\s+source$/);
    expect(lines.find((l) => l.startsWith('snapshotLifecycle'))).toMatch(/true\s+false\s+10\s+-\s+-\s+ssm$/);
    expect(lines.find((l) => l.startsWith('autoRollback'))).toMatch(/true\s+stage default\s+100/);
    expect(lines.find((l) => l.startsWith('restoreDrill'))).toMatch(/true\s+stage default\s+100/);
  });

  it('gets a flag with the mode of every configured target account', async () => {
    // Prepare
    stored(
      'snapshotLifecycle',
      '{"dryRun":false,"applyPercent":25,"allow":["200000000003"],"deny":["200000000004"]}',
    );
    const { ctx, lines } = context({ json: true });
    // Act
    const code = await flagsCommand.run(['get', 'snapshotLifecycle', '--targets'], ctx);
    // Assess
    const out = lastJson(lines) as { targets: { account: string; mode: string; reason: string }[] };
    expect(code).toBe(0);
    expect(out.targets.map((t) => t.account).sort()).toEqual(ACCOUNTS);
    const mode = (a: string) => out.targets.find((t) => t.account === a);
    expect(mode('200000000003')).toEqual({ account: '200000000003', mode: 'apply', reason: 'allow list' });
    expect(mode('200000000004')).toEqual({ account: '200000000004', mode: 'dry-run', reason: 'deny list' });
    // 25 % of the 18 others, rounded: 5 inside the share, 13 outside.
    expect(out.targets.filter((t) => t.reason === 'inside applyPercent 25')).toHaveLength(5);
    expect(out.targets.filter((t) => t.reason === 'outside applyPercent 25')).toHaveLength(13);
    expect(out.targets.filter((t) => t.mode === 'apply')).toHaveLength(6);
  });

  it('shows "stage default" for targets in the share when the flag leaves dryRun unset', async () => {
    // Prepare
    stored('backupVerify', '{"applyPercent":50}');
    const { ctx, lines } = context();
    // Act
    await flagsCommand.run(['get', 'backupVerify', '--targets'], ctx);
    // Assess
    expect(lines).toContain('dryRun        stage default');
    expect(lines.filter((l) => /stage default\s+inside applyPercent 50/.test(l))).toHaveLength(10);
    expect(lines.at(-1)).toBe('10 of 20 target account(s) outside dry-run');
  });

  it('plans a change without --apply: validated, merged into the stored document, nothing written', async () => {
    // Prepare
    stored('snapshotLifecycle', '{"dryRun":false,"applyPercent":10,"allow":["200000000001"]}');
    const { ctx, lines } = context({ json: true });
    // Act
    const code = await flagsCommand.run(['set', 'snapshotLifecycle', '--apply-percent', '25'], ctx);
    // Assess
    expect(code).toBe(0);
    expect(lastJson(lines)).toMatchObject({
      previous: { dryRun: false, applyPercent: 10, allow: ['200000000001'] },
      document: { dryRun: false, applyPercent: 25, allow: ['200000000001'] },
      written: false,
    });
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('writes the merged document with --apply (String, Overwrite), and removes a list given empty', async () => {
    // Prepare
    stored('snapshotLifecycle', '{"dryRun":true,"applyPercent":10,"allow":["200000000001"]}');
    const { ctx, lines } = context({ apply: true });
    // Act
    const code = await flagsCommand.run(
      [
        'set',
        'snapshotLifecycle',
        '--dry-run',
        'false',
        '--apply-percent',
        '50',
        '--allow',
        '',
        '--deny',
        '200000000002, 200000000003',
      ],
      ctx,
    );
    // Assess
    expect(code).toBe(0);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: `${PATH}/snapshotLifecycle`,
      Value: '{"dryRun":false,"applyPercent":50,"deny":["200000000002","200000000003"]}',
      Type: 'String',
      Overwrite: true,
    });
    expect(lines.at(-1)).toBe('written (version 4); takes effect within 30 s');
  });

  it('replaces a malformed stored value and says so; a flag already as asked is not written again', async () => {
    // Prepare
    stored('costAnomaly', '{"enabled": tru');
    stored('backupVerify', '{"enabled":false}');
    const fix = context({ apply: true });
    const same = context({ apply: true });
    // Act
    await flagsCommand.run(['set', 'costAnomaly', '--dry-run', 'true'], fix.ctx);
    await flagsCommand.run(['set', 'backupVerify', '--enabled', 'false'], same.ctx);
    // Assess
    expect(fix.lines[0]).toBe(
      `the stored value is unusable (${PATH}/costAnomaly is not valid JSON); it is replaced`,
    );
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: '{"dryRun":true}' });
    expect(same.lines.at(-1)).toBe('unchanged: nothing written');
  });

  it.each([
    [['set', 'snapshotLifecycle', '--apply-percent', '110'], '--apply-percent', 'number <= 100'],
    [['set', 'snapshotLifecycle', '--apply-percent', 'ten'], '--apply-percent', 'number'],
    [['set', 'snapshotLifecycle', '--apply-percent', '12.5'], '--apply-percent', 'int'],
    [['set', 'snapshotLifecycle', '--enabled', 'yes'], '--enabled', 'true or false'],
    [
      ['set', 'snapshotLifecycle', '--allow', '1234,200000000001'],
      '--allow[0]',
      'a string matching /^\\d{12}$/',
    ],
    [['set', 'snapshotLifecycle', '--deny', '200000000001,200000000001'], '--deny', 'each account once'],
    [
      ['set', 'snapshotLifecycle', '--allow', '200000000001', '--deny', '200000000001'],
      '--deny',
      'no account that is also in allow',
    ],
    [['set', 'snapshotLifecycel', '--dry-run', 'true'], 'automation', 'one of backupVerify'],
    [['set', 'snapshotLifecycle'], 'arguments', 'at least one of --enabled'],
    [['set', 'snapshotLifecycle', '--percent', '10'], 'arguments', "Unknown option '--percent'"],
    [['get'], 'automation', 'exactly one automation name'],
    [['remove', 'x'], 'arguments', 'list, get <automation> or set'],
  ])('refuses %j naming %s, before any AWS call', async (argv, field, expected) => {
    // Prepare
    const { ctx } = context({ apply: true });
    // Act
    const err = await flagsCommand.run(argv, ctx).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe(field);
    expect((err as ValidationError).expected).toContain(expected);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('refuses a change that conflicts with the stored document, and writes nothing', async () => {
    // Prepare
    stored('secretExpiry', '{"dryRun":false,"allow":["200000000001"]}');
    const { ctx } = context({ apply: true });
    // Act
    const err = await flagsCommand
      .run(['set', 'secretExpiry', '--deny', '200000000001'], ctx)
      .catch((e: unknown) => e);
    // Assess
    expect((err as Error).message).toBe(
      'invalid flag secretExpiry: --deny: expected no account that is also in allow',
    );
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});
