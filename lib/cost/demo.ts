import { readFileSync } from 'node:fs';
import type { CliIO } from '../cli/types.js';
import { ENV_SPEC } from '../config.js';
import type { Finding } from '../findings/finding.js';
import { memorySink } from '../runtime/metricSink.js';
import { runCostCheck } from './check.js';
import type { CostResponse } from './costData.js';
import { exportFetcher, exportMorningAfter } from './exportFile.js';
import { runLinkedCostCheck } from './linkedCheck.js';
import { buildCostReport, renderCostTable } from './report.js';

const EXAMPLES = new URL('../../examples/cost/', import.meta.url);

function load(name: string): CostResponse {
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8')) as CostResponse;
}

/**
 * The cost demo: the daily check, dry-run and without AWS, on a saved export (cost by service and by the
 * `Project` tag), then the report table of its last three weeks.
 */
export async function demo(io: CliIO): Promise<Finding[]> {
  const services = load('cost-by-service.json');
  const byTag = load('cost-by-tag-project.json');
  const fetchServices = exportFetcher(services);
  const fetchTags = exportFetcher(byTag);
  const now = exportMorningAfter(services) ?? new Date(0);
  const budgets = {
    dailyBudgetUsd: Number(ENV_SPEC.WARDEN_DAILY_BUDGET_USD.default),
    monthlyBudgetUsd: Number(ENV_SPEC.WARDEN_MONTHLY_BUDGET_USD.default),
  };
  const metrics = memorySink();
  const result = await runCostCheck(
    {
      fetchCost: (request) =>
        request.groupBy && 'type' in request.groupBy && request.groupBy.type === 'TAG'
          ? fetchTags(request)
          : fetchServices(request),
      now: () => now,
      target: { account: '123456789012', region: 'us-east-1' },
      ...budgets,
      metrics,
      logger: { debug() {}, info() {}, warn: (m) => io.err(m), error: (m) => io.err(m) },
      dryRun: true,
    },
    { lookbackDays: 90, tagKey: 'Project', minImpactUsd: 25, minImpactPct: 25 },
  );
  io.out(`costAnomaly (dry-run, examples/cost): ${result.summary}`);
  for (const f of result.findings.filter((x) => x.status === 'open')) io.out(`  [${f.severity}] ${f.title}`);
  io.out(`  metrics: ${metrics.recorded.map((m) => `${m.name}=${m.value}`).join(' ')}`);
  io.out('');
  const report = buildCostReport(services, { days: 21, minImpactUsd: 25, minImpactPct: 25, ...budgets });
  for (const line of renderCostTable(report)) io.out(line);
  io.out('');
  return [...result.findings, ...(await linkedDemo(io, budgets))];
}

/**
 * The management-account mode on a saved export by linked account: each account judged on its own, its money at
 * stake, per-account budgets (one by account id, one for the rest of the organization's root), and the total.
 */
async function linkedDemo(
  io: CliIO,
  budgets: { dailyBudgetUsd: number; monthlyBudgetUsd: number },
): Promise<Finding[]> {
  const byAccount = load('cost-by-account.json');
  const now = exportMorningAfter(byAccount) ?? new Date(0);
  const result = await runLinkedCostCheck(
    {
      fetchCost: exportFetcher(byAccount),
      now: () => now,
      target: { account: '123456789012', region: 'us-east-1' },
      dailyBudgetUsd: budgets.dailyBudgetUsd * 10,
      monthlyBudgetUsd: budgets.monthlyBudgetUsd * 10,
      metrics: memorySink(),
      logger: { debug() {}, info() {}, warn: (m) => io.err(m), error: (m) => io.err(m) },
      dryRun: true,
    },
    {
      lookbackDays: 90,
      minImpactUsd: 25,
      minImpactPct: 25,
      accountBudgets: { '111122223333': { dailyUsd: 250, monthlyUsd: 6000 } },
    },
  );
  io.out(`costAnomaly by linked account (dry-run, examples/cost/cost-by-account.json): ${result.summary}`);
  for (const f of result.findings.filter((x) => x.status === 'open')) io.out(`  [${f.severity}] ${f.title}`);
  return result.findings;
}
