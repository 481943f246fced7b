import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import * as v from 'valibot';
import type { Automation } from '../automations/types.js';
import { getDailyCost, probeCostExplorer } from '../aws/costExplorer.js';
import { int, number, strictObject } from '../schemas.js';
import { isoDay } from './calendar.js';
import { type CostCheckOptions, runCostCheck } from './check.js';

/** Options of costAnomaly (closed: an unknown key is a mistake, not something to ignore). */
export const costAnomalyOptions = strictObject({
  lookbackDays: v.optional(v.pipe(int, v.minValue(28), v.maxValue(365)), 90),
  tagKey: v.optional(v.pipe(v.string(), v.regex(/^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u))),
  minImpactUsd: v.optional(v.pipe(number, v.minValue(0)), 25),
  minImpactPct: v.optional(v.pipe(number, v.minValue(0)), 25),
});
export type CostAnomalyOptions = v.InferOutput<typeof costAnomalyOptions>;

/**
 * costAnomaly: daily cost by service and by a cost-allocation tag, anomalies on the latest final day, the daily
 * spend limit and the month-end projection against the monthly budget. Read-only; Cost Explorer has no
 * resource ARNs, so its one permission is on '*'.
 */
export const costAnomalyAutomation: Automation<CostAnomalyOptions> = {
  name: 'costAnomaly',
  description:
    'Unexpected daily cost increases per service and tag, daily spend limit and month-end projection.',
  options: costAnomalyOptions,
  permissions: ['ce:GetCostAndUsage'],
  mutatingPermissions: [],
  // Cost Explorer settles yesterday's data during the night (UTC).
  schedule: 'cron(0 7 * * ? *)',
  async probe(aws) {
    // Selfcheck has no injected clock; any recent settled day will do (each call costs 0.01 USD).
    const yesterday = Math.floor(Date.now() / 86_400_000) - 1;
    await probeCostExplorer(aws.get(CostExplorerClient), isoDay(yesterday - 1), isoDay(yesterday));
  },
  async run(ctx, options) {
    // Cost Explorer is a global service answering in us-east-1, whatever the target region.
    const ce = ctx.aws.get(CostExplorerClient);
    const checkOptions: CostCheckOptions = { ...options, tagKey: options.tagKey };
    return runCostCheck(
      {
        fetchCost: (request) => getDailyCost({ ce }, request),
        now: ctx.now,
        target: ctx.target,
        dailyBudgetUsd: ctx.config.dailyBudgetUsd,
        monthlyBudgetUsd: ctx.config.monthlyBudgetUsd,
        metrics: ctx.metrics,
        logger: ctx.logger,
        dryRun: ctx.dryRun,
      },
      checkOptions,
    ).then(({ findings, report, summary }) => ({ findings, report, summary }));
  },
};
