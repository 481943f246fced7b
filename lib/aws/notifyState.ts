import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Severity } from '../findings/finding.js';
import type { NotifyState } from '../notify/decide.js';

/** Suppression state per finding id in the shared state table (pk/sk strings, TTL on `expiresAt`). */
export interface NotifyStateStore {
  get(findingId: string): Promise<NotifyState | undefined>;
  /** Writes `next` only if the stored state is still the one that was read (`previousMessageId`). */
  claim(findingId: string, next: NotifyState, previousMessageId: string | undefined): Promise<boolean>;
  markDelivered(findingId: string, messageId: string, channel: string): Promise<void>;
}

const key = (findingId: string) => ({ pk: { S: `notify#${findingId}` }, sk: { S: 'state' } });

export function dynamoNotifyStateStore(
  ddb: DynamoDBClient,
  table: string,
  ttlSeconds: number,
  now: () => number,
): NotifyStateStore {
  return {
    async get(findingId) {
      const out = await ddb.send(
        new GetItemCommand({ TableName: table, Key: key(findingId), ConsistentRead: true }),
      );
      const i = out.Item;
      if (!i) return undefined;
      return {
        severity: i.severity?.S as Severity,
        status: i.status?.S === 'resolved' ? 'resolved' : 'open',
        notifiedAt: Number(i.notifiedAt?.N ?? 0),
        messageId: i.messageId?.S ?? '',
        delivered: i.delivered?.SS ?? [],
      };
    },
    async claim(findingId, next, previousMessageId) {
      try {
        await ddb.send(
          new PutItemCommand({
            TableName: table,
            Item: {
              ...key(findingId),
              severity: { S: next.severity },
              status: { S: next.status },
              notifiedAt: { N: String(next.notifiedAt) },
              messageId: { S: next.messageId },
              expiresAt: { N: String(Math.floor(now() / 1000) + ttlSeconds) },
            },
            ConditionExpression:
              previousMessageId === undefined ? 'attribute_not_exists(pk)' : 'messageId = :previous',
            ...(previousMessageId === undefined
              ? {}
              : { ExpressionAttributeValues: { ':previous': { S: previousMessageId } } }),
          }),
        );
        return true;
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return false;
        throw err;
      }
    },
    async markDelivered(findingId, messageId, channel) {
      await ddb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key(findingId),
          UpdateExpression: 'ADD delivered :channel',
          ConditionExpression: 'messageId = :m',
          ExpressionAttributeValues: { ':channel': { SS: [channel] }, ':m': { S: messageId } },
        }),
      );
    },
  };
}
