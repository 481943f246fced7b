import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './scriptHarness.js';
import {
  REQUIRE_SHELLCHECK,
  runShellcheck,
  SHELLCHECK_MISSING,
  shellcheckGate,
  shellcheckOrSkip,
} from './shellcheck.js';

let dir: string;
/** A PATH holding only node: no shellcheck, wherever the machine installed it. */
let nodeOnly: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-shellcheck-'));
  nodeOnly = join(dir, 'bin');
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Function: shellcheckGate', () => {
  it('skips with a notice when shellcheck is not on PATH and CI does not require it', () => {
    // Act
    const gate = shellcheckGate({ PATH: nodeOnly });
    // Assess
    expect(gate).toEqual({ kind: 'skip', notice: `NOTICE: ${SHELLCHECK_MISSING}` });
  });

  it('fails when shellcheck is not on PATH and WARDEN_REQUIRE_SHELLCHECK=1', () => {
    // Act
    const gate = shellcheckGate({ PATH: nodeOnly, [REQUIRE_SHELLCHECK]: '1' });
    // Assess
    expect(gate).toEqual({
      kind: 'fail',
      message: `${SHELLCHECK_MISSING}; WARDEN_REQUIRE_SHELLCHECK=1 requires it`,
    });
  });

  it('runs the first executable shellcheck on PATH', () => {
    // Prepare
    const fake = join(dir, 'fake-bin');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'shellcheck'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(fake, 'shellcheck'), 0o755);
    // Act
    const gate = shellcheckGate({ PATH: `${nodeOnly}:${fake}`, [REQUIRE_SHELLCHECK]: '1' });
    // Assess
    expect(gate).toEqual({ kind: 'run', binary: join(fake, 'shellcheck') });
  });
});

describe('Function: runShellcheck', () => {
  it('reports a planted finding in a script (real shellcheck)', (ctx) => {
    // Prepare
    const binary = shellcheckOrSkip(ctx);
    if (!binary) return;
    const script = join(dir, 'planted.sh');
    writeFileSync(script, '#!/usr/bin/env bash\nset -euo pipefail\nrm -rf $1/cache\n');
    // Act
    const res = runShellcheck(binary, [script], dir);
    // Assess
    expect(res.status).not.toBe(0);
    expect(res.output).toContain('SC2086');
  });
});

/** Runs the shellcheck test of scripts.test.ts in a vitest of its own, with PATH holding only node. */
function runScriptsShellcheckTest(required: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: nodeOnly, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env[REQUIRE_SHELLCHECK];
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  if (required) env[REQUIRE_SHELLCHECK] = '1';
  const res = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      'test/unit/operations/scripts.test.ts',
      '-t',
      'Scripts: shellcheck',
    ],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: res.status, output: res.stdout + res.stderr };
}

describe('Test: Scripts: shellcheck, without shellcheck on PATH', () => {
  it('is skipped with the notice in the run output and the run passes', () => {
    // Act
    const res = runScriptsShellcheckTest(false);
    // Assess
    expect(res.output).toContain(`NOTICE: ${SHELLCHECK_MISSING}`);
    expect(res.output).toMatch(/tests: 0 passed, 0 failed, \d+ skipped/);
    expect(res.status).toBe(0);
  });

  it('fails the run when WARDEN_REQUIRE_SHELLCHECK=1', () => {
    // Act
    const res = runScriptsShellcheckTest(true);
    // Assess
    expect(res.output).toContain(`${SHELLCHECK_MISSING}; WARDEN_REQUIRE_SHELLCHECK=1 requires it`);
    expect(res.output).toContain('tests: 0 passed, 1 failed');
    expect(res.status).toBe(1);
  });
});
