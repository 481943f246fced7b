import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sendAll, toBatches } from '../../../lib/aws/sqs.js';
import { ExecutionError } from '../../../lib/errors.js';

const sqs = mockClient(SQSClient);
const msgs = (n: number, size = 10) =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i}`, body: 'x'.repeat(size) }));

describe('Function: toBatches', () => {
  it('keeps batches within 10 entries and 256 KiB', () => {
    // Act
    const byCount = toBatches(msgs(25));
    const bySize = toBatches(msgs(5, 100_000));
    // Assess
    expect(byCount.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(bySize.map((b) => b.length)).toEqual([2, 2, 1]);
  });
});

describe('Function: sendAll', () => {
  beforeEach(() => sqs.reset());

  it('re-sends only the entries SQS reported as failed', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });
    // Act
    const calls = await sendAll(new SQSClient({ region: 'eu-west-1' }), 'https://q', msgs(3));
    // Assess
    expect(calls).toBe(2);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries!.map((e) => e.Id)).toEqual([
      'm1',
    ]);
  });

  it('throws naming the messages that still failed after three attempts', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: 'm0', Code: 'InternalError', SenderFault: false }] });
    // Act
    const err = await sendAll(new SQSClient({ region: 'eu-west-1' }), 'https://q', msgs(1)).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as Error).message).toBe('SQS refused 1 message(s) after 3 attempts: m0');
  });
});
