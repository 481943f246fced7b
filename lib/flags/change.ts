import * as v from 'valibot';
import { ValidationError } from '../errors.js';
import { toValidationIssues } from '../validation.js';
import { type FlagDocument, flagDocumentSchema } from './document.js';
import { FLAG_AUTOMATIONS, PER_ACCOUNT, SHARE_FIELDS } from './names.js';

/** What `warden flags set` changes: a value sets the field, `null` removes it (back to its default). */
export type FlagChanges = { [K in keyof FlagDocument]?: unknown };

const ORDER = ['enabled', 'dryRun', 'applyPercent', 'allow', 'deny'] as const;

/**
 * Validates a flag document; each issue names its field through `label` (the CLI names its options), so a bad
 * value is refused before anything is read or written.
 */
export function validateFlagDocument(
  doc: unknown,
  what: string,
  label: (field: string) => string = (f) => f,
): FlagDocument {
  const parsed = v.safeParse(flagDocumentSchema, doc);
  if (parsed.success) return parsed.output;
  const issues = toValidationIssues(flagDocumentSchema, parsed.issues, doc);
  throw new ValidationError(
    what,
    issues.map((i) => ({ ...i, field: label(i.field) })),
  );
}

/** Refuses an automation that reads no flag, and share fields for one that is not fanned out per account. */
export function checkChangeTarget(
  automation: string,
  changes: FlagChanges,
  label: (f: string) => string,
): void {
  if (!FLAG_AUTOMATIONS.includes(automation)) {
    throw new ValidationError('flags arguments', [
      { field: 'automation', expected: `one of ${FLAG_AUTOMATIONS.join(', ')}` },
    ]);
  }
  const share = SHARE_FIELDS.find((f) => changes[f] !== undefined && changes[f] !== null);
  if (share && !PER_ACCOUNT.includes(automation)) {
    throw new ValidationError(`flag ${automation}`, [
      {
        field: label(share),
        expected: `nothing: ${automation} has one mode for all its targets (per account: ${PER_ACCOUNT.join(', ')})`,
      },
    ]);
  }
}

/**
 * The document after `changes`, in a fixed key order, validated as a whole (an account may not end up in both
 * lists). `current` is the stored document, or nothing (no parameter, or one too malformed to keep).
 */
export function applyChanges(
  current: FlagDocument | undefined,
  changes: FlagChanges,
  what: string,
  label: (field: string) => string = (f) => f,
): FlagDocument {
  const merged: Record<string, unknown> = {};
  for (const key of ORDER) {
    const value = key in changes ? changes[key] : current?.[key];
    if (value !== undefined && value !== null) merged[key] = value;
  }
  return validateFlagDocument(merged, what, label);
}
