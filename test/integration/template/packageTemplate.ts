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
 * dir keyed by the content of every input of the build (see BUILD_INPUTS). Parallel test files wait on a lock
 * instead of packaging twice.
 */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = join(tmpdir(), 'warden-template-cache');
/**
 * Everything `sls package` reads from the project: the work copy holds exactly these, so the build cannot read an
 * unkeyed file. The bundles come from lib/ and functions/ (the bundle tests load them, so function code is an input
 * too), esbuild and its plugins from build/ and tsconfig.json, the installed packages from the lock files.
 */
export const BUILD_INPUTS = [
  'serverless.yml',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'resources',
  'functions',
  'build',
  'lib',
] as const;
/**
 * node_modules is linked into the work copy, not copied: npm's record of the installed tree stands for it (it
 * changes on every install, even one that does not follow package-lock.json).
 */
const INSTALLED_TREE = 'node_modules/.package-lock.json';
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

/** The cache key of a packaging of the project at `root`: the stage, the params and every build input's content. */
export function inputsHash(root: string, stage: string, params: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256').update(JSON.stringify({ stage, params }));
  for (const file of [...BUILD_INPUTS, INSTALLED_TREE].flatMap((p) => filesUnder(join(root, p)))) {
    // Length-prefixed, so moving bytes between a name and a content cannot give the same stream.
    const content = readFileSync(file);
    hash.update(`${relative(root, file)}\0${content.length}\0`).update(content);
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
    for (const p of BUILD_INPUTS)
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
  return (await load(stage, {})).dir;
}

async function load(
  stage: string,
  params: Readonly<Record<string, string>>,
): Promise<{ dir: string; template: CfnTemplate }> {
  const dir = join(CACHE, `${stage}-${inputsHash(ROOT, stage, params)}`);
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
  return { dir, template: JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate };
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
    pending = load(stage, params).then((r) => r.template);
    memo.set(key, pending);
  }
  return structuredClone(await pending);
}
