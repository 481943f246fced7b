import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { applyUpdate, conditionHolds, type Item } from './dynamoExpressions.js';

// biome-ignore lint/suspicious/noExplicitAny: command inputs as aws-sdk-client-mock passes them to fakes
type Input = any;
// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub type is generic over each client
type DdbStub = AwsStub<any, any, any>;

/**
 * A small in-test DynamoDB table behind aws-sdk-client-mock: items by pk/sk (key `${pk}\u0000${sk}`), honouring
 * ConditionExpression and UpdateExpression as DynamoDB does; an expired item stays until deleted, as with TTL's
 * lazy deletion. `latency` runs before each call (the benchmark's simulated round trip).
 */
export function fakeDynamo(stub: DdbStub, latency?: () => Promise<void>): { items: Map<string, Item> } {
  const items = new Map<string, Item>();
  const id = (key: Item | undefined) => `${key?.pk?.S}\u0000${key?.sk?.S}`;
  const check = (input: Input, current: Item | undefined) => {
    if (
      input.ConditionExpression &&
      !conditionHolds(
        input.ConditionExpression,
        current,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      )
    ) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
  };
  const slow =
    (fn: (input: Input) => unknown) =>
    async (input: Input): Promise<unknown> => {
      if (latency) await latency();
      return fn(input);
    };
  stub.on(PutItemCommand).callsFake(
    slow((input) => {
      check(input, items.get(id(input.Item)));
      items.set(id(input.Item), structuredClone(input.Item));
      return {};
    }),
  );
  stub.on(GetItemCommand).callsFake(slow((input) => ({ Item: structuredClone(items.get(id(input.Key))) })));
  stub.on(UpdateItemCommand).callsFake(
    slow((input) => {
      const current = items.get(id(input.Key));
      check(input, current);
      const base = current ?? structuredClone(input.Key);
      items.set(
        id(input.Key),
        applyUpdate(
          input.UpdateExpression,
          base,
          input.ExpressionAttributeNames,
          input.ExpressionAttributeValues,
        ),
      );
      return {};
    }),
  );
  stub.on(DeleteItemCommand).callsFake(
    slow((input) => {
      check(input, items.get(id(input.Key)));
      items.delete(id(input.Key));
      return {};
    }),
  );
  stub.on(QueryCommand).callsFake(
    slow((input) => {
      if (input.KeyConditionExpression !== 'pk = :pk') throw new Error('fakeDynamo: query by pk only');
      const pk = input.ExpressionAttributeValues[':pk'].S;
      const found = [...items.values()]
        .filter((i) => i.pk?.S === pk)
        .sort((a, b) => (String(a.sk?.S) < String(b.sk?.S) ? -1 : 1));
      if (input.ScanIndexForward === false) found.reverse();
      return { Items: structuredClone(found.slice(0, input.Limit ?? found.length)) };
    }),
  );
  return { items };
}
