import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { FailureKind } from './errors.js';
import { FAILURE_TAG } from './protocol.js';

export const MAX_AGE_TAG = 'warden:max-age-days';
const DAY_MS = 86_400_000;

export interface ExpiryOptions {
  /** Max age of a secret without rotation and without the `warden:max-age-days` tag. */
  defaultMaxAgeDays: number;
  /** Warning tiers: days before the due date; each (due date, tier) is warned once (see `warningTier`). */
  warnDays: readonly number[];
  /** An AWSPENDING version older than this means the last rotation failed. */
  pendingMaxAgeHours: number;
}

export type DueBasis = 'rotation' | 'max-age-tag' | 'default-max-age';

export interface Due {
  dueDate: Date;
  /** Fractional days from now to the due date; negative when overdue. */
  daysLeft: number;
  basis: DueBasis;
  intervalDays: number;
  /** The tag value was not a positive whole number of days (the default was used). */
  badTag?: string;
}

/** `rate(30 days)`, `rate(12 hours)` in days; cron schedules have no fixed interval (undefined). */
export function scheduleDays(expression: string | undefined): number | undefined {
  const m = /^rate\((\d+) (day|days|hour|hours)\)$/.exec(expression?.trim() ?? '');
  if (!m) return undefined;
  return m[2]?.startsWith('day') ? Number(m[1]) : Number(m[1]) / 24;
}

function tag(entry: SecretListEntry, key: string): string | undefined {
  return entry.Tags?.find((t) => t.Key === key)?.Value;
}

/**
 * Due date of one secret from the list entry alone: last rotated + interval for rotating secrets (the service's
 * NextRotationDate for cron schedules), last changed + `warden:max-age-days` (or the default) otherwise.
 * Undefined when the entry has no date at all.
 */
export function dueOf(entry: SecretListEntry, options: ExpiryOptions, now: Date): Due | undefined {
  const daysLeft = (d: Date) => (d.getTime() - now.getTime()) / DAY_MS;
  if (entry.RotationEnabled) {
    const interval =
      entry.RotationRules?.AutomaticallyAfterDays ?? scheduleDays(entry.RotationRules?.ScheduleExpression);
    const base = entry.LastRotatedDate ?? entry.CreatedDate ?? entry.LastChangedDate;
    if (interval !== undefined && base) {
      const dueDate = new Date(base.getTime() + interval * DAY_MS);
      return { dueDate, daysLeft: daysLeft(dueDate), basis: 'rotation', intervalDays: interval };
    }
    if (entry.NextRotationDate)
      return {
        dueDate: entry.NextRotationDate,
        daysLeft: daysLeft(entry.NextRotationDate),
        basis: 'rotation',
        intervalDays: interval ?? 0,
      };
  }
  const base = entry.LastChangedDate ?? entry.CreatedDate;
  if (!base) return undefined;
  const raw = tag(entry, MAX_AGE_TAG);
  const tagged =
    raw !== undefined && /^\d{1,5}$/.test(raw.trim()) && Number(raw) > 0 ? Number(raw) : undefined;
  const intervalDays = tagged ?? options.defaultMaxAgeDays;
  const dueDate = new Date(base.getTime() + intervalDays * DAY_MS);
  return {
    dueDate,
    daysLeft: daysLeft(dueDate),
    basis: tagged ? 'max-age-tag' : 'default-max-age',
    intervalDays,
    ...(raw !== undefined && tagged === undefined ? { badTag: raw.slice(0, 40) } : {}),
  };
}

/**
 * The warning tier a secret is in: the most urgent (smallest) of the warning days that holds `daysLeft`. Only tiers
 * shorter than the secret's interval count: with a 2-day interval a secret is always "due within 7 days", so its
 * 7- and 3-day tiers would be noise (an interval of 0, unknown for cron schedules, keeps every tier). Undefined when
 * overdue or in no tier. The caller warns each (due date, tier) once: a secret first seen (or a run missed) inside a
 * tier gets that tier's warning late, and the less urgent tiers it skipped are not sent any more.
 */
export function warningTier(
  due: Pick<Due, 'daysLeft' | 'intervalDays'>,
  warnDays: readonly number[],
): number | undefined {
  if (due.daysLeft <= 0) return undefined;
  return [...warnDays]
    .filter((t) => due.intervalDays <= 0 || t < due.intervalDays)
    .sort((a, b) => a - b)
    .find((t) => due.daysLeft <= t);
}

/** The version staged AWSPENDING and not AWSCURRENT (a rotation in progress or a failed one). */
export function pendingVersion(entry: SecretListEntry): string | undefined {
  const found = Object.entries(entry.SecretVersionsToStages ?? {}).find(
    ([, s]) => s.includes('AWSPENDING') && !s.includes('AWSCURRENT'),
  );
  return found?.[0];
}

export interface FailureRecord {
  kind: FailureKind | 'unknown';
  step: string | undefined;
  at: string | undefined;
}

/** What the rotation function recorded about its last failure (the tag), or `unknown` when it recorded nothing. */
export function failureOf(entry: SecretListEntry): FailureRecord {
  const raw = tag(entry, FAILURE_TAG);
  const [kind, step, at] = (raw ?? '').split(' ');
  if (kind === 'network' || kind === 'authentication' || kind === 'tls' || kind === 'other')
    return { kind, step, at };
  return { kind: 'unknown', step: undefined, at: undefined };
}
