import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** Generic key of the shared state table: partition `pk`, sort `sk` (both strings). */
export interface StateKey {
  pk: string;
  sk: string;
}

export type StateValue = string | number | boolean | null | readonly string[];
export type StateAttrs = Record<string, StateValue>;
export type StateItem = StateKey & StateAttrs & { expiresAt?: number };

/** Name of the TTL attribute (epoch seconds) configured on the table. */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface QueryOptions {
  limit?: number;
  newestFirst?: boolean;
}

/**
 * Small state store over one DynamoDB client: conditional put, get, update, query. An item whose `expiresAt`
 * has passed counts as absent even before DynamoDB's (lazy, up to 48 h) TTL deletion removes it.
 */
export interface StateStore {
  /** Writes the item unless a live one exists; true when written (this caller won), false otherwise. */
  putIfAbsent(table: string, key: StateKey, attrs: StateAttrs, ttlSeconds: number): Promise<boolean>;
  get(table: string, key: StateKey): Promise<StateItem | undefined>;
  /** Sets attributes (creating the item if needed); `ttlSeconds` refreshes the expiry. */
  update(table: string, key: StateKey, attrs: StateAttrs, ttlSeconds?: number): Promise<void>;
  /** Items of one partition ordered by `sk`. */
  query(table: string, pk: string, options?: QueryOptions): Promise<StateItem[]>;
}

/** A state store and the table it writes to (warden's own, in the home account). */
export interface StateTable {
  store: StateStore;
  table: string;
}

function marshal(value: StateValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  return { L: value.map((s) => ({ S: s })) };
}

function unmarshal(value: AttributeValue): StateValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map((v) => v.S ?? '');
  return null;
}

function toItem(attrs: Record<string, AttributeValue>): StateItem {
  const out: Record<string, StateValue> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = unmarshal(v);
  return out as StateItem;
}

function marshalAll(attrs: StateAttrs): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = marshal(v);
  return out;
}

export function createStateStore(ddb: DynamoDBClient, now: () => Date): StateStore {
  const epoch = () => Math.floor(now().getTime() / 1000);
  return {
    async putIfAbsent(table, key, attrs, ttlSeconds) {
      const at = epoch();
      try {
        await ddb.send(
          new PutItemCommand({
            TableName: table,
            Item: marshalAll({ ...attrs, ...key, [TTL_ATTRIBUTE]: at + ttlSeconds }),
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': { N: String(at) } },
          }),
        );
        return true;
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return false;
        throw err;
      }
    },

    async get(table, key) {
      const out = await ddb.send(
        new GetItemCommand({ TableName: table, Key: marshalAll({ ...key }), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      const item = toItem(out.Item);
      if (typeof item.expiresAt === 'number' && item.expiresAt <= epoch()) return undefined;
      return item;
    },

    async update(table, key, attrs, ttlSeconds) {
      const all: StateAttrs = { ...attrs };
      if (ttlSeconds !== undefined) all[TTL_ATTRIBUTE] = epoch() + ttlSeconds;
      const names = Object.keys(all);
      if (names.length === 0) return;
      await ddb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: marshalAll({ ...key }),
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
          ExpressionAttributeValues: Object.fromEntries(
            names.map((n, i) => [`:v${i}`, marshal(all[n] ?? null)]),
          ),
        }),
      );
    },

    async query(table, pk, options = {}) {
      const out = await ddb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ScanIndexForward: !(options.newestFirst ?? false),
          Limit: options.limit ?? 25,
        }),
      );
      const at = epoch();
      return (out.Items ?? []).map(toItem).filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > at);
    },
  };
}
