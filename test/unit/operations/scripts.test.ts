import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, ROOT } from './scriptHarness.js';
import { runShellcheck, shellcheckOrSkip } from './shellcheck.js';

const SCRIPTS_DIR = join(ROOT, 'scripts');
const allShell = readdirSync(SCRIPTS_DIR)
  .filter((f) => f.endsWith('.sh'))
  .sort();
/** The runnable scripts; `_*.sh` files are sourced helpers. */
const runnable = allShell.filter((f) => !f.startsWith('_'));
const DRILL = join(ROOT, 'examples/backup/drill.json');
const COST_EXPORT = join(ROOT, 'examples/cost/cost-by-service.json');

describe('Scripts: shellcheck', () => {
  it('finds every script of scripts/ clean at every severity', (ctx) => {
    // Prepare
    const binary = shellcheckOrSkip(ctx);
    if (!binary) return;
    // Act
    const res = runShellcheck(
      binary,
      allShell.map((f) => `scripts/${f}`),
      ROOT,
    );
    // Assess
    expect(allShell.length).toBeGreaterThanOrEqual(6);
    expect(res.output).toBe('');
    expect(res.status).toBe(0);
  });
});

describe('Scripts: conventions', () => {
  it('has the five operator scripts, executable, bash with strict mode', () => {
    // Assess
    expect(runnable).toEqual(['backup.sh', 'cost-report.sh', 'deploy.sh', 'restore.sh', 'rollback.sh']);
    for (const f of runnable) {
      const text = readFileSync(join(SCRIPTS_DIR, f), 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), f).toBe(true);
      expect(text, f).toContain('\nset -euo pipefail\n');
      expect(statSync(join(SCRIPTS_DIR, f)).mode & 0o111, f).not.toBe(0);
    }
  });
});

describe('Scripts: usage', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it.each(runnable)('%s --help exits 0 with its usage and calls nothing', (script) => {
    // Act
    const res = h.run(script, ['--help']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`usage: scripts/${script}`);
    expect(res.stdout).toContain('Exit codes:');
    expect(res.calls).toEqual([]);
  });

  it.each(runnable)('%s exits 2 on an unknown flag and says how to get help', (script) => {
    // Act
    const res = h.run(script, ['--no-such-flag']);
    // Assess
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('unknown argument: --no-such-flag');
    expect(res.stderr).toContain(`Try '${script} --help'.`);
    expect(res.calls).toEqual([]);
  });

  it.each([
    ['deploy.sh', [], '--stage is required'],
    ['deploy.sh', ['--stage', 'qa'], "--stage must be dev, staging or prod (got 'qa')"],
    ['deploy.sh', ['--stage'], '--stage needs a value'],
    ['rollback.sh', ['--stage', 'prod', '--to', '41'], '--to and --account need --function'],
    ['rollback.sh', ['--stage', 'prod', '--timestamp', 'yesterday'], '--timestamp must be a number'],
    ['backup.sh', [], 'the database identifier is required'],
    ['backup.sh', ['orders db'], "not a resource: 'orders db'"],
    ['restore.sh', ['orders-db'], '--config <drill.json> is required'],
    [
      'restore.sh',
      ['orders-db', '--config', '/nonexistent.json'],
      '--config: no such file: /nonexistent.json',
    ],
    ['cost-report.sh', ['--days', '0'], "--days must be 1-365 (got '0')"],
  ])('%s %j exits 2: %s', (script, args, message) => {
    // Act
    const res = h.run(script, args);
    // Assess
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.calls).toEqual([]);
  });
});

describe('Scripts: missing tools and credentials', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it('exits 3 naming node when Node.js is not on PATH', () => {
    // Act
    const res = h.withoutNode('deploy.sh', ['--stage', 'dev']);
    // Assess
    expect(res.status).toBe(3);
    expect(res.stderr).toContain('missing tool: node');
  });

  it('exits 3 naming the AWS CLI when it is missing', () => {
    // Act
    const res = h.withoutAws('rollback.sh', ['--stage', 'dev']);
    // Assess
    expect(res.status).toBe(3);
    expect(res.stderr).toContain('missing tool: aws (install the AWS CLI v2)');
    expect(res.calls).toEqual([]);
  });

  it('exits 3 before deploying when there are no AWS credentials', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'staging', '--apply'], { STUB_NO_CREDENTIALS: '1' });
    // Assess
    expect(res.status).toBe(3);
    expect(res.stderr).toContain('no usable AWS credentials');
    expect(res.calls).toEqual(['aws sts get-caller-identity --query Arn --output text']);
  });
});

