import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as v from 'valibot';
import { isRetryable, ValidationError, WardenError } from '../errors.js';
import { parseWith } from '../validation.js';
import { correlationIdOf } from './correlation.js';
import { logger, tracer } from './powertools.js';

export interface MiddyfyOptions<S extends v.GenericSchema> {
  /** Name of the event in errors: "EventBridge scheduled event", "rotation request". */
  eventName: string;
  schema: S;
  metrics: Metrics;
}

/** Parses the event; a malformed one fails here, before the handler runs or any AWS call is made. */
function validateEvent<S extends v.GenericSchema>(schema: S, eventName: string): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      request.event = parseWith(schema, request.event, eventName);
    },
  };
}

/** Logs a failure exactly once, with its structured fields, then lets it propagate so the trigger can retry. */
function errorBoundary(): MiddlewareObj<unknown> {
  return {
    onError: (request) => {
      const err = request.error;
      const fields = err instanceof ValidationError ? { field: err.field, expected: err.expected } : {};
      logger.error(err instanceof WardenError ? err.message : 'unhandled error', {
        error: err,
        retryable: isRetryable(err),
        ...fields,
      });
    },
  };
}

function correlation(): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const id = correlationIdOf(request.event) ?? (request.context as Context).awsRequestId;
      if (id) logger.setCorrelationId(id);
    },
  };
}

/**
 * The one middleware stack every handler uses, in this order: X-Ray → EMF metrics → logger context →
 * correlation id → event validation → error boundary.
 */
export function middyfy<S extends v.GenericSchema, R>(
  handler: (event: v.InferOutput<S>, context: Context) => Promise<R>,
  options: MiddyfyOptions<S>,
) {
  return middy<v.InferOutput<S>, R, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(options.metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation())
    .use(validateEvent(options.schema, options.eventName))
    .use(errorBoundary())
    .handler(handler);
}
