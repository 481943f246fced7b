import type { StateKey, StateTable } from '../aws/stateStore.js';
import { ExecutionError } from '../errors.js';
import type { Severity } from '../findings/finding.js';
import type { NotifyState } from './decide.js';

/** Suppression state per finding id in the state table. */
export interface NotifyStateStore {
  get(findingId: string): Promise<NotifyState | undefined>;
  /** Writes `next` only if the stored state is still the one that was read (`previousMessageId`). */
  claim(findingId: string, next: NotifyState, previousMessageId: string | undefined): Promise<boolean>;
  /** Records that `channel` got message `messageId`'s notification; throws when another message claimed since. */
  markDelivered(findingId: string, messageId: string, channel: string): Promise<void>;
}

/** One item per finding id (the IAM policy of notify allows pk `notify#*` only). */
export function notifyKey(findingId: string): StateKey {
  return { pk: `notify#${findingId}`, sk: 'state' };
}

/** The suppression state over the shared state store; an item lives `ttlSeconds` after its last claim. */
export function notifyStateStore({ store, table }: StateTable, ttlSeconds: number): NotifyStateStore {
  return {
    async get(findingId) {
      const i = await store.get(table, notifyKey(findingId));
      if (!i) return undefined;
      return {
        severity: i.severity as Severity,
        status: i.status === 'resolved' ? 'resolved' : 'open',
        notifiedAt: Number(i.notifiedAt ?? 0),
        messageId: typeof i.messageId === 'string' ? i.messageId : '',
        delivered: Array.isArray(i.delivered) ? [...i.delivered] : [],
      };
    },
    claim(findingId, next, previousMessageId) {
      const { severity, status, notifiedAt, messageId } = next;
      return store.put(
        table,
        notifyKey(findingId),
        { severity, status, notifiedAt, messageId },
        {
          ttlSeconds,
          expect:
            previousMessageId === undefined
              ? { absent: true }
              : { attribute: 'messageId', equals: previousMessageId },
        },
      );
    },
    async markDelivered(findingId, messageId, channel) {
      const marked = await store.update(
        table,
        notifyKey(findingId),
        {},
        { addToSet: { delivered: [channel] }, expect: { attribute: 'messageId', equals: messageId } },
      );
      if (!marked) {
        throw new ExecutionError(
          `notification state of finding ${findingId} was claimed by another message before ${channel} was marked delivered`,
        );
      }
    },
  };
}
