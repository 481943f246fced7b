import * as v from 'valibot';
import { ValidationError, type ValidationIssue } from './errors.js';
import { ISO_DATETIME } from './schemas.js';

type Key = string | number;
type Issue = v.BaseIssue<unknown>;
type PathItem = v.IssuePathItem;

/** What validation.ts reads of a schema, to name what a missing key, a bad value or a union expected. */
interface SchemaLike extends v.GenericSchema {
  readonly entries?: Readonly<Record<string, SchemaLike>>;
  readonly item?: SchemaLike;
  readonly wrapped?: SchemaLike;
  readonly options?: readonly unknown[];
  readonly literal?: unknown;
  readonly key?: unknown;
  readonly pipe?: readonly { readonly type: string; readonly requirement?: unknown }[];
}

/**
 * One problem with the input, in the terms warden's messages use: a wrong type (which may be a missing
 * field), a value outside a set, unknown keys, a union no shape of which matched (with the problems of each
 * shape), or anything else with its expectation already in words. Paths are from the root of the input.
 */
export interface Problem {
  code: 'invalid_type' | 'invalid_value' | 'unrecognized_keys' | 'invalid_union' | 'other';
  path: Key[];
  expected: string;
  branches?: Problem[][];
  keys?: string[];
}

/** Dotted path of an issue, `Records[0].body.account` style. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** What the schema expected, in words (valibot's default messages are not used: they name no field). */
export function describeExpected(problem: Problem, missing = false): string {
  return problem.code === 'invalid_type' && missing ? `${problem.expected} (missing)` : problem.expected;
}

const OBJECTS = new Set(['object', 'loose_object', 'strict_object']);
const TYPE_NAMES: Record<string, string> = {
  object: 'object',
  loose_object: 'object',
  strict_object: 'object',
  variant: 'object',
  record: 'record',
  finite: 'number',
  integer: 'int',
};
const quoteAll = (values: readonly unknown[]) => values.map((x) => JSON.stringify(x)).join(', ');
/** valibot's own message (`Invalid type: ...`), as opposed to one a schema gives (then an expectation). */
const isDefaultMessage = (message: string) => /^Invalid [a-z]+: /.test(message);

/**
 * Unwraps optional schemas and picks the shape of a variant that `value` is meant for, and (with `unions`) the
 * shape of a union that `value` fits.
 */
function resolve(schema: SchemaLike | undefined, value: unknown, unions = true): SchemaLike | undefined {
  let s = schema;
  while (s) {
    if (s.wrapped && (s.type === 'optional' || s.type === 'nullable' || s.type === 'nullish')) s = s.wrapped;
    else if (unions && s.type === 'union') {
      // Issues below a union that raised none of its own come from the one shape the value fits.
      const shape = (s.options as SchemaLike[]).find((o) => v.safeParse(o, value).typed);
      if (!shape) return s;
      s = shape;
    } else if (s.type === 'variant' && typeof value === 'object' && value !== null) {
      const key = s.key as string;
      const shape = (s.options as SchemaLike[]).find((o) =>
        v.is(o.entries?.[key] ?? v.never(), (value as Record<string, unknown>)[key]),
      );
      if (!shape) return s;
      s = shape;
    } else return s;
  }
  return s;
}

/**
 * The schema that checked the value at `path` (a valibot issue path, relative to `schema`); with `union`, the
 * union there itself rather than one of its shapes.
 */
function schemaAt(
  schema: SchemaLike,
  path: readonly PathItem[],
  input: unknown,
  union = false,
): SchemaLike | undefined {
  let s: SchemaLike | undefined = resolve(schema, input, !union || path.length > 0);
  for (const [i, item] of path.entries()) {
    if (!s) return undefined;
    const next: SchemaLike | undefined =
      s.entries?.[item.key as string] ??
      (s.type === 'array' ? s.item : s.type === 'record' ? (s as { value?: SchemaLike }).value : undefined);
    s = resolve(next, item.value, !union || i < path.length - 1);
  }
  return s;
}

/**
 * valibot issues as problems. Where valibot reports a thing differently from what warden's messages name, the
 * schema is consulted: a missing key is reported by its object (the problem is what the key's own schema says
 * of `undefined`), a picklist issue carries no list of values, and a union's issues are not grouped by shape
 * (each shape is run again, on the error path only). The unknown keys of an object make one problem.
 */
