import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { automationNames } from '../../../lib/automations/registry.js';
import {
  isObject,
  type Json,
  lintWorkflow,
  loadWorkflows,
  parseWorkflow,
  runText,
  stepsOf,
  type Workflow,
} from './workflowLint.js';

const root = new URL('../../../', import.meta.url);
/** A GitHub expression, `${{ e }}`. */
const gh = (e: string) => `\${{ ${e} }}`;
const workflows = loadWorkflows();
const byName = (file: string): Workflow => {
  const wf = workflows.find((w) => w.file === file);
  if (!wf) throw new Error(`.github/workflows/${file} is missing`);
  return wf;
};
const jobOf = (wf: Workflow, id: string): Json => {
  const job = isObject(wf.doc.jobs) ? wf.doc.jobs[id] : undefined;
  if (!isObject(job)) throw new Error(`${wf.file}: job ${id} is missing`);
  return job;
};
const triggers = (wf: Workflow): Json => (isObject(wf.doc.on) ? wf.doc.on : {});
const matrixOf = (job: Json, key: string): unknown[] => {
  const strategy = isObject(job.strategy) ? job.strategy : {};
  const matrix = isObject(strategy.matrix) ? strategy.matrix : {};
  return Array.isArray(matrix[key]) ? matrix[key] : [];
};

describe('Function: lintWorkflow', () => {
  it('accepts every workflow of the repository', () => {
    // Prepare
    const files = workflows.map((w) => w.file);
    // Act
    const problems = workflows.flatMap(lintWorkflow);
    // Assess
    expect(files).toEqual(['deploy-production.yml', 'deploy-staging.yml', 'security-scan.yml', 'test.yml']);
    expect(problems).toEqual([]);
  });

  it('reports a job without runs-on, a step with both uses and run, and an unknown needs', () => {
    // Prepare
    const wf = parseWorkflow(
      'bad.yml',
      [
        'name: bad',
        'on: { push: {} }',
        'jobs:',
        '  a:',
        '    needs: [nope]',
        '    steps:',
        '      - { uses: actions/checkout@v4, run: echo }',
      ].join('\n'),
    );
    // Act
    const problems = lintWorkflow(wf);
    // Assess
    expect(problems).toEqual([
      "bad.yml: jobs.a: needs unknown job 'nope'",
      'bad.yml: jobs.a: runs-on is required',
      'bad.yml: jobs.a.steps[0]: exactly one of uses or run',
    ]);
  });

  it('reports stored AWS keys and OIDC without id-token: write', () => {
    // Prepare
    const wf = parseWorkflow(
      'keys.yml',
      [
        'name: keys',
        'on: workflow_dispatch',
        'jobs:',
        '  d:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: aws-actions/configure-aws-credentials@v4',
        '        with:',
        `          aws-access-key-id: ${gh('secrets.KEY')}`,
        '          aws-region: eu-west-1',
      ].join('\n'),
    );
    // Act
    const problems = lintWorkflow(wf);
    // Assess
    expect(problems).toEqual([
      'keys.yml: aws: stored access keys are not allowed (use OIDC role-to-assume)',
      'keys.yml: jobs.d: AWS via OIDC needs permissions id-token: write',
      'keys.yml: jobs.d: configure-aws-credentials without role-to-assume',
    ]);
  });

  it('reports an unknown event, a bad cron, a bad action reference and an unclosed expression', () => {
    // Prepare
    const wf = parseWorkflow(
      'odd.yml',
      [
        'name: odd',
        'on:',
        '  pushh: {}',
        '  schedule: [{ cron: "daily" }]',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - uses: checkout',
        '      - run: echo ${{ github.sha',
      ].join('\n'),
    );
    // Act
    const problems = lintWorkflow(wf);
    // Assess
    expect(problems).toEqual([
      "odd.yml: on: unknown or unexpected event 'pushh'",
      'odd.yml: on.schedule: bad cron {"cron":"daily"}',
      "odd.yml: jobs.a.steps[0]: bad action 'checkout'",
      'odd.yml: expressions: 1 opened, 0 closed',
    ]);
  });
});

