import {
  ACCOUNT_SCOPED,
  AUTOMATION_NAMES,
  type AutomationName,
  isAutomationName,
  partsOf,
  workQueueName,
} from '../automations/catalog.js';
import type { Target } from '../aws/clients.js';
import type { OutgoingMessage } from '../aws/sqs.js';
import { ValidationError } from '../errors.js';
import type { Flags } from '../flags/flags.js';
import { assignModes } from '../flags/rollout.js';
import type { DispatchRequest, WorkUnit } from './unit.js';

export interface DispatchDeps {
  targets: readonly Target[];
  flags: Flags;
  /** Sends units to a work queue, named after the stage's prefix (`workQueueName`: the automation, or its part). */
  send(queue: string, messages: readonly OutgoingMessage[]): Promise<unknown>;
  now: () => Date;
  dispatchId: string;
}

export interface DispatchReport {
  automation: string;
  enabled: boolean;
  dryRun: boolean;
  /** Share of the target accounts in apply mode (the flag's applyPercent) and how many units apply. */
  applyPercent: number;
  units: number;
  appliedUnits: number;
  /** Units per work queue (an automation split across workers has one queue per part). */
  queues: Record<string, number>;
  flagsSource: Flags['source'];
  problem?: string;
}

/** Rejects an unknown automation before anything is read or sent. */
export function checkAutomationName(name: string): void {
  if (!isAutomationName(name)) {
    throw new ValidationError('dispatch request', [
      { field: 'automation', expected: `one of ${AUTOMATION_NAMES.join(', ')}` },
    ]);
  }
}

/**
 * Puts one message per (account, region) for an automation on its queue (per part and part's queue when its units
 * are split across workers), carrying the dry-run decided here from
 * the flags per account (`assignModes`: dry-run, applyPercent, allow and deny lists) and why a unit runs dry.
 * The kill switch: a disabled automation enqueues nothing. The worker validates the options.
 */
export async function dispatch(deps: DispatchDeps, request: DispatchRequest): Promise<DispatchReport> {
  checkAutomationName(request.automation);
  const options = request.options ?? {};
  const base = {
    automation: request.automation,
    dryRun: deps.flags.dryRun,
    applyPercent: deps.flags.applyPercent ?? 100,
    flagsSource: deps.flags.source,
  };
  const problem = deps.flags.problem ? { problem: deps.flags.problem } : {};
  if (!deps.flags.enabled)
    return { ...base, enabled: false, units: 0, appliedUnits: 0, queues: {}, ...problem };
  // Decided over every configured account, before the request narrows them: a manual run of one account gets
  // the mode the schedule gives it.
  const modes = assignModes(
    deps.flags,
    request.automation,
    deps.targets.map((t) => t.account),
  );
  let targets = deps.targets.filter(
    (t) =>
      (!request.accounts || request.accounts.includes(t.account)) &&
      (!request.regions || request.regions.includes(t.region)),
  );
  if (ACCOUNT_SCOPED.has(request.automation as AutomationName)) {
    // Account-wide data: one unit per account, in the first region listed for it.
    const seen = new Set<string>();
    targets = targets.filter((t) => !seen.has(t.account) && seen.add(t.account));
  }
  const dispatchedAt = deps.now().toISOString();
  let applied = 0;
  const queues: Record<string, number> = {};
  for (const part of partsOf(request.automation)) {
    const messages = targets.map((t, i): OutgoingMessage => {
      const mode = modes.get(t.account)!;
      if (!mode.dryRun) applied++;
      const unit: WorkUnit = {
        automation: request.automation,
        account: t.account,
        region: t.region,
        ...(part ? { part } : {}),
        dryRun: mode.dryRun,
        ...(mode.dryRun ? { dryRunReason: mode.reason } : {}),
        options,
        dispatchId: deps.dispatchId,
        dispatchedAt,
      };
      return { id: `u${i}`, body: JSON.stringify(unit), attributes: { correlationId: deps.dispatchId } };
    });
    const queue = workQueueName(request.automation, part);
    await deps.send(queue, messages);
    queues[queue] = messages.length;
  }
  const units = Object.values(queues).reduce((a, b) => a + b, 0);
  return { ...base, enabled: true, units, appliedUnits: applied, queues, ...problem };
}