export function problemsOf(
  schema: v.GenericSchema,
  issues: readonly Issue[],
  input: unknown,
  base: Key[] = [],
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const items = issue.path ?? [];
    const keys = items.map((i) => i.key as Key);
    const path = [...base, ...keys];
    const last = items[items.length - 1];
    const add = (code: Problem['code'], expected: string) => out.push({ code, path, expected });
    if (last?.origin === 'key' && issue.type === 'strict_object' && issue.expected === 'never') {
      // lib/schemas.ts reports each unknown key; one problem lists them all.
      const at = path.slice(0, -1);
      const prev = out.find((p) => p.code === 'unrecognized_keys' && samePath(p.path, at));
      if (prev) prev.keys!.push(String(last.key));
      else out.push({ code: 'unrecognized_keys', path: at, expected: '', keys: [String(last.key)] });
    } else if (last?.origin === 'key' && OBJECTS.has(issue.type)) {
      const parent = schemaAt(schema as SchemaLike, items.slice(0, -1), input);
      const field = parent?.entries?.[last.key as string];
      const result = field ? v.safeParse(field, undefined) : undefined;
      if (result?.issues) out.push(...problemsOf(field!, result.issues, undefined, path));
      else add('invalid_type', 'a value');
    } else if (last?.origin === 'key') {
      add('other', 'a valid value'); // a record's key
    } else if (issue.type === 'union') {
      const union = schemaAt(schema as SchemaLike, items, input, true);
      const branches = ((union?.type === 'union' ? union.options : []) as v.GenericSchema[]).map((option) => {
        const result = v.safeParse(option, issue.input);
        return result.issues ? problemsOf(option, result.issues, issue.input, path) : [];
      });
      out.push({ code: 'invalid_union', path, expected: 'one of the accepted shapes', branches });
    } else if (issue.type === 'variant' && issue.expected !== 'Object') {
      add('invalid_union', 'one of the accepted shapes'); // no shape has this discriminator
    } else if (issue.type === 'picklist' || issue.type === 'literal') {
      const s = schemaAt(schema as SchemaLike, items, input);
      // In the order of an object's keys (integer-like ones first), as warden's messages have always listed them.
      const values =
        issue.type === 'picklist'
          ? Object.values(Object.fromEntries((s?.options ?? []).map((o) => [String(o), o])))
          : [s?.literal];
      add('invalid_value', `one of ${quoteAll(values)}`);
    } else if (issue.kind === 'schema' || issue.type === 'finite' || issue.type === 'integer') {
      add('invalid_type', TYPE_NAMES[issue.type] ?? issue.type);
      // The lengths of a value of the wrong type that has one (a list given for a string) are checked too, as before.
      const length = (issue.input as { length?: number } | null | undefined)?.length;
      if (length !== undefined && (issue.type === 'string' || issue.type === 'array')) {
        for (const action of schemaAt(schema as SchemaLike, items, input)?.pipe ?? []) {
          const n = action.requirement as number;
          if (action.type === 'min_length' ? length < n : action.type === 'max_length' && length > n)
            add('other', describeCheck({ type: action.type, requirement: n, input: issue.input }));
        }
      }
    } else add('other', describeCheck(issue));
  }
  for (const p of out) if (p.keys) p.expected = `no unknown keys (found ${p.keys.join(', ')})`;
  return out;
}

const samePath = (a: readonly Key[], b: readonly Key[]) =>
  a.length === b.length && a.every((k, i) => b[i] === k);

/** A failed validation action (regex, lengths, bounds, checks) in words. */
function describeCheck(issue: Pick<Issue, 'type' | 'requirement' | 'input'> & { message?: string }): string {
  const r = issue.requirement;
  const size = Array.isArray(issue.input) ? 'array' : typeof issue.input === 'string' ? 'string' : 'unknown';
  switch (issue.type) {
    case 'regex':
      return r === ISO_DATETIME ? 'a valid datetime' : `a string matching ${String(r)}`;
    case 'min_length':
      return `${size} >= ${String(r)}`;
    case 'max_length':
      return `${size} <= ${String(r)}`;
    case 'min_value':
      return `number >= ${String(r)}`;
    case 'max_value':
      return `number <= ${String(r)}`;
    case 'gt_value':
      return `number > ${String(r)}`;
    case 'safe_integer':
      return (issue.input as number) > 0
        ? `int <= ${Number.MAX_SAFE_INTEGER}`
        : `int >= ${Number.MIN_SAFE_INTEGER}`;
    default:
      return !issue.message || isDefaultMessage(issue.message) ? 'a valid value' : issue.message;
  }
}

function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let v: unknown = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return false;
    if (!(p in v)) return true;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v === undefined;
}

/**
 * A union that matched no shape is reported through the shape it came closest to (fewest problems), so the
 * message names the field that is wrong rather than "one of the accepted shapes".
 */
function flattenUnions(problems: readonly Problem[]): Problem[] {
  return problems.flatMap((p) => {
    if (p.code !== 'invalid_union' || !p.branches?.length) return [p];
    // A strict shape that rejects the input's keys at its root is clearly not the one meant.
    const score = (b: Problem[]) =>
      b.length + (b.some((x) => x.code === 'unrecognized_keys' && x.path.length === p.path.length) ? 100 : 0);
    return flattenUnions([...p.branches].sort((a, b) => score(a) - score(b))[0]!);
  });
}

/** Field and expectation of each issue `schema` raised on `input` (a missing field says so). */
export function toValidationIssues(
  schema: v.GenericSchema,
  issues: readonly Issue[],
  input: unknown,
): ValidationIssue[] {
  return flattenUnions(problemsOf(schema, issues, input)).map((p) => ({
    field: issuePath(p.path),
    expected: describeExpected(p, input !== undefined && isMissing(input, p.path)),
  }));
}

/** Parses `input` with `schema` or throws a ValidationError naming the first bad field. */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ValidationError(what, toValidationIssues(schema, result.issues, input));
}

/** Parses a JSON string, then validates it; both failures are ValidationErrors naming `what`. */
export function parseJsonWith<S extends v.GenericSchema>(
  schema: S,
  json: string,
  what: string,
): v.InferOutput<S> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ValidationError(what, [{ field: '(body)', expected: 'valid JSON' }]);
  }
  return parseWith(schema, value, what);
}
