import type { LoggerLike, MetricSink } from '../automations/types.js';
import { describeError, ExecutionError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { decide } from './decide.js';
import { formatNotification, type Notification } from './format.js';
import type { NotifyStateStore } from './state.js';

/** A destination: SNS topic, Slack webhook. Throws when the message was not accepted. */
export interface Channel {
  name: string;
  send(n: Notification, f: Finding): Promise<void>;
}

export interface NotifyDeps {
  store: NotifyStateStore;
  channels: readonly Channel[];
  now: () => number;
  windowMs: number;
  runbookUrl: string;
  logger: LoggerLike;
  metrics: MetricSink;
}

export type NotifyOutcome = 'sent' | 'resumed' | 'suppressed' | 'already resolved' | 'never opened';

/**
 * Notifies one finding delivered as SQS message `messageId`, at most once per decision:
 * the decision is claimed in the state table before sending (a concurrent or repeated delivery loses the claim),
 * and each channel is marked delivered, so a retry after a failed channel sends only to the channels still owed.
 */
export async function notifyFinding(deps: NotifyDeps, f: Finding, messageId: string): Promise<NotifyOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = await deps.store.get(f.id);
    if (state?.messageId === messageId) {
      await deliver(deps, f, messageId, state.delivered, state.status === 'resolved' ? 'resolved' : 'open');
      return 'resumed';
    }
    const decision = decide(state, f, deps.now(), deps.windowMs);
    if (!decision.send) {
      deps.metrics.add('NotificationsSuppressed', 'Count', 1);
      return decision.reason;
    }
    const next = { severity: f.severity, status: f.status, notifiedAt: deps.now(), messageId, delivered: [] };
    if (await deps.store.claim(f.id, next, state?.messageId)) {
      await deliver(deps, f, messageId, [], decision.kind);
      return 'sent';
    }
    // Someone else changed the state between our read and write: decide again on what they wrote.
  }
  return 'suppressed';
}

async function deliver(
  deps: NotifyDeps,
  f: Finding,
  messageId: string,
  done: readonly string[],
  kind: Parameters<typeof formatNotification>[1],
): Promise<void> {
  const n = formatNotification(f, kind, deps.runbookUrl);
  // Channels are independent: each is sent and marked on its own, so one that fails neither blocks the others
  // nor, on the message's retry, makes them send again.
  const owed = deps.channels.filter((c) => !done.includes(c.name));
  const results = await Promise.allSettled(
    owed.map(async (channel) => {
      await channel.send(n, f);
      await deps.store.markDelivered(f.id, messageId, channel.name);
      deps.metrics.add('NotificationsSent', 'Count', 1, { channel: channel.name });
      deps.logger.info('notification sent', { findingId: f.id, channel: channel.name, kind });
    }),
  );
  const failed = owed.flatMap((channel, i) => {
    const r = results[i]!;
    return r.status === 'rejected' ? [{ channel: channel.name, reason: r.reason as unknown }] : [];
  });
  for (const { channel, reason } of failed) {
    deps.metrics.add('NotificationsFailed', 'Count', 1, { channel });
    deps.logger.warn('notification failed', { findingId: f.id, channel, error: describeError(reason) });
  }
  if (failed.length > 0) {
    throw new ExecutionError(
      `finding ${f.id} not delivered to ${failed.map((x) => x.channel).join(', ')}: ${failed.map((x) => describeError(x.reason)).join('; ')}`,
      { cause: failed[0]!.reason },
    );
  }
}
