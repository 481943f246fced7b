import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One `warden ...` line as written in a document or in `warden help`, with where it stands. */
export interface Example {
  source: string;
  text: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

const CODE_LINE = /^\s*(?:npx )?warden\s+(.*)$/;
const SPAN = /`(?:npx )?warden ([^`]+)`((?:\s*\/\s*`[^`]+`)*)/g;

/** The `warden` lines of one markdown file: code-block lines, table cells and `npx warden ...` spans in prose. */
function fromMarkdown(root: string, file: string): Example[] {
  const source = relative(root, file);
  const found: Example[] = [];
  let fenced = false;
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const where = `${source}:${i + 1}`;
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      const m = CODE_LINE.exec(line);
      if (m) found.push({ source: where, text: `warden ${m[1]!.replace(/\s+#.*$/, '').trim()}` });
      continue;
    }
    const table = line.startsWith('|');
    for (const m of line.matchAll(SPAN)) {
      // Prose names warden strings that are not commands (a description `warden rollback of ...`); only tables and
      // explicit `npx warden` spans are commands.
      if (!table && !m[0].startsWith('`npx ')) continue;
      const first = `warden ${m[1]!}`;
      found.push({ source: where, text: first });
      // A table cell `warden backup verify` / `drill <db>`: the later spans continue the first one's command.
      const command = m[1]!.split(' ')[0]!;
      for (const alt of (m[2] ?? '').matchAll(/`([^`]+)`/g)) {
        const rest = alt[1]!;
        found.push({
          source: where,
          text: rest.startsWith(`${command} `) ? `warden ${rest}` : `warden ${command} ${rest}`,
        });
      }
    }
  }
  return found;
}

/** Every `warden` example line of the README and the docs. */
export function documentedExamples(root: string): Example[] {
  return [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))].flatMap((f) =>
    fromMarkdown(root, f),
  );
}

/** The usage lines of `warden help` (each command's own lines, without their descriptions). */
export function helpExamples(helpText: string): Example[] {
  return helpText
    .split('\n')
    .filter((l) => /^ {6}warden /.test(l))
    .map((l) => ({ source: 'warden help', text: l.trim().split(/ {2,}/)[0]! }));
}

function expandOptional(text: string, keep: boolean): string {
  let out = text;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\[([^[\]]*)\]/, keep ? '$1' : '');
  }
  return out;
}

/** Concrete command lines of a usage pattern: placeholders filled in, `a | b` alternatives each taken. */
function fill(text: string, values: Readonly<Record<string, string>>): string[] {
  const m = /<([^<>]*)>/.exec(text);
  if (!m) return [text];
  const name = m[1]!;
  const at = (v: string) => text.slice(0, m.index) + v + text.slice(m.index + m[0].length);
  if (name in values) return fill(at(values[name]!), values);
  if (name.includes(' | ')) return name.split(' | ').flatMap((alt) => fill(at(alt.trim()), values));
  throw new Error(`no sample value for the placeholder <${name}> in "${text}"`);
}

/**
 * The argv lists an example stands for: without its optional parts and with all of them, placeholders (`<db>`, and
 * the bare `N`, `REGION`, `d`, `f` of the README table) replaced by sample values.
 */
export function argvsOf(example: Example, values: Readonly<Record<string, string>>): string[][] {
  const forms = new Set<string>();
  for (const keep of [false, true]) {
    for (const line of fill(expandOptional(example.text, keep), values)) forms.add(line);
  }
  return [...forms].map((line) =>
    line
      .split(/\s+/)
      .filter(Boolean)
      .slice(1)
      .map((token) => values[token] ?? token),
  );
}
