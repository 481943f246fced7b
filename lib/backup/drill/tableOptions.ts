import * as v from 'valibot';
import { number, record, strictObject } from '../../schemas.js';

/** A DynamoDB table name (3 to 255 of a-z A-Z 0-9 _ . -). */
export const tableNameSchema = v.pipe(v.string(), v.regex(/^[\w.-]{3,255}$/));

/** A key of the source table, as plain JSON: `{ "pk": "customer#1", "sk": 7 }` (string or number attributes). */
export const tableKeySchema = v.pipe(
  record(v.union([v.pipe(v.string(), v.minLength(1)), number])),
  v.check((k) => {
    const n = Object.keys(k).length;
    return n >= 1 && n <= 2;
  }, 'a partition key and at most a sort key'),
);
export type TableKey = v.InferOutput<typeof tableKeySchema>;

/**
 * How to validate a DynamoDB table restored to a point in time: its item count (counted by a paged Scan of the
 * restored table) within `itemCountTolerancePercent` of the source's ItemCount, and each key in `keys` present.
 * The source's ItemCount is what DynamoDB publishes (refreshed about every 6 h): scanning the live table to count
 * it would cost a full read of production on every drill, so the tolerance absorbs that staleness instead.
 */
export const drillTableSchema = strictObject({
  /** Where the table lives; default the home account and region. */
  account: v.optional(v.pipe(v.string(), v.regex(/^\d{12}$/))),
  region: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/))),
  itemCountTolerancePercent: v.optional(v.pipe(number, v.minValue(0), v.maxValue(100)), 10),
  /** Items that must be in the restored table (at most 20, each read with GetItem). */
  keys: v.optional(v.pipe(v.array(tableKeySchema), v.maxLength(20)), []),
});
export type DrillTable = v.InferOutput<typeof drillTableSchema>;
