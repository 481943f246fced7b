import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AutomationResult, LoggerLike } from '../automations/types.js';
import { getDailyCost } from '../aws/costExplorer.js';
import { listOrganizationAccounts } from '../aws/organizations.js';
import { ENV_SPEC } from '../config.js';
import { isByAccount, namesInResponse } from '../cost/accounts.js';
import { buildAccountsReport, renderAccountsTable } from '../cost/accountsReport.js';
import { costAnomalyAutomation, costAnomalyOptions } from '../cost/automation.js';
import { backtestFiles, scenarioFiles } from '../cost/backtest.js';
import { dayNumber, isoDay } from '../cost/calendar.js';
import { type CostCheckDeps, type CostCheckOptions, runCostCheck } from '../cost/check.js';
import type { CostResponse } from '../cost/costData.js';
import { exportFetcher, exportMorningAfter } from '../cost/exportFile.js';
import { renderCostHtml } from '../cost/html.js';
import { renderAccountsHtml } from '../cost/htmlAccounts.js';
import { runLinkedCostCheck } from '../cost/linkedCheck.js';
import {
  buildCostReport,
  type ReportOptions,
  renderCostTable,
  reportAnomalies,
  withRootCauses,
} from '../cost/report.js';
import { ConfigError, describeError, ValidationError } from '../errors.js';
import { memorySink } from '../runtime/metricSink.js';
import { parseWith } from '../validation.js';
import type { CliCommand, CliContext, CliIO } from './types.js';

const USAGE = [
  'warden cost backtest --data <dir|file.json> --out <file> [--min-impact-usd 25] [--min-impact-pct 25]',
  'warden cost report [--days 30] [--from <export.json>] [--html <file>]',
  'warden cost report --by-account [--days 30] [--html <file>]',
  'warden cost check [--linked-accounts] [--from <export.json>] [--tag-key <key>] [--lookback-days 90] [--apply]',
] as const;

const DETECTOR = { minImpactUsd: 25, minImpactPct: 25 };

function usageError(field: string, expected: string): ValidationError {
  return new ValidationError('cost arguments', [{ field, expected }]);
}

type Flags = Record<string, { type: 'string' | 'boolean' }>;

/** parseArgs, strict, with its errors turned into the ValidationError the CLI prints with the usage. */
function flags(args: string[], options: Flags): Record<string, string | undefined> {
  try {
    const values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
    return Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v === true ? 'true' : v === false ? undefined : v]),
    ) as Record<string, string | undefined>;
  } catch (err) {
    throw usageError(
      'arguments',
      `only ${Object.keys(options)
        .map((o) => `--${o}`)
        .join(', ')} (${(err as Error).message})`,
    );
  }
}

function number(
  value: string | undefined,
  field: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw usageError(field, `a number between ${min} and ${max}`);
  return n;
}

/** Budgets from the stage configuration, or its documented defaults when run offline without one. */
function budgets(ctx: CliContext): { dailyBudgetUsd: number; monthlyBudgetUsd: number } {
  try {
    const c = ctx.config();
    return { dailyBudgetUsd: c.dailyBudgetUsd, monthlyBudgetUsd: c.monthlyBudgetUsd };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      dailyBudgetUsd: Number(ENV_SPEC.WARDEN_DAILY_BUDGET_USD.default),
      monthlyBudgetUsd: Number(ENV_SPEC.WARDEN_MONTHLY_BUDGET_USD.default),
    };
  }
}

function readExport(file: string): CostResponse {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CostResponse;
  } catch (err) {
    throw usageError('--from', `a readable GetCostAndUsage JSON export (${(err as Error).message})`);
  }
}

function logTo(io: CliIO): LoggerLike {
  return {
    debug() {},
    info(message) {
      io.progress(message);
    },
    warn(message) {
      io.err(message);
    },
    error(message, ...extra) {
      io.err(`${message} ${extra.map((e) => JSON.stringify(e)).join(' ')}`.trim());
    },
  };
}

