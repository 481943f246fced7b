/** A function as the infrastructure generator sees it (from the service's functions list). */
export interface FunctionInfo {
  /** Key in `functions:` (e.g. rotateSecret). */
  key: string;
  /** Logical id prefix osls uses for it (e.g. RotateSecret). */
  logicalPrefix: string;
  /** Deployed function name (warden-<stage>-<key>). */
  name: string;
  timeoutSeconds: number;
}

/** A queue found in the compiled template. */
export interface QueueInfo {
  logicalId: string;
  /** Literal QueueName, or a `${Logical.QueueName}` Fn::Sub placeholder. */
  name: string;
  isDlq: boolean;
  condition?: string;
}

/** Stage parameters the generated alarms and dashboard use. */
export interface InfraSettings {
  stage: string;
  owner: string;
  /** p95 duration budget as a share of the timeout, unless durationBudgetsMs names the function. */
  durationBudgetRatio: number;
  durationBudgetsMs: Readonly<Record<string, number>>;
  functionErrorsThreshold: number;
  queueAgeSecondsThreshold: number;
  dailyBudgetUsd: number;
  monthlyBudgetUsd: number;
  rpoHours: number;
  drillRtoBudgetSeconds: number;
  concurrencyLimit: number;
}

/** Parses `a=1000,b=2000` (the durationBudgetsMs param) into a map; throws TypeError on a bad entry. */
export function parseBudgets(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [key, value] = entry.split('=').map((s) => s.trim());
    const ms = Number(value);
    if (!key || !Number.isFinite(ms) || ms <= 0)
      throw new TypeError(`durationBudgetsMs: bad entry "${entry}"`);
    out[key] = ms;
  }
  return out;
}

/** The p95 duration budget of a function in milliseconds. */
export function durationBudgetMs(fn: FunctionInfo, settings: InfraSettings): number {
  return (
    settings.durationBudgetsMs[fn.key] ?? Math.round(fn.timeoutSeconds * 1000 * settings.durationBudgetRatio)
  );
}
