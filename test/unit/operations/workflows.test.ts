import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { partsOf, workerFunctionName } from '../../../lib/automations/catalog.js';
import { automationNames } from '../../../lib/automations/registry.js';
import {
  awsAccessProblems,
  isObject,
  type Json,
  loadWorkflows,
  readWorkflow,
  runText,
  stepsOf,
  validateWorkflow,
  type Workflow,
} from './workflowParser.js';

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
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
/** A workflow with one job `a` on push, its lines given under `jobs.a`. */
const oneJob = (...lines: string[]) =>
  ['name: t', 'on: push', 'jobs:', '  a:', ...lines.map((l) => `    ${l}`)].join('\n');

describe("Function: validateWorkflow (GitHub's workflow parser)", () => {
  it('accepts every workflow of the repository', async () => {
    // Prepare
    const files = workflows.map((w) => w.file);
    // Act
    const errors = (await Promise.all(workflows.map((w) => validateWorkflow(w.file, w.text)))).flat();
    // Assess
    expect(files).toEqual(['deploy-production.yml', 'deploy-staging.yml', 'security-scan.yml', 'test.yml']);
    expect(errors).toEqual([]);
  });

  it.each([
    [
      'an unknown job key',
      oneJob('runs-on: ubuntu-24.04', 'timeout: 10', 'steps: [{ run: echo }]'),
      "t.yml (Line: 6, Col: 5): Unexpected value 'timeout'",
    ],
    [
      'an unknown step key',
      oneJob('runs-on: ubuntu-24.04', 'steps: [{ run: echo, withh: {} }]'),
      "t.yml (Line: 6, Col: 26): Unexpected value 'withh'",
    ],
    [
      'runs-on of the wrong type (a list of lists)',
      oneJob('runs-on: [[ubuntu-24.04]]', 'steps: [{ run: echo }]'),
      't.yml (Line: 5, Col: 15): A sequence was not expected',
    ],
    [
      'runs-on of the wrong type (a mapping with an unknown key)',
      oneJob('runs-on: { image: ubuntu-24.04 }', 'steps: [{ run: echo }]'),
      "t.yml (Line: 5, Col: 16): Unexpected value 'image'",
    ],
    [
      'an unclosed expression',
      oneJob('runs-on: ubuntu-24.04', `steps: [{ run: 'echo \${{ github.sha' }]`),
      `t.yml (Line: 6, Col: 20): The expression is not closed. An unescaped ${'${{'} sequence was found, but the closing }} sequence was not found.`,
    ],
    [
      'an expression that does not parse',
      oneJob('runs-on: ubuntu-24.04', `if: ${gh('github.ref ==')}`, 'steps: [{ run: echo }]'),
      "t.yml (Line: 6, Col: 9): Unexpected end of expression: '=='",
    ],
    [
      'an expression using a context not available there',
      oneJob('runs-on: ubuntu-24.04', `if: ${gh('secrets.TOKEN')}`, 'steps: [{ run: echo }]'),
      "t.yml (Line: 6, Col: 9): Unrecognized named-value: 'secrets'",
    ],
    [
      'a job without runs-on',
      oneJob('steps: [{ run: echo }]'),
      't.yml (Line: 5, Col: 5): Required property is missing: runs-on',
    ],
    [
      'a step with both uses and run',
      oneJob('runs-on: ubuntu-24.04', 'steps: [{ uses: actions/checkout@v4, run: echo }]'),
      "t.yml (Line: 6, Col: 42): Unexpected value 'run'",
    ],
    [
      'needs naming an unknown job',
      [
        oneJob('runs-on: ubuntu-24.04', 'steps: [{ run: echo }]'),
        '  b:',
        '    needs: [nope]',
        '    runs-on: ubuntu-24.04',
        '    steps: [{ run: echo }]',
      ].join('\n'),
      "t.yml (Line: 8, Col: 13): Job 'b' depends on unknown job 'nope'.",
    ],
    [
      'an unknown event',
      'name: t\non: pushh\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps: [{ run: echo }]',
      "t.yml (Line: 2, Col: 5): Unexpected value 'pushh'",
    ],
    [
      'a bad cron',
      'name: t\non:\n  schedule: [{ cron: daily }]\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps: [{ run: echo }]',
      "t.yml (Line: 3, Col: 22): Invalid cron expression. Expected format: '* * * * *' (minute hour day month weekday)",
    ],
    [
      'a permission that is not read, write or none',
      oneJob('runs-on: ubuntu-24.04', 'permissions: { id-token: writ }', 'steps: [{ run: echo }]'),
      "t.yml (Line: 6, Col: 30): Unexpected value 'writ'",
    ],
  ])('rejects %s', async (_what, text, error) => {
    // Act
    const errors = await validateWorkflow('t.yml', text);
    // Assess
    expect(errors).toEqual([error]);
  });

  it('rejects a file that is not valid YAML', async () => {
    // Act
    const errors = await validateWorkflow('broken.yml', 'jobs:\n  a:\n    run: printf a: b: c\n');
    // Assess
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^broken\.yml: Nested mappings are not allowed in compact mappings at line 3/);
  });
});

