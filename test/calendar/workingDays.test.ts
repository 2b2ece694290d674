/**
 * The England and Wales working-day calendar (JOURNEY.md §Time), its worked examples, daylight
 * saving, and the generated bank-holiday table against its source (date-holidays).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import Holidays from 'date-holidays';
import {
  addCalendarDays,
  addCalendarMonths,
  addCalendarWeeks,
  addWorkingDays,
  bankHolidayCoverage,
  bankHolidayDataVersion,
  endOfLondonDay,
  englandAndWalesBankHolidays,
  englandAndWalesCalendar,
  hoursAfter,
  isLocalDate,
  isWorkingDay,
  londonDateOf,
  monthsAfter,
  startOfLondonDay,
  weeksAfter,
  workingDaysAfter,
  workingDaysBefore,
} from '../../machines/calendar';

const cal = englandAndWalesCalendar();
const HOUR = 3_600_000;
const DAY = 86_400_000;
const ms = (iso: string): number => Date.parse(iso);

describe('JOURNEY.md §Time worked examples', () => {
  test('R-EMG-1: interim services set up Fri 2026-12-18 → assessment must begin by end of Wed 2026-12-23', () => {
    // Working days after Fri 18: Mon 21 (1), Tue 22 (2), Wed 23 (3).
    expect(cal.addWorkingDays('2026-12-18', 3)).toBe('2026-12-23');
    expect(workingDaysAfter('2026-12-18T09:15:00.000Z', 3, englandAndWalesBankHolidays)).toBe(
      '2026-12-24T00:00:00.000Z',
    );
    // Whenever on the Friday the services were set up, the deadline is London midnight ending Wed 23.
    for (const at of ['2026-12-18T00:00:00.000Z', '2026-12-18T09:15:00.000Z', '2026-12-18T23:59:59.999Z']) {
      expect(cal.workingDaysAfter(at, 3)).toBe('2026-12-24T00:00:00.000Z');
    }
  });

  test('R-EMG-1: set up Thu 2026-12-24 → by end of Thu 2026-12-31 (Fri 25 Dec and Mon 28 Dec substitute are holidays)', () => {
    expect(cal.isWorkingDay('2026-12-25')).toBe(false);
    expect(cal.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day (Sat 26) substitute
    // Working days after Thu 24: Tue 29 (1), Wed 30 (2), Thu 31 (3).
    expect(cal.addWorkingDays('2026-12-24', 3)).toBe('2026-12-31');
    expect(cal.workingDaysAfter('2026-12-24T16:30:00.000Z', 3)).toBe('2027-01-01T00:00:00.000Z');
  });

  test('R-END-1: end letter posted Mon 2026-12-14 → earliest allowed end date Wed 2026-12-30', () => {
    // "Not less than 10 working days from the date it is posted": counting the working days after
    // Mon 14 Dec: 15, 16, 17, 18 (4), 21, 22, 23, 24 (8), [25 Christmas, 26-27 weekend, 28 Boxing
    // Day substitute], 29 (9), 30 (10). So the 10th working day is Wed 30 Dec, and services may end
    // on 30 Dec at the earliest.
    expect(cal.addWorkingDays('2026-12-14', 10)).toBe('2026-12-30');
    expect(cal.workingDaysAfter('2026-12-14T11:00:00.000Z', 10)).toBe('2026-12-31T00:00:00.000Z');
    expect(cal.addWorkingDays('2026-12-14', 9)).toBe('2026-12-29');
  });

  test('JOURNEY.md §Time: a one-off bank holiday counts (Coronation, Mon 2023-05-08)', () => {
    // Working days after Thu 4 May 2023: Fri 5 (1), [Mon 8 Coronation], Tue 9 (2), Wed 10 (3).
    expect(cal.isWorkingDay('2023-05-08')).toBe(false);
    expect(cal.addWorkingDays('2023-05-04', 3)).toBe('2023-05-10');
    expect(cal.workingDaysAfter('2023-05-04T10:00:00.000Z', 3)).toBe('2023-05-10T23:00:00.000Z');
    // Platinum Jubilee (Thu 2 and Fri 3 June 2022) and the State Funeral (Mon 19 Sep 2022).
    expect(cal.addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    expect(cal.addWorkingDays('2022-09-16', 1)).toBe('2022-09-20');
  });

  test('JOURNEY.md §Time: the event day never counts, even when it is not a working day', () => {
    expect(cal.addWorkingDays('2026-12-19', 1)).toBe('2026-12-21'); // Sat → Mon
    expect(cal.addWorkingDays('2026-12-25', 1)).toBe('2026-12-29'); // Christmas → Tue after the substitute
    expect(cal.workingDaysAfter('2026-12-18T00:00:00.000Z', 1)).toBe('2026-12-22T00:00:00.000Z');
  });
});

describe('JOURNEY.md §Time: Europe/London days across daylight saving', () => {
  // 2026: BST starts Sun 29 March at 01:00 UTC (01:00 GMT → 02:00 BST) and ends Sun 25 October at
  // 01:00 UTC (02:00 BST → 01:00 GMT).
  test('late on the Saturday before the clocks go forward is still Saturday', () => {
    expect(londonDateOf('2026-03-28T23:30:00.000Z')).toBe('2026-03-28'); // Sat 23:30 GMT
    expect(londonDateOf('2026-03-29T00:30:00.000Z')).toBe('2026-03-29'); // Sun 00:30 GMT
    expect(londonDateOf('2026-03-29T00:59:59.999Z')).toBe('2026-03-29'); // Sun 00:59 GMT
    expect(londonDateOf('2026-03-29T01:00:00.000Z')).toBe('2026-03-29'); // Sun 02:00 BST
    expect(londonDateOf('2026-03-29T22:59:59.999Z')).toBe('2026-03-29'); // Sun 23:59 BST
    expect(londonDateOf('2026-03-29T23:00:00.000Z')).toBe('2026-03-30'); // Mon 00:00 BST
    // 3 working days after Sat 28 March: Mon 30, Tue 31, Wed 1 April (BST: day ends 23:00Z).
    expect(cal.workingDaysAfter('2026-03-28T23:30:00.000Z', 3)).toBe('2026-04-01T23:00:00.000Z');
    // Half an hour into Monday BST (Sun 23:30Z) the event is Monday's: Tue 31, Wed 1, Thu 2.
    expect(cal.workingDaysAfter('2026-03-29T23:30:00.000Z', 3)).toBe('2026-04-02T23:00:00.000Z');
  });

  test('the night the clocks go back', () => {
    expect(londonDateOf('2026-10-24T22:30:00.000Z')).toBe('2026-10-24'); // Sat 23:30 BST
    expect(londonDateOf('2026-10-24T23:00:00.000Z')).toBe('2026-10-25'); // Sun 00:00 BST
    expect(londonDateOf('2026-10-25T00:30:00.000Z')).toBe('2026-10-25'); // Sun 01:30 BST
    expect(londonDateOf('2026-10-25T01:30:00.000Z')).toBe('2026-10-25'); // Sun 01:30 GMT (again)
    expect(londonDateOf('2026-10-25T23:30:00.000Z')).toBe('2026-10-25'); // Sun 23:30 GMT
    expect(londonDateOf('2026-10-26T00:00:00.000Z')).toBe('2026-10-26'); // Mon 00:00 GMT
    expect(startOfLondonDay('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(endOfLondonDay('2026-10-25')).toBe('2026-10-26T00:00:00.000Z'); // a 25-hour day
    // Fri 23 October 23:30 BST → Mon 26, Tue 27, Wed 28 (GMT: day ends 24:00Z).
    expect(cal.workingDaysAfter('2026-10-23T22:30:00.000Z', 3)).toBe('2026-10-29T00:00:00.000Z');
  });

  test('an event at 23:30 London time in summer (22:30Z) belongs to that London date', () => {
    expect(londonDateOf('2026-07-01T22:30:00.000Z')).toBe('2026-07-01');
    expect(londonDateOf('2026-07-01T23:30:00.000Z')).toBe('2026-07-02');
    expect(londonDateOf('2026-07-01T23:30:00+01:00')).toBe('2026-07-01');
    // Wed 1 July 23:30 BST + 1 working day → end of Thu 2 July, not Fri 3 July.
    expect(cal.workingDaysAfter('2026-07-01T22:30:00.000Z', 1)).toBe('2026-07-02T23:00:00.000Z');
  });

  test('start and end of London days, summer and winter', () => {
    expect(endOfLondonDay('2026-07-01')).toBe('2026-07-01T23:00:00.000Z');
    expect(endOfLondonDay('2026-12-23')).toBe('2026-12-24T00:00:00.000Z');
    expect(startOfLondonDay('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
    expect(startOfLondonDay('2026-12-23')).toBe('2026-12-23T00:00:00.000Z');
    expect(startOfLondonDay('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(endOfLondonDay('2026-03-29')).toBe('2026-03-29T23:00:00.000Z'); // a 23-hour day
  });

  test('R-REV-1: 72 hours across the March change is exactly 72 × 3600 s (calendar hours)', () => {
    const start = '2026-03-27T12:00:00.000Z'; // Fri 12:00 GMT
    const due = hoursAfter(start, 72);
    expect(due).toBe('2026-03-30T12:00:00.000Z'); // Mon 13:00 BST: the wall clock shows 73 hours
    expect(ms(due) - ms(start)).toBe(72 * HOUR);
    const autumn = '2026-10-24T12:00:00.000Z';
    expect(ms(hoursAfter(autumn, 72)) - ms(autumn)).toBe(72 * HOUR);
  });

  test('R-REV-2: 6 calendar weeks across a daylight saving change land on the same London date', () => {
    // Fri 20 March 10:00 GMT → Fri 1 May (BST), due at the end of that London day.
    expect(weeksAfter('2026-03-20T10:00:00.000Z', 6)).toBe('2026-05-01T23:00:00.000Z');
    // Thu 1 October 23:30 BST → Thu 12 November (GMT).
    expect(weeksAfter('2026-10-01T22:30:00.000Z', 6)).toBe('2026-11-13T00:00:00.000Z');
    expect(addCalendarWeeks('2026-10-01', 8)).toBe('2026-11-26');
  });

  test('R-REV-3: calendar months clamp to the month end like date-fns', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addCalendarMonths('2026-05-15', 12)).toBe('2027-05-15');
    // 12 months after an event at Mon 2 Feb 2026 00:30 GMT: end of Tue 2 Feb 2027.
    expect(monthsAfter('2026-02-02T00:30:00.000Z', 12)).toBe('2027-02-03T00:00:00.000Z');
    // 6 months after 23:30 BST on 31 August: end of 28 February (GMT).
    expect(monthsAfter('2026-08-31T22:30:00.000Z', 6)).toBe('2027-03-01T00:00:00.000Z');
  });

  test('London dates follow the UK rule (last Sunday of March and October, 01:00 UTC) 2015–2045', () => {
    const lastSunday = (year: number, month: number): number => {
      const last = new Date(Date.UTC(year, month + 1, 0));
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay());
    };
    for (let year = 2015; year <= 2045; year++) {
      const spring = lastSunday(year, 2) + HOUR;
      const autumn = lastSunday(year, 9) + HOUR;
      const iso = (t: number) => new Date(t).toISOString();
      const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);
      // Just before the change London is on GMT (spring) / BST (autumn), just after on BST / GMT.
      expect(londonDateOf(iso(spring - 1.5 * HOUR))).toBe(utcDate(spring - DAY)); // Sat 23:30 GMT
      expect(londonDateOf(iso(spring - 1))).toBe(utcDate(spring)); // Sun 00:59 GMT
      expect(londonDateOf(iso(spring + 22 * HOUR - 1))).toBe(utcDate(spring)); // Sun 23:59 BST
      expect(londonDateOf(iso(spring + 22 * HOUR))).toBe(utcDate(spring + DAY)); // Mon 00:00 BST
      expect(londonDateOf(iso(autumn - 2 * HOUR))).toBe(utcDate(autumn)); // 00:00 BST on the Sunday
      expect(londonDateOf(iso(autumn - 2 * HOUR - 1))).toBe(utcDate(autumn - DAY));
      expect(londonDateOf(iso(autumn + 23 * HOUR - 1))).toBe(utcDate(autumn)); // 23:59 GMT
      expect(ms(endOfLondonDay(utcDate(spring))) - ms(startOfLondonDay(utcDate(spring)))).toBe(23 * HOUR);
      expect(ms(endOfLondonDay(utcDate(autumn))) - ms(startOfLondonDay(utcDate(autumn)))).toBe(25 * HOUR);
    }
  });

  test('results do not depend on the host time zone', () => {
    const compute = () => [
      londonDateOf('2026-03-28T23:30:00.000Z'),
      londonDateOf('2026-10-24T23:30:00.000Z'),
      startOfLondonDay('2026-03-30'),
      endOfLondonDay('2026-10-25'),
      addCalendarMonths('2026-01-31', 1),
      addCalendarMonths('2026-10-31', -8),
      addCalendarWeeks('2026-03-20', 6),
      addCalendarWeeks('2026-10-20', 1),
      cal.workingDaysAfter('2026-12-24T10:00:00.000Z', 3),
      weeksAfter('2026-10-01T22:30:00.000Z', 6),
      monthsAfter('2026-08-31T22:30:00.000Z', 6),
    ];
    const original = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const expected = compute();
      for (const zone of [
        'Europe/London',
        'America/New_York',
        'America/Sao_Paulo',
        'Pacific/Chatham',
        'Asia/Kolkata',
      ]) {
        process.env.TZ = zone;
        expect(compute()).toEqual(expected);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('JOURNEY.md §Time: working-day arithmetic', () => {
  test('isWorkingDay: weekends and bank holidays are not working days', () => {
    expect(isWorkingDay('2026-12-23', englandAndWalesBankHolidays)).toBe(true); // Wed
    expect(isWorkingDay('2026-12-26', englandAndWalesBankHolidays)).toBe(false); // Sat
    expect(isWorkingDay('2026-12-27', englandAndWalesBankHolidays)).toBe(false); // Sun
    expect(isWorkingDay('2026-12-28', new Set(englandAndWalesBankHolidays))).toBe(false); // substitute
    expect(isWorkingDay('2026-12-28', [])).toBe(true); // without the data, just a Monday
  });

  test('n = 0 is the date itself; negative n counts back', () => {
    expect(cal.addWorkingDays('2026-12-26', 0)).toBe('2026-12-26');
    expect(cal.addWorkingDays('2026-12-30', -1)).toBe('2026-12-29');
    expect(cal.addWorkingDays('2026-12-29', -1)).toBe('2026-12-24');
    expect(cal.addWorkingDays('2026-12-30', -10)).toBe('2026-12-14');
    expect(addWorkingDays('2027-01-04', -1, englandAndWalesBankHolidays)).toBe('2026-12-31'); // 1 Jan holiday
  });

  test('workingDaysBefore: reminders at the start of the n-th working day before the due day', () => {
    // Due by the end of Wed 23 Dec (stored as 2026-12-24T00:00Z): the due day is Wed 23.
    const due = cal.workingDaysAfter('2026-12-18T10:00:00.000Z', 3);
    expect(cal.workingDaysBefore(due, 0)).toBe('2026-12-23T00:00:00.000Z');
    expect(cal.workingDaysBefore(due, 1)).toBe('2026-12-22T00:00:00.000Z');
    expect(cal.workingDaysBefore(due, 3)).toBe('2026-12-18T00:00:00.000Z'); // the day the clock started
    // Due by the end of Thu 31 Dec: 1 working day before is Wed 30, 3 before is Thu 24 (holidays skipped).
    const due2 = cal.workingDaysAfter('2026-12-24T10:00:00.000Z', 3);
    expect(cal.workingDaysBefore(due2, 1)).toBe('2026-12-30T00:00:00.000Z');
    expect(cal.workingDaysBefore(due2, 3)).toBe('2026-12-24T00:00:00.000Z');
    // A weeks-based deadline on a Saturday (end of Sat 9 Jan 2027): count back from Fri 8 Jan.
    expect(workingDaysBefore(endOfLondonDay('2027-01-09'), 0, englandAndWalesBankHolidays)).toBe(
      '2027-01-08T00:00:00.000Z',
    );
    expect(workingDaysBefore(endOfLondonDay('2027-01-09'), 5, englandAndWalesBankHolidays)).toBe(
      '2026-12-31T00:00:00.000Z',
    );
    // An exact-hours deadline (R-REV-1) mid-afternoon Mon 30 March BST: due day is Mon 30 March.
    const informal = hoursAfter('2026-03-27T14:00:00.000Z', 72);
    expect(cal.workingDaysBefore(informal, 0)).toBe('2026-03-29T23:00:00.000Z');
    expect(cal.workingDaysBefore(informal, 1)).toBe('2026-03-27T00:00:00.000Z');
  });

  test('property: the n-th working day after D is a working day with exactly n working days in (D, result]', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(2015, 0, 1)),
          max: new Date(Date.UTC(2045, 0, 1)),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 60 }),
        (d, n) => {
          const date = d.toISOString().slice(0, 10);
          const result = cal.addWorkingDays(date, n);
          expect(cal.isWorkingDay(result)).toBe(true);
          let count = 0;
          for (let day = addCalendarDays(date, 1); day <= result; day = addCalendarDays(day, 1)) {
            if (cal.isWorkingDay(day)) count++;
          }
          expect(count).toBe(n);
          expect(cal.addWorkingDays(cal.addWorkingDays(result, -n), n)).toBe(result);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: a deadline is the London midnight ending the due day; reminders fall strictly before it', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(2015, 0, 1)),
          max: new Date(Date.UTC(2045, 0, 1)),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        (d, n, lead) => {
          const at = d.toISOString();
          const due = cal.workingDaysAfter(at, n);
          const dueDay = cal.addWorkingDays(londonDateOf(at), n);
          expect(due).toBe(endOfLondonDay(dueDay));
          expect(londonDateOf(new Date(ms(due) - 1).toISOString())).toBe(dueDay);
          expect(londonDateOf(due)).toBe(addCalendarDays(dueDay, 1));
          expect(ms(due)).toBeGreaterThan(ms(at));
          const reminder = cal.workingDaysBefore(due, lead);
          expect(ms(reminder)).toBeLessThan(ms(due));
          expect(cal.isWorkingDay(londonDateOf(reminder))).toBe(true);
          expect(startOfLondonDay(londonDateOf(reminder))).toBe(reminder);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: London days are 24 hours, except 23 and 25 on the days the clocks change', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(2015, 0, 1)),
          max: new Date(Date.UTC(2045, 0, 1)),
          noInvalidDate: true,
        }),
        (d) => {
          const date = d.toISOString().slice(0, 10);
          const length = ms(endOfLondonDay(date)) - ms(startOfLondonDay(date));
          expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(length);
          expect(londonDateOf(startOfLondonDay(date))).toBe(date);
          expect(endOfLondonDay(date)).toBe(startOfLondonDay(addCalendarDays(date, 1)));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('rejects malformed dates, instants and counts', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(() => cal.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-12-18', 1.5)).toThrow(RangeError);
    expect(() => cal.workingDaysAfter('2026-12-18T10:00:00.000Z', -1)).toThrow(RangeError);
    // Without an offset an instant would be read in the host's time zone: refused.
    expect(() => londonDateOf('2026-12-18T10:00:00')).toThrow(RangeError);
    expect(() => londonDateOf('2026-12-18')).toThrow(RangeError);
    expect(() => hoursAfter('2026-12-18T10:00:00.000Z', Number.NaN)).toThrow(RangeError);
    expect(() => englandAndWalesCalendar(['2026-12-28 '])).toThrow(RangeError);
  });
});

describe('JOURNEY.md §Time: bank-holiday data', () => {
  test('the generated table matches date-holidays GB-ENG public holidays 2020–2035', () => {
    const hd = new Holidays('GB', 'ENG');
    const expected: string[] = [];
    for (let year = 2020; year <= 2035; year++) {
      for (const h of hd.getHolidays(year)) if (h.type === 'public') expected.push(h.date.slice(0, 10));
    }
    const actual = englandAndWalesBankHolidays.filter((d) => d >= '2020-01-01' && d <= '2035-12-31');
    expect(actual).toEqual([...new Set(expected)].sort());
  });

  test('the table was generated from the installed date-holidays version (else regenerate it)', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8')) as {
      version: string;
    };
    expect(bankHolidayDataVersion).toBe(pkg.version);
  });

  test('the table is sorted, unique, valid and covers its years', () => {
    expect([...englandAndWalesBankHolidays].sort()).toEqual(englandAndWalesBankHolidays);
    expect(new Set(englandAndWalesBankHolidays).size).toBe(englandAndWalesBankHolidays.length);
    expect(englandAndWalesBankHolidays.every(isLocalDate)).toBe(true);
    expect(englandAndWalesBankHolidays[0]).toBe(`${bankHolidayCoverage.firstYear}-01-01`);
    expect(englandAndWalesBankHolidays.at(-1)?.slice(0, 4)).toBe(String(bankHolidayCoverage.lastYear));
  });

  test('substitute days and one-off holidays are in the table; the days they replaced are not', () => {
    for (const d of [
      '2026-12-28', // Boxing Day substitute (Sat 26)
      '2027-12-27', // Christmas Day substitute (Sat 25)
      '2027-12-28', // Boxing Day substitute (Sun 26)
      '2022-01-03', // New Year's Day substitute (Sat 1)
      '2020-05-08', // Early May bank holiday moved to VE Day
      '2022-06-02', // Spring bank holiday moved for the Platinum Jubilee
      '2022-06-03', // Platinum Jubilee
      '2022-09-19', // State Funeral of Queen Elizabeth II
      '2023-05-08', // Coronation of King Charles III
    ]) {
      expect(englandAndWalesBankHolidays).toContain(d);
      expect(cal.isWorkingDay(d)).toBe(false);
    }
    expect(englandAndWalesBankHolidays).not.toContain('2020-05-04');
    expect(englandAndWalesBankHolidays).not.toContain('2022-05-30');
  });

  test('JOURNEY.md §Time: a change to the bank-holiday data does not move a deadline already set', () => {
    // A journey sets its R-EMG-1 deadline with today's data and stores it as an instant.
    const stored = { dueAt: cal.workingDaysAfter('2026-12-18T10:00:00.000Z', 3) };
    expect(stored.dueAt).toBe('2026-12-24T00:00:00.000Z');
    // New data arrives with a one-off bank holiday on Tue 22 Dec 2026.
    const newData = englandAndWalesCalendar([...englandAndWalesBankHolidays, '2026-12-22']);
    expect(newData.isWorkingDay('2026-12-22')).toBe(false);
    // Deadlines computed from now on use it...
    expect(newData.workingDaysAfter('2026-12-18T10:00:00.000Z', 3)).toBe('2026-12-25T00:00:00.000Z');
    // ...but the stored deadline is an instant, which no calendar is consulted to interpret again.
    expect(stored.dueAt).toBe('2026-12-24T00:00:00.000Z');
    expect(cal.workingDaysAfter('2026-12-18T10:00:00.000Z', 3)).toBe('2026-12-24T00:00:00.000Z');
  });

  test('machines/calendar is safe for the workflow sandbox: no clock, no holiday library at run time', () => {
    const dir = path.join(__dirname, '..', '..', 'machines', 'calendar');
    for (const file of ['workingDays.ts', 'index.ts', 'englandAndWalesBankHolidays.ts']) {
      const code = readFileSync(path.join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(/Date\.now\s*\(/);
      expect(code).not.toMatch(/new Date\s*\(\s*\)/);
      expect(code).not.toMatch(/['"]date-holidays['"]/);
      expect(code).not.toMatch(/['"](node:)?(fs|path|process)['"]/);
    }
  });
});
