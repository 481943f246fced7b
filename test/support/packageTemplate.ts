import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const sls = join(root, 'node_modules', '.bin', 'sls');

export type Stage = 'dev' | 'staging' | 'prod';
export interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Condition?: string; [k: string]: unknown }
  >;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
}

/**
 * `sls package --stage <stage>` into .tmp/pkg/<stage>, once per test run (vitest's globalSetup sets the run id):
 * test files run in parallel processes, so the first to take the lock packages and the others wait for it.
 */
export async function packageDir(stage: Stage): Promise<string> {
  const runId = process.env.WARDEN_TEST_RUN_ID ?? 'adhoc';
  const dir = join(root, '.tmp', 'pkg', stage);
  const marker = join(root, '.tmp', 'pkg', `${stage}.done`);
  const lock = join(root, '.tmp', 'pkg', `${stage}.lock`);
  mkdirSync(join(root, '.tmp', 'pkg'), { recursive: true });
  const ready = () => existsSync(marker) && readFileSync(marker, 'utf8') === runId;
  for (let waited = 0; !ready(); waited += 250) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {}
    if (owner) {
      try {
        if (!ready()) {
          rmSync(dir, { recursive: true, force: true });
          await run(sls, ['package', '--stage', stage, '--package', dir], {
            cwd: root,
            env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
          });
          writeFileSync(marker, runId);
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } else {
      if (waited > 170_000) throw new Error(`timed out waiting for the ${stage} package`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return dir;
}

export async function packagedTemplate(stage: Stage): Promise<Template> {
  const dir = await packageDir(stage);
  return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

export function resourcesOfType(t: Template, type: string): [string, Template['Resources'][string]][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}
