import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUTOMATIONS, getAutomation } from '../automations/registry.js';
import type { AnyAutomation } from '../automations/types.js';
import { homeAccount } from '../aws/identity.js';
import { createStateStore, type StateTable } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { ValidationError } from '../errors.js';
import { runUnit, type UnitReport } from '../fanout/runUnit.js';
import { memoryStateStore } from '../runtime/memoryStateStore.js';
import { memorySink } from '../runtime/metricSink.js';
import { findingsTable } from './findingsTable.js';
import { cliLogger } from './logger.js';
import { cliTargets } from './targets.js';
import type { CliCommand, CliContext } from './types.js';

function parseOptions(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {}
  throw new ValidationError('run arguments', [{ field: '--options', expected: 'a JSON object' }]);
}

/**
 * The state table as the CLI sees it: what the deployed functions recorded is read (WARDEN_STATE_TABLE, home
 * account), and nothing is written there, since the CLI's findings go to the terminal, not to notify: a warning
 * the CLI printed is still sent by the next scheduled run. Without the table, state lasts for this command.
 */
async function cliState(
  automation: AnyAutomation,
  config: Config,
  ctx: CliContext,
): Promise<StateTable | undefined> {
  if (!automation.statePermissions?.length) return undefined;
  if (!config.stateTable) return { store: memoryStateStore(ctx.now), table: 'memory' };
  const home = { account: await homeAccount(config), region: config.region };
  const deployed = createStateStore(ctx.pool().for(home).get(DynamoDBClient), ctx.now);
  return { store: memoryStateStore(ctx.now, deployed), table: config.stateTable };
}

/** Every target of the run; a failed Organizations read is printed with the findings (the explicit targets run). */
async function allTargets(ctx: CliContext) {
  const resolution = await cliTargets(ctx);
  await ctx.publish(resolution.findings);
  return resolution.targets;
}

/** `warden run <automation>`: one unit (or every configured target with --all-targets) through the worker code. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run one automation locally through the same worker code as Lambda',
  usage: [
    'warden run <automation> [--account <id>] [--region <r>] [--all-targets] [--options <json>] [--apply] [--json]',
  ],
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { 'all-targets': { type: 'boolean' }, options: { type: 'string' } },
    });
    const name = positionals[0];
    if (!name || positionals.length > 1) {
      throw new ValidationError('run arguments', [
        { field: '<automation>', expected: `one of ${AUTOMATIONS.map((a) => a.name).join(', ')}` },
      ]);
    }
    const automation = getAutomation(name);
    const options = parseOptions(values.options);
    const config = ctx.config();
    const targets = values['all-targets'] ? await allTargets(ctx) : [await ctx.target()];
    const metrics = memorySink();
    const state = await cliState(automation, config, ctx);
    const reports: UnitReport[] = [];
    for (const [i, target] of targets.entries()) {
      ctx.io.progress(
        `[${i + 1}/${targets.length}] ${name} ${target.account}/${target.region}${ctx.apply ? '' : ' (dry-run)'}`,
      );
      reports.push(
        await runUnit(
          {
            automation,
            config,
            pool: ctx.pool(),
            publish: ctx.publish,
            logger: cliLogger(ctx.io),
            metrics,
            now: ctx.now,
            ...(state ? { state } : {}),
          },
          {
            automation: name,
            ...target,
            dryRun: !ctx.apply,
            options,
            dispatchId: `cli-${ctx.now().getTime()}`,
            dispatchedAt: ctx.now().toISOString(),
          },
        ),
      );
    }
    const findings = 'findings' in ctx.publish ? (ctx.publish as { findings: [] }).findings : [];
    if (ctx.json)
      ctx.io.out(JSON.stringify({ units: reports, findings, metrics: metrics.recorded }, null, 2));
    else {
      for (const r of reports) ctx.io.out(`${r.account}/${r.region}: ${r.status}: ${r.summary}`);
      ctx.io.out(findingsTable(findings));
    }
    // A target that could not be reached was not checked: no clean pass, whatever the others found.
    return reports.some((r) => r.status === 'unreachable') ? 1 : 0;
  },
};