describe('Function: parseWorkflow', () => {
  it('reports a file that is not valid YAML instead of throwing', () => {
    // Prepare
    const wf = parseWorkflow('broken.yml', 'jobs:\n  a:\n    run: printf a: b: c\n');
    // Act
    const problems = lintWorkflow(wf);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^broken\.yml: not valid YAML: /);
  });
});

describe('Workflow: test.yml', () => {
  const wf = byName('test.yml');
  const run = runText(wf);

  it('runs on pull requests, pushes to main and as a reusable workflow', () => {
    // Act
    const on = triggers(wf);
    // Assess
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    expect(on.push).toEqual({ branches: ['main'] });
  });

  it('tests against PostgreSQL and MariaDB service containers through TEST_PG_URL and TEST_MYSQL_URL', () => {
    // Prepare
    const job = jobOf(wf, 'test');
    // Act
    const services = isObject(job.services) ? job.services : {};
    const env = isObject(job.env) ? job.env : {};
    // Assess
    expect(Object.keys(services).sort()).toEqual(['mariadb', 'postgres']);
    expect(String((services.postgres as Json).image)).toMatch(/^postgres:/);
    expect(String((services.mariadb as Json).image)).toMatch(/^mariadb:/);
    expect(env.TEST_PG_URL).toMatch(/^postgres:\/\/.+@127\.0\.0\.1:5432\/test$/);
    expect(env.TEST_MYSQL_URL).toMatch(/^mysql:\/\/root@127\.0\.0\.1:3306\/test$/);
  });

  it('installs, typechecks, lints, tests with coverage and uploads the coverage report', () => {
    // Prepare
    const upload = stepsOf(wf, 'test').find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    // Assess
    for (const cmd of [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npx vitest run --coverage',
      'shellcheck',
    ])
      expect(run, cmd).toContain(cmd);
    expect(upload?.with).toMatchObject({ name: 'coverage', path: 'coverage/' });
  });

  it('packages every stage and runs the bench smoke', () => {
    // Prepare
    const job = jobOf(wf, 'package');
    // Assess
    expect(matrixOf(job, 'stage')).toEqual(['dev', 'staging', 'prod']);
    expect(run).toContain(`npx sls package --stage ${gh('matrix.stage')}`);
    expect(run).toContain('npm run bench -- bundles');
  });
});

describe('Workflow: deploy-staging.yml', () => {
  const wf = byName('deploy-staging.yml');
  const run = runText(wf);

  it('runs on pushes to main after the test workflow', () => {
    // Assess
    expect(triggers(wf)).toEqual({ push: { branches: ['main'] } });
    expect(jobOf(wf, 'test').uses).toBe('./.github/workflows/test.yml');
    expect(jobOf(wf, 'deploy').needs).toEqual(['test']);
  });

  it('deploys staging with the deploy script, which runs selfcheck', () => {
    // Assess
    expect(run).toContain('scripts/deploy.sh --stage staging');
    expect(run).toMatch(/scripts\/deploy\.sh --stage staging .*--apply/);
  });

  it('smoke-tests every registered automation: a worker probe and a dry-run', () => {
    // Prepare
    const smoke = jobOf(wf, 'smoke');
    // Assess
    expect(matrixOf(smoke, 'automation')).toEqual(automationNames());
    expect(run).toContain(`-f ${gh('matrix.automation')}Worker`);
    expect(run).toContain(`--data '{"probe":{}}'`);
    expect(run).toMatch(/npx warden run \$\{\{ matrix\.automation \}\} --stage staging(?!.*--apply)/);
    expect(run).not.toContain('-f dispatch');
  });

  it('rolls the stack back when the deploy or the smoke test fails', () => {
    // Prepare
    const rollback = jobOf(wf, 'rollback');
    // Assess
    expect(rollback.needs).toEqual(['deploy', 'smoke']);
    expect(String(rollback.if)).toContain("needs.deploy.result == 'failure'");
    expect(String(rollback.if)).toContain("needs.smoke.result == 'failure'");
    expect(run).toMatch(/scripts\/rollback\.sh --stage staging .*--apply/);
  });
});

