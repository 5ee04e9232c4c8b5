import { InvalidInput } from '@dotpha/kernel';
import { addWorkingDays, isIsoDate, isTimeZone, isWorkingDay, localDate, startOfLocalDay, workingDayDeadline, workingDaysBetween } from './calendar';

const reunificationAndLabourDay = ['2026-04-30', '2026-05-01'];

describe('working-day calendar', () => {
  it('D73-8.1a: seven working days from a Monday end on the Wednesday of the next week', () => {
    expect(addWorkingDays('2026-03-02', 7)).toBe('2026-03-11');
  });

  it('counts from the next working day: one working day after a Friday or a Saturday is Monday', () => {
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
  });

  it('skips the instance public holidays', () => {
    expect(addWorkingDays('2026-04-29', 1, reunificationAndLabourDay)).toBe('2026-05-04');
    expect(addWorkingDays('2026-04-29', 1)).toBe('2026-04-30');
  });

  it('TZ-working-days: takes timestamps at their local day in the instance time zone (Asia/Ho_Chi_Minh by default)', () => {
    // 23:30 UTC on Monday is 06:30 on Tuesday in Vietnam: one working day later is Wednesday.
    expect(addWorkingDays('2026-03-02T23:30:00.000Z', 1)).toBe('2026-03-04');
    expect(addWorkingDays('2026-03-03T05:00:00+07:00', 1)).toBe('2026-03-04');
    // The same instant counted in UTC (an instance policy may say so) is still Monday.
    expect(addWorkingDays('2026-03-02T23:30:00.000Z', 1, [], 'UTC')).toBe('2026-03-03');
    expect(localDate('2026-03-05T18:00:00Z')).toBe('2026-03-06');
  });

  it('TZ-working-days: a plan received on a Friday morning in Vietnam counts from Friday, not from Thursday (UTC)', () => {
    // 08:00 Friday 6 March 2026 in Hà Nội is 01:00 UTC the same day; 23:00 Thursday UTC is 06:00 Friday there.
    expect(addWorkingDays('2026-03-05T23:00:00Z', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-05T23:00:00Z', 7)).toBe('2026-03-17');
  });

  it('TZ-working-days: a step falls due at the end of its last working day there, not at 06:59 the next morning', () => {
    const due = workingDayDeadline('2026-03-02T02:00:00Z', 7);
    expect(due).toBe('2026-03-11T16:59:59.999Z');
    expect(localDate(due)).toBe('2026-03-11');
    expect(localDate(new Date(Date.parse(due) + 1))).toBe('2026-03-12');
    expect(workingDayDeadline('2026-03-02T02:00:00Z', 7, [], 'UTC')).toBe('2026-03-11T23:59:59.999Z');
    expect(startOfLocalDay('2026-03-12')).toBe('2026-03-11T17:00:00.000Z');
  });

  it('TZ-working-days: refuses a time zone the runtime does not know', () => {
    expect(isTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => addWorkingDays('2026-03-02T02:00:00Z', 1, [], 'Mars/Olympus')).toThrow(InvalidInput);
  });

  it('zero working days is the start day itself', () => {
    expect(addWorkingDays('2026-03-07T10:00:00Z', 0)).toBe('2026-03-07');
  });

  it('D73-eval: counts the working days between two dates, the inverse of addWorkingDays', () => {
    for (const start of ['2026-03-02', '2026-03-06', '2026-03-07', '2026-04-28']) {
      for (const n of [1, 5, 7, 30]) {
        expect(workingDaysBetween(start, addWorkingDays(start, n, reunificationAndLabourDay), reunificationAndLabourDay)).toBe(n);
      }
    }
  });

  it('counts backwards as negative (overdue reads as a positive count) and the same day as zero', () => {
    expect(workingDaysBetween('2026-03-11', '2026-03-02')).toBe(-7);
    expect(workingDaysBetween('2026-03-11', '2026-03-13')).toBe(2);
    expect(Object.is(workingDaysBetween('2026-03-07', '2026-03-08'), 0)).toBe(true);
    expect(Object.is(workingDaysBetween('2026-03-08', '2026-03-07'), 0)).toBe(true);
  });

  it('knows weekends and holidays are not working days', () => {
    expect(isWorkingDay('2026-03-02')).toBe(true);
    expect(isWorkingDay('2026-03-07')).toBe(false);
    expect(isWorkingDay('2026-04-30', reunificationAndLabourDay)).toBe(false);
  });

  it('refuses dates that do not exist, bad holidays and negative or fractional counts', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-00-10')).toBe(false);
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-02-30T00:00:00Z', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('02/03/2026', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', 1, ['30/04'])).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(InvalidInput);
  });
});
