import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';

/**
 * The packaged CloudFormation template of a stage, for template tests: `sls package --stage <s> --package <dir>`
 * runs once per stage and parameter set, in a copy of the project (serverless-esbuild builds into the service
 * directory, so packaging in place would clobber other runs), and the result is cached on disk under the OS temp
 * dir keyed by the content of everything that shapes the template. Parallel test files wait on a lock instead of
 * packaging twice.
 */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = join(tmpdir(), 'warden-template-cache');
/** What the template depends on (function code only changes artifact hashes, which no template test reads). */
const INPUTS = ['serverless.yml', 'package.json', 'resources', 'functions', 'build', 'lib/dashboards'];
const COPIED = ['serverless.yml', 'package.json', 'tsconfig.json', 'resources', 'functions', 'build', 'lib'];
const TEMPLATE = 'cloudformation-template-update-stack.json';
const LOCK_STALE_MS = 10 * 60_000;
const KEEP_MS = 24 * 3_600_000;

const run = promisify(execFile);
const memo = new Map<string, Promise<CfnTemplate>>();

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function inputsHash(stage: string, params: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256').update(JSON.stringify({ stage, params }));
  for (const file of INPUTS.flatMap((p) => filesUnder(join(ROOT, p)))) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 20);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS)
        rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function packageInto(
  out: string,
  stage: string,
  params: Readonly<Record<string, string>>,
): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'warden-pkg-'));
  try {
    for (const p of COPIED)
      if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(work, p), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    const args = [
      'package',
      '--stage',
      stage,
      '--package',
      out,
      ...Object.entries(params).map(([k, v]) => `--param=${k}=${v}`),
    ];
    await run(join(ROOT, 'node_modules/.bin/sls'), args, {
      cwd: work,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
      cause: error,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Removes cache entries not written for a day (older contents of the project). */
function prune(): void {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (!name.endsWith('.lock') && Date.now() - statSync(path).mtimeMs > KEEP_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

/** The `sls package` output directory of `stage` (template and function zips), packaged once and cached. */
export async function packagedDir(stage: Stage): Promise<string> {
  await load(stage, {});
  return join(CACHE, `${stage}-${inputsHash(stage, {})}`);
}

async function load(stage: string, params: Readonly<Record<string, string>>): Promise<CfnTemplate> {
  const dir = join(CACHE, `${stage}-${inputsHash(stage, params)}`);
  const file = join(dir, TEMPLATE);
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    await withLock(`${dir}.lock`, async () => {
      if (existsSync(file)) return;
      const out = mkdtempSync(join(CACHE, `${stage}-out-`));
      await packageInto(out, stage, params);
      // The function archives stay: the bundle smoke test loads them.
      renameSync(out, dir);
      prune();
    });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
}

/**
 * The compiled template of `stage` (with optional `--param key=value` overrides). Each call returns a fresh copy,
 * so a test may change it.
 */
export async function packageTemplate(
  stage: string,
  params: Readonly<Record<string, string>> = {},
): Promise<CfnTemplate> {
  const key = JSON.stringify({ stage, params });
  let pending = memo.get(key);
  if (!pending) {
    pending = load(stage, params);
    memo.set(key, pending);
  }
  return structuredClone(await pending);
}
