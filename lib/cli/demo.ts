import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Finding } from '../findings/finding.js';
import { type Channel, notifyFinding } from '../notify/notify.js';
import { notifyStateStore } from '../notify/state.js';
import { memoryStateStore } from '../runtime/memoryStateStore.js';
import { memorySink } from '../runtime/metricSink.js';
import { AREA_DEMOS } from './areaDemos.js';
import { deploymentSummary } from './deploymentSummary.js';
import type { CliCommand, CliIO } from './types.js';

const root = join(import.meta.dirname, '..', '..');

async function packageDev(io: CliIO): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-demo-'));
  try {
    io.progress('packaging the dev stage (sls package, offline)...');
    await promisify(execFile)(
      join(root, 'node_modules', '.bin', 'sls'),
      ['package', '--stage', 'dev', '--package', dir],
      {
        cwd: root,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      },
    );
    io.out(deploymentSummary(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The findings pipeline as it runs in AWS: every finding twice (a duplicate delivery), one notification each. */
async function pipeline(io: CliIO, findings: readonly Finding[]): Promise<void> {
  const printed: string[] = [];
  const console: Channel = {
    name: 'console',
    send: async (n) => void printed.push(`${n.subject}\n${n.text}`),
  };
  const now = () => Date.parse('2026-11-26T08:00:00Z');
  const deps = {
    store: notifyStateStore({ store: memoryStateStore(() => new Date(now())), table: 'memory' }, 7 * 86_400),
    channels: [console],
    now,
    windowMs: 24 * 3_600_000,
    runbookUrl: 'https://github.com/warden/warden/blob/main/docs/operations',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    metrics: memorySink(),
  };
  const open = findings.filter((f) => f.status === 'open' && f.severity !== 'info');
  let i = 0;
  for (const f of [...open, ...open]) await notifyFinding(deps, f, `message-${i++}`);
  io.out(
    `${open.length} findings published twice (a redelivery) -> ${printed.length} notifications, ${open.length * 2 - printed.length} suppressed`,
  );
  for (const p of printed.slice(0, 3)) io.out(`\n${p}`);
  if (printed.length > 3) io.out(`\n... and ${printed.length - 3} more`);
}

/** `npm run demo`: what would be deployed, then every automation in dry-run on the sample data in examples/. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'show what would be deployed and run every automation in dry-run on examples/ (no AWS account)',
  usage: ['warden demo [--skip-package]'],
  async run(args, ctx) {
    const { values } = parseArgs({
      args: [...args],
      strict: true,
      options: { 'skip-package': { type: 'boolean' } },
    });
    const section = (title: string) =>
      ctx.io.out(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
    if (!values['skip-package']) {
      section('What `sls deploy --stage dev` would create');
      await packageDev(ctx.io);
    }
    const findings: Finding[] = [];
    for (const demo of AREA_DEMOS) {
      section(`${demo.title} (dry-run on examples/${demo.examples})`);
      findings.push(...((await demo.run(ctx.io)) ?? []));
    }
    section('Findings pipeline: publish -> notify (suppression, exactly once)');
    await pipeline(ctx.io, findings);
    return 0;
  },
};
