import { describe, expect, it } from 'vitest';
import type { Target } from '../../../lib/aws/clients.js';
import { loadConfig } from '../../../lib/config.js';
import { AssumeRoleError } from '../../../lib/errors.js';
import { makeFinding } from '../../../lib/findings/finding.js';
import { runSelfcheck, type SelfcheckDeps } from '../../../lib/selfcheck/selfcheck.js';

const HOME = '111111111111';
const MISSING = '300000000001';
const config = loadConfig({ WARDEN_STAGE: 'prod', AWS_REGION: 'eu-west-1' });
const targets: Target[] = [HOME, '222222222222', MISSING, '300000000002'].flatMap((account) =>
  ['eu-west-1', 'us-east-1'].map((region) => ({ account, region })),
);

function deps(overrides: Partial<SelfcheckDeps> = {}) {
  const assumed: string[] = [];
  const probed: string[] = [];
  const d: SelfcheckDeps = {
    config,
    homeAccount: HOME,
    resolution: { targets, findings: [] },
    automations: ['backupVerify', 'secretExpiry'],
    pool: {
      credentialsFor: (account) =>
        account === HOME
          ? undefined
          : async () => {
              assumed.push(account);
              if (account === MISSING)
                throw new AssumeRoleError(account, `arn:aws:iam::${account}:role/WardenExecutionRole`);
              return { accessKeyId: 'A', secretAccessKey: 'S' };
            },
    },
    readFlags: async () => ({ enabled: true, dryRun: true, source: 'default' }),
    probe: async (name, t) => {
      probed.push(`${name}:${t.account}/${t.region}`);
    },
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
  return { d, assumed, probed };
}

describe('Function: runSelfcheck', () => {
  it('gives one finding for an account whose role cannot be assumed, and checks every other account', async () => {
    // Prepare
    const { d, assumed, probed } = deps();
    // Act
    const report = await runSelfcheck(d);
    // Assess
    expect(report.ok).toBe(false);
    expect(report.unreachableAccounts).toEqual([MISSING]);
    expect(report.findings).toEqual([
      expect.objectContaining({
        check: 'target-access',
        account: MISSING,
        resourceArn: `arn:aws:iam::${MISSING}:role/WardenExecutionRole`,
      }),
    ]);
    expect(report.problems).toHaveLength(1);
    expect(assumed.filter((a) => a === MISSING)).toHaveLength(1);
    expect(probed).toHaveLength(12);
    expect(probed.some((p) => p.includes(MISSING))).toBe(false);
  });

  it('counts a worker probe that cannot assume the role (the Lambda) as that account being unreachable', async () => {
    // Prepare
    const { pool: _pool, ...noPool } = deps().d;
    const probe = async (_: string, t: Target) => {
      if (t.account === MISSING) throw new Error('AssumeRoleError: cannot assume the role');
    };
    // Act
    const report = await runSelfcheck({ ...noPool, probe });
    // Assess
    expect(report.unreachableAccounts).toEqual([MISSING]);
    expect(report.findings).toHaveLength(1);
    expect(report.problems).toHaveLength(4);
  });

  it('fails with the target resolution finding when Organizations could not be read', async () => {
    // Prepare
    const finding = makeFinding({
      automation: 'targets',
      check: 'target-source',
      severity: 'high',
      account: HOME,
      region: 'eu-west-1',
      resourceArn: 'warden:prod:targets:organizations',
      title: 'warden cannot list the organization accounts',
      detail: { error: 'AccessDeniedException' },
      observedAt: new Date(),
      dryRun: true,
    });
    const { d } = deps({
      resolution: { targets: [{ account: HOME, region: 'eu-west-1' }], findings: [finding] },
    });
    // Act
    const report = await runSelfcheck(d);
    // Assess
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([finding]);
    expect(report.problems).toEqual([
      'targets: warden cannot list the organization accounts: AccessDeniedException',
    ]);
  });
});

describe('Function: runSelfcheck (notification channels)', () => {
  it('probes each configured channel and reports a failed one as a problem, the others still checked', async () => {
    // Prepare
    const probed: string[] = [];
    const { d } = deps({
      resolution: { targets: [{ account: HOME, region: 'eu-west-1' }], findings: [] },
      channels: [
        { channel: 'securityhub', probe: async () => void probed.push('securityhub') },
        {
          channel: 'pagerduty',
          probe: async () => {
            probed.push('pagerduty');
            throw Object.assign(new Error('Secrets Manager cannot find the secret'), {
              name: 'ResourceNotFoundException',
            });
          },
        },
      ],
    });
    // Act
    const report = await runSelfcheck(d);
    // Assess
    expect(probed.sort()).toEqual(['pagerduty', 'securityhub']);
    expect(report.channels).toEqual([
      { channel: 'securityhub', ok: true },
      {
        channel: 'pagerduty',
        ok: false,
        error: 'ResourceNotFoundException: Secrets Manager cannot find the secret',
      },
    ]);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'channel pagerduty: ResourceNotFoundException: Secrets Manager cannot find the secret',
    ]);
  });

  it('reports no channel when none is configured', async () => {
    // Act
    const report = await runSelfcheck(deps().d);
    // Assess
    expect(report.channels).toEqual([]);
  });
});

describe('Function: runSelfcheck (restore drills)', () => {
  it("reports restoreDrill's failed probe as a problem, and its success without one", async () => {
    // Prepare
    const one = { targets: [{ account: HOME, region: 'eu-west-1' }], findings: [] };
    const failing = deps({
      resolution: one,
      drills: async () => {
        throw new Error(
          'restoreDrill cannot read where drills restore: 111111111111/eu-central-1: AccessDenied',
        );
      },
    });
    const passing = deps({ resolution: one, drills: async () => ({ places: ['111111111111/eu-west-1'] }) });
    // Act
    const bad = await runSelfcheck(failing.d);
    const good = await runSelfcheck(passing.d);
    // Assess
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([
      'restoreDrill: Error: restoreDrill cannot read where drills restore: 111111111111/eu-central-1: AccessDenied',
    ]);
    expect(good).toMatchObject({ ok: true, drills: { ok: true } });
    await expect(runSelfcheck(deps({ resolution: one }).d)).resolves.not.toHaveProperty('drills');
  });
});
