import { parseArgs } from 'node:util';
import { homeAccount } from '../aws/identity.js';
import { ValidationError } from '../errors.js';
import type { TargetResolution } from '../fanout/targets.js';
import { runTargets } from '../runtime/targets.js';
import { findingsTable } from './findingsTable.js';
import { formatTable } from './table.js';
import type { CliCommand, CliContext } from './types.js';

/** The targets of this command's run, resolved as dispatch resolves them (with the CLI's own credentials). */
export async function cliTargets(ctx: CliContext): Promise<TargetResolution> {
  const config = ctx.config();
  return runTargets(config, await homeAccount(config), ctx.now)();
}

/** One row per target account (its source and OU), then one per account the organization listed but skipped. */
export function targetRows(r: TargetResolution): string[][] {
  const regions = r.regions.join(',');
  return [
    ...r.accounts.map((a) => [a.account, a.name ?? '', a.sources.join('+'), a.parent ?? '', regions]),
    ...r.skipped.map((s) => [s.account, s.name, `skipped: ${s.reason}`, '', '']),
  ];
}

/** `warden targets`: the resolved targets, with the source of each (explicit, organizations, home). */
export const targetsCommand: CliCommand = {
  name: 'targets',
  summary: 'list the resolved targets (explicit list and/or AWS Organizations) with the source of each',
  usage: ['warden targets [--json]'],
  async run(args, ctx) {
    const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: {} });
    if (positionals.length > 0)
      throw new ValidationError('targets arguments', [{ field: 'arguments', expected: 'none' }]);
    const r = await cliTargets(ctx);
    await ctx.publish(r.findings);
    if (ctx.json) ctx.io.out(JSON.stringify(r, null, 2));
    else {
      ctx.io.out(formatTable(['account', 'name', 'source', 'ou', 'regions'], targetRows(r)));
      ctx.io.out(
        `${r.accounts.length} account(s) x ${r.regions.length} region(s) = ${r.targets.length} target(s); source ${r.source}${r.source === 'organizations' ? ` (${r.mode})` : ''}`,
      );
      if (r.findings.length > 0) ctx.io.out(findingsTable(r.findings));
    }
    return r.findings.length > 0 ? 1 : 0;
  },
};
