const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a `YYYY-MM-DD` day (UTC, as Cost Explorer dates are). */
export function dayNumber(day: string): number {
  return Math.round(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS,
  );
}

/** `YYYY-MM-DD` of a day number. */
export function isoDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** True when the day is the 1st of its month, the day once-a-month charges land on. */
export function isFirstOfMonth(n: number): boolean {
  return new Date(n * DAY_MS).getUTCDate() === 1;
}

/** Day number of the last day of the month holding day `n`. */
export function lastDayOfMonth(n: number): number {
  const d = new Date(n * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS);
}

/** Day number of the 1st of the month holding day `n`. */
export function firstDayOfMonth(n: number): number {
  const d = new Date(n * DAY_MS);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
}
