import type { LambdaClient } from '@aws-sdk/client-lambda';
import * as v from 'valibot';
import type { LoggerLike } from '../../automations/types.js';
import { invokeJson } from '../../aws/lambdaInvoke.js';
import { describeError } from '../../errors.js';
import { isoDateTime, strictObject } from '../../schemas.js';
import { parseWith } from '../../validation.js';
import { type CheckOutcome, checkOutcomeSchema, type DrillMessage, drillMessageSchema } from './messages.js';
import { type Dialect, runValidation, type SqlClient } from './validate.js';

/**
 * What validating a restored database gave: each check's outcome (and whether the login fell back to plaintext),
 * or why no connection could be opened.
 */
export type ValidationRun = { outcomes: CheckOutcome[]; tlsFallback?: boolean } | { connectError: string };

/** Validates the restored database a drill message names (its endpoint, dialect, login secret and checks). */
export type Validate = (msg: DrillMessage, now: Date) => Promise<ValidationRun>;

/** Opens the restored database (in tests, the local PostgreSQL standing in for its endpoint). */
export type OpenDatabase = (
  endpoint: { host: string; port: number },
  msg: DrillMessage,
) => Promise<SqlClient>;

export const validationRunSchema = v.union([
  strictObject({ outcomes: v.array(checkOutcomeSchema), tlsFallback: v.optional(v.boolean()) }),
  strictObject({ connectError: v.string() }),
]);

/** The payload restoreDrill sends a validator function: the drill message at its validate step, and the clock. */
export const validationRequestSchema = strictObject({
  message: drillMessageSchema,
  now: isoDateTime,
});
export type ValidationRequest = v.InferOutput<typeof validationRequestSchema>;

/** Connects, runs every check, closes: the validation itself, where the database driver lives. */
export function localValidator(open: OpenDatabase, logger: LoggerLike): Validate {
  return async (msg, now) => {
    if (!msg.endpoint) return { connectError: 'no endpoint recorded for the restored instance' };
    let db: SqlClient;
    try {
      db = await open(msg.endpoint, msg);
    } catch (err) {
      return { connectError: describeError(err) };
    }
    try {
      return {
        outcomes: await runValidation(db, msg.validation.checks, now, msg.settings.rpoHours, msg.dialect),
        ...(db.tlsFallback ? { tlsFallback: true } : {}),
      };
    } finally {
      await db
        .end()
        .catch((err: unknown) =>
          logger.warn('closing the drill connection failed', { error: describeError(err) }),
        );
    }
  };
}

/**
 * The validator function of a dialect: one per database driver, so restoreDrill itself carries neither driver
 * (each bundle stays under its size budget) and only the validators run in the VPC beside the databases.
 */
export function validatorFunctionName(stage: string, dialect: Dialect): string {
  return `warden-${stage}-drillValidate${dialect === 'mysql' ? 'Mysql' : 'Postgres'}`;
}

/** Validation by invoking the dialect's validator function (its `live` alias) and waiting for its answer. */
export function lambdaValidator(lambda: LambdaClient, stage: string): Validate {
  return async (msg, now) => {
    const fn = `${validatorFunctionName(stage, msg.dialect ?? 'postgres')}:live`;
    const request: ValidationRequest = { message: msg, now: now.toISOString() };
    const answer = await invokeJson(lambda, fn, request);
    return parseWith(validationRunSchema, answer, `answer of ${fn}`);
  };
}
