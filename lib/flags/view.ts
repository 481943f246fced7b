import { type FlagDocument, parseFlagText } from './document.js';
import { type Flags, fallbackFlags, flagsOf } from './flags.js';
import { FLAG_AUTOMATIONS, PER_ACCOUNT } from './names.js';
import { assignModes } from './rollout.js';

/** One automation's flag as an operator reads it: the stored document, and what it makes the automation do. */
export interface FlagView {
  automation: string;
  parameter: string;
  /** False for a parameter under the flags path that no automation reads (a typo, a removed automation). */
  known: boolean;
  /** Whether the apply share and the allow and deny lists apply (dispatch decides per account). */
  perAccount: boolean;
  enabled: boolean;
  /** `null`: not set, the stage's `dryRun` param (WARDEN_DRY_RUN) decides. */
  dryRun: boolean | null;
  applyPercent: number;
  allow: string[];
  deny: string[];
  source: Flags['source'];
  problem?: string;
  /** The stored document, when it is valid. */
  document?: FlagDocument;
}

export interface TargetMode {
  account: string;
  /** `stage default`: apply mode unless the stage's dryRun param says dry-run (the flag leaves dryRun unset). */
  mode: 'apply' | 'dry-run' | 'stage default';
  reason: string;
}

/** The view of one flag from its parameter's raw value (`undefined`: no parameter). */
export function viewFlag(path: string, automation: string, raw: string | undefined): FlagView {
  const parameter = `${path}/${automation}`;
  const base = {
    automation,
    parameter,
    known: FLAG_AUTOMATIONS.includes(automation),
    perAccount: PER_ACCOUNT.includes(automation),
  };
  if (raw === undefined) {
    return {
      ...base,
      enabled: true,
      dryRun: null,
      applyPercent: 100,
      allow: [],
      deny: [],
      source: 'default',
    };
  }
  const parsed = parseFlagText(parameter, raw);
  if ('problem' in parsed) {
    const f = fallbackFlags(parsed.problem);
    return {
      ...base,
      enabled: true,
      dryRun: true,
      applyPercent: 0,
      allow: [],
      deny: [],
      source: f.source,
      problem: parsed.problem,
    };
  }
  const f = flagsOf(parsed.document, false);
  return {
    ...base,
    enabled: f.enabled,
    dryRun: parsed.document.dryRun ?? null,
    applyPercent: f.applyPercent ?? 100,
    allow: [...(f.allow ?? [])],
    deny: [...(f.deny ?? [])],
    source: 'ssm',
    document: parsed.document,
  };
}

/**
 * The mode each target account gets from the flag, as dispatch decides it over the same accounts. An automation
 * that is not fanned out has one mode for every target: the share and the lists do not apply to it.
 */
export function targetModes(view: FlagView, accounts: readonly string[]): TargetMode[] {
  const flags: Flags = {
    enabled: view.enabled,
    dryRun: view.dryRun ?? false,
    source: view.source,
    ...(view.problem ? { problem: view.problem } : {}),
    ...(view.perAccount ? { applyPercent: view.applyPercent, allow: view.allow, deny: view.deny } : {}),
  };
  const modes = assignModes(flags, view.automation, accounts);
  return [...modes].map(([account, m]) => {
    if (m.dryRun) return { account, mode: 'dry-run', reason: m.reason };
    if (view.dryRun === null) {
      return {
        account,
        mode: 'stage default',
        reason: `${m.reason}; dryRun unset: the stage's dryRun param decides`,
      };
    }
    return { account, mode: 'apply', reason: m.reason };
  });
}
