import * as v from 'valibot';
import { int, strictObject } from '../schemas.js';
import { toValidationIssues } from '../validation.js';

const accountId = v.pipe(v.string(), v.regex(/^\d{12}$/));
const accountList = v.pipe(
  v.array(accountId),
  v.maxLength(1000),
  v.check((ids) => new Set(ids).size === ids.length, 'each account once'),
);

/**
 * One automation's flags, as stored (JSON) at `<flagsPath>/<automation>`: kill switch, dry-run, and the share of
 * target accounts in apply mode with accounts always in (`allow`) or never in (`deny`) apply mode.
 */
export const flagDocumentSchema = v.pipe(
  strictObject({
    enabled: v.optional(v.boolean()),
    dryRun: v.optional(v.boolean()),
    applyPercent: v.optional(v.pipe(int, v.minValue(0), v.maxValue(100))),
    allow: v.optional(accountList),
    deny: v.optional(accountList),
  }),
  v.forward(
    v.partialCheck(
      [['allow'], ['deny']],
      (d) => !(d.deny ?? []).some((id) => (d.allow ?? []).includes(id)),
      'no account that is also in allow',
    ),
    ['deny'],
  ),
);
export type FlagDocument = v.InferOutput<typeof flagDocumentSchema>;

/** Validates a parsed flag document; a problem names the parameter and the first bad field (never the value). */
export function checkFlagDocument(
  name: string,
  doc: unknown,
): { document: FlagDocument } | { problem: string; field: string } {
  const parsed = v.safeParse(flagDocumentSchema, doc);
  if (parsed.success) return { document: parsed.output };
  const issue = toValidationIssues(flagDocumentSchema, parsed.issues, doc)[0];
  const field = issue?.field ?? '(root)';
  return { problem: `${name}: ${field}: expected ${issue?.expected ?? 'a valid value'}`, field };
}

/** Parses the raw text of a flag parameter (JSON), then validates it. */
export function parseFlagText(
  name: string,
  text: string,
): { document: FlagDocument } | { problem: string; field: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: `${name} is not valid JSON`, field: '(root)' };
  }
  return checkFlagDocument(name, doc);
}
