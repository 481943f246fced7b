import type * as z from 'zod/mini';
import { ValidationError, type ValidationIssue } from './errors.js';

type Issue = z.core.$ZodIssue;

/** Dotted path of an issue, `Records[0].body.account` style. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** What the schema expected, in words (zod/mini ships no messages, on purpose: bundle size). */
export function describeExpected(issue: Issue, missing = false): string {
  switch (issue.code) {
    case 'invalid_type':
      return missing ? `${issue.expected} (missing)` : `${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `a string matching ${(issue as { pattern?: string }).pattern}`
        : `a valid ${issue.format}`;
    case 'too_small':
      return `${issue.origin} ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin} ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `no unknown keys (found ${issue.keys.join(', ')})`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'one of the accepted shapes';
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'a valid value';
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
 * A union that matched no shape is reported through the shape it came closest to (fewest issues), so the
 * message names the field that is wrong rather than "one of the accepted shapes".
 */
function flattenUnions(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((i) => {
    const branches = i.code === 'invalid_union' ? (i as { errors?: Issue[][] }).errors : undefined;
    if (!branches || branches.length === 0) return [i];
    // A strict shape that rejects the input's keys at its root is clearly not the one meant.
    const score = (b: Issue[]) =>
      b.length + (b.some((x) => x.code === 'unrecognized_keys' && x.path.length === 0) ? 100 : 0);
    const closest = [...branches].sort((a, b) => score(a) - score(b))[0]!;
    return flattenUnions(closest.map((b) => ({ ...b, path: [...i.path, ...b.path] }) as Issue));
  });
}

/** Field and expectation of each issue; `input` (the value parsed) lets a missing field say so. */
export function toValidationIssues(issues: readonly Issue[], input?: unknown): ValidationIssue[] {
  return flattenUnions(issues).map((i) => ({
    field: issuePath(i.path),
    expected: describeExpected(i, input !== undefined && isMissing(input, i.path)),
  }));
}

/** Parses `input` with `schema` or throws a ValidationError naming the first bad field. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(what, toValidationIssues(result.error.issues, input));
}

/** Parses a JSON string, then validates it; both failures are ValidationErrors naming `what`. */
export function parseJsonWith<S extends z.ZodMiniType>(schema: S, json: string, what: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ValidationError(what, [{ field: '(body)', expected: 'valid JSON' }]);
  }
  return parseWith(schema, value, what);
}
