import { describe, expect, it } from 'vitest';
import { main, splitGlobals } from '../../../lib/cli/main.js';
import { recorder } from '../../support/cliIo.js';

describe('Function: main (warden CLI)', () => {
  it('prints usage listing every command for `help`', async () => {
    // Prepare
    const io = recorder();
    // Act
    const code = await main(['help'], io, {});
    // Assess
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/usage: warden <command>/);
    for (const c of ['demo', 'run', 'selfcheck']) expect(io.stdout.join('\n')).toContain(`  ${c} `);
  });

  it('exits 2 with usage on an unknown command', async () => {
    // Prepare
    const io = recorder();
    // Act
    const code = await main(['explode'], io, {});
    // Assess
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/^unknown command: explode\n\nusage: warden/);
  });

  it('exits 2 with the command usage on a bad flag', async () => {
    // Prepare
    const io = recorder();
    // Act
    const code = await main(['run', 'backupVerify', '--explode'], io, { AWS_REGION: 'eu-west-1' });
    // Assess
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain("Unknown option '--explode'");
    expect(io.stderr.join('\n')).toContain('warden run <automation>');
  });

  it('exits 2 naming every configuration problem when the environment is unusable', async () => {
    // Prepare
    const io = recorder();
    // Act
    const code = await main(['selfcheck'], io, { WARDEN_TARGET_ACCOUNTS: 'abc' });
    // Assess
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('AWS_REGION: expected an AWS region');
    expect(io.stderr.join('\n')).toContain(
      'WARDEN_TARGET_ACCOUNTS: expected comma-separated 12-digit account ids, found "abc"',
    );
  });

  it('takes global flags wherever they stand and leaves the rest to the command', () => {
    // Act
    const { globals, rest } = splitGlobals([
      'run',
      '--json',
      'costAnomaly',
      '--region=us-east-1',
      '--account',
      '222222222222',
      '--options',
      '{}',
    ]);
    // Assess
    expect(globals).toEqual({
      json: true,
      apply: false,
      help: false,
      region: 'us-east-1',
      account: '222222222222',
    });
    expect(rest).toEqual(['run', 'costAnomaly', '--options', '{}']);
  });

  it('exits 2 when a global flag lacks its value', async () => {
    // Prepare
    const io = recorder();
    // Act
    const code = await main(['run', '--account'], io, {});
    // Assess
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('--account: expected a value');
  });
});
