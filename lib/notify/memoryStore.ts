import type { NotifyStateStore } from '../aws/notifyState.js';
import type { NotifyState } from './decide.js';

/** The suppression state in memory, with the table's conditional semantics: for the demo, the CLI and benchmarks. */
export function memoryNotifyStore(): NotifyStateStore {
  const items = new Map<string, NotifyState>();
  return {
    async get(id) {
      const s = items.get(id);
      return s ? { ...s, delivered: [...s.delivered] } : undefined;
    },
    async claim(id, next, previous) {
      if (items.get(id)?.messageId !== previous) return false;
      items.set(id, { ...next, delivered: [] });
      return true;
    },
    async markDelivered(id, messageId, channel) {
      const s = items.get(id);
      if (s?.messageId === messageId && !s.delivered.includes(channel)) s.delivered.push(channel);
    },
  };
}
