import { InvalidInput } from '@dotpha/kernel';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** Days since 1970-01-01 of the UTC day an ISO date or timestamp falls on. */
function dayNumber(iso: string, what: string): number {
  const timestamp = ISO_TIMESTAMP.exec(iso);
  if (isIsoDate(iso)) return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
  if (timestamp && isIsoDate(timestamp[1])) return Math.floor(Date.parse(iso) / DAY_MS);
  throw new InvalidInput(`${what} '${iso}' is not an ISO date or timestamp`, { [what]: iso });
}

function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function holidayDays(holidays: Iterable<string>): ReadonlySet<number> {
  const days = new Set<number>();
  for (const holiday of holidays) {
    if (!isIsoDate(holiday)) throw new InvalidInput(`holiday '${holiday}' is not an ISO date`, { holiday });
    days.add(dayNumber(holiday, 'holiday'));
  }
  return days;
}

function isWorking(day: number, holidays: ReadonlySet<number>): boolean {
  // Day 0 (1970-01-01) was a Thursday; 0 = Sunday as in Date#getUTCDay.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

export function isWorkingDay(iso: string, holidays: Iterable<string> = []): boolean {
  return isWorking(dayNumber(iso, 'date'), holidayDays(holidays));
}

/**
 * The date `n` working days after `startIso`, counting from the next working day: a plan received
 * on Friday with n = 1 is due on Monday. Weekends and `holidays` (ISO dates) are skipped.
 */
export function addWorkingDays(startIso: string, n: number, holidays: Iterable<string> = []): string {
  if (!Number.isInteger(n) || n < 0) throw new InvalidInput(`working days must be a non-negative integer, got ${n}`, { n });
  const off = holidayDays(holidays);
  let day = dayNumber(startIso, 'start');
  for (let left = n; left > 0; ) {
    day++;
    if (isWorking(day, off)) left--;
  }
  return isoDateOf(day);
}

/**
 * Working days after `startIso` up to and including `endIso`, so that
 * `workingDaysBetween(s, addWorkingDays(s, n)) === n`. Negative when `endIso` is earlier:
 * `workingDaysBetween(dueBy, today) > 0` reads as "overdue by that many working days".
 */
export function workingDaysBetween(startIso: string, endIso: string, holidays: Iterable<string> = []): number {
  const off = holidayDays(holidays);
  const start = dayNumber(startIso, 'start');
  const end = dayNumber(endIso, 'end');
  let count = 0;
  for (let day = Math.min(start, end) + 1; day <= Math.max(start, end); day++) {
    if (isWorking(day, off)) count++;
  }
  return start <= end || count === 0 ? count : -count;
}
