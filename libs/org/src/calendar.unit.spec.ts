import { InvalidInput } from '@dotpha/kernel';
import { addWorkingDays, isIsoDate, isWorkingDay, workingDaysBetween } from './calendar';

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

  it('takes timestamps at their UTC day', () => {
    expect(addWorkingDays('2026-03-02T23:30:00.000Z', 1)).toBe('2026-03-03');
    expect(addWorkingDays('2026-03-03T05:00:00+07:00', 1)).toBe('2026-03-03');
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
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-02-30T00:00:00Z', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('02/03/2026', 1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', 1, ['30/04'])).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(InvalidInput);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(InvalidInput);
  });
});
