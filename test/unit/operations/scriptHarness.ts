import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the operator scripts with stand-ins for `npx` and `aws` first on PATH. The stand-ins record every call
 * (one line each) instead of reaching AWS, so a test sees exactly which commands a script ran.
 */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const NPX = `#!/bin/sh
printf 'npx %s\\n' "$*" >> "$STUB_LOG"
case "$*" in
  *"sls deploy list"*)
    printf 'Listing deployments:\\n2026-11-20 10:00:00 UTC\\nTimestamp: 1795600000000\\nFiles:\\n'
    printf '2026-11-25 10:00:00 UTC\\nTimestamp: 1796000000000\\nFiles:\\n'
    printf '2026-11-22 10:00:00 UTC\\nTimestamp: 1795800000000\\nFiles:\\n' ;;
esac
if [ -n "$STUB_FAIL" ]; then
  case "$*" in *"$STUB_FAIL"*) echo "stub: failing $*" >&2; exit 1 ;; esac
fi
exit 0
`;

const AWS = `#!/bin/sh
printf 'aws %s\\n' "$*" >> "$STUB_LOG"
if [ "$1 $2" = "sts get-caller-identity" ]; then
  if [ -n "$STUB_NO_CREDENTIALS" ]; then echo 'Unable to locate credentials' >&2; exit 255; fi
  echo 'arn:aws:sts::123456789012:assumed-role/ops/me'
fi
exit 0
`;

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The npx / aws calls the script made, in order. */
  calls: string[];
}

export interface Harness {
  run(script: string, args: readonly string[], env?: Record<string, string>): ScriptRun;
  /** PATH with only node and the npx stand-in: no aws, wherever the machine installed it. */
  withoutAws(script: string, args: readonly string[]): ScriptRun;
  /** PATH without node. */
  withoutNode(script: string, args: readonly string[]): ScriptRun;
  cleanup(): void;
}

function write(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

export function createHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'warden-scripts-'));
  const stubs = join(dir, 'bin');
  const noAws = join(dir, 'bin-no-aws');
  for (const d of [stubs, noAws]) mkdirSync(d);
  write(join(stubs, 'npx'), NPX);
  write(join(stubs, 'aws'), AWS);
  write(join(noAws, 'npx'), NPX);
  symlinkSync(process.execPath, join(noAws, 'node'));
  const log = join(dir, 'calls.log');
  const system = ['/usr/bin', '/bin'];
  const exec = (script: string, args: readonly string[], path: string, env: Record<string, string> = {}) => {
    rmSync(log, { force: true });
    const res = spawnSync('/bin/bash', [join(ROOT, 'scripts', script), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: path, HOME: dir, STUB_LOG: log, LANG: 'C', ...env },
    });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return { status: res.status, stdout: res.stdout, stderr: res.stderr, calls };
  };
  return {
    run: (script, args, env) =>
      exec(script, args, [stubs, dirname(process.execPath), ...system].join(delimiter), env),
    withoutAws: (script, args) => exec(script, args, noAws),
    withoutNode: (script, args) => exec(script, args, join(dir, 'empty')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
