import type { SQSEvent } from 'aws-lambda';
import * as v from 'valibot';
import { looseObject } from '../schemas.js';

/**
 * The envelope of an SQS event (unknown keys kept). Each record's body is validated by the record handler,
 * so that a bad message fails alone.
 */
export const sqsEventSchema = v.pipe(
  looseObject({
    Records: v.array(
      looseObject({ messageId: v.string(), body: v.string(), eventSource: v.literal('aws:sqs') }),
    ),
  }),
  v.transform((e) => e as unknown as SQSEvent),
);
