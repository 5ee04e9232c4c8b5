import { InvalidInput } from '@dotpha/kernel';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** DOMAIN.md §4.3: deadlines are counted in the instance's time zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    if (!isTimeZone(timeZone)) throw new InvalidInput(`'${timeZone}' is not a time zone`, { timeZone });
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a zone, read back as if UTC: their difference is the zone's offset. */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
}

/** The local date (`YYYY-MM-DD`) an instant falls on in `timeZone`; a date is returned as it is. */
export function localDate(value: string | Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (typeof value === 'string' && isIsoDate(value)) return value;
  const instant = typeof value === 'string' ? parseInstant(value, 'date') : value.getTime();
  if (Number.isNaN(instant)) throw new InvalidInput('not a valid date', { value: String(value) });
  return new Date(Math.floor(wallClockAsUtc(instant, timeZone) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant of a local date in `timeZone`, as a UTC ISO instant. */
export function startOfLocalDay(isoDate: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (!isIsoDate(isoDate)) throw new InvalidInput(`'${isoDate}' is not an ISO date`, { date: isoDate });
  const midnightAsUtc = Date.parse(`${isoDate}T00:00:00Z`);
  // Two passes settle a zone whose offset changes near midnight (daylight saving elsewhere).
  let instant = midnightAsUtc - (wallClockAsUtc(midnightAsUtc, timeZone) - midnightAsUtc);
  instant = midnightAsUtc - (wallClockAsUtc(instant, timeZone) - instant);
  return new Date(instant).toISOString();
}

function parseInstant(iso: string, what: string): number {
  const timestamp = ISO_TIMESTAMP.exec(iso);
  if (!timestamp || !isIsoDate(timestamp[1])) throw new InvalidInput(`${what} '${iso}' is not an ISO date or timestamp`, { [what]: iso });
  return Date.parse(iso);
}

/** Days since 1970-01-01 of the local day an ISO date or timestamp falls on. */
function dayNumber(iso: string, what: string, timeZone: string): number {
  if (isIsoDate(iso)) return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
  if (typeof iso !== 'string' || !ISO_TIMESTAMP.test(iso)) {
    throw new InvalidInput(`${what} '${iso}' is not an ISO date or timestamp`, { [what]: iso });
  }
  return Date.parse(`${localDate(iso, timeZone)}T00:00:00Z`) / DAY_MS;
}

function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function holidayDays(holidays: Iterable<string>): ReadonlySet<number> {
  const days = new Set<number>();
  for (const holiday of holidays) {
    if (!isIsoDate(holiday)) throw new InvalidInput(`holiday '${holiday}' is not an ISO date`, { holiday });
    days.add(Date.parse(`${holiday}T00:00:00Z`) / DAY_MS);
  }
  return days;
}

function isWorking(day: number, holidays: ReadonlySet<number>): boolean {
  // Day 0 (1970-01-01) was a Thursday; 0 = Sunday as in Date#getUTCDay.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

export function isWorkingDay(iso: string, holidays: Iterable<string> = [], timeZone: string = DEFAULT_TIME_ZONE): boolean {
  return isWorking(dayNumber(iso, 'date', timeZone), holidayDays(holidays));
}

/**
 * The local date `n` working days after the day `startIso` falls on in `timeZone`, counting from
 * the next working day: a plan received on Friday with n = 1 is due on Monday. Weekends and
 * `holidays` (ISO dates) are skipped. TZ-working-days: a timestamp counts from its local day, so
 * a plan received on a Friday morning in Vietnam (Thursday evening UTC) counts from Friday.
 */
export function addWorkingDays(startIso: string, n: number, holidays: Iterable<string> = [], timeZone: string = DEFAULT_TIME_ZONE): string {
  if (!Number.isInteger(n) || n < 0) throw new InvalidInput(`working days must be a non-negative integer, got ${n}`, { n });
  const off = holidayDays(holidays);
  let day = dayNumber(startIso, 'start', timeZone);
  for (let left = n; left > 0; ) {
    day++;
    if (isWorking(day, off)) left--;
  }
  return isoDateOf(day);
}

/**
 * When a step received at `receivedAt` falls due: the end of the n-th working day after the day it
 * was received, in the instance's time zone, as a UTC instant (the last millisecond of that local
 * day). TZ-working-days.
 */
export function workingDayDeadline(receivedAt: string, n: number, holidays: Iterable<string> = [], timeZone: string = DEFAULT_TIME_ZONE): string {
  const dueDate = addWorkingDays(receivedAt, n, holidays, timeZone);
  const nextDay = isoDateOf(Date.parse(`${dueDate}T00:00:00Z`) / DAY_MS + 1);
  return new Date(Date.parse(startOfLocalDay(nextDay, timeZone)) - 1).toISOString();
}

/**
 * Working days after `startIso` up to and including `endIso` (local days in `timeZone`), so that
 * `workingDaysBetween(s, addWorkingDays(s, n)) === n`. Negative when `endIso` is earlier:
 * `workingDaysBetween(dueBy, now) > 0` reads as "overdue by that many working days".
 */
export function workingDaysBetween(startIso: string, endIso: string, holidays: Iterable<string> = [], timeZone: string = DEFAULT_TIME_ZONE): number {
  const off = holidayDays(holidays);
  const start = dayNumber(startIso, 'start', timeZone);
  const end = dayNumber(endIso, 'end', timeZone);
  let count = 0;
  for (let day = Math.min(start, end) + 1; day <= Math.max(start, end); day++) {
    if (isWorking(day, off)) count++;
  }
  return start <= end || count === 0 ? count : -count;
}