describe('Function: awsAccessProblems', () => {
  it('reports stored AWS keys, OIDC without id-token: write and no role to assume', () => {
    // Prepare
    const wf = readWorkflow(
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
    const problems = awsAccessProblems(wf);
    // Assess
    expect(problems).toEqual([
      'keys.yml: stored AWS access keys (use OIDC role-to-assume)',
      'keys.yml: jobs.d: AWS via OIDC needs permissions id-token: write',
      'keys.yml: jobs.d: configure-aws-credentials without role-to-assume',
    ]);
  });
});

describe('Workflows: Node.js', () => {
  it("sets up Node 22 everywhere: the major of package.json's engines and of the node devDependency", () => {
    // Prepare
    const engines = /^>=(\d+)\./.exec(pkg.engines.node)?.[1];
    const devDependency = /^(\d+)\./.exec(pkg.devDependencies.node ?? '')?.[1];
    // Act
    const setups = workflows.flatMap((wf) =>
      Object.keys(isObject(wf.doc.jobs) ? wf.doc.jobs : {}).flatMap((id) =>
        stepsOf(wf, id)
          .filter((s) => String(s.uses).startsWith('actions/setup-node@'))
          .map((s) => ({
            where: `${wf.file} ${id}`,
            version: String((s.with as Json | undefined)?.['node-version']),
          })),
      ),
    );
    // Assess
    expect(engines).toBe('22');
    expect(devDependency).toBe(engines);
    expect(setups.length).toBeGreaterThanOrEqual(9);
    for (const s of setups) expect(s.version, s.where).toBe(engines);
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

  it('installs shellcheck and chromium and requires them, so a lint finding or a broken report fails the run', () => {
    // Prepare
    const env = isObject(jobOf(wf, 'test').env) ? (jobOf(wf, 'test').env as Json) : {};
    // Assess
    expect(run).toMatch(/apt-get install -y shellcheck chromium/);
    expect(env.WARDEN_REQUIRE_SHELLCHECK).toBe('1');
    expect(env.WARDEN_REQUIRE_CHROMIUM).toBe('1');
  });

  it('installs, typechecks, lints, tests with coverage and uploads the coverage report', () => {
    // Prepare
    const upload = stepsOf(wf, 'test').find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    // Assess
    for (const cmd of ['npm ci', 'npm run typecheck', 'npm run lint', 'npx vitest run --coverage'])
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
    // Each worker of an automation split across workers is probed; the others' one worker by its name.
    const include = (smoke.strategy as { matrix: { include?: { automation: string; workers: string }[] } })
      .matrix.include;
    expect(include).toEqual(
      automationNames()
        .filter((a) => partsOf(a).length > 1)
        .map((a) => ({
          automation: a,
          workers: partsOf(a)
            .map((p) => workerFunctionName(a, p))
            .join(' '),
        })),
    );
    expect(run).toContain(`for fn in ${gh("matrix.workers || format('{0}Worker', matrix.automation)")}; do`);
    expect(run).toContain(`-f "$fn" --data '{"probe":{}}'`);
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
    expect(workflows.flatMap(awsAccessProblems)).toEqual([]);
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
