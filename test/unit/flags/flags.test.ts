import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFlagReader } from '../../../lib/flags/flags.js';

const ssm = mockClient(SSMClient);

function reader(now: () => number) {
  return createFlagReader({
    provider: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'eu-west-1' }) }),
    path: '/warden/dev/flags',
    maxAgeSeconds: 30,
    defaultDryRun: false,
    now,
  });
}

const param = (value: string) => ({ Parameter: { Name: 'x', Value: value, Type: 'String' as const } });

describe('Function: createFlagReader', () => {
  beforeEach(() => ssm.reset());

  it('reads the JSON flags of an automation from its SSM parameter', async () => {
    // Prepare
    ssm
      .on(GetParameterCommand, { Name: '/warden/dev/flags/backupVerify' })
      .resolves(param('{"enabled":false,"dryRun":true}'));
    // Act
    const flags = await reader(() => 0)('backupVerify');
    // Assess
    expect(flags).toEqual({
      enabled: false,
      dryRun: true,
      applyPercent: 100,
      allow: [],
      deny: [],
      source: 'ssm',
    });
  });

  it('uses the environment defaults when no flag is stored', async () => {
    // Prepare
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'nope', $metadata: {} }));
    // Act
    const flags = await reader(() => 0)('costAnomaly');
    // Assess
    expect(flags).toEqual({
      enabled: true,
      dryRun: false,
      applyPercent: 100,
      allow: [],
      deny: [],
      source: 'default',
    });
  });

  it('falls back to dry-run, never to mutating, when a flag is malformed or unreadable', async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: '/warden/dev/flags/a' }).resolves(param('{not json'));
    ssm.on(GetParameterCommand, { Name: '/warden/dev/flags/b' }).resolves(param('{"enabled":"yes"}'));
    ssm
      .on(GetParameterCommand, { Name: '/warden/dev/flags/c' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const read = reader(() => 0);
    // Act
    const [a, b, c] = await Promise.all([read('a'), read('b'), read('c')]);
    // Assess
    expect(a).toMatchObject({
      enabled: true,
      dryRun: true,
      source: 'fallback',
      problem: '/warden/dev/flags/a is not valid JSON',
    });
    expect(b).toMatchObject({ dryRun: true, problem: '/warden/dev/flags/b: enabled: expected boolean' });
    expect(c).toMatchObject({ dryRun: true, source: 'fallback' });
    expect(c.problem).toContain('AccessDeniedException');
  });

  it('takes a flipped flag into account once the cache expires, without a deploy', async () => {
    // Prepare
    let now = 0;
    ssm.on(GetParameterCommand).resolvesOnce(param('{"enabled":true}')).resolves(param('{"enabled":false}'));
    const read = reader(() => now);
    // Act
    const before = await read('backupVerify');
    now = 10_000;
    const cached = await read('backupVerify');
    now = 31_000;
    const after = await read('backupVerify');
    // Assess
    expect(before.enabled).toBe(true);
    expect(cached.enabled).toBe(true);
    expect(after.enabled).toBe(false);
  });

  it('reads the apply share and the allow and deny lists', async () => {
    // Prepare
    ssm
      .on(GetParameterCommand, { Name: '/warden/dev/flags/snapshotLifecycle' })
      .resolves(param('{"dryRun":false,"applyPercent":10,"allow":["111111111111"],"deny":["222222222222"]}'));
    // Act
    const flags = await reader(() => 0)('snapshotLifecycle');
    // Assess
    expect(flags).toEqual({
      enabled: true,
      dryRun: false,
      applyPercent: 10,
      allow: ['111111111111'],
      deny: ['222222222222'],
      source: 'ssm',
    });
  });

  it('falls back to dry-run with no apply share when the share or a list is malformed', async () => {
    // Prepare
    const bad = {
      a: '{"dryRun":false,"applyPercent":110}',
      b: '{"dryRun":false,"applyPercent":"10"}',
      c: '{"dryRun":false,"allow":["12345"]}',
      d: '{"dryRun":false,"allow":["111111111111"],"deny":["111111111111"]}',
      e: '{"dryRun":false,"applyPercent":10,"rollout":5}',
    };
    for (const [name, value] of Object.entries(bad))
      ssm.on(GetParameterCommand, { Name: `/warden/dev/flags/${name}` }).resolves(param(value));
    const read = reader(() => 0);
    // Act
    const got = await Promise.all(Object.keys(bad).map((n) => read(n)));
    // Assess
    expect(got.map((f) => [f.dryRun, f.applyPercent, f.source])).toEqual(
      Object.keys(bad).map(() => [true, 0, 'fallback']),
    );
    expect(got.map((f) => f.problem)).toEqual([
      '/warden/dev/flags/a: applyPercent: expected number <= 100',
      '/warden/dev/flags/b: applyPercent: expected number',
      '/warden/dev/flags/c: allow[0]: expected a string matching /^\\d{12}$/',
      '/warden/dev/flags/d: deny: expected no account that is also in allow',
      '/warden/dev/flags/e: (root): expected no unknown keys (found rollout)',
    ]);
  });

  it('marks a dry-run that the document leaves to the environment default', async () => {
    // Prepare
    ssm.on(GetParameterCommand).resolves(param('{"applyPercent":50}'));
    // Act
    const flags = await reader(() => 0)('secretExpiry');
    // Assess
    expect(flags).toMatchObject({ dryRun: false, applyPercent: 50, dryRunByDefault: true, source: 'ssm' });
  });
});