async function backtest(args: string[], ctx: CliContext): Promise<number> {
  const values = flags(args, {
    data: { type: 'string' },
    out: { type: 'string' },
    'min-impact-usd': { type: 'string' },
    'min-impact-pct': { type: 'string' },
  });
  if (!values.data) throw usageError('--data', 'a directory of scenario files (or one file)');
  if (!values.out) throw usageError('--out', 'the file to write the detected events to');
  const files = values.data.endsWith('.json') ? [values.data] : scenarioFiles(values.data);
  const started = performance.now();
  const events = backtestFiles(files, {
    minImpactUsd: number(values['min-impact-usd'], '--min-impact-usd', 25, 0, 1e9),
    minImpactPct: number(values['min-impact-pct'], '--min-impact-pct', 25, 0, 1e6),
  });
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(values.out, `${JSON.stringify(events, null, 2)}\n`);
  if (ctx.json)
    ctx.io.out(JSON.stringify({ scenarios: files.length, events: events.length, seconds, out: values.out }));
  else
    ctx.io.out(
      `${files.length} scenarios, ${events.length} events in ${seconds.toFixed(2)} s -> ${values.out}`,
    );
  return 0;
}

const SERVICE = { type: 'DIMENSION', key: 'SERVICE' } as const;
const USAGE_TYPE = { type: 'DIMENSION', key: 'USAGE_TYPE' } as const;
const LINKED_ACCOUNT = { type: 'DIMENSION', key: 'LINKED_ACCOUNT' } as const;

type Reading = 'services' | 'usage' | 'accounts';

/** Daily cost over the last `days` days: by service, by service and usage type (of one account), or by account. */
async function liveCost(
  ctx: CliContext,
  days: number,
  reading: Reading,
  account?: string,
): Promise<CostResponse> {
  const target = await ctx.target();
  const ce = ctx.pool().for(target).get(CostExplorerClient);
  const today = dayNumber(ctx.now().toISOString().slice(0, 10));
  return getDailyCost(
    { ce },
    {
      start: isoDay(today - days),
      end: isoDay(today),
      groupBy:
        reading === 'usage'
          ? [SERVICE, USAGE_TYPE]
          : reading === 'accounts'
            ? [LINKED_ACCOUNT, SERVICE]
            : SERVICE,
      ...(account ? { filter: { dimension: 'LINKED_ACCOUNT', values: [account] } } : {}),
    },
  );
}

/** Account names from Organizations; by id (with a warning) when they cannot be read. */
async function accountNames(ctx: CliContext): Promise<Map<string, string>> {
  try {
    const target = await ctx.target();
    const org = ctx.pool().for(target).get(OrganizationsClient);
    return new Map((await listOrganizationAccounts(org)).map((a) => [a.id, a.name]));
  } catch (err) {
    ctx.io.err(`account names unavailable (${describeError(err)}); accounts are shown by id`);
    return new Map();
  }
}

async function report(args: string[], ctx: CliContext): Promise<number> {
  const values = flags(args, {
    days: { type: 'string' },
    from: { type: 'string' },
    html: { type: 'string' },
    'by-account': { type: 'boolean' },
  });
  const days = number(values.days, '--days', 30, 1, 365);
  // The detector needs weeks of history before the first day shown.
  const history = Math.max(90, days + 60);
  const byAccount = values['by-account'] === 'true';
  const response = values.from
    ? readExport(values.from)
    : await liveCost(ctx, history, byAccount ? 'accounts' : 'services');
  const options = { days, ...DETECTOR, ...budgets(ctx) };
  if (isByAccount(response)) return accountsReport(response, options, values, history, ctx);
  if (byAccount)
    throw usageError('--from', 'an export grouped by LINKED_ACCOUNT and SERVICE with --by-account');
  let built = buildCostReport(response, options);
  // Root causes: a saved export by service and usage type has them; live, one more read when there are anomalies.
  if (reportAnomalies(built).length > 0) {
    const usage = values.from ? response : await liveCost(ctx, history, 'usage');
    built = withRootCauses(built, usage, DETECTOR);
  }
  if (values.html) {
    writeFileSync(values.html, renderCostHtml(built));
    ctx.io.progress(`wrote ${values.html}`);
  }
  if (ctx.json) ctx.io.out(JSON.stringify(built));
  else for (const line of renderCostTable(built)) ctx.io.out(line);
  return 0;
}

