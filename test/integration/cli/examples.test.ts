import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageTemplate } from '../template/packageTemplate.js';
import { argvsOf, documentedExamples, type Example, helpExamples } from './examples.js';

/**
 * Every `warden` line of the README, the docs and `warden help`, run as a user runs it: `bin/warden.mjs` in a
 * copy of the project (so `demo` and `dashboards` package for real without touching the checkout), with an AWS
 * endpoint that refuses connections. A line must never end in a usage error; the lines that need no AWS must
 * succeed, the others must get as far as their first AWS call.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const COPIED = [
  'serverless.yml',
  'package.json',
  'tsconfig.json',
  'resources',
  'functions',
  'build',
  'lib',
  'bin',
  'examples',
];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let tmp: string;
let project: string;

function warden(argv: readonly string[]): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(project, 'bin/warden.mjs'), ...argv],
      {
        cwd: project,
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example',
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          WARDEN_AWS_MAX_ATTEMPTS: '1',
          WARDEN_HOME_ACCOUNT: '123456789012',
          WARDEN_STATE_TABLE: 'warden-dev-state',
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Sample values for the placeholders the docs and usage lines use. */
function samples(): Record<string, string> {
  const out = join(tmp, 'out');
  return {
    command: 'help',
    automation: 'backupVerify',
    id: '123456789012',
    'allow-ids': '123456789012,210987654321',
    'deny-ids': '345678901234',
    A: '123456789012',
    r: 'eu-west-1',
    R: 'eu-west-1',
    REGION: 'eu-central-1',
    json: '{}',
    JSON: '{}',
    N: '24',
    n: '5',
    db: 'orders-db',
    resource: 'orders-db',
    URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/warden-dev-drills',
    'secret-id': 'warden/dev/orders-db',
    'dir|file.json': 'export.json',
    d: 'export.json',
    file: join(out, 'file.out'),
    f: join(out, 'f.out'),
    'export.json': 'export.json',
    key: 'team',
    version: '41',
    v: '41',
    target: 'lambda:orders-api:live',
    function: 'orders-api',
    alias: 'live',
    application: 'checkout',
    group: 'checkout-prod',
    stage: 'prod',
    s: 'prod',
    // One output directory for every dashboards line, so the stage is packaged once.
    dir: join(out, 'dashboards'),
    './preview': join(out, 'dashboards'),
    '/tmp/warden-dash': join(out, 'dashboards'),
    DrillsQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/warden-prod-drills',
    fn: 'orders-api',
    // `warden demo` packages into .serverless of the copy, so the compiled template waits outside it.
    'compiled-template.json': join(tmp, 'template.json'),
    '.serverless/cloudformation-template-update-stack.json': join(tmp, 'template.json'),
    '/tmp/detections.json': join(out, 'detections.json'),
    'events.json': join(out, 'events.json'),
    'cost.html': join(out, 'cost.html'),
  };
}

/** Lines that need no AWS account: they must succeed outright. */
function offline(argv: readonly string[]): boolean {
  const [command, sub] = argv;
  if (command === 'help' || command === 'demo' || command === 'dashboards' || argv.includes('--help'))
    return true;
  // `targets` with the explicit source (this environment's) reads nothing from AWS.
  if (command === 'targets') return true;
  return command === 'cost' && (sub === 'backtest' || argv.includes('--from'));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'warden-examples-'));
  project = join(tmp, 'main');
  for (const p of COPIED) cpSync(join(ROOT, p), join(project, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  copyFileSync(join(ROOT, 'examples/backup/drill.json'), join(project, 'drill.json'));
  copyFileSync(join(ROOT, 'examples/cost/cost-by-service.json'), join(project, 'export.json'));
  // The docs backtest the shared data set beside the checkout; here a one-file stand-in sits where it would.
  mkdirSync(join(tmp, 'out'), { recursive: true });
  mkdirSync(join(tmp, 'shared/datasets/cost/dev'), { recursive: true });
  copyFileSync(
    join(ROOT, 'examples/cost/cost-by-service.json'),
    join(tmp, 'shared/datasets/cost/dev/dev-001.json'),
  );
  writeFileSync(join(tmp, 'template.json'), JSON.stringify(await packageTemplate('prod')));
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/**
 * What a line asks of the argument parser: its command, subcommand and flags. Lines of the same shape differ only in
 * values (`--days 14` or `--days 30`, one secret id or another), so one of each shape runs.
 */
function shape(argv: readonly string[]): string {
  const words = argv.slice(0, 2).filter((t) => /^[a-z]+$/.test(t));
  const flags = argv.filter((t) => t.startsWith('--')).sort();
  return JSON.stringify([words, flags, argv.length]);
}

async function examples(): Promise<{ example: Example; argv: string[] }[]> {
  const help = await warden(['help']);
  expect(help.code).toBe(0);
  const all = [...documentedExamples(ROOT), ...helpExamples(help.stdout)];
  const values = samples();
  const seen = new Set<string>();
  return all.flatMap((example) =>
    argvsOf(example, values)
      .filter((argv) => {
        const key = shape(argv);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((argv) => ({ example, argv })),
  );
}

describe('warden CLI: every documented line through bin/warden.mjs', () => {
  it('finds the lines the README, the docs and `warden help` give', async () => {
    // Prepare
    const help = await warden(['help']);
    // Act
    const documented = documentedExamples(ROOT).map((e) => e.text);
    const usage = helpExamples(help.stdout).map((e) => e.text);
    // Assess
    expect(documented).toContain('warden dashboards --stage s --out dir');
    expect(documented).toContain('warden backup drill <db> --config drill.json [--apply]');
    expect(documented).toContain('warden rollback status');
    expect(documented).toContain(
      'warden dashboards --stage prod --out ./preview --template .serverless/cloudformation-template-update-stack.json',
    );
    expect(usage).toContain(
      'warden dashboards --stage <stage> --out <dir> [--template <compiled-template.json>]',
    );
    expect(usage.length).toBeGreaterThanOrEqual(15);
  });

  it('runs each line without a usage error; offline lines succeed, the others reach AWS', async () => {
    // Prepare
    const lines = await examples();
    const failures: string[] = [];
    console.info(`${lines.length} documented command shapes`);
    // Act
    for (let i = 0; i < lines.length; i += 3) {
      const batch = lines.slice(i, i + 3);
      const outcomes = await Promise.all(batch.map((l) => warden(l.argv)));
      for (const [j, r] of outcomes.entries()) {
        const { example, argv } = batch[j]!;
        const what = `${example.source}: warden ${argv.join(' ')} -> exit ${r.code}\n${r.stderr.slice(0, 600)}`;
        const usageError = r.code === 2 || /(^|\n)usage:?\s/.test(r.stderr);
        if (usageError) failures.push(`usage error: ${what}`);
        else if (offline(argv) && r.code !== 0) failures.push(`failed offline: ${what}`);
        else if (!offline(argv) && !/ECONNREFUSED|127\.0\.0\.1:9/.test(r.stdout + r.stderr))
          failures.push(`never reached AWS: ${what}\n${r.stdout.slice(0, 300)}`);
      }
    }
    // Assess
    expect(lines.length).toBeGreaterThanOrEqual(25);
    expect(failures).toEqual([]);
    // `--stage` is a global flag: the dashboards lines must still preview the stage they name.
    expect(existsSync(join(tmp, 'out/dashboards/warden-prod-preview.html'))).toBe(true);
  }, 600_000);
});
