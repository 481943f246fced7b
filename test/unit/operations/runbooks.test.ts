import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkMention,
  checkWarden,
  codeOf,
  mentionsIn,
  RUNBOOK_DIR,
  runbookMentions,
} from './runbookCommands.js';

const RUNBOOKS = [
  'backup-restore.md',
  'cost-monitoring.md',
  'deployment.md',
  'incident-response.md',
  'monitoring-alerting.md',
  'rollback.md',
  'secret-rotation.md',
  'troubleshooting.md',
];
const read = (f: string) => readFileSync(new URL(f, RUNBOOK_DIR), 'utf8');

describe('Function: codeOf', () => {
  it('returns fenced lines without comments and inline code spans (also wrapped ones), not prose', () => {
    // Prepare
    const md = [
      'warden checks things, run `warden selfcheck`, or `warden backup',
      '  verify` on two lines.',
      '```sh',
      'npm run demo   # try it',
      '```',
    ].join('\n');
    // Act
    const code = codeOf(md);
    // Assess
    expect(code).toEqual(['warden selfcheck', 'warden backup verify', 'npm run demo  ']);
  });
});

describe('Function: checkMention', () => {
  it.each([
    ['warden', 'warden deploy --stage prod', "no warden command 'deploy'"],
    ['warden', 'warden backup restore orders-db', "no subcommand 'warden backup restore'"],
    ['warden', 'warden cost report --weeks 2', "no flag --weeks for 'warden cost report'"],
    ['warden', 'warden run backupVerifyy', "no automation 'backupVerifyy'"],
    ['npm', 'deploy', "no npm script 'deploy'"],
    ['script', 'scripts/nope.sh', 'no file scripts/nope.sh'],
    ['script', 'scripts/deploy.sh --stage prod --force', 'no flag --force in scripts/deploy.sh'],
    ['sls', 'deploy lsit', "no sls command 'deploy lsit'"],
  ] as const)('rejects a %s command that does not exist: %s', (kind, text, message) => {
    // Act
    const problem = checkMention({ file: 'x.md', kind, text });
    // Assess
    expect(problem).toContain(message);
  });

  it.each([
    'warden rollback lambda:orders-api:live --to 41 --apply',
    'warden rollback status --limit 5',
    'warden backup drill orders-db --config drill.json --queue-url https://q --apply',
    'warden run costAnomaly --account 123456789012 --json',
    'warden cost report --days 30 --html cost.html',
    'warden secret heal prod/orders/db --apply',
  ])('accepts %s', (text) => {
    // Act
    const problem = checkWarden(text);
    // Assess
    expect(problem).toBeUndefined();
  });
});

describe('Runbooks: docs/operations', () => {
  it('has every runbook of the operations issue', () => {
    // Act
    const files = readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md'));
    // Assess
    expect(files.sort()).toEqual(RUNBOOKS);
  });

  it('names only commands, npm scripts, scripts and sls commands that exist', () => {
    // Prepare
    const mentions = runbookMentions();
    // Act
    const problems = mentions.flatMap((m) => {
      const p = checkMention(m);
      return p ? [`${m.file}: ${m.text}: ${p}`] : [];
    });
    // Assess
    expect(mentions.length).toBeGreaterThan(60);
    for (const kind of ['warden', 'npm', 'script', 'sls'])
      expect(mentions.map((m) => m.kind)).toContain(kind);
    expect(problems).toEqual([]);
  });

  it('links every operator script from the deployment runbook', () => {
    // Prepare
    const scripts = mentionsIn('deployment.md', read('deployment.md')).filter((m) => m.kind === 'script');
    // Assess
    expect(new Set(scripts.map((m) => m.text.split(' ')[0]))).toEqual(
      new Set([
        'scripts/deploy.sh',
        'scripts/rollback.sh',
        'scripts/backup.sh',
        'scripts/restore.sh',
        'scripts/cost-report.sh',
      ]),
    );
  });

  it('defines the finding severities info to critical in the incident runbook', () => {
    // Prepare
    const text = read('incident-response.md');
    // Assess
    for (const severity of ['info', 'low', 'medium', 'high', 'critical'])
      expect(text).toContain(`\`${severity}\``);
    for (const heading of [
      'Severity levels',
      'Escalation',
      'Communication templates',
      'Post-incident review',
    ])
      expect(text).toContain(`## ${heading}`);
  });

  it('covers the four troubleshooting topics', () => {
    // Prepare
    const text = read('troubleshooting.md');
    // Assess
    for (const heading of ['Deployment failures', 'Permissions', 'Throttling', 'VPC connectivity'])
      expect(text).toContain(`## ${heading}`);
  });
});

describe('Runbook: monitoring-alerting.md', () => {
  const text = read('monitoring-alerting.md');
  const root = new URL('../../../', import.meta.url);

  it('explains every alarm of resources/alarms.yml', () => {
    // Prepare
    const yml = readFileSync(new URL('resources/alarms.yml', root), 'utf8');
    const names = [...yml.matchAll(/AlarmName: warden-\$\{sls:stage\}-(\S+)/g)].map((m) => m[1]!);
    // Assess
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const name of names) expect(text, name).toContain(`| \`${name}\` |`);
  });

  it('explains the generated per-function, per-queue and canary alarms, naming every function', () => {
    // Prepare
    const dir = new URL('functions/', root);
    const functions = readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) =>
        [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^([A-Za-z]\w*):/gm)].map((m) => m[1]!),
      );
    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(11);
    for (const fn of functions) expect(text, fn).toContain(`\`${fn}\``);
    for (const suffix of ['errors', 'throttles', 'duration-p95', 'dlq-depth', 'age'])
      expect(text, suffix).toContain(`| \`${suffix}\` |`);
    expect(text).toContain('CanaryErrorRateAlarm');
    expect(text).toContain('CanaryP95DurationAlarm');
  });
});