/** The report per linked account: names from Organizations and, live, root causes read once per account. */
async function accountsReport(
  response: CostResponse,
  options: ReportOptions,
  values: Record<string, string | undefined>,
  history: number,
  ctx: CliContext,
): Promise<number> {
  // Cost Explorer returns account names with the data; Organizations has the current ones.
  const names = new Map([...namesInResponse(response), ...(values.from ? [] : await accountNames(ctx))]);
  const built = buildAccountsReport(response, options, names);
  if (!values.from) {
    for (const a of built.accounts) {
      if (!a.report || a.anomalies === 0) continue;
      try {
        a.report = withRootCauses(a.report, await liveCost(ctx, history, 'usage', a.account), DETECTOR);
      } catch (err) {
        ctx.io.err(`root causes of ${a.account} unavailable: ${describeError(err)}`);
      }
    }
  }
  if (values.html) {
    writeFileSync(values.html, renderAccountsHtml(built));
    ctx.io.progress(`wrote ${values.html}`);
  }
  if (ctx.json) ctx.io.out(JSON.stringify(built));
  else for (const line of renderAccountsTable(built)) ctx.io.out(line);
  return 0;
}

async function check(args: string[], ctx: CliContext): Promise<number> {
  const values = flags(args, {
    from: { type: 'string' },
    'tag-key': { type: 'string' },
    'lookback-days': { type: 'string' },
    'linked-accounts': { type: 'boolean' },
  });
  const options: CostCheckOptions = {
    lookbackDays: number(values['lookback-days'], '--lookback-days', 90, 28, 365),
    ...(values['tag-key'] ? { tagKey: values['tag-key'] } : {}),
    ...DETECTOR,
  };
  const linked = values['linked-accounts'] === 'true';
  const metrics = memorySink();
  const logger = logTo(ctx.io);
  let result: AutomationResult;
  if (values.from) {
    // A saved export is judged offline, as of the morning after its last day, always as a dry-run.
    const saved = readExport(values.from);
    const now = exportMorningAfter(saved) ?? ctx.now();
    const deps: CostCheckDeps = {
      fetchCost: exportFetcher(saved),
      now: () => now,
      target: { account: '000000000000', region: 'us-east-1' },
      ...budgets(ctx),
      metrics,
      logger,
      dryRun: true,
    };
    result = isByAccount(saved) ? await runLinkedCostCheck(deps, options) : await runCostCheck(deps, options);
  } else {
    const target = await ctx.target();
    result = await costAnomalyAutomation.run(
      {
        target,
        aws: ctx.pool().for(target),
        config: ctx.config(),
        now: () => ctx.now(),
        logger,
        metrics,
        dryRun: !ctx.apply,
      },
      parseWith(costAnomalyOptions, { ...options, linkedAccounts: linked }, 'costAnomaly options'),
    );
  }
  await ctx.publish(result.findings);
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ summary: result.summary, report: result.report, metrics: metrics.recorded }));
    return 0;
  }
  ctx.io.out(result.summary);
  for (const f of result.findings.filter((x) => x.status === 'open'))
    ctx.io.out(`  [${f.severity}] ${f.title}`);
  for (const m of metrics.recorded) ctx.io.out(`  metric ${m.name} = ${m.value}`);
  return 0;
}

/** `warden cost`: backtest the detector on labelled scenarios, report daily cost, run the daily check. */
export const costCommand: CliCommand = {
  name: 'cost',
  summary: 'Cost anomaly backtest, daily cost report (table or HTML) and the daily cost check',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'backtest') return backtest(rest, ctx);
    if (sub === 'report') return report(rest, ctx);
    if (sub === 'check') return check(rest, ctx);
    throw usageError('subcommand', 'one of backtest, report, check');
  },
};
