import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { FailureKind } from './errors.js';
import { FAILURE_TAG } from './protocol.js';

export const MAX_AGE_TAG = 'warden:max-age-days';
const DAY_MS = 86_400_000;

export interface ExpiryOptions {
  /** Max age of a secret without rotation and without the `warden:max-age-days` tag. */
  defaultMaxAgeDays: number;
  /** Warn this many days before the due date, once each (descending). */
  warnDays: readonly number[];
  /** Hours between two runs: each warning fires on the one run whose window holds its threshold. */
  runIntervalHours: number;
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
 * The warning threshold (days) this run owns, if any: threshold T fires when T - interval < daysLeft <= T, a window
 * exactly one run wide, so each warning is raised once and not repeated daily.
 */
export function warningDue(daysLeft: number, options: ExpiryOptions): number | undefined {
  const window = options.runIntervalHours / 24;
  return [...options.warnDays]
    .sort((a, b) => a - b)
    .find((t) => daysLeft <= t && daysLeft > t - window && daysLeft > 0);
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
  if (kind === 'network' || kind === 'authentication' || kind === 'other') return { kind, step, at };
  return { kind: 'unknown', step: undefined, at: undefined };
}
