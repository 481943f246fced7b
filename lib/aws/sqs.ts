import { type MessageAttributeValue, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ExecutionError } from '../errors.js';

export interface OutgoingMessage {
  id: string;
  body: string;
  delaySeconds?: number;
  attributes?: Record<string, string>;
}

const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_ATTEMPTS = 3;

/** Groups messages into SendMessageBatch calls within SQS's limits of 10 entries and 256 KiB per call. */
export function toBatches(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.body) + 512;
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function attributes(
  attrs: Record<string, string> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attrs) return undefined;
  return Object.fromEntries(
    Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
  );
}

/**
 * Sends every message, batching, and re-sends the entries SQS reports as failed (partial batch failure) up to
 * three times. Throws when some entries still failed, naming them.
 */
export async function sendAll(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  concurrency = 10,
): Promise<number> {
  const batches = toBatches(messages);
  let calls = 0;
  const failed: string[] = [];
  const sendBatch = async (batch: OutgoingMessage[]) => {
    let pending = batch;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt++) {
      calls++;
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((m) => ({
            Id: m.id,
            MessageBody: m.body,
            DelaySeconds: m.delaySeconds,
            MessageAttributes: attributes(m.attributes),
          })),
        }),
      );
      const failedIds = new Set(
        (out.Failed ?? []).filter((f) => !f.SenderFault || attempt === 1).map((f) => f.Id),
      );
      pending = pending.filter((m) => failedIds.has(m.id));
    }
    failed.push(...pending.map((m) => m.id));
  };
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, batches.length) }, async () => {
    while (next < batches.length) await sendBatch(batches[next++]!);
  });
  await Promise.all(lanes);
  if (failed.length > 0) {
    throw new ExecutionError(
      `SQS refused ${failed.length} message(s) after ${MAX_ATTEMPTS} attempts: ${failed.slice(0, 5).join(', ')}`,
    );
  }
  return calls;
}
