import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import * as v from 'valibot';
import type { Automation } from '../automations/types.js';
import { getDailyCost, probeCostExplorer } from '../aws/costExplorer.js';
import { listAccountsUnder, listOrganizationAccounts } from '../aws/organizations.js';
import { int, number, recordOf, strictObject } from '../schemas.js';
import { isoDay } from './calendar.js';
import { type CostCheckDeps, type CostCheckOptions, runCostCheck } from './check.js';
import { runLinkedCostCheck } from './linkedCheck.js';

/** Options of costAnomaly (closed: an unknown key is a mistake, not something to ignore). */
export const costAnomalyOptions = strictObject({
  lookbackDays: v.optional(v.pipe(int, v.minValue(28), v.maxValue(365)), 90),
  tagKey: v.optional(v.pipe(v.string(), v.regex(/^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u))),
  minImpactUsd: v.optional(v.pipe(number, v.minValue(0)), 25),
  minImpactPct: v.optional(v.pipe(number, v.minValue(0)), 25),
  /** Severity of an anomaly by its money at stake (cumulative + projected excess), in USD. */
  severityUsd: v.optional(
    v.pipe(
      strictObject({
        medium: v.pipe(number, v.minValue(0)),
        high: v.pipe(number, v.minValue(0)),
        critical: v.pipe(number, v.minValue(0)),
      }),
      v.check((t) => t.medium <= t.high && t.high <= t.critical, 'medium ≤ high ≤ critical'),
    ),
  ),
  /** Run from the management (payer) account: cost by linked account, each account judged on its own. */
  linkedAccounts: v.optional(v.boolean(), false),
  /** Budgets per linked account, by account id or by OU / root id (the nearest OU wins; an account id wins over any OU). */
  accountBudgets: v.optional(
    recordOf(
      v.pipe(v.string(), v.regex(/^(\d{12}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/)),
      strictObject({
        dailyUsd: v.optional(v.pipe(number, v.minValue(0))),
        monthlyUsd: v.optional(v.pipe(number, v.minValue(0))),
      }),
    ),
  ),
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
  // Organizations reads serve the linked-account mode only (account names, budgets keyed by OU).
  permissions: [
    'ce:GetCostAndUsage',
    'organizations:ListAccounts',
    'organizations:ListAccountsForParent',
    'organizations:ListOrganizationalUnitsForParent',
  ],
  mutatingPermissions: [],
  // Cost Explorer settles yesterday's data during the night (UTC).
  schedule: 'cron(0 7 * * ? *)',
  async probe(aws) {
    // Selfcheck has no injected clock; any recent settled day will do (each call costs 0.01 USD).
    const yesterday = Math.floor(Date.now() / 86_400_000) - 1;
    await probeCostExplorer(aws.get(CostExplorerClient), isoDay(yesterday - 1), isoDay(yesterday));
  },
  async run(ctx, options) {
    // Cost Explorer and Organizations are global services answering in us-east-1, whatever the target region.
    const ce = ctx.aws.get(CostExplorerClient);
    const { linkedAccounts, accountBudgets, ...rest } = options;
    const checkOptions: CostCheckOptions = { ...rest, tagKey: options.tagKey };
    const deps: CostCheckDeps = {
      fetchCost: (request) => getDailyCost({ ce }, request),
      now: ctx.now,
      target: ctx.target,
      dailyBudgetUsd: ctx.config.dailyBudgetUsd,
      monthlyBudgetUsd: ctx.config.monthlyBudgetUsd,
      metrics: ctx.metrics,
      logger: ctx.logger,
      dryRun: ctx.dryRun,
    };
    const run = linkedAccounts
      ? runLinkedCostCheck(
          {
            ...deps,
            accountNames: async () => {
              const org = ctx.aws.get(OrganizationsClient);
              return new Map((await listOrganizationAccounts(org)).map((a) => [a.id, a.name]));
            },
            accountsUnder: (parentId) => listAccountsUnder(ctx.aws.get(OrganizationsClient), parentId),
          },
          { ...checkOptions, accountBudgets },
        )
      : runCostCheck(deps, checkOptions);
    return run.then(({ findings, report, summary }) => ({ findings, report, summary }));
  },
};
