import type { ClientPool, Target } from '../aws/clients.js';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import type { FlagReader, Flags } from '../flags/flags.js';

export interface ProbeResult {
  automation: string;
  ok: boolean;
  error?: string;
}

export interface TargetCheck extends Target {
  assumeRole: { ok: boolean; error?: string; skipped?: 'home account' | 'checked by each worker probe' };
  probes: ProbeResult[];
}

export interface SelfcheckReport {
  ok: boolean;
  stage: string;
  homeAccount: string;
  config: { valid: true; targets: number; dryRunDefault: boolean };
  flags: Record<string, Flags>;
  targets: TargetCheck[];
  problems: string[];
}

export interface SelfcheckDeps {
  config: Config;
  homeAccount: string;
  targets: readonly Target[];
  automations: readonly string[];
  /** Credentials per account (the CLI); without it, each probe reaches the target itself (the Lambda workers). */
  pool?: Pick<ClientPool, 'credentialsFor'>;
  readFlags: FlagReader;
  /** One automation's cheap read call in a target: in-process (CLI) or by invoking its worker (Lambda). */
  probe(automation: string, target: Target): Promise<void>;
}

async function checkTarget(deps: SelfcheckDeps, target: Target): Promise<TargetCheck> {
  const check: TargetCheck = { ...target, assumeRole: { ok: true }, probes: [] };
  const creds = deps.pool ? deps.pool.credentialsFor(target.account) : undefined;
  if (!deps.pool) check.assumeRole.skipped = 'checked by each worker probe';
  else if (!creds) check.assumeRole.skipped = 'home account';
  else {
    try {
      await creds();
    } catch (err) {
      return { ...check, assumeRole: { ok: false, error: describeError(err) } };
    }
  }
  check.probes = await Promise.all(
    deps.automations.map(async (name): Promise<ProbeResult> => {
      try {
        await deps.probe(name, target);
        return { automation: name, ok: true };
      } catch (err) {
        return { automation: name, ok: false, error: describeError(err) };
      }
    }),
  );
  return check;
}

/**
 * Post-deploy smoke test: config (already valid if we got here), flags, and per target that the role can be
 * assumed and each automation's cheap read call is allowed. Every target is checked even when one fails.
 */
export async function runSelfcheck(deps: SelfcheckDeps): Promise<SelfcheckReport> {
  const flags: Record<string, Flags> = {};
  for (const name of deps.automations) flags[name] = await deps.readFlags(name);
  const targets = await Promise.all(deps.targets.map((t) => checkTarget(deps, t)));
  const problems: string[] = [];
  for (const [name, f] of Object.entries(flags)) if (f.problem) problems.push(`flag ${name}: ${f.problem}`);
  for (const t of targets) {
    const where = `${t.account}/${t.region}`;
    if (!t.assumeRole.ok) problems.push(`${where}: ${t.assumeRole.error}`);
    for (const p of t.probes) if (!p.ok) problems.push(`${where} ${p.automation}: ${p.error}`);
  }
  return {
    ok: problems.length === 0,
    stage: deps.config.stage,
    homeAccount: deps.homeAccount,
    config: { valid: true, targets: deps.targets.length, dryRunDefault: deps.config.dryRun },
    flags,
    targets,
    problems,
  };
}
