import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { checkWrite, conditionOf, marshal, marshalAll, TTL, toItem, updateOf } from './stateExpressions.js';

/** Key of the shared state table: partition `pk`, sort `sk` (both strings). */
export interface StateKey {
  pk: string;
  sk: string;
}

export type StateValue = string | number | boolean | null | readonly string[];
export type StateAttrs = Record<string, StateValue>;
export type StateItem = StateKey & StateAttrs & { expiresAt?: number };

/** What a conditional write expects of the stored item; an item whose `expiresAt` has passed counts as absent. */
export type Expected =
  /** No live item: none stored, or an expired one (the claim). */
  | { absent: true }
  /** A live item whose attribute holds this value (the version, message id... that was read). */
  | { attribute: string; equals: string | number | boolean };

export interface WriteOptions {
  /** Sets `expiresAt` this many seconds from now; without it a put writes no expiry and an update keeps the stored one. */
  ttlSeconds?: number | undefined;
  /** Writes only when this holds; otherwise nothing is written and the call returns false. */
  expect?: Expected | undefined;
}

export interface UpdateOptions extends WriteOptions {
  /** Strings added to string-set attributes: adding a member already there is a no-op (idempotent marks). */
  addToSet?: Record<string, readonly string[]> | undefined;
}

export interface QueryOptions {
  limit?: number;
  newestFirst?: boolean;
}

/**
 * The one access layer of warden's state table (notify claims and delivery marks, rollback claims, cooldown and
 * decisions, expiry warnings). Writes return true when written, false when `expect` did not hold; an item whose
 * `expiresAt` has passed reads as absent even before DynamoDB's (lazy, up to 48 h) TTL deletion removes it.
 */
export interface StateStore {
  get(table: string, key: StateKey): Promise<StateItem | undefined>;
  /** Replaces the whole item. */
  put(table: string, key: StateKey, attrs: StateAttrs, options?: WriteOptions): Promise<boolean>;
  /** The claim: writes the item unless a live one exists (put expecting absent). */
  putIfAbsent(table: string, key: StateKey, attrs: StateAttrs, ttlSeconds: number): Promise<boolean>;
  /** Sets attributes (creating the item when absent and nothing is expected); nothing to set or add: no call, true. */
  update(table: string, key: StateKey, attrs: StateAttrs, options?: UpdateOptions): Promise<boolean>;
  delete(table: string, key: StateKey, options?: Pick<WriteOptions, 'expect'>): Promise<boolean>;
  /** Live items of one partition ordered by `sk`. */
  query(table: string, pk: string, options?: QueryOptions): Promise<StateItem[]>;
}

/** A state store and the table it writes to (warden's own, in the home account). */
export interface StateTable {
  store: StateStore;
  table: string;
}

/** False when DynamoDB refused the write for its condition; every other error propagates. */
async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** The state store over DynamoDB (strongly consistent reads, conditional writes). */
export function createStateStore(ddb: DynamoDBClient, now: () => Date): StateStore {
  const epoch = () => Math.floor(now().getTime() / 1000);
  const store: StateStore = {
    async get(table, key) {
      const out = await ddb.send(
        new GetItemCommand({ TableName: table, Key: marshalAll({ ...key }), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      const item = toItem(out.Item);
      return typeof item.expiresAt === 'number' && item.expiresAt <= epoch() ? undefined : item;
    },

    async put(table, key, attrs, options = {}) {
      checkWrite(attrs, options);
      const at = epoch();
      const ttl: StateAttrs = options.ttlSeconds === undefined ? {} : { [TTL]: at + options.ttlSeconds };
      return conditional(() =>
        ddb.send(
          new PutItemCommand({
            TableName: table,
            Item: marshalAll({ ...attrs, ...key, ...ttl }),
            ...conditionOf(options.expect, at),
          }),
        ),
      );
    },

    putIfAbsent: (table, key, attrs, ttlSeconds) =>
      store.put(table, key, attrs, { ttlSeconds, expect: { absent: true } }),

    async update(table, key, attrs, options = {}) {
      checkWrite(attrs, options);
      const at = epoch();
      const set: StateAttrs = { ...attrs };
      if (options.ttlSeconds !== undefined) set[TTL] = at + options.ttlSeconds;
      const change = updateOf(set, options.addToSet ?? {});
      if (!change) return true;
      const when = conditionOf(options.expect, at);
      return conditional(() =>
        ddb.send(
          new UpdateItemCommand({
            TableName: table,
            Key: marshalAll({ ...key }),
            UpdateExpression: change.expression,
            ...when,
            ExpressionAttributeNames: { ...change.names, ...when.ExpressionAttributeNames },
            ExpressionAttributeValues: { ...change.values, ...when.ExpressionAttributeValues },
          }),
        ),
      );
    },

    async delete(table, key, options = {}) {
      return conditional(() =>
        ddb.send(
          new DeleteItemCommand({
            TableName: table,
            Key: marshalAll({ ...key }),
            ...conditionOf(options.expect, epoch()),
          }),
        ),
      );
    },

    async query(table, pk, options = {}) {
      const out = await ddb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': marshal(pk) },
          ScanIndexForward: !(options.newestFirst ?? false),
          Limit: options.limit ?? 25,
        }),
      );
      const at = epoch();
      return (out.Items ?? []).map(toItem).filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > at);
    },
  };
  return store;
}
