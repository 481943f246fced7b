import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { alarmsOf, dashboardsOf } from '../dashboards/inspect.js';
import { renderPreview } from '../dashboards/preview.js';
import type { CfnTemplate } from '../dashboards/template.js';
import { ExecutionError, ValidationError } from '../errors.js';
import type { CliCommand } from './types.js';

const USAGE = [
  'warden dashboards --stage <stage> --out <dir> [--template <compiled-template.json>]',
] as const;
const STAGE = /^[a-zA-Z0-9-]+$/;

export interface DashboardsDeps {
  /** The compiled template of a stage (default: `sls package` into a temp dir, nothing deployed). */
  packageStage(stage: string): Promise<CfnTemplate>;
  readTemplate(path: string): CfnTemplate;
  write(path: string, text: string): void;
}

const run = promisify(execFile);

/** `sls package --stage <stage> --package <tmp>` in the current directory (the warden project), then the template. */
async function packageStage(stage: string): Promise<CfnTemplate> {
  const out = mkdtempSync(join(tmpdir(), 'warden-dashboards-'));
  try {
    await run(join(process.cwd(), 'node_modules/.bin/sls'), ['package', '--stage', stage, '--package', out], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(
      readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate;
  } catch (error) {
    throw new ExecutionError(`sls package --stage ${stage} failed (run warden from the project directory)`, {
      cause: error,
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const defaultDashboardsDeps: DashboardsDeps = {
  packageStage,
  readTemplate: (path) => JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate,
  write: (path, text) => {
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, text);
  },
};

function usageError(field: string, expected: string): ValidationError {
  return new ValidationError('dashboards arguments', [{ field, expected }]);
}

/** `warden dashboards`: writes each dashboard body of a stage as JSON and an HTML preview with the alarms. */
export function createDashboardsCommand(deps: DashboardsDeps): CliCommand {
  return {
    name: 'dashboards',
    summary:
      'Write the stage dashboard body (JSON) and an HTML preview of its widgets and alarms, without deploying',
    usage: USAGE,
    async run(args, ctx) {
      const { values } = parseArgs({
        args: [...args],
        options: { stage: { type: 'string' }, out: { type: 'string' }, template: { type: 'string' } },
        strict: true,
      });
      // `--stage` is a global flag, so through `main` it arrives on the context, not in args.
      const stage = values.stage ?? ctx.stage;
      if (!stage || !STAGE.test(stage)) throw usageError('--stage', 'a stage name (dev, staging, prod)');
      if (!values.out) throw usageError('--out', 'an output directory');
      ctx.io.progress(
        values.template ? `reading ${values.template}` : `packaging stage ${stage} (nothing is deployed)`,
      );
      const template = values.template ? deps.readTemplate(values.template) : await deps.packageStage(stage);
      const dashboards = dashboardsOf(template);
      const alarms = alarmsOf(template);
      const files: string[] = [];
      for (const d of dashboards) {
        const path = join(values.out, `${d.name}.json`);
        deps.write(path, `${JSON.stringify(d.body, null, 2)}\n`);
        files.push(path);
      }
      const html = join(values.out, `warden-${stage}-preview.html`);
      deps.write(html, renderPreview(stage, dashboards, alarms));
      files.push(html);
      const widgets = dashboards.reduce((n, d) => n + d.widgets.length, 0);
      if (ctx.json) {
        ctx.io.out(
          JSON.stringify({
            stage,
            files,
            dashboards: dashboards.length,
            widgets,
            alarms: alarms.length,
          }),
        );
      } else {
        ctx.io.out(`${dashboards.length} dashboard(s), ${widgets} widgets, ${alarms.length} alarms`);
        for (const f of files) ctx.io.out(`wrote ${f}`);
      }
      return 0;
    },
  };
}

export const dashboardsCommand: CliCommand = createDashboardsCommand(defaultDashboardsDeps);
