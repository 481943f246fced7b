import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('npm test: the exit code', () => {
  it('is not 0 when a test fails, with the global setup (and its embedded PostgreSQL) in the run', () => {
    // Prepare: a fresh global setup of its own, which starts the password-checking PostgreSQL again
    const env = { ...process.env };
    for (const name of [
      'TEST_PGAUTH_URL',
      'TEST_PGAUTH_CA',
      'TEST_MYSQL_TLS_URL',
      'TEST_MYSQL_TLS_CA',
      'VITEST',
    ])
      delete env[name];

    // Act
    const run = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/integration/runner/failing.config.ts'],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 },
    );

    // Assess
    expect(`${run.stdout}${run.stderr}`).toContain('tests: 0 passed, 1 failed');
    expect(run.status).toBe(1);
  }, 300_000);
});
