import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDashboardsCommand,
  type DashboardsDeps,
  defaultDashboardsDeps,
} from '../../../lib/cli/dashboards.js';
import type { CliContext } from '../../../lib/cli/types.js';
import { applyInfra } from '../../../lib/dashboards/infra.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';
import { ValidationError } from '../../../lib/errors.js';
import { FUNCTIONS, SETTINGS, smallTemplate } from '../dashboards/fixtures.js';

function cli(json = false) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = {
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      progress: (l: string) => err.push(l),
    },
    json,
  } as unknown as CliContext;
  return { ctx, out, err };
}

function compiled(): CfnTemplate {
  const t = smallTemplate();
  applyInfra(t, FUNCTIONS, SETTINGS);
  return t;
}

describe('Function: dashboardsCommand', () => {
  it('packages the stage and writes the dashboard JSON and the HTML preview', async () => {
    // Prepare
    const written = new Map<string, string>();
    const packaged: string[] = [];
    const deps: DashboardsDeps = {
      packageStage: async (stage) => {
        packaged.push(stage);
        return compiled();
      },
      readTemplate: () => {
        throw new Error('not used');
      },
      write: (path, text) => void written.set(path, text),
    };
    const { ctx, out, err } = cli();

    // Act
    const code = await createDashboardsCommand(deps).run(['--stage', 'prod', '--out', 'out'], ctx);

    // Assess
    expect(code).toBe(0);
    expect(packaged).toEqual(['prod']);
    expect([...written.keys()]).toEqual(['out/warden-test.json', 'out/warden-prod-preview.html']);
    const body = JSON.parse(written.get('out/warden-test.json') ?? '') as {
      widgets: unknown[];
      start: string;
    };
    expect(body.start).toBe('-PT24H');
    expect(body.widgets.length).toBeGreaterThan(20);
    expect(written.get('out/warden-prod-preview.html')).toContain('warden-test-restoreDrill-duration-p95');
    expect(out[0]).toMatch(/^1 dashboard\(s\), \d+ widgets, 9 alarms$/);
    expect(err).toEqual(['packaging stage prod (nothing is deployed)']);
  });

  it('reads a compiled template given with --template and prints JSON with --json', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'warden-dash-'));
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(compiled()));
    const deps: DashboardsDeps = {
      ...defaultDashboardsDeps,
      packageStage: async () => {
        throw new Error('must not package');
      },
    };
    const { ctx, out } = cli(true);

    // Act
    const code = await createDashboardsCommand(deps).run(
      ['--stage', 'dev', '--out', join(dir, 'out'), '--template', file],
      ctx,
    );

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out[0] ?? '') as { files: string[]; alarms: number; dashboards: number };
    expect(report).toMatchObject({ stage: 'dev', dashboards: 1, alarms: 9 });
    expect(readFileSync(report.files[1] as string, 'utf8')).toContain('<h1>warden dev</h1>');
  });

  it('rejects a missing or odd stage and a missing output directory', async () => {
    // Prepare
    const command = createDashboardsCommand(defaultDashboardsDeps);
    const { ctx } = cli();

    // Assess
    await expect(command.run(['--out', 'x'], ctx)).rejects.toThrow(ValidationError);
    await expect(command.run(['--stage', 'a b', '--out', 'x'], ctx)).rejects.toThrow('--stage');
    await expect(command.run(['--stage', 'dev'], ctx)).rejects.toThrow('--out');
    await expect(command.run(['--stage', 'dev', '--out', 'x', '--bogus'], ctx)).rejects.toThrow();
  });
});