describe('Script: deploy.sh', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it('prints the plan and runs nothing without --apply', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'dev']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('+ npx sls deploy --stage dev\n');
    expect(res.stdout).toContain('+ npx sls invoke --stage dev -f selfcheck\n');
    expect(res.stdout).toContain('dry-run: nothing was changed');
    expect(res.calls).toEqual([]);
  });

  it('checks credentials, deploys and runs selfcheck with --apply', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'prod', '--region', 'eu-central-1', '--apply']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls).toEqual([
      'aws sts get-caller-identity --query Arn --output text',
      'npx sls deploy --stage prod --region eu-central-1',
      'npx sls invoke --stage prod --region eu-central-1 -f selfcheck',
    ]);
  });

  it('fails naming the rollback script when selfcheck fails', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'staging', '--apply'], { STUB_FAIL: '-f selfcheck' });
    // Assess
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('selfcheck failed on stage staging');
    expect(res.stderr).toContain('scripts/rollback.sh --stage staging');
  });

  it('takes each pre-migration backup with warden before deploying, and plans them without --apply', () => {
    // Act
    const planned = h.run('deploy.sh', ['--stage', 'dev', '--snapshot', 'orders-db']);
    const res = h.run('deploy.sh', [
      '--stage',
      'prod',
      '--snapshot',
      'orders-db',
      '--snapshot',
      'dynamodb:sessions',
      '--apply',
    ]);
    // Assess
    expect(planned.stdout).toContain('+ npx warden backup snapshot orders-db --wait --stage dev --apply\n');
    expect(planned.calls).toEqual([]);
    expect(res.status).toBe(0);
    expect(res.calls).toEqual([
      'aws sts get-caller-identity --query Arn --output text',
      'npx warden backup snapshot orders-db --wait --stage prod --apply',
      'npx warden backup snapshot dynamodb:sessions --wait --stage prod --apply',
      'npx sls deploy --stage prod',
      'npx sls invoke --stage prod -f selfcheck',
    ]);
  });

  it('deploys nothing when a pre-migration backup fails', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'staging', '--snapshot', 'orders-db', '--apply'], {
      STUB_FAIL: 'backup snapshot',
    });
    // Assess
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('pre-migration backup of orders-db failed or could not be verified');
    expect(res.calls.filter((c) => c.includes('sls'))).toEqual([]);
  });

  it('stops before selfcheck when the deploy fails', () => {
    // Act
    const res = h.run('deploy.sh', ['--stage', 'staging', '--apply'], { STUB_FAIL: 'sls deploy' });
    // Assess
    expect(res.status).not.toBe(0);
    expect(res.calls.filter((c) => c.includes('selfcheck'))).toEqual([]);
  });
});

