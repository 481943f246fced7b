import * as v from 'valibot';

// Building blocks that keep the rules warden's schemas had before valibot, where valibot's own differ: objects
// and records refuse arrays, a strict object's unknown keys do not hide the rest of its problems, loose objects
// and records keep keys named `constructor` or `prototype`, a record's bad key fails alone, numbers are finite,
// an integer check stops the checks after it, and date-times are strict RFC 3339 in UTC.
// The object schemas are valibot's, with their own `~run` (the interface valibot's schemas share).

/** A dataset as valibot's `~run` passes it along (valibot's types split it by state). */
interface Dataset {
  typed?: boolean;
  value: unknown;
  issues?: v.BaseIssue<unknown>[];
}
type AddIssueDataset = Parameters<typeof v._addIssue>[2];
type IssueContext = Parameters<typeof v._addIssue>[0];
type Out<S extends v.GenericSchema> = v.OutputDataset<v.InferOutput<S>, v.InferIssue<S>>;
type Obj = Record<string, unknown>;

/** A plain object (no array, no instance of a class such as Date or Map), as a record's input must be. */
function isPlainObject(x: object): boolean {
  if (Array.isArray(x)) return false;
  const ctor = (x as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return typeof proto === 'object' && proto !== null && Object.hasOwn(proto, 'isPrototypeOf');
}

/** The type issue of `schema` (what a non-object input gets), then the dataset as its output. */
function wrongType<S extends v.GenericSchema>(
  schema: S,
  dataset: Dataset,
  config: v.Config<v.BaseIssue<unknown>>,
) {
  v._addIssue(schema as unknown as IssueContext, 'type', dataset as AddIssueDataset, config);
  return dataset as unknown as Out<S>;
}

/** Known keys checked as by valibot's object(); what the input has besides is left to the caller. */
function knownKeys<S extends v.GenericSchema>(
  self: S,
  known: v.GenericSchema,
  dataset: Dataset,
  config: v.Config<v.BaseIssue<unknown>>,
): Dataset | undefined {
  if (Array.isArray(dataset.value)) {
    wrongType(self, dataset, config);
    return undefined;
  }
  return known['~run'](dataset as v.UnknownDataset, config) as unknown as Dataset;
}

/**
 * A closed object. Each unknown key is an issue (valibot names the first only) that fails the parse but, as
 * before, leaves the object typed: checks piped after it still run, and a union still takes the shape the input
 * otherwise fits (`{ "watch": ..., "extra": 1 }` reports the extra key, not every field of the other shape).
 */
export function strictObject<const E extends v.ObjectEntries>(entries: E) {
  type S = v.StrictObjectSchema<E, undefined>;
  const known = v.object(entries);
  return v._standardSchema<S>({
    ...v.strictObject(entries),
    '~run'(dataset, config) {
      const input = dataset.value as Obj;
      const out = knownKeys(this, known, dataset, config);
      if (!out || typeof input !== 'object' || input === null) return dataset as unknown as Out<S>;
      for (const key in input) {
        if (Object.hasOwn(entries, key)) continue;
        const { typed } = out;
        const path: [v.ObjectPathItem] = [{ type: 'object', origin: 'key', input, key, value: input[key] }];
        v._addIssue(this as unknown as IssueContext, 'key', out as AddIssueDataset, config, {
          input: key,
          expected: 'never',
          path,
        });
        out.typed = typed;
      }
      return out as unknown as Out<S>;
    },
  });
}

/** An open object: the other keys are kept as they are (all but `__proto__`). */
export function looseObject<const E extends v.ObjectEntries>(entries: E) {
  type S = v.LooseObjectSchema<E, undefined>;
  const known = v.object(entries);
  return v._standardSchema<S>({
    ...v.looseObject(entries),
    '~run'(dataset, config) {
      const input = dataset.value as Obj;
      const out = knownKeys(this, known, dataset, config);
      if (!out || typeof input !== 'object' || input === null) return dataset as unknown as Out<S>;
      for (const key in input) {
        if (!Object.hasOwn(entries, key) && key !== '__proto__') (out.value as Obj)[key] = input[key];
      }
      return out as unknown as Out<S>;
    },
  });
}

/** A dictionary whose keys must match `key`: a bad key is one issue, and its value is not looked at. */
export function recordOf<K extends v.GenericSchema<string, string>, V extends v.GenericSchema>(
  key: K,
  value: V,
) {
  type S = v.RecordSchema<K, V, undefined>;
  return v._standardSchema<S>({
    ...v.record(key, value),
    '~run'(dataset, config) {
      const input = dataset.value as Obj;
      if (typeof input !== 'object' || input === null || !isPlainObject(input))
        return wrongType(this, dataset, config);
      const out: Obj = {};
      const issues: v.BaseIssue<unknown>[] = [];
      let typed = true;
      for (const k of Object.keys(input)) {
        if (k === '__proto__') continue;
        const item = { type: 'object', input, key: k, value: input[k] } as const;
        const keyResult = key['~run']({ value: k }, config);
        if (keyResult.issues) {
          issues.push({ ...keyResult.issues[0], path: [{ ...item, origin: 'key' }] });
          typed = false;
          continue;
        }
        const valueResult = value['~run']({ value: input[k] }, config);
        for (const issue of valueResult.issues ?? []) {
          (issue as { path?: unknown[] }).path = [{ ...item, origin: 'value' }, ...(issue.path ?? [])];
          issues.push(issue);
        }
        if (!valueResult.typed) typed = false;
        out[k] = valueResult.value;
      }
      const result = dataset as unknown as Dataset;
      result.typed = typed;
      result.value = out;
      if (issues.length > 0) result.issues = [...(result.issues ?? []), ...issues];
      return result as unknown as Out<S>;
    },
  });
}

/** A dictionary of any string keys. */
export const record = <V extends v.GenericSchema>(value: V) => recordOf(v.string(), value);

/** valibot's variant, except that an array is not an object. */
export function variant<const K extends string, const O extends v.VariantOptions<K>>(key: K, options: O) {
  type S = v.VariantSchema<K, O, undefined>;
  const base = v.variant(key, options);
  return v._standardSchema<S>({
    ...base,
    '~run'(dataset, config) {
      return Array.isArray(dataset.value) ? wrongType(this, dataset, config) : base['~run'](dataset, config);
    },
  });
}

/**
 * Ends a pipe once an action before it failed, as a failed type-like check always did here: an infinite number
 * reports "number" alone, 1.5 in an integer field "int" alone, not also the bounds checked after it.
 */
const halt = v.transform((x: number) => x);

/** A finite number (valibot's number() takes Infinity). */
export const number = v.pipe(v.number(), v.finite(), halt);
/** A safe integer; an unsafe one still gets the bound checks after it ("int <= 9007199254740991" and the bound). */
export const int = v.pipe(v.number(), v.finite(), halt, v.integer(), halt, v.safeInteger());

function toNumber(x: unknown): unknown {
  try {
    return Number(x);
  } catch {
    return x; // a symbol: fails as not a number
  }
}
/** `Number(input)`, then a finite number: '' and ' ' are 0, 'abc' fails. */
export const coercedNumber = v.pipe(v.unknown(), v.transform(toNumber), number);
/** The same, then a safe integer. */
export const coercedInt = v.pipe(v.unknown(), v.transform(toNumber), int);

const dateSource =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
/** RFC 3339 date-time in UTC: `2026-11-26T08:00:00Z`, any fraction of a second; no offset, no space. */
export const ISO_DATETIME = new RegExp(`^${dateSource}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?Z$`);
export const isoDateTime = v.pipe(v.string(), v.regex(ISO_DATETIME));
