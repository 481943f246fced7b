import type { StateKey, StateTable } from '../aws/stateStore.js';

const DAY_SECONDS = 86_400;
/**
 * A claim not confirmed within this time is free again: longer than a run (the worker's timeout is 300 s), shorter
 * than the work queue's visibility timeout (960 s), so the retry of a unit that failed before publishing claims
 * again what its failed attempt never sent, while a duplicate delivered at the same time finds it taken.
 */
export const CLAIM_LEASE_SECONDS = 900;
/** A sent warning is remembered until this long after its due date (once overdue, tiers no longer matter). */
const KEEP_AFTER_DUE_DAYS = 7;

/** One expiry warning: a tier of one due date of one secret. */
export interface Warning {
  secretArn: string;
  dueDate: Date;
  tier: number;
}

/** Which expiry warnings were sent, so that each (secret, due date, tier) is warned once whatever the run. */
export interface WarningLedger {
  /** True when this run is to send the warning; false when it was sent already (or another run is sending it). */
  claim(warning: Warning): Promise<boolean>;
  /** Records what this ledger claimed as sent: call once the warnings' findings were published. */
  confirm(): Promise<void>;
}

/** State-table key: partition per secret, one item per due date and tier. */
export function warningKey(w: Warning): StateKey {
  return { pk: `expiry#${w.secretArn}`, sk: `${w.dueDate.toISOString()}#${w.tier}d` };
}

/** The ledger over the state table: a conditional put claims, an update after publishing keeps it. */
export function warningLedger(state: StateTable, now: () => Date): WarningLedger {
  const claimed: Warning[] = [];
  return {
    async claim(warning) {
      const won = await state.store.putIfAbsent(
        state.table,
        warningKey(warning),
        { status: 'claimed', claimedAt: now().toISOString() },
        CLAIM_LEASE_SECONDS,
      );
      if (won) claimed.push(warning);
      return won;
    },
    async confirm() {
      for (const w of claimed.splice(0)) {
        const untilDue = Math.ceil((w.dueDate.getTime() - now().getTime()) / 1000);
        await state.store.update(
          state.table,
          warningKey(w),
          { status: 'sent', sentAt: now().toISOString() },
          { ttlSeconds: Math.max(CLAIM_LEASE_SECONDS, untilDue + KEEP_AFTER_DUE_DAYS * DAY_SECONDS) },
        );
      }
    },
  };
}
