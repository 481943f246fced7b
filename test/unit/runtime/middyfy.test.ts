import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ExecutionError } from '../../../lib/errors.js';
import { correlationIdOf } from '../../../lib/runtime/correlation.js';
import { middyfy } from '../../../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../../../lib/runtime/powertools.js';
import { strictObject } from '../../../lib/schemas.js';
import { lambdaContext } from '../../support/findings.js';

const schema = strictObject({ automation: v.picklist(['backupVerify']), id: v.optional(v.string()) });

describe('Function: middyfy', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands the handler the parsed event and returns its result', async () => {
    // Prepare
    const inner = vi.fn(async (e: v.InferOutput<typeof schema>) => ({ got: e.automation }));
    const handler = middyfy(inner, {
      eventName: 'test event',
      schema,
      metrics: createMetrics('test', 'dev'),
    });
    // Act
    const out = await handler({ automation: 'backupVerify' }, lambdaContext);
    // Assess
    expect(out).toEqual({ got: 'backupVerify' });
  });

  it('rejects a malformed event naming the field, without running the handler, and logs it once', async () => {
    // Prepare
    const inner = vi.fn(async () => 'ran');
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const handler = middyfy(inner, {
      eventName: 'test event',
      schema,
      metrics: createMetrics('test', 'dev'),
    });
    // Act
    const err = (await handler({ automation: 'nukeEverything' } as never, lambdaContext).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(err.message).toBe('invalid test event: automation: expected one of "backupVerify"');
    expect(inner).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]![1]).toMatchObject({ field: 'automation', retryable: false });
  });

  it('logs a runtime failure once and rethrows it so the trigger can retry', async () => {
    // Prepare
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const handler = middyfy(
      async () => {
        throw new ExecutionError('RDS unavailable');
      },
      { eventName: 'test event', schema, metrics: createMetrics('test', 'dev') },
    );
    // Act
    const err = await handler({ automation: 'backupVerify' }, lambdaContext).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ExecutionError);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]![1]).toMatchObject({ retryable: true });
  });

  it('logs a configuration error as not retryable: the same event would meet the same configuration', async () => {
    // Prepare
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const handler = middyfy(
      async () => {
        throw new ConfigError([
          { field: 'WARDEN_HOME_ACCOUNT', expected: 'a 12-digit account id', found: 'nothing' },
        ]);
      },
      { eventName: 'test event', schema, metrics: createMetrics('test', 'dev') },
    );
    // Act
    const err = await handler({ automation: 'backupVerify' }, lambdaContext).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ConfigError);
    expect(errors.mock.calls[0]![1]).toMatchObject({ retryable: false });
  });

  it('sets the correlation id from the event', async () => {
    // Prepare
    const set = vi.spyOn(logger, 'setCorrelationId');
    const handler = middyfy(async () => 'ok', {
      eventName: 'test event',
      schema,
      metrics: createMetrics('test', 'dev'),
    });
    // Act
    await handler({ automation: 'backupVerify', id: 'evt-123' }, lambdaContext);
    // Assess
    expect(set).toHaveBeenCalledWith('evt-123');
  });
});

describe('Function: correlationIdOf', () => {
  it('reads the EventBridge id, the SQS correlation attribute or the rotation token', () => {
    // Assess
    expect(correlationIdOf({ id: 'eb-1', source: 'aws.cloudwatch' })).toBe('eb-1');
    expect(
      correlationIdOf({
        Records: [{ messageId: 'm1', messageAttributes: { correlationId: { stringValue: 'c9' } } }],
      }),
    ).toBe('c9');
    expect(correlationIdOf({ Records: [{ messageId: 'm1' }] })).toBe('m1');
    expect(correlationIdOf({ Step: 'createSecret', ClientRequestToken: 'tok' })).toBe('tok');
    expect(correlationIdOf('nope')).toBeUndefined();
  });
});
