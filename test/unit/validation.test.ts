import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { drillOptionsSchema, validationCheckSchema } from '../../lib/backup/drill/messages.js';
import { drillScheduleSchema } from '../../lib/backup/drill/schedule.js';
import { lifecycleOptionsSchema } from '../../lib/backup/options.js';
import { loadConfig } from '../../lib/config.js';
import { ValidationError } from '../../lib/errors.js';
import { workUnitSchema } from '../../lib/fanout/unit.js';
import { findingSchema } from '../../lib/findings/findingSchema.js';
import { rollbackOptionsSchema } from '../../lib/rollback/options.js';
import {
  coercedInt,
  int,
  isoDateTime,
  looseObject,
  number,
  record,
  strictObject,
} from '../../lib/schemas.js';
import { secretExpiryOptions } from '../../lib/secrets/automation.js';
import { issuePath, parseJsonWith, parseWith } from '../../lib/validation.js';

/** The issues parseWith reports for `input`, as `field: expected` lines. */
function problems(schema: v.GenericSchema, input: unknown): string[] {
  try {
    parseWith(schema, input, 'input');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.field}: ${i.expected}`);
    throw err;
  }
  return [];
}

const event = strictObject({ watch: v.literal('knownGood') });
const alarm = looseObject({ id: v.string(), source: v.literal('aws.cloudwatch'), time: v.string() });

describe('Function: parseWith', () => {
  it('names a missing field with its type, and a field given as undefined the same way', () => {
    // Prepare
    const schema = strictObject({ id: v.pipe(v.string(), v.minLength(1)), n: number });
    // Assess
    expect(problems(schema, {})).toEqual(['id: string (missing)', 'n: number (missing)']);
    expect(problems(schema, { id: undefined, n: 1 })).toEqual(['id: string (missing)']);
    expect(() => parseWith(schema, { n: 1 }, 'test event')).toThrow(
      'invalid test event: id: expected string (missing)',
    );
  });

  it('lists every unknown key of an object in one issue, after the problems of its known keys', () => {
    // Assess
    expect(problems(rollbackOptionsSchema, { zzz: 1, attempts: 0, yyy: 'x' })).toEqual([
      'attempts: number >= 1',
      '(root): no unknown keys (found zzz, yyy)',
    ]);
  });

  it('still runs the checks piped after an object with unknown keys', () => {
    // Assess
    expect(problems(lifecycleOptionsSchema, { drRegion: 'eu-central-1', x: 1 })).toEqual([
      '(root): no unknown keys (found x)',
      'drKmsKeyId: a KMS key id, ARN or alias in the DR region (required when drRegion is set)',
    ]);
  });

  it('reports a union through the shape the input fits, else through the closest one', () => {
    // Prepare
    const either = v.union([alarm, event]);
    // Assess: only the extra key is wrong with the watch shape
    expect(problems(either, { watch: 'knownGood', source: 'aws.cloudwatch' })).toEqual([
      '(root): no unknown keys (found source)',
    ]);
    // neither fits: the watch shape has one problem, the alarm shape three
    expect(problems(either, { watch: 'other' })).toEqual(['watch: one of "knownGood"']);
    expect(problems(drillScheduleSchema, { start: [] })).toEqual(['start: array >= 1']);
    expect(problems(drillScheduleSchema, {})).toEqual(['start: one of "all"']);
    // two shapes of the right type: the first closest one
    const pattern = v.union([v.pipe(v.string(), v.regex(/^a/)), v.pipe(v.string(), v.regex(/^b/))]);
    expect(problems(strictObject({ p: pattern }), { p: 'c' })).toEqual(['p: a string matching /^a/']);
  });

  it('says which discriminator a variant did not know, and that an array is not an object', () => {
    // Assess
    expect(problems(validationCheckSchema, { kind: 'x' })).toEqual(['kind: one of the accepted shapes']);
    expect(problems(validationCheckSchema, { kind: 'rowCount' })).toEqual([
      'table: string (missing)',
      'min: number (missing)',
    ]);
    expect(problems(validationCheckSchema, [{ kind: 'rowCount' }])).toEqual(['(root): object']);
  });

  it('refuses a bad record key without looking at its value, and non-plain objects as records', () => {
    // Prepare
    const drill = { subnetGroup: 'g', securityGroupIds: ['sg-01234567'] };
    // Assess
    expect(problems(drillOptionsSchema, { ...drill, databases: { 'bad id!': 5, ok: 5 } })).toEqual([
      'databases.bad id!: a valid value',
      'databases.ok: object',
    ]);
    expect(problems(drillOptionsSchema, { ...drill, databases: [] })).toEqual(['databases: record']);
    expect(problems(workUnitSchema.entries.options, new Date(0))).toEqual(['(root): record']);
  });

  it('refuses arrays where an object is expected', () => {
    // Assess
    expect(problems(strictObject({}), [])).toEqual(['(root): object']);
    expect(problems(alarm, [])).toEqual(['(root): object']);
    expect(problems(record(v.string()), ['x'])).toEqual(['(root): record']);
  });

  it('lists the values of a picklist or literal, integer-like ones first', () => {
    // Prepare
    const schema = strictObject({ v: v.picklist(['true', 'false', '1', '0']), l: v.literal('x') });
    // Assess
    expect(problems(schema, { v: 'maybe', l: 'y' })).toEqual([
      'v: one of "0", "1", "true", "false"',
      'l: one of "x"',
    ]);
  });

  it('describes numbers: finite, integers, safe integers and bounds', () => {
    // Prepare
    const schema = strictObject({
      n: v.pipe(number, v.maxValue(10)),
      i: v.pipe(int, v.minValue(1), v.maxValue(10)),
    });
    // Assess
    expect(problems(schema, { n: Number.POSITIVE_INFINITY, i: 1.5 })).toEqual(['n: number', 'i: int']);
    expect(problems(schema, { n: Number.NaN, i: 1e20 })).toEqual([
      'n: number',
      'i: int <= 9007199254740991',
      'i: number <= 10',
    ]);
    expect(problems(schema, { n: 11, i: 0 })).toEqual(['n: number <= 10', 'i: number >= 1']);
    expect(problems(secretExpiryOptions, { warnDays: [1.5, 0, 'x'] })).toEqual([
      'warnDays[0]: int',
      'warnDays[1]: number >= 1',
      'warnDays[2]: number',
    ]);
  });

  it('coerces numbers from strings as Number() does', () => {
    // Assess
    expect(v.parse(coercedInt, '5432')).toBe(5432);
    expect(v.parse(coercedInt, ' 7 ')).toBe(7);
    expect(v.parse(coercedInt, '')).toBe(0);
    expect(v.parse(coercedInt, '0x10')).toBe(16);
    expect(problems(coercedInt, 'abc')).toEqual(['(root): number']);
    expect(problems(coercedInt, 'Infinity')).toEqual(['(root): number']);
  });

  it('also checks the length of a wrongly typed value that has one', () => {
    // Assess
    expect(problems(rollbackOptionsSchema, { alarmPrefix: [] })).toEqual([
      'alarmPrefix: string',
      'alarmPrefix: array >= 1',
    ]);
    expect(problems(secretExpiryOptions, { warnDays: 'abcdef' })).toEqual([
      'warnDays: array',
      'warnDays: string <= 5',
    ]);
  });

  it('accepts only UTC RFC 3339 date-times with seconds, on real calendar days', () => {
    // Assess
    for (const ok of ['2026-11-26T08:00:00Z', '2026-11-26T08:00:00.123456Z', '2028-02-29T00:00:00Z'])
      expect(v.is(isoDateTime, ok)).toBe(true);
    for (const bad of [
      '2026-11-26T08:00Z',
      '2026-11-26 08:00:00Z',
      '2026-11-26T08:00:00+01:00',
      '2026-11-26T08:00:00',
      '2026-02-29T08:00:00Z',
      '2026-04-31T08:00:00Z',
    ])
      expect(problems(isoDateTime, bad)).toEqual(['(root): a valid datetime']);
  });

  it('keeps the extra keys of a loose object and of a record, whatever their name', () => {
    // Prepare
    const detail = JSON.parse('{"constructor": "c", "prototype": 1, "__proto__": 2}');
    // Act
    const loose = v.parse(looseObject({ a: v.string() }), { a: 'x', ...detail });
    const dict = v.parse(record(v.union([v.string(), number])), detail);
    // Assess
    expect(Object.keys(loose)).toEqual(['a', 'constructor', 'prototype']);
    expect(Object.keys(dict)).toEqual(['constructor', 'prototype']);
  });

  it("uses a check's own message, else a generic expectation", () => {
    // Prepare
    const checked = v.pipe(
      v.string(),
      v.check((s) => s.length === 2),
    );
    // Assess
    expect(problems(checked, 'abc')).toEqual(['(root): a valid value']);
    expect(
      problems(
        findingSchema,
        JSON.parse(
          '{"id":"x","automation":"a","check":"c","severity":"high","status":"open","account":"1","region":"r","resourceArn":"a","title":"t","detail":{"a":[true]},"observedAt":"2026-11-26T08:00:00Z","dryRun":true}',
        ),
      ),
    ).toEqual(['id: a string matching /^[a-f0-9]{32}$/', 'detail.a: string']);
  });
});

describe('Function: parseJsonWith', () => {
  it('reports a body that is not JSON, and validates one that is', () => {
    // Prepare
    const schema = strictObject({ a: v.boolean() });
    // Assess
    expect(() => parseJsonWith(schema, '{nope', 'message m1')).toThrow(
      'invalid message m1: (body): expected valid JSON',
    );
    expect(() => parseJsonWith(schema, '{"a":1,"b":2,"c":3}', 'message m1')).toThrow(
      'invalid message m1: a: expected boolean (and 1 more: (root))',
    );
    expect(parseJsonWith(schema, '{"a":true}', 'message m1')).toEqual({ a: true });
  });
});

describe('Function: issuePath', () => {
  it('writes keys dotted and indexes in brackets', () => {
    // Assess
    expect(issuePath(['Records', 0, 'body', 'account'])).toBe('Records[0].body.account');
    expect(issuePath([0, 'a'])).toBe('[0].a');
    expect(issuePath([])).toBe('(root)');
  });
});

describe('Function: loadConfig (messages)', () => {
  it('names the accepted values of a boolean in the order it always has', () => {
    // Act
    const act = () => loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1', WARDEN_DRY_RUN: 'maybe' });
    // Assess
    expect(act).toThrow(
      'WARDEN_DRY_RUN: expected one of "0", "1", "true", "false", "yes", "no", found "maybe"',
    );
  });
});
