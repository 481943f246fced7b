import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateStore } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { ConfigError, ValidationError } from '../errors.js';
import type { RollbackDeps } from '../rollback/deps.js';
import { manualRollback, recentDecisions } from '../rollback/manual.js';
import { rollbackOptionsFromConfig } from '../rollback/options.js';
import { memorySink } from '../runtime/metricSink.js';
import type { CliCommand, CliContext } from './types.js';

const USAGE = [
  'warden rollback lambda:<function>:<alias> [--to <version>] [--apply] [--account <id>] [--region <r>]',
  'warden rollback codedeploy:<application>/<group> [--apply] [--account <id>] [--region <r>]',
  'warden rollback status [--limit <n>]',
] as const;

function usageError(expected: string): ValidationError {
  return new ValidationError('rollback arguments', [{ field: 'arguments', expected }]);
}

function tableOf(config: Config): string {
  if (config.stateTable) return config.stateTable;
  throw new ConfigError([
    {
      field: 'WARDEN_STATE_TABLE',
      expected: 'the state table name (stack output StateTableName)',
      found: 'nothing (unset)',
    },
  ]);
}

async function depsFor(ctx: CliContext, dryRun: boolean): Promise<RollbackDeps> {
  const config = ctx.config();
  const target = await ctx.target();
  const home = { account: config.homeAccount ?? target.account, region: config.region };
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    clientsFor: (where) => ctx.pool().for(where),
    reach: async (where) => {
      await ctx.pool().credentialsFor(where.account)?.();
    },
    store: createStateStore(ctx.pool().for(home).get(DynamoDBClient), () => ctx.now()),
    table: tableOf(config),
    publish: ctx.publish,
    metrics: memorySink(),
    logger: silent,
    now: () => ctx.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    options: rollbackOptionsFromConfig(config),
    mode: async () => ({ enabled: true, dryRun }),
  };
}

async function status(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { limit: { type: 'string' } }, strict: true });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw usageError('--limit between 1 and 100');
  const deps = await depsFor(ctx, true);
  const items = await recentDecisions(deps, limit);
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ decisions: items }));
    return 0;
  }
  if (items.length === 0) ctx.io.out('no rollback decisions recorded in the last 30 days');
  for (const i of items) {
    const change = i.from !== null && i.from !== undefined ? ` ${i.from} -> ${i.to}` : '';
    const mode = i.dryRun === true ? ' (dry-run)' : '';
    // sk: <time>#<account>#<region>#<target>#<alarm>
    const [at, account = '-', region = '-'] = String(i.sk).split('#');
    ctx.io.out(
      `${String(at).slice(0, 24)}  ${account}/${region}  ${i.outcome}${mode}  ${i.reason}  ${i.target ?? '-'}${change}  alarm ${i.alarmName}`,
    );
  }
  return 0;
}

/**
 * `warden rollback`: manual rollback of one target (dry-run unless --apply) and recent decisions. With `--account`
 * (and `--region`) the target is in a member account: warden acts there through the member role, as the
 * alarm-driven rollback does, and records the decision under that account.
 */
export const rollbackCommand: CliCommand = {
  name: 'rollback',
  summary:
    'Roll a Lambda alias or CodeDeploy group back (dry-run unless --apply); `status` lists recent decisions',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { to: { type: 'string' }, limit: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [first, ...rest] = positionals;
    if (first === 'status')
      return status(
        args.filter((a) => a !== 'status'),
        ctx,
      );
    if (first === undefined || rest.length > 0) throw usageError('one target, or status');
    if (values.limit !== undefined) throw usageError('--limit only with status');
    const deps = await depsFor(ctx, !ctx.apply);
    const report = await manualRollback(deps, {
      where: await ctx.target(),
      spec: first,
      toVersion: values.to,
      dryRun: !ctx.apply,
    });
    if (ctx.json) ctx.io.out(JSON.stringify(report));
    else {
      ctx.io.out(report.message);
      if (report.outcome === 'planned')
        ctx.io.out('dry-run: nothing changed; re-run with --apply to roll back');
    }
    return report.outcome === 'failed' ? 1 : 0;
  },
};
