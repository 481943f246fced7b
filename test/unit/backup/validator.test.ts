import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DrillMessage } from '../../../lib/backup/drill/messages.js';
import type { SqlClient } from '../../../lib/backup/drill/validate.js';
import {
  lambdaValidator,
  localValidator,
  validatorFunctionName,
} from '../../../lib/backup/drill/validator.js';
import { ExecutionError, ValidationError } from '../../../lib/errors.js';
import { firstMessage } from './drillFakes.js';
import { NOW, silentLogger } from './fixtures.js';

const lambdaMock = mockClient(LambdaClient);
const atValidate = (dialect: 'postgres' | 'mysql'): DrillMessage => ({
  ...firstMessage([{ kind: 'rowCount', table: 'orders', min: 1 }]),
  step: 'validate',
  endpoint: { host: 'wd-orders.abc.eu-west-1.rds.amazonaws.com', port: dialect === 'mysql' ? 3306 : 5432 },
  dialect,
});
const answer = (value: unknown, functionError?: string) => ({
  StatusCode: 200,
  ...(functionError ? { FunctionError: functionError } : {}),
  Payload: new TextEncoder().encode(JSON.stringify(value)) as never,
});

describe('Function: lambdaValidator', () => {
  beforeEach(() => lambdaMock.reset());

  it("asks the dialect's validator through its live alias and returns its outcomes", async () => {
    // Prepare
    const outcomes = [{ check: 'rowCount orders', passed: true, reason: '3 rows >= 1', value: 3 }];
    lambdaMock.on(InvokeCommand).resolves(answer({ outcomes }));
    const msg = atValidate('mysql');
    // Act
    const run = await lambdaValidator(new LambdaClient({ region: 'eu-west-1' }), 'prod')(msg, NOW);
    // Assess
    expect(run).toEqual({ outcomes });
    const input = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe('warden-prod-drillValidateMysql:live');
    expect(input?.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({
      message: msg,
      now: NOW.toISOString(),
    });
  });

  it('passes on that the validator logged in in plaintext (tls "prefer", no TLS offered)', async () => {
    // Prepare
    const outcomes = [{ check: 'rowCount orders', passed: true, reason: '3 rows >= 1', value: 3 }];
    lambdaMock.on(InvokeCommand).resolves(answer({ outcomes, tlsFallback: true }));
    const msg = {
      ...atValidate('postgres'),
      validation: { ...atValidate('postgres').validation, tls: 'prefer' as const },
    };
    // Act
    const run = await lambdaValidator(new LambdaClient({ region: 'eu-west-1' }), 'prod')(msg, NOW);
    // Assess
    expect(run).toEqual({ outcomes, tlsFallback: true });
  });

  it('passes a connection failure on as an answer, not an error', async () => {
    // Prepare
    lambdaMock.on(InvokeCommand).resolves(answer({ connectError: 'authentication failed (28P01)' }));
    // Act
    const run = await lambdaValidator(new LambdaClient({ region: 'eu-west-1' }), 'dev')(
      atValidate('postgres'),
      NOW,
    );
    // Assess
    expect(run).toEqual({ connectError: 'authentication failed (28P01)' });
    expect(lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.FunctionName).toBe(
      'warden-dev-drillValidatePostgres:live',
    );
  });

  it('throws when the validator itself failed, so the step is retried from the queue', async () => {
    // Prepare
    lambdaMock
      .on(InvokeCommand)
      .resolves(answer({ errorType: 'Error', errorMessage: 'timed out' }, 'Unhandled'));
    // Act
    const err = await lambdaValidator(new LambdaClient({ region: 'eu-west-1' }), 'dev')(
      atValidate('postgres'),
      NOW,
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ExecutionError);
    expect((err as Error).message).toContain(
      'warden-dev-drillValidatePostgres:live failed: Error: timed out',
    );
  });

  it('rejects an answer of the wrong shape, naming the field', async () => {
    // Prepare
    lambdaMock.on(InvokeCommand).resolves(answer({ outcomes: [{ check: 'x', passed: 'yes' }] }));
    // Act
    const err = await lambdaValidator(new LambdaClient({ region: 'eu-west-1' }), 'dev')(
      atValidate('postgres'),
      NOW,
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain('outcomes[0]');
  });

  it('names one validator per dialect', () => {
    // Assess
    expect(validatorFunctionName('staging', 'postgres')).toBe('warden-staging-drillValidatePostgres');
    expect(validatorFunctionName('staging', 'mysql')).toBe('warden-staging-drillValidateMysql');
  });
});

describe('Function: localValidator', () => {
  it('runs the checks, closes the connection, and reports a failed connection as connectError', async () => {
    // Prepare
    let closed = 0;
    const db: SqlClient = {
      query: async () => ({ rows: [{ n: 5 }] }),
      end: async () => void closed++,
    };
    const good = localValidator(async () => db, silentLogger);
    const refused = localValidator(async () => {
      throw new Error('connect ECONNREFUSED');
    }, silentLogger);
    // Act
    const ran = await good(atValidate('postgres'), NOW);
    const failed = await refused(atValidate('postgres'), NOW);
    const noEndpoint = await good({ ...atValidate('postgres'), endpoint: undefined }, NOW);
    // Assess
    expect(ran).toEqual({
      outcomes: [{ check: 'rowCount orders', passed: true, reason: '5 rows >= 1', value: 5 }],
    });
    expect(closed).toBe(1);
    expect(failed).toEqual({ connectError: 'Error: connect ECONNREFUSED' });
    expect(noEndpoint).toEqual({ connectError: 'no endpoint recorded for the restored instance' });
  });
});
