import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * shellcheck is optional on a developer's machine (the README's set-up asks only for Node and the databases) and
 * required in CI, which installs it and sets WARDEN_REQUIRE_SHELLCHECK=1 (.ci/run, .github/workflows/test.yml).
 */
export const REQUIRE_SHELLCHECK = 'WARDEN_REQUIRE_SHELLCHECK';

export const SHELLCHECK_MISSING =
  'shellcheck is not on PATH, so scripts/*.sh were NOT linted (optional locally, required in CI: ' +
  'apt-get install -y shellcheck)';

/** What the shellcheck test does here: run the binary, skip with a notice, or fail because CI requires it. */
export type ShellcheckGate =
  | { kind: 'run'; binary: string }
  | { kind: 'skip'; notice: string }
  | { kind: 'fail'; message: string };

/** The first executable `shellcheck` on a PATH. */
export function findShellcheck(path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'shellcheck');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Decides from PATH and WARDEN_REQUIRE_SHELLCHECK. */
export function shellcheckGate(env: NodeJS.ProcessEnv): ShellcheckGate {
  const binary = findShellcheck(env.PATH ?? '');
  if (binary) return { kind: 'run', binary };
  if (env[REQUIRE_SHELLCHECK] === '1')
    return { kind: 'fail', message: `${SHELLCHECK_MISSING}; ${REQUIRE_SHELLCHECK}=1 requires it` };
  return { kind: 'skip', notice: `NOTICE: ${SHELLCHECK_MISSING}` };
}

/** shellcheck at every severity, following sourced files; `output` is empty when every file is clean. */
export function runShellcheck(
  binary: string,
  files: readonly string[],
  cwd: string,
): { status: number | null; output: string } {
  const res = spawnSync(binary, ['-x', '--severity=style', ...files], { cwd, encoding: 'utf8' });
  if (res.error) throw res.error;
  return { status: res.status, output: res.stdout + res.stderr };
}

/**
 * The shellcheck binary for a test that needs it; without one, the test fails (CI) or is skipped with the notice
 * printed where the run's output shows it (a developer's machine). Returns undefined when skipped.
 */
export function shellcheckOrSkip(ctx: { skip(note?: string): void }): string | undefined {
  const gate = shellcheckGate(process.env);
  if (gate.kind === 'fail') throw new Error(gate.message);
  if (gate.kind === 'skip') {
    console.warn(gate.notice);
    ctx.skip(gate.notice);
    return undefined;
  }
  return gate.binary;
}
