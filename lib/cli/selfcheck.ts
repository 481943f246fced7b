import { parseArgs } from 'node:util';
import { AUTOMATIONS, getAutomation } from '../automations/registry.js';
import { homeAccount } from '../aws/identity.js';
import { channelProbes } from '../notify/probes.js';
import { createFlags } from '../runtime/container.js';
import { runSelfcheck } from '../selfcheck/selfcheck.js';
import { findingsTable } from './findingsTable.js';
import { formatTable } from './table.js';
import { cliTargets } from './targets.js';
import type { CliCommand } from './types.js';

/** `warden selfcheck`: the selfcheck function's checks, run here with the current credentials. */
export const selfcheckCommand: CliCommand = {
  name: 'selfcheck',
  summary: 'check config, flags and, per target, role assumption and each automation read call',
  usage: ['warden selfcheck [--json]'],
  async run(args, ctx) {
    parseArgs({ args: [...args], strict: true, options: {} });
    const config = ctx.config();
    const home = await homeAccount(config);
    const report = await runSelfcheck({
      config,
      homeAccount: home,
      resolution: await cliTargets(ctx),
      automations: AUTOMATIONS.map((a) => a.name),
      pool: ctx.pool(),
      readFlags: createFlags(config),
      probe: (name, target) => getAutomation(name).probe(ctx.pool().for(target)),
      channels: channelProbes(config),
      now: ctx.now,
    });
    if (ctx.json) ctx.io.out(JSON.stringify(report, null, 2));
    else {
      const rows = report.targets.flatMap((t) => [
        [
          `${t.account}/${t.region}`,
          'assume role',
          t.assumeRole.ok ? (t.assumeRole.skipped ?? 'ok') : `FAIL ${t.assumeRole.error}`,
        ],
        ...t.probes.map((p) => [`${t.account}/${t.region}`, p.automation, p.ok ? 'ok' : `FAIL ${p.error}`]),
      ]);
      for (const c of report.channels) rows.push(['notify', c.channel, c.ok ? 'ok' : `FAIL ${c.error}`]);
      ctx.io.out(formatTable(['target', 'check', 'result'], rows));
      if (report.findings.length > 0) ctx.io.out(findingsTable(report.findings));
      ctx.io.out(report.ok ? 'selfcheck passed' : `selfcheck FAILED: ${report.problems.length} problem(s)`);
    }
    return report.ok ? 0 : 1;
  },
};
