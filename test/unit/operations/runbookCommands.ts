import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { automationNames } from '../../../lib/automations/registry.js';
import { COMMANDS } from '../../../lib/cli/commands.js';

/**
 * Finds the commands a runbook names in its code (fenced blocks and `inline code`) and checks each exists:
 * `warden <command> [<subcommand>] [--flags]` against the CLI's COMMANDS and their usage, `npm run <script>`
 * against package.json, `scripts/<x>.sh` against the scripts directory, and `sls <command>` against osls.
 */
const ROOT = new URL('../../../', import.meta.url);
export const RUNBOOK_DIR = new URL('docs/operations/', ROOT);

/** osls 4.3.1 commands (`npx sls --help`) that a runbook may name. */
export const SLS_COMMANDS = [
  'deploy function',
  'deploy list functions',
  'deploy list',
  'deploy',
  'info',
  'invoke local',
  'invoke',
  'logs',
  'metrics',
  'remove',
  'rollback function',
  'rollback',
  'package',
  'print',
];
const GLOBAL_FLAGS = ['--json', '--apply', '--account', '--region', '--stage', '--help'];

export interface Mention {
  file: string;
  kind: 'warden' | 'npm' | 'script' | 'sls';
  text: string;
}

/**
 * The code of a markdown document: fenced block lines (comments stripped) and inline code spans, read per
 * paragraph so a span that wraps onto the next line is one command.
 */
export function codeOf(markdown: string): string[] {
  const code: string[] = [];
  let fenced = false;
  let paragraph: string[] = [];
  const flush = () => {
    for (const m of paragraph.join(' ').matchAll(/`([^`]+)`/g)) code.push(m[1]!.replace(/\s+/g, ' '));
    paragraph = [];
  };
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) {
      flush();
      fenced = !fenced;
    } else if (fenced) code.push(line.replace(/(^|\s)#\s.*$/, ''));
    else if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return code;
}

/** Splits a code line into commands at shell separators. */
const commandsOf = (code: string): string[] => code.split(/\s*(?:&&|\|\||;|\||\$\(|\))\s*/);

export function mentionsIn(file: string, markdown: string): Mention[] {
  const found: Mention[] = [];
  for (const code of codeOf(markdown)) {
    for (const cmd of commandsOf(code)) {
      const sh = cmd.match(/(?:^|\s|\/)(scripts\/[\w.-]+\.sh(?: .*)?)$/);
      if (sh) found.push({ file, kind: 'script', text: sh[1]!.trim() });
      const w = cmd.match(/(?:^|\s)((?:npx )?warden (?:[a-z]+)(?: .*)?)$/);
      if (w) found.push({ file, kind: 'warden', text: w[1]!.replace(/^npx /, '').trim() });
      const n = cmd.match(/(?:^|\s)npm run ([\w:-]+)/);
      if (n) found.push({ file, kind: 'npm', text: n[1]! });
      const s = cmd.match(/(?:^|\s)(?:npx )?sls ((?:[a-z]+(?: |$))+)/);
      if (s) found.push({ file, kind: 'sls', text: s[1]!.trim() });
    }
  }
  return found;
}

/** Every mention in docs/operations/*.md. */
export function runbookMentions(): Mention[] {
  return readdirSync(RUNBOOK_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => mentionsIn(f, readFileSync(new URL(f, RUNBOOK_DIR), 'utf8')));
}

const words = (line: string) => line.split(/\s+/).filter(Boolean);

/** Why a `warden ...` command does not exist, or undefined when it does. */
export function checkWarden(text: string): string | undefined {
  const [, name, ...rest] = words(text);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return `no warden command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`;
  const usage = [command.usage].flat().map(String);
  const subs = new Set(usage.map((u) => words(u)[2] ?? '').filter((w) => /^[a-z]+$/.test(w)));
  const first = rest[0];
  let lines = usage;
  if (first && subs.size > 0 && /^[a-z]+$/.test(first)) {
    if (!subs.has(first)) return `no subcommand 'warden ${name} ${first}' (${[...subs].join(', ')})`;
    lines = usage.filter((u) => words(u)[2] === first);
  }
  if (
    name === 'run' &&
    first &&
    !first.startsWith('-') &&
    !first.startsWith('<') &&
    !automationNames().includes(first)
  )
    return `no automation '${first}' (${automationNames().join(', ')})`;
  for (const flag of rest.filter((t) => /^--[a-z-]+/.test(t)).map((t) => t.replace(/=.*$/, ''))) {
    if (!GLOBAL_FLAGS.includes(flag) && !lines.some((u) => new RegExp(`${flag}(?![a-z-])`).test(u)))
      return `no flag ${flag} for 'warden ${name}${lines === usage ? '' : ` ${first}`}'`;
  }
  return undefined;
}

/** Why a mention does not exist, or undefined when it does. */
export function checkMention(m: Mention): string | undefined {
  switch (m.kind) {
    case 'warden':
      return checkWarden(m.text);
    case 'npm': {
      const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: object };
      return m.text in pkg.scripts ? undefined : `no npm script '${m.text}'`;
    }
    case 'script': {
      const [path, ...rest] = words(m.text);
      if (!existsSync(new URL(path!, ROOT))) return `no file ${path}`;
      const text = readFileSync(new URL(path!, ROOT), 'utf8');
      const flag = rest.find((t) => /^--?[a-z]/.test(t) && !text.includes(`${t.replace(/=.*$/, '')})`));
      return flag ? `no flag ${flag} in ${path}` : undefined;
    }
    case 'sls':
      return SLS_COMMANDS.includes(m.text) ? undefined : `no sls command '${m.text}'`;
  }
}