describe('Workflow: deploy-production.yml', () => {
  const wf = byName('deploy-production.yml');
  const run = runText(wf);

  it('runs only on manual dispatch, behind the production environment (required reviewers)', () => {
    // Prepare
    const deploy = jobOf(wf, 'deploy');
    // Assess
    expect(Object.keys(triggers(wf))).toEqual(['workflow_dispatch']);
    expect(deploy.environment).toBe('production');
    expect(deploy.needs).toEqual(['test']);
  });

  it('deploys prod as a canary with selfcheck and rolls back on failure', () => {
    // Prepare
    const rollback = stepsOf(wf, 'deploy').find((s) => String(s.run).includes('scripts/rollback.sh'));
    // Assess
    expect(run).toMatch(/scripts\/deploy\.sh --stage prod .*--apply/);
    expect(rollback?.if).toBe(gh('failure()'));
    expect(String(rollback?.run)).toMatch(/--stage prod .*--apply/);
  });

  it('keeps the free-text input out of the shell (passed through env)', () => {
    // Assess
    expect(run).not.toContain('${{ inputs.');
  });
});

describe('Workflow: security-scan.yml', () => {
  const wf = byName('security-scan.yml');
  const run = runText(wf);

  it('runs on pull requests and daily', () => {
    // Prepare
    const on = triggers(wf);
    // Assess
    expect(on).toHaveProperty('pull_request');
    expect(on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  });

  it('audits runtime dependencies, scans for secrets and lints every stage template', () => {
    // Prepare
    const gitleaks = stepsOf(wf, 'secrets').find((s) =>
      String(s.uses).startsWith('gitleaks/gitleaks-action@'),
    );
    const checkout = stepsOf(wf, 'secrets').find((s) => String(s.uses).startsWith('actions/checkout@'));
    // Assess
    expect(run).toContain('npm audit --omit=dev');
    expect(gitleaks).toBeDefined();
    expect(checkout?.with).toEqual({ 'fetch-depth': 0 });
    expect(matrixOf(jobOf(wf, 'cfn-lint'), 'stage')).toEqual(['dev', 'staging', 'prod']);
    expect(run).toMatch(/cfn-lint .*cloudformation-template-update-stack\.json/);
  });
});

describe('Workflows: AWS access', () => {
  it('uses OIDC role assumption in every job that deploys, and no stored keys anywhere', () => {
    // Prepare
    const deploying = workflows.flatMap((wf) =>
      Object.keys(isObject(wf.doc.jobs) ? wf.doc.jobs : {})
        .filter((id) => stepsOf(wf, id).some((s) => /scripts\/|sls invoke|warden run/.test(String(s.run))))
        .map((id) => ({ wf, id })),
    );
    // Assess
    expect(deploying.length).toBeGreaterThanOrEqual(4);
    for (const { wf, id } of deploying) {
      const job = jobOf(wf, id);
      const aws = stepsOf(wf, id).find((s) =>
        String(s.uses).startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(job.permissions, `${wf.file} ${id}`).toMatchObject({ 'id-token': 'write' });
      expect((aws?.with as Json | undefined)?.['role-to-assume'], `${wf.file} ${id}`).toMatch(
        /^\$\{\{ vars\./,
      );
    }
    for (const wf of workflows)
      expect(wf.text, wf.file).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });

  it('names only scripts that exist', () => {
    // Prepare
    const scripts = workflows.flatMap((wf) =>
      [...runText(wf).matchAll(/scripts\/[\w-]+\.sh/g)].map((m) => m[0]),
    );
    // Assess
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(existsSync(new URL(s, root)), s).toBe(true);
  });
});