describe('Script: rollback.sh', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it('lists the deployments and plans the previous one without --apply', () => {
    // Act
    const res = h.run('rollback.sh', ['--stage', 'prod']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('previous deployment: 1795800000000');
    expect(res.stdout).toContain('+ npx sls rollback --stage prod --timestamp 1795800000000\n');
    expect(res.calls).toEqual([
      'aws sts get-caller-identity --query Arn --output text',
      'npx sls deploy list --stage prod',
    ]);
  });

  it('rolls the stack back to the given timestamp and runs selfcheck with --apply', () => {
    // Act
    const res = h.run('rollback.sh', ['--stage', 'staging', '--timestamp', '1795600000000', '--apply']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual([
      'npx sls deploy list --stage staging',
      'npx sls rollback --stage staging --timestamp 1795600000000',
      'npx sls invoke --stage staging -f selfcheck',
    ]);
  });

  it('runs warden rollback as its dry-run for one alias without --apply', () => {
    // Act
    const res = h.run('rollback.sh', ['--stage', 'prod', '--function', 'warden-prod-notify', '--to', '41']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual([
      'npx warden rollback lambda:warden-prod-notify:live --to 41 --stage prod',
    ]);
    expect(res.stdout).toContain('dry-run: the alias was not changed');
  });

  it('moves the alias with --apply', () => {
    // Act
    const res = h.run('rollback.sh', [
      '--stage',
      'dev',
      '--function',
      'orders-api',
      '--alias',
      'blue',
      '--apply',
    ]);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual(['npx warden rollback lambda:orders-api:blue --stage dev --apply']);
  });
});

describe('Script: backup.sh', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it('shows the snapshots and takes no backup without --apply', () => {
    // Act
    const res = h.run('backup.sh', ['orders-db', '--dr-region', 'eu-central-1']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual(['npx warden backup snapshots orders-db --dr-region eu-central-1']);
    expect(res.stdout).toContain('+ npx warden backup snapshot orders-db --apply\n');
    expect(res.stdout).toContain('dry-run: no backup was taken');
  });

  it('takes the backup through warden, waits for it and shows the snapshots again with --apply', () => {
    // Act
    const res = h.run('backup.sh', ['orders-cluster', '--wait', '--stage', 'prod', '--apply']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual([
      'npx warden backup snapshots orders-cluster --stage prod',
      'npx warden backup snapshot orders-cluster --wait --stage prod --apply',
      'npx warden backup snapshots orders-cluster --stage prod',
    ]);
  });

  it('backs up a DynamoDB table (no RDS snapshot listing), and fails when the backup does', () => {
    // Act
    const ok = h.run('backup.sh', ['dynamodb:sessions', '--wait', '--apply']);
    const failed = h.run('backup.sh', ['elasticache:cache', '--apply'], { STUB_FAIL: 'backup snapshot' });
    // Assess
    expect(ok.status).toBe(0);
    expect(ok.calls.slice(1)).toEqual(['npx warden backup snapshot dynamodb:sessions --wait --apply']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('backup of elasticache:cache failed');
  });
});

describe('Script: restore.sh', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it("runs warden's drill as a dry-run without --apply", () => {
    // Act
    const res = h.run('restore.sh', ['orders-db', '--config', DRILL, '--stage', 'staging']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls.slice(1)).toEqual([
      `npx warden backup drill orders-db --config ${DRILL} --stage staging`,
    ]);
    expect(res.stdout).toContain('dry-run: nothing was restored');
  });

  it('runs the drill with --apply and fails when the drill fails', () => {
    // Act
    const ok = h.run('restore.sh', ['orders-db', '--config', DRILL, '--apply']);
    const failed = h.run('restore.sh', ['orders-db', '--config', DRILL, '--apply'], {
      STUB_FAIL: 'backup drill',
    });
    // Assess
    expect(ok.status).toBe(0);
    expect(ok.calls.slice(1)).toEqual([`npx warden backup drill orders-db --config ${DRILL} --apply`]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('restore drill of orders-db failed');
  });
});

describe('Script: cost-report.sh', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness();
  });
  afterAll(() => h.cleanup());

  it('reads a saved export without touching AWS', () => {
    // Act
    const res = h.run('cost-report.sh', ['--from', COST_EXPORT, '--days', '14', '--html', 'cost.html']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls).toHaveLength(1);
    expect(res.calls[0]).toMatch(
      new RegExp(`^npx warden cost report --from ${COST_EXPORT} --days 14 --html /.+/cost\\.html$`),
    );
  });

  it('checks the credentials before a live report and keeps stdout for the report', () => {
    // Act
    const res = h.run('cost-report.sh', ['--json']);
    // Assess
    expect(res.status).toBe(0);
    expect(res.calls).toEqual([
      'aws sts get-caller-identity --query Arn --output text',
      'npx warden cost report --json',
    ]);
    expect(res.stdout).toBe('');
  });
});
