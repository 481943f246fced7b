import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readZip } from '../../../lib/cli/zip.js';

/**
 * Writes the bundle (`<function>.mjs`) of each packaged function zip in `dir` that `keep` accepts into `work`, and
 * returns [function, file] pairs.
 */
export function extractBundles(
  dir: string,
  work: string,
  keep: (fn: string) => boolean = () => true,
): [string, string][] {
  const out: [string, string][] = [];
  for (const zip of readdirSync(dir).filter((f) => f.endsWith('.zip'))) {
    const fn = zip.replace(/\.zip$/, '');
    if (!keep(fn)) continue;
    for (const [name, data] of readZip(join(dir, zip))) {
      if (!name.endsWith('.mjs')) continue;
      const file = join(work, `${fn}.mjs`);
      writeFileSync(file, data);
      out.push([fn, file]);
    }
  }
  return out;
}

/**
 * Runs Node with `args` and only `env` (plus PATH) in its environment, as a fresh Lambda process; resolves with
 * everything it printed, stdout and stderr together (Powertools writes ERROR lines to stderr, the rest to stdout:
 * both are the function's log).
 */
export function runNode(args: readonly string[], env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', fail);
    child.on('close', () => done(out));
  });
}
