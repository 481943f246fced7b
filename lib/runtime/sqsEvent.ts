import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';

/**
 * The envelope of an SQS event (unknown keys kept). Each record's body is validated by the record handler,
 * so that a bad message fails alone.
 */
export const sqsEventSchema = z.pipe(
  z.looseObject({
    Records: z.array(
      z.looseObject({ messageId: z.string(), body: z.string(), eventSource: z.literal('aws:sqs') }),
    ),
  }),
  z.transform((e) => e as unknown as SQSEvent),
);
