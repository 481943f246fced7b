import {
  ConditionalCheckFailedException,
  type DynamoDBClientResolvedConfig,
  GetItemCommand,
  PutItemCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

type Item = Record<string, { S?: string; N?: string; SS?: string[] }>;

/**
 * DynamoDB behind aws-sdk-client-mock with real item state for the notify state store's three calls,
 * honouring the conditions it uses (attribute_not_exists(pk), messageId = :previous / :m).
 */
export function installNotifyTable(
  ddb: AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBClientResolvedConfig>,
): Map<string, Item> {
  const items = new Map<string, Item>();
  const keyOf = (k: Item | undefined) => `${k?.pk?.S}|${k?.sk?.S}`;
  const fail = () =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  const check = (cond: string | undefined, current: Item | undefined, values: Item | undefined) => {
    if (!cond) return true;
    if (cond === 'attribute_not_exists(pk)') return current === undefined;
    const m = /^messageId = (:\w+)$/.exec(cond);
    if (m) return current?.messageId?.S === values?.[m[1]!]?.S;
    throw new Error(`unsupported condition ${cond}`);
  };
  ddb
    .on(GetItemCommand)
    .callsFake((input: { Key: Item }): object => ({ Item: structuredClone(items.get(keyOf(input.Key))) }));
  ddb
    .on(PutItemCommand)
    .callsFake((input: { Item: Item; ConditionExpression?: string; ExpressionAttributeValues?: Item }) => {
      const key = keyOf(input.Item);
      if (!check(input.ConditionExpression, items.get(key), input.ExpressionAttributeValues)) throw fail();
      items.set(key, structuredClone(input.Item));
      return {};
    });
  ddb
    .on(UpdateItemCommand)
    .callsFake((input: { Key: Item; ConditionExpression?: string; ExpressionAttributeValues: Item }) => {
      const key = keyOf(input.Key);
      const current = items.get(key);
      if (!check(input.ConditionExpression, current, input.ExpressionAttributeValues) || !current)
        throw fail();
      const add = input.ExpressionAttributeValues[':channel']?.SS ?? [];
      current.delivered = { SS: [...new Set([...(current.delivered?.SS ?? []), ...add])] };
      return {};
    });
  return items;
}
