import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

const TOKEN = /\s*(<=|>=|<>|[()=<>,]|[#:]?[A-Za-z_][\w.]*)/y;

function tokenize(expr: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.trimEnd().length) {
    const m = TOKEN.exec(expr);
    if (!m) throw new Error(`fakeDynamo: cannot parse ${JSON.stringify(expr)}`);
    out.push(m[1]!);
  }
  return out;
}

/** DynamoDB's comparison: same type only (N numerically, S by code point), a missing operand compares false. */
function compare(a: AttributeValue | undefined, b: AttributeValue | undefined, op: string): boolean {
  if (!a || !b) return false;
  if (op === '=')
    return JSON.stringify(a) === JSON.stringify(b) || (a.N !== undefined && Number(a.N) === Number(b.N));
  const [x, y] = a.N !== undefined && b.N !== undefined ? [Number(a.N), Number(b.N)] : [a.S, b.S];
  if (x === undefined || y === undefined) return false;
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  if (op === '>=') return x >= y;
  throw new Error(`fakeDynamo: unsupported comparator ${op}`);
}

/**
 * Evaluates a ConditionExpression as DynamoDB does, for the grammar warden uses: OR, AND, NOT, parentheses,
 * attribute_exists / attribute_not_exists, = < <= > >= between #names, plain names and :values.
 */
export function conditionHolds(expr: string, item: Item | undefined, names: Names, values: Values): boolean {
  const tokens = tokenize(expr);
  let i = 0;
  const next = () => tokens[i++] ?? '';
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`fakeDynamo: expected ${t} in ${expr}`);
  };
  const name = (t: string) => (t.startsWith('#') ? (names?.[t] ?? fail(t)) : t);
  const fail = (t: string): never => {
    throw new Error(`fakeDynamo: undefined placeholder ${t} in ${expr}`);
  };
  const operand = (t: string) => {
    if (t.startsWith(':')) return values?.[t] ?? fail(t);
    const attribute = name(t);
    return item?.[attribute];
  };
  const primary = (): boolean => {
    const t = next();
    if (t === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t === 'NOT') return !primary();
    if (t === 'attribute_exists' || t === 'attribute_not_exists') {
      expect('(');
      const attribute = name(next()); // read before item?.[...]: a missing item short-circuits its key
      const present = item?.[attribute] !== undefined;
      expect(')');
      return t === 'attribute_exists' ? present : !present;
    }
    const op = next();
    return compare(operand(t), operand(next()), op);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === 'AND') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === 'OR') {
      i++;
      v = and() || v;
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`fakeDynamo: trailing tokens in ${expr}`);
  return result;
}

/** Applies an UpdateExpression (`SET a = :v, ...` and `ADD s :set` / `ADD n :number`) to a copy of `item`. */
export function applyUpdate(expr: string, item: Item, names: Names, values: Values): Item {
  const out = structuredClone(item);
  const attr = (t: string) => (t.startsWith('#') ? names?.[t] : t) ?? '';
  const value = (t: string) => {
    const v = values?.[t];
    if (!v) throw new Error(`fakeDynamo: undefined value ${t} in ${expr}`);
    return v;
  };
  for (const [, clause, body] of expr.matchAll(
    /(SET|ADD|REMOVE|DELETE)\s+(.*?)(?=\s+(?:SET|ADD|REMOVE|DELETE)\s|$)/g,
  )) {
    for (const action of body!.split(',').map((a) => a.trim())) {
      if (clause === 'SET') {
        const m = /^(\S+)\s*=\s*(:\w+)$/.exec(action);
        if (!m) throw new Error(`fakeDynamo: unsupported SET ${action}`);
        out[attr(m[1]!)] = structuredClone(value(m[2]!));
      } else if (clause === 'ADD') {
        const [a, v] = action.split(/\s+/) as [string, string];
        const held = out[attr(a)];
        const add = value(v);
        if (add.SS) out[attr(a)] = { SS: [...new Set([...(held?.SS ?? []), ...add.SS])] };
        else if (add.N !== undefined) out[attr(a)] = { N: String(Number(held?.N ?? 0) + Number(add.N)) };
        else throw new Error(`fakeDynamo: unsupported ADD ${action}`);
      } else throw new Error(`fakeDynamo: unsupported clause ${clause}`);
    }
  }
  return out;
}
