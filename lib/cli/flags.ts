import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { homeAccount } from '../aws/identity.js';
import { readParameter, readParametersUnder, writeParameter } from '../aws/ssm.js';
import { ValidationError } from '../errors.js';
import { applyChanges, checkChangeTarget, type FlagChanges, validateFlagDocument } from '../flags/change.js';
import { FLAG_AUTOMATIONS } from '../flags/names.js';
import { targetModes, viewFlag } from '../flags/view.js';
import { printFlag, printFlags, printSet } from './flagsFormat.js';
import { cliTargets } from './targets.js';
import type { CliCommand, CliContext } from './types.js';

const USAGE = [
  'warden flags list',
  'warden flags get <automation> [--targets]',
  'warden flags set <automation> --enabled <true | false> [--apply]',
  'warden flags set <automation> --dry-run <true | false> [--apply]',
  'warden flags set <automation> [--dry-run false] --apply-percent <N> [--allow <allow-ids>] [--deny <deny-ids>] [--apply]',
] as const;

/** The CLI option that sets a document field (`allow[1]` -> `--allow[1]`). */
const OPTION: Record<string, string> = {
  enabled: '--enabled',
  dryRun: '--dry-run',
  applyPercent: '--apply-percent',
  allow: '--allow',
  deny: '--deny',
};
const label = (field: string) => {
  const key = /^[A-Za-z]+/.exec(field)?.[0] ?? '';
  return OPTION[key] ? OPTION[key] + field.slice(key.length) : field;
};

const usageError = (field: string, expected: string) =>
  new ValidationError('flags arguments', [{ field, expected }]);

function parse<O extends ParseArgsOptionsConfig>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError('arguments', err instanceof Error ? err.message : 'known options only');
  }
}

/** The SSM client of the home account (the flags live there), and the flags path of the stage. */
async function ssmOf(ctx: CliContext) {
  const config = ctx.config();
  const home = config.homeAccount ?? (await homeAccount(config));
  return { ssm: ctx.pool().for({ account: home, region: config.region }).get(SSMClient), config };
}

async function list(args: readonly string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length > 0) throw usageError('arguments', 'nothing after list');
  const { ssm, config } = await ssmOf(ctx);
  const stored = await readParametersUnder(ssm, config.flagsPath);
  const names = [...FLAG_AUTOMATIONS];
  for (const name of stored.keys()) {
    const automation = name.slice(config.flagsPath.length + 1);
    if (!names.includes(automation)) names.push(automation);
  }
  const views = names.map((a) => viewFlag(config.flagsPath, a, stored.get(`${config.flagsPath}/${a}`)));
  printFlags(ctx, config.flagsPath, views);
  return views.some((v) => v.problem || !v.known) ? 1 : 0;
}

async function get(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, { targets: { type: 'boolean' } });
  const [automation, ...rest] = positionals;
  if (!automation || rest.length > 0) throw usageError('automation', 'exactly one automation name');
  if (!FLAG_AUTOMATIONS.includes(automation))
    throw usageError('automation', `one of ${FLAG_AUTOMATIONS.join(', ')}`);
  const { ssm, config } = await ssmOf(ctx);
  const view = viewFlag(
    config.flagsPath,
    automation,
    await readParameter(ssm, `${config.flagsPath}/${automation}`),
  );
  // The accounts dispatch fans out over (explicit and/or Organizations), resolved only when asked for.
  const accounts = values.targets ? (await cliTargets(ctx)).accounts.map((a) => a.account) : undefined;
  printFlag(ctx, view, accounts ? targetModes(view, accounts) : undefined);
  return view.problem ? 1 : 0;
}

function bool(option: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ValidationError('flags arguments', [{ field: option, expected: 'true or false' }]);
}

/** `--allow a,b`: a list; `--allow ''`: remove the list. */
const ids = (value: string | undefined) =>
  value === undefined ? undefined : value.trim() === '' ? null : value.split(',').map((s) => s.trim());

/** `--apply-percent 25`: the number; anything else is left as given, for the schema to refuse by name. */
const percent = (value: string | undefined) =>
  value === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

async function set(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, {
    enabled: { type: 'string' },
    'dry-run': { type: 'string' },
    'apply-percent': { type: 'string' },
    allow: { type: 'string' },
    deny: { type: 'string' },
  });
  const [automation, ...rest] = positionals;
  if (!automation || rest.length > 0) throw usageError('automation', 'exactly one automation name');
  const given: FlagChanges = {
    enabled: bool('--enabled', values.enabled),
    dryRun: bool('--dry-run', values['dry-run']),
    applyPercent: percent(values['apply-percent']),
    allow: ids(values.allow),
    deny: ids(values.deny),
  };
  const changes = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as FlagChanges;
  if (Object.keys(changes).length === 0)
    throw usageError('arguments', 'at least one of --enabled, --dry-run, --apply-percent, --allow, --deny');
  checkChangeTarget(automation, changes, label);
  // Every given value is checked before anything is read or written.
  const setOnly = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null));
  validateFlagDocument(setOnly, `flag ${automation}`, label);

  const { ssm, config } = await ssmOf(ctx);
  const parameter = `${config.flagsPath}/${automation}`;
  const before = viewFlag(config.flagsPath, automation, await readParameter(ssm, parameter));
  const document = applyChanges(before.document, changes, `flag ${automation}`, label);
  const text = JSON.stringify(document);
  const unchanged = before.document !== undefined && JSON.stringify(before.document) === text;
  const version = ctx.apply && !unchanged ? await writeParameter(ssm, parameter, text) : undefined;
  printSet(ctx, {
    before,
    document,
    after: viewFlag(config.flagsPath, automation, text),
    written: ctx.apply && !unchanged,
    unchanged,
    version,
    maxAgeSeconds: config.flagsMaxAgeSeconds,
  });
  return 0;
}

/** `warden flags`: the SSM flags of every automation, read and written through their schema. */
export const flagsCommand: CliCommand = {
  name: 'flags',
  summary:
    'the per-automation flags (kill switch, dry-run, apply share): list, get with per-target modes, set',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'list') return list(rest, ctx);
    if (sub === 'get') return get(rest, ctx);
    if (sub === 'set') return set(rest, ctx);
    throw usageError('arguments', 'list, get <automation> or set <automation> ...');
  },
};
