import type { MetricSink } from '../../automations/types.js';
import type { Target } from '../../aws/clients.js';
import { describeError, ExecutionError, ValidationError } from '../../errors.js';
import type { Publish } from '../../findings/publish.js';
import { parseWith } from '../../validation.js';
import type { AnyDrillMessage } from './flow.js';
import type { DrillDatabase, DrillMessage, DrillSettings } from './messages.js';
import { type DrillSummary, reportOf } from './report.js';
import { runStep, type StepDeps, type StepResult } from './steps.js';
import { anyDrillMessageSchema } from './tableMessages.js';

export interface DrillDeps extends StepDeps {
  /** Sends the next step's message (SQS in Lambda) after `delaySeconds`. */
  enqueue(message: AnyDrillMessage, delaySeconds: number): Promise<void>;
  publish: Publish;
  metrics: MetricSink;
}

/** SQS moves a message to the DLQ after 5 receives: at the 4th, a drill stops waiting and cleans up instead. */
export const GIVE_UP_AT_RECEIVE = 4;
/** Bounds an inline drill: at most 24 h of minute polls. */
export const MAX_INLINE_STEPS = 1500;

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:T]/g, '');

/** The first message of a drill. Ids derive from the database and the minute, so a retried start is one drill. */
export function newDrill(input: {
  target: Target;
  dbId: string;
  settings: DrillSettings;
  validation: DrillDatabase;
  now: Date;
  dryRun: boolean;
  /** Why a drill runs dry when its flag applies elsewhere (outside the apply share, deny list). */
  dryRunReason?: string;
}): DrillMessage {
  const at = input.now.toISOString();
  const restoreRegion = input.validation.from === 'dr' ? input.settings.dr?.region : undefined;
  if (input.validation.from === 'dr' && !restoreRegion)
    throw new ValidationError('drill settings', [
      { field: 'dr', expected: `the DR region and its network (${input.dbId} is drilled from "dr")` },
    ]);
  const suffix = stamp(input.now);
  // Room for the '-i' of an Aurora drill's instance within RDS's 63 characters.
  const base = input.dbId.slice(0, 63 - 'wd--'.length - suffix.length - 2).replace(/-+$/, '');
  return {
    drillId: `${input.dbId}-${suffix}`,
    step: 'restore',
    target: input.target,
    dbId: input.dbId,
    tempId: `wd-${base}-${suffix}`,
    startedAt: at,
    stepStartedAt: at,
    stepAttempts: 0,
    settings: input.settings,
    validation: input.validation,
    dryRun: input.dryRun,
    ...(input.dryRunReason ? { dryRunReason: input.dryRunReason } : {}),
    ...(restoreRegion ? { restoreRegion } : {}),
  };
}

/** A step that keeps throwing must not leave a temporary instance behind: jump to cleanup, or report it. */
function giveUp(msg: AnyDrillMessage, err: unknown, now: Date): StepResult {
  const error = describeError(err);
  const at = now.toISOString();
  if (msg.step === 'delete' || msg.step === 'waitDeleted') {
    return {
      next: {
        message: {
          ...msg,
          step: 'report',
          stepStartedAt: at,
          stepAttempts: 0,
          cleanupFailure: `${msg.step} kept failing: ${error}`,
        },
        delaySeconds: 0,
      },
    };
  }
  return {
    next: {
      message: {
        ...msg,
        step: 'delete',
        stepStartedAt: at,
        stepAttempts: 0,
        failure: msg.failure ?? `${msg.step} kept failing: ${error}`,
      },
      delaySeconds: 0,
    },
  };
}

/**
 * Processes one drill message. A step that throws (or a Lambda that times out) leaves the message on the queue,
 * and SQS redelivers it: the drill resumes from that step. On the last receives it gives up and cleans up.
 */
export async function processDrillMessage(
  deps: DrillDeps,
  body: unknown,
  receiveCount = 1,
): Promise<DrillSummary | undefined> {
  const msg = parseWith(anyDrillMessageSchema, body, 'drill message');
  if (msg.step === 'report') {
    const { summary, findings } = reportOf(msg, deps.now(), deps.metrics);
    await deps.publish(findings);
    deps.logger.info('restore drill finished', { summary });
    return summary;
  }
  let result: StepResult;
  try {
    result = await runStep(deps, msg);
  } catch (err) {
    if (receiveCount < GIVE_UP_AT_RECEIVE) throw err;
    deps.logger.error('drill step kept failing; moving on to cleanup', {
      drillId: msg.drillId,
      step: msg.step,
      error: describeError(err),
    });
    result = giveUp(msg, err, deps.now());
  }
  if (result.next) await deps.enqueue(result.next.message, result.next.delaySeconds);
  return undefined;
}

/**
 * Runs a whole drill in this process (the CLI without a queue): each step, then waits its delay.
 * `sleep` is injected so tests do not wait.
 */
export async function runDrillInline(
  deps: Omit<DrillDeps, 'enqueue'>,
  first: AnyDrillMessage,
  sleep: (ms: number) => Promise<void>,
  onStep?: (msg: AnyDrillMessage) => void,
): Promise<DrillSummary> {
  let msg = first;
  for (let i = 0; i < MAX_INLINE_STEPS; i++) {
    onStep?.(msg);
    if (msg.step === 'report') {
      const { summary, findings } = reportOf(msg, deps.now(), deps.metrics);
      await deps.publish(findings);
      return summary;
    }
    const { next } = await runStep(deps, msg);
    if (!next) throw new ExecutionError(`drill step ${msg.step} ended without a next step`);
    if (next.delaySeconds > 0) await sleep(next.delaySeconds * 1000);
    msg = next.message;
  }
  throw new ExecutionError(`drill ${first.drillId} did not finish within ${MAX_INLINE_STEPS} steps`);
}
