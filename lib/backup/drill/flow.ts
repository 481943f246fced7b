import type { LoggerLike } from '../../automations/types.js';
import type { Target } from '../../aws/clients.js';
import type { DynamoDbDrillApi } from '../../aws/dynamodb.js';
import type { RdsApi } from '../../aws/rds.js';
import type { DrillMessage, DrillStep } from './messages.js';
import type { TableDrillMessage } from './tableMessages.js';
import type { Validate } from './validator.js';

/** A message of either kind of drill: RDS/Aurora (`service` absent) or DynamoDB (`service: "dynamodb"`). */
export type AnyDrillMessage = DrillMessage | TableDrillMessage;

export interface StepDeps {
  rdsFor(target: Target): RdsApi;
  dynamoFor(target: Target): DynamoDbDrillApi;
  now: () => Date;
  /** Runs the validation queries on the restored database (in Lambda, the dialect's validator function). */
  validate: Validate;
  logger: LoggerLike;
}

/** What a step decided: the message to enqueue next and after how long, or none when the drill is over. */
export interface StepResult {
  next?: { message: AnyDrillMessage; delaySeconds: number };
}

export const MAX_DELETE_ATTEMPTS = 5;
export const MAX_RESTORE_ATTEMPTS = 3;

/** Where the drill restores and cleans up: the target, or its DR region for a DR drill (same account). */
export const restoreTargetOf = (msg: DrillMessage): Target => ({
  account: msg.target.account,
  region: msg.restoreRegion ?? msg.target.region,
});

/** The subnet group and security groups of the region the drill restores in. */
export function networkOf(msg: DrillMessage): { subnetGroup: string; securityGroupIds: string[] } {
  const net = msg.restoreRegion && msg.settings.dr ? msg.settings.dr : msg.settings;
  return { subnetGroup: net.subnetGroup, securityGroupIds: net.securityGroupIds };
}

/** The instance the drill validates: the temporary instance, or the one instance of the temporary cluster. */
export const instanceIdOf = (msg: DrillMessage) => (msg.kind === 'cluster' ? `${msg.tempId}-i` : msg.tempId);

/** Moves to `step` (its wait clock and attempts start over). */
export const go = <M extends AnyDrillMessage>(
  msg: M,
  step: DrillStep,
  now: Date,
  patch: Partial<M> = {},
  delaySeconds = 0,
): StepResult => ({
  next: {
    message: { ...msg, ...patch, step, stepStartedAt: now.toISOString(), stepAttempts: 0 },
    delaySeconds,
  },
});

/** Polls the same step again after the poll delay. */
export const stay = <M extends AnyDrillMessage>(msg: M, patch: Partial<M> = {}): StepResult => ({
  next: { message: { ...msg, ...patch }, delaySeconds: msg.settings.pollSeconds },
});

export const waitedTooLong = (msg: AnyDrillMessage, now: Date) =>
  now.getTime() - Date.parse(msg.stepStartedAt) > msg.settings.maxWaitMinutes * 60_000;

/** A failure before cleanup: record it and go delete what was restored (a dry-run only reports). */
export const fail = <M extends AnyDrillMessage>(msg: M, now: Date, failure: string) =>
  go<M>(msg, msg.dryRun ? 'report' : 'delete', now, { failure } as Partial<M>);
