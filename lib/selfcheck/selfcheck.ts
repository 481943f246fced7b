import type { ClientPool, Target } from '../aws/clients.js';
import { executionRoleArn } from '../aws/credentials.js';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import type { TargetResolution } from '../fanout/targets.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import type { FlagReader, Flags } from '../flags/flags.js';

export interface ProbeResult {
  automation: string;
  ok: boolean;
  error?: string;
}

type AssumeRoleCheck = {
  ok: boolean;
  error?: string;
  skipped?: 'home account' | 'checked by each worker probe';
};

export interface TargetCheck extends Target {
  assumeRole: AssumeRoleCheck;
  probes: ProbeResult[];
}

/** A configured notification channel's cheap check (lib/notify/probes): reachable and configured, nothing sent. */
export interface ChannelProbe {
  channel: string;
  probe(): Promise<void>;
}

export interface ChannelCheck {
  channel: string;
  ok: boolean;
  error?: string;
}

export interface SelfcheckReport {
  ok: boolean;
  stage: string;
  homeAccount: string;
  config: { valid: true; targets: number; dryRunDefault: boolean; targetSource: Config['targetSource'] };
  flags: Record<string, Flags>;
  targets: TargetCheck[];
  /** One per configured optional notification channel. */
  channels: ChannelCheck[];
  /** restoreDrill's probe, when asked for. */
  drills?: { ok: boolean; error?: string };
  /** Accounts whose execution role cannot be assumed (by selfcheck, or by a worker probing them). */
  unreachableAccounts: string[];
  /** One per unreachable account, and the target resolution's own (a failed Organizations read). */
  findings: Finding[];
  problems: string[];
}

export interface SelfcheckDeps {
  config: Config;
  homeAccount: string;
  /** The run's targets (`runTargets`): explicit and, with that source, the organization's accounts. */
  resolution: Pick<TargetResolution, 'targets' | 'findings'>;
  automations: readonly string[];
  /** Credentials per account (the CLI); without it, each probe reaches the target itself (the Lambda workers). */
  pool?: Pick<ClientPool, 'credentialsFor'>;
  readFlags: FlagReader;
  /** One automation's cheap read call in a target: in-process (CLI) or by invoking its worker (Lambda). */
  probe(automation: string, target: Target): Promise<void>;
  /** restoreDrill's probe: its reads where drills restore (the DR region included); absent, not checked. */
  drills?: () => Promise<unknown>;
  /** The configured notification channels (Security Hub, PagerDuty); none when unset. */
  channels?: readonly ChannelProbe[];
  now: () => Date;
}

async function checkChannel(p: ChannelProbe): Promise<ChannelCheck> {
  try {
    await p.probe();
    return { channel: p.channel, ok: true };
  } catch (err) {
    return { channel: p.channel, ok: false, error: describeError(err) };
  }
}

/** Assumes each account's role once (every region shares the credentials); a failure leaves the others going. */
async function checkAccount(deps: SelfcheckDeps, account: string): Promise<AssumeRoleCheck> {
  if (!deps.pool) return { ok: true, skipped: 'checked by each worker probe' };
  const creds = deps.pool.credentialsFor(account);
  if (!creds) return { ok: true, skipped: 'home account' };
  try {
    await creds();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

async function checkTarget(deps: SelfcheckDeps, target: Target, role: AssumeRoleCheck): Promise<TargetCheck> {
  if (!role.ok) return { ...target, assumeRole: role, probes: [] };
  const probes = await Promise.all(
    deps.automations.map(async (name): Promise<ProbeResult> => {
      try {
        await deps.probe(name, target);
        return { automation: name, ok: true };
      } catch (err) {
        return { automation: name, ok: false, error: describeError(err) };
      }
    }),
  );
  return { ...target, assumeRole: role, probes };
}

function unreachableFinding(deps: SelfcheckDeps, account: string, error: string): Finding {
  const role = deps.config.executionRoleName;
  return makeFinding({
    automation: 'selfcheck',
    check: 'target-access',
    severity: 'high',
    account,
    region: deps.config.region,
    resourceArn: executionRoleArn(account, role),
    title: `warden cannot assume ${role} in ${account}`,
    detail: { error: error.slice(0, 500) },
    observedAt: deps.now(),
    dryRun: deps.config.dryRun,
  });
}

async function checkDrills(probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await probe();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

/**
 * Post-deploy smoke test: config (already valid if we got here), flags, the targets (a failed Organizations read is
 * a problem), per account that the role can be assumed (one finding per account that cannot), and per target each
 * automation's cheap read call, and each configured notification channel. Every target is checked even when one
 * fails.
 */
export async function runSelfcheck(deps: SelfcheckDeps): Promise<SelfcheckReport> {
  const flags: Record<string, Flags> = {};
  for (const name of deps.automations) flags[name] = await deps.readFlags(name);
  const { targets: wanted, findings: resolutionFindings } = deps.resolution;
  const accounts = [...new Set(wanted.map((t) => t.account))];
  const roles = new Map(
    await Promise.all(accounts.map(async (a) => [a, await checkAccount(deps, a)] as const)),
  );
  const [targets, channels, drills] = await Promise.all([
    Promise.all(wanted.map((t) => checkTarget(deps, t, roles.get(t.account)!))),
    Promise.all((deps.channels ?? []).map(checkChannel)),
    deps.drills ? checkDrills(deps.drills) : Promise.resolve(undefined),
  ]);
  const problems: string[] = resolutionFindings.map((f) => `targets: ${f.title}: ${f.detail.error}`);
  for (const c of channels) if (!c.ok) problems.push(`channel ${c.channel}: ${c.error}`);
  if (drills && !drills.ok) problems.push(`restoreDrill: ${drills.error}`);
  for (const [name, f] of Object.entries(flags)) if (f.problem) problems.push(`flag ${name}: ${f.problem}`);
  const unreachable = new Map<string, string>();
  for (const [account, role] of roles) {
    if (role.ok) continue;
    unreachable.set(account, role.error ?? 'cannot assume the role');
    problems.push(`${account}: ${role.error}`);
  }
  for (const t of targets) {
    for (const p of t.probes) {
      if (p.ok) continue;
      problems.push(`${t.account}/${t.region} ${p.automation}: ${p.error}`);
      // A worker that cannot reach its target says so by the error's class.
      if (p.error?.includes('AssumeRoleError') && !unreachable.has(t.account))
        unreachable.set(t.account, p.error);
    }
  }
  return {
    ok: problems.length === 0,
    stage: deps.config.stage,
    homeAccount: deps.homeAccount,
    config: {
      valid: true,
      targets: wanted.length,
      dryRunDefault: deps.config.dryRun,
      targetSource: deps.config.targetSource,
    },
    flags,
    targets,
    channels,
    ...(drills ? { drills } : {}),
    unreachableAccounts: [...unreachable.keys()],
    findings: [
      ...resolutionFindings,
      ...[...unreachable].map(([account, error]) => unreachableFinding(deps, account, error)),
    ],
    problems,
  };
}
