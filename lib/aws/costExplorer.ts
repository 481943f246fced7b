import {
  type CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
  LimitExceededException,
} from '@aws-sdk/client-cost-explorer';
import { ExecutionError } from '../errors.js';

/** The part of a GetCostAndUsage response the cost checks read (the SDK output and saved exports both fit). */
export interface CostResponse {
  GroupDefinitions?: readonly { Type?: string | undefined; Key?: string | undefined }[] | undefined;
  /** An array from the API; a lazy iterable from readCostExport (then it must be in date order). */
  ResultsByTime?: Iterable<CostResultByTime> | undefined;
  /** Grouped by LINKED_ACCOUNT: each account's name (`Attributes.description`), as Cost Explorer returns them. */
  DimensionValueAttributes?:
    | readonly { Value?: string | undefined; Attributes?: Record<string, string> | undefined }[]
    | undefined;
}

export interface CostResultByTime {
  TimePeriod?: { Start?: string | undefined; End?: string | undefined } | undefined;
  Total?: Record<string, { Amount?: string | undefined; Unit?: string | undefined }> | undefined;
  Groups?:
    | readonly {
        Keys?: readonly string[] | undefined;
        Metrics?: Record<string, { Amount?: string | undefined; Unit?: string | undefined }> | undefined;
      }[]
    | undefined;
  Estimated?: boolean | undefined;
}

export interface DailyCostRequest {
  /** First day, inclusive (`YYYY-MM-DD`). */
  start: string;
  /** Last day, exclusive, as the API takes it. */
  end: string;
  /**
   * Group by the SERVICE dimension or by a cost-allocation tag key, or by two (SERVICE then USAGE_TYPE); none gives
   * the daily total.
   */
  groupBy?: CostGroup | readonly [CostGroup, CostGroup] | undefined;
  /** Only the cost of these values of a dimension (e.g. one LINKED_ACCOUNT). */
  filter?: { dimension: 'LINKED_ACCOUNT' | 'SERVICE'; values: readonly string[] } | undefined;
  metric?: string;
}

export interface CostGroup {
  type: 'DIMENSION' | 'TAG';
  key: string;
}

export interface CostExplorerDeps {
  ce: CostExplorerClient;
  /** Waits between throttled attempts (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per page when Cost Explorer throttles (LimitExceededException); default 4. */
  attempts?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function sendPage(
  deps: CostExplorerDeps,
  command: GetCostAndUsageCommand,
  what: string,
): Promise<GetCostAndUsageCommandOutput> {
  const attempts = deps.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.ce.send(command);
    } catch (err) {
      // The client already retried with adaptive back-off; Cost Explorer allows few calls per second.
      if (err instanceof LimitExceededException && attempt < attempts) {
        await (deps.sleep ?? defaultSleep)(200 * 2 ** (attempt - 1));
        continue;
      }
      if (err instanceof LimitExceededException) {
        throw new ExecutionError(`Cost Explorer kept throttling ${what} after ${attempts} attempts`, {
          cause: err,
        });
      }
      if (err instanceof DataUnavailableException) {
        throw new ExecutionError(`Cost Explorer has no data for ${what} (is Cost Explorer enabled?)`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}

/**
 * Daily cost over a period, every page fetched (NextPageToken) and merged into one response shaped like a single
 * GetCostAndUsage page: a day split over two pages gets its groups joined. Each call costs 0.01 USD, so callers
 * fetch once per run.
 */
export async function getDailyCost(
  deps: CostExplorerDeps,
  request: DailyCostRequest,
): Promise<CostResponse & { pages: number }> {
  const metric = request.metric ?? 'UnblendedCost';
  const groups: readonly CostGroup[] =
    request.groupBy === undefined ? [] : 'type' in request.groupBy ? [request.groupBy] : request.groupBy;
  const filter = request.filter;
  const what = `${request.start}..${request.end}${groups.length ? ` by ${groups.map((g) => `${g.type} ${g.key}`).join(' and ')}` : ''}${filter ? ` for ${filter.dimension} ${filter.values.join(',')}` : ''}`;
  const byDay = new Map<
    string,
    CostResultByTime & { Groups: NonNullable<CostResultByTime['Groups']>[number][] }
  >();
  let groupDefinitions: CostResponse['GroupDefinitions'];
  const attributes = new Map<string, NonNullable<CostResponse['DimensionValueAttributes']>[number]>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await sendPage(
      deps,
      new GetCostAndUsageCommand({
        TimePeriod: { Start: request.start, End: request.end },
        Granularity: 'DAILY',
        Metrics: [metric],
        ...(groups.length ? { GroupBy: groups.map((g) => ({ Type: g.type, Key: g.key })) } : {}),
        ...(filter ? { Filter: { Dimensions: { Key: filter.dimension, Values: [...filter.values] } } } : {}),
        ...(token ? { NextPageToken: token } : {}),
      }),
      what,
    );
    pages++;
    groupDefinitions ??= page.GroupDefinitions;
    for (const a of page.DimensionValueAttributes ?? []) if (a.Value) attributes.set(a.Value, a);
    for (const r of page.ResultsByTime ?? []) {
      const day = r.TimePeriod?.Start ?? '';
      const seen = byDay.get(day);
      if (seen) {
        seen.Groups.push(...(r.Groups ?? []));
        seen.Estimated = seen.Estimated === true || r.Estimated === true;
      } else byDay.set(day, { ...r, Groups: [...(r.Groups ?? [])] });
    }
    token = page.NextPageToken;
  } while (token);
  return {
    GroupDefinitions: groupDefinitions ?? [],
    ResultsByTime: [...byDay.values()],
    ...(attributes.size ? { DimensionValueAttributes: [...attributes.values()] } : {}),
    pages,
  };
}

/** Selfcheck probe: one day of total cost, no grouping, the cheapest call that proves ce:GetCostAndUsage. */
export async function probeCostExplorer(ce: CostExplorerClient, day: string, nextDay: string): Promise<void> {
  await ce.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: day, End: nextDay },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
    }),
  );
}
