import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError, type ValidationIssue } from '../errors.js';
import type { Expected, StateAttrs, StateItem, StateValue, WriteOptions } from './stateStore.js';

/** Name of the TTL attribute (epoch seconds) configured on the table. */
export const TTL = 'expiresAt';

type Names = Record<string, string>;
type Values = Record<string, AttributeValue>;

/** Lists are written as L; string sets (SS, written by `addToSet`) read back as lists too. */
export function marshal(value: StateValue): AttributeValue {
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
  if (value.SS !== undefined) return [...value.SS];
  if (value.L !== undefined) return value.L.map((v) => v.S ?? '');
  return null;
}

export function marshalAll(attrs: StateAttrs): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = marshal(v);
  return out;
}

export function toItem(attrs: Values): StateItem {
  const out: Record<string, StateValue> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = unmarshal(v);
  return out as StateItem;
}

/** The ConditionExpression of `expect` at epoch second `now` (none without `expect`). */
export function conditionOf(
  expect: Expected | undefined,
  now: number,
): { ConditionExpression?: string; ExpressionAttributeNames?: Names; ExpressionAttributeValues?: Values } {
  if (!expect) return {};
  const at = { ':now': { N: String(now) } };
  if ('absent' in expect) {
    return {
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': TTL },
      ExpressionAttributeValues: at,
    };
  }
  return {
    ConditionExpression: '#expected = :expected AND (attribute_not_exists(#ttl) OR #ttl > :now)',
    ExpressionAttributeNames: { '#expected': expect.attribute, '#ttl': TTL },
    ExpressionAttributeValues: { ...at, ':expected': marshal(expect.equals) },
  };
}

/** `SET #a0 = :v0, ... ADD #s0 :s0, ...`, or undefined when there is nothing to change. */
export function updateOf(
  set: StateAttrs,
  add: Record<string, readonly string[]>,
): { expression: string; names: Names; values: Values } | undefined {
  const names: Names = {};
  const values: Values = {};
  const sets = Object.entries(set).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:v${i}`] = marshal(value);
    return `#a${i} = :v${i}`;
  });
  // DynamoDB refuses an empty set: an empty addition changes nothing and is left out.
  const adds = Object.entries(add)
    .filter(([, members]) => members.length > 0)
    .map(([name, members], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = { SS: [...new Set(members)] };
      return `#s${i} :s${i}`;
    });
  const parts = [
    ...(sets.length ? [`SET ${sets.join(', ')}`] : []),
    ...(adds.length ? [`ADD ${adds.join(', ')}`] : []),
  ];
  return parts.length ? { expression: parts.join(' '), names, values } : undefined;
}

/** Refuses, naming the field, a write that DynamoDB would reject or that would bypass the key or the TTL (both stores). */
export function checkWrite(attrs: StateAttrs, options: WriteOptions): void {
  const issues: ValidationIssue[] = [];
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0))
    issues.push({ field: 'ttlSeconds', expected: `a whole number of seconds, 0 or more (got ${ttl})` });
  for (const name of ['pk', 'sk', TTL].filter((n) => n in attrs))
    issues.push({
      field: `attrs.${name}`,
      expected: name === TTL ? 'ttlSeconds instead' : 'the key argument only',
    });
  if (issues.length > 0) throw new ValidationError('state table write', issues);
}
