import type * as v from 'valibot';
import type { AwsClients, Target } from '../aws/clients.js';
import type { StateTable } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import type { Finding } from '../findings/finding.js';

export interface LoggerLike {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export type MetricUnitName = 'Count' | 'Seconds' | 'Milliseconds' | 'None' | 'Percent' | 'Bytes';

/** Where automations put their metrics: EMF in Lambda, a list in the CLI and tests. */
export interface MetricSink {
  add(name: string, unit: MetricUnitName, value: number, dimensions?: Record<string, string>): void;
}

/** Everything an automation may use. It never reads process.env, constructs a client or calls `new Date()`. */
export interface AutomationContext {
  target: Target;
  aws: AwsClients;
  config: Config;
  now: () => Date;
  logger: LoggerLike;
  metrics: MetricSink;
  /** True: change nothing, report what would be done as `planned` actions. */
  dryRun: boolean;
  /** warden's own state table (home account), given at the edge to the automations that remember things. */
  state?: StateTable;
}

export interface AutomationResult {
  findings: Finding[];
  /** Machine-readable report returned by the handler and printed by the CLI. */
  report: Record<string, unknown>;
  /** One line for humans. */
  summary: string;
  /** Called once the findings were published (what the run claimed is then recorded as sent). */
  afterPublish?: () => Promise<void>;
}

/**
 * One automation: a closed options schema, the IAM actions it needs in a target account (read and, when it
 * mutates, write), a cheap probe for selfcheck, and `run`.
 */
export interface Automation<O = Record<string, unknown>> {
  name: string;
  description: string;
  options: v.GenericSchema<unknown, O>;
  /** IAM actions the execution role needs in target accounts. Mutating ones must also be in `mutatingPermissions`. */
  permissions: readonly string[];
  mutatingPermissions: readonly string[];
  /** IAM actions its worker needs on warden's own state table in the home account (never granted in targets). */
  statePermissions?: readonly string[];
  /** Default EventBridge schedule (stage params may override it). */
  schedule: string;
  /** One cheap, read-only call proving the role may do the reads this automation needs. */
  probe(aws: AwsClients): Promise<void>;
  run(ctx: AutomationContext, options: O): Promise<AutomationResult>;
  /** The part of the automation's units this one runs in a worker of its own (WORKER_PARTS); unset: the first. */
  part?: string;
  /**
   * When the automation's units are split across workers (WORKER_PARTS): what each part's worker runs, first part
   * first, each with only its own permissions. The automation itself runs every part at once (CLI, demo).
   */
  workers?: readonly Automation<O>[];
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds automations of any options type
export type AnyAutomation = Automation<any>;
