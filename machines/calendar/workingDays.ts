/**
 * The England and Wales working-day calendar the journey machine computes statutory deadlines with
 * (JOURNEY.md §Time):
 *
 * - Working days are Monday–Friday excluding England and Wales bank holidays (substitute days and
 *   one-off holidays included).
 * - "Within N working days of D" means by the end of the N-th working day after D (R-EMG-1, R-END-1,
 *   R-REV-6).
 * - Local time is Europe/London: an instant belongs to the London calendar date it falls on, and a
 *   day ends at the London midnight that starts the next day (23:00Z in summer, 24:00Z in winter), so
 *   daylight saving changes never shift a date.
 * - Hours are calendar hours (R-REV-1, 72 hours = exactly 259 200 s); weeks and months are calendar
 *   weeks and months (R-REV-2..5, R-END-2, R-TRF-1).
 *
 * Everything here is pure and deterministic, so it runs inside Temporal's workflow sandbox: no clock
 * (`Date` is only ever built from explicit arguments), no I/O, no holiday library at run time (the bank
 * holidays are a generated list, see englandAndWalesBankHolidays.ts). Results are ISO instants in UTC
 * with milliseconds ('2026-12-24T00:00:00.000Z') and London dates as 'YYYY-MM-DD' strings.
 *
 * A deadline, once computed, is stored as an instant: a later change to the bank-holiday data (a new
 * one-off holiday, a regenerated table) changes only deadlines computed afterwards, never one already
 * set on a running journey (JOURNEY.md §Time). `englandAndWalesCalendar(holidays)` makes injecting a
 * different list easy.
 */
import { tz, tzOffset } from '@date-fns/tz';
import { addMonths } from 'date-fns/addMonths';
import { addWeeks } from 'date-fns/addWeeks';
import { englandAndWalesBankHolidays } from './englandAndWalesBankHolidays';

/** A Europe/London calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** Bank holidays as London dates ('YYYY-MM-DD'); a Set or a list. */
export type HolidayList = ReadonlySet<LocalDate> | readonly LocalDate[];

export const LONDON_TIME_ZONE = 'Europe/London';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An ISO 8601 instant with an explicit offset (a string without one would be read in the host's zone). */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
/** date-fns context: plain dates are anchored at UTC midnight, where no daylight saving can intervene. */
const inUtc = tz('UTC');

// ---------------------------------------------------------------------------------------------------
// Parsing and formatting

/** Whether `value` is a real calendar date written 'YYYY-MM-DD' (so '2026-02-30' is not). */
export function isLocalDate(value: string): value is LocalDate {
  const m = LOCAL_DATE_RE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return formatUtcDate(ms) === value;
}

/** The UTC midnight (epoch ms) that anchors a London date for plain calendar arithmetic. */
function utcMidnightOf(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The UTC calendar date of an epoch ms. */
function formatUtcDate(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseInstant(instantIso: string): number {
  const ms = INSTANT_RE.test(instantIso) ? Date.parse(instantIso) : NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `not an ISO instant with an offset (e.g. '2026-12-18T10:00:00.000Z'): ${instantIso}`,
    );
  }
  return ms;
}

function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

function requireInteger(n: number, what: string, min = -Infinity): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${what} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${n}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Europe/London

/**
 * London's offset by UTC hour. Clocks change on the hour (01:00 UTC), so the offset is the same
 * for a whole UTC hour; looking it up through Intl on every call was the machine's largest cost.
 * Pure, so a per-workflow copy of this cache is as deterministic as the lookup itself.
 */
const offsetByUtcHour = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 10_000;

/** London's UTC offset in minutes at an instant (0 in GMT, 60 in BST), from the runtime's tz data. */
function londonOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const known = offsetByUtcHour.get(hour);
  if (known !== undefined) return known;
  const offset = tzOffset(LONDON_TIME_ZONE, new Date(ms));
  if (!Number.isFinite(offset)) throw new Error(`no time zone data for ${LONDON_TIME_ZONE}`);
  if (offsetByUtcHour.size >= OFFSET_CACHE_LIMIT) offsetByUtcHour.clear();
  offsetByUtcHour.set(hour, offset);
  return offset;
}

/**
 * The Europe/London calendar date of an instant. 2026-07-01T22:30:00Z is 23:30 BST, so 2026-07-01;
 * 2026-07-01T23:30:00Z is already 2026-07-02 in London.
 */
export function londonDateOf(instantIso: string): LocalDate {
  const ms = parseInstant(instantIso);
  return formatUtcDate(ms + londonOffsetMinutes(ms) * 60_000);
}

function startOfLondonDayMs(date: LocalDate): number {
  const midnightUtc = utcMidnightOf(date);
  // London midnight = UTC midnight minus the offset in force at London midnight. The offset at UTC
  // midnight is the first guess; a second look settles the case where the two sides of a change differ
  // (in the UK clocks change at 01:00 UTC, so London midnight always exists and is never ambiguous).
  const guess = midnightUtc - londonOffsetMinutes(midnightUtc) * 60_000;
  return midnightUtc - londonOffsetMinutes(guess) * 60_000;
}

/** The instant a London day starts: '2026-07-01' → '2026-06-30T23:00:00.000Z'. */
export function startOfLondonDay(date: LocalDate): string {
  return formatInstant(startOfLondonDayMs(date));
}

/**
 * The instant a London day ends, which is the instant the next London day starts: '2026-07-01' →
 * '2026-07-01T23:00:00.000Z' (BST), '2026-12-23' → '2026-12-24T00:00:00.000Z' (GMT). "By the end of
 * D" deadlines are this instant: anything strictly before it is in time.
 */
export function endOfLondonDay(date: LocalDate): string {
  return formatInstant(startOfLondonDayMs(addCalendarDays(date, 1)));
}

// ---------------------------------------------------------------------------------------------------
// Plain calendar arithmetic on London dates

/** `date` plus `n` calendar days (n may be negative). */
export function addCalendarDays(date: LocalDate, n: number): LocalDate {
  requireInteger(n, 'days');
  return formatUtcDate(utcMidnightOf(date) + n * DAY_MS);
}

/** `date` plus `n` calendar weeks (date-fns addWeeks). */
export function addCalendarWeeks(date: LocalDate, n: number): LocalDate {
  requireInteger(n, 'weeks');
  return formatUtcDate(addWeeks(utcMidnightOf(date), n, { in: inUtc }).getTime());
}

/**
 * `date` plus `n` calendar months (date-fns addMonths): the same day of the month, or the month's last
 * day where it is shorter ('2026-01-31' + 1 → '2026-02-28'; '2028-01-31' + 1 → '2028-02-29').
 */
export function addCalendarMonths(date: LocalDate, n: number): LocalDate {
  requireInteger(n, 'months');
  return formatUtcDate(addMonths(utcMidnightOf(date), n, { in: inUtc }).getTime());
}

// ---------------------------------------------------------------------------------------------------
// Working days

const holidaySets = new WeakMap<object, ReadonlySet<LocalDate>>();

/**
 * A validated Set for a holiday list, cached per list object, so passing the same array again costs
 * nothing. Lists are read once: treat them as immutable.
 */
function holidaySet(holidays: HolidayList): ReadonlySet<LocalDate> {
  const cached = holidaySets.get(holidays);
  if (cached) return cached;
  const set = new Set<LocalDate>();
  for (const date of holidays) {
    if (!isLocalDate(date))
      throw new RangeError(`bank holiday is not a 'YYYY-MM-DD' date: ${JSON.stringify(date)}`);
    set.add(date);
  }
  holidaySets.set(holidays, set);
  holidaySets.set(set, set);
  return set;
}

function isWorkingDayMs(ms: number, holidays: ReadonlySet<LocalDate>): boolean {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(formatUtcDate(ms));
}

/** Monday to Friday and not a bank holiday (JOURNEY.md §Time). */
export function isWorkingDay(date: LocalDate, holidays: HolidayList): boolean {
  return isWorkingDayMs(utcMidnightOf(date), holidaySet(holidays));
}

/**
 * The n-th working day after `date` (n >= 1): "within N working days of D" is by the end of
 * addWorkingDays(D, N). `date` itself never counts, whether or not it is a working day: Fri 2026-12-18
 * + 3 → Wed 2026-12-23 (21, 22, 23); Thu 2026-12-24 + 3 → Thu 2026-12-31 (25 Dec and the 28 Dec
 * Boxing Day substitute are bank holidays: 29, 30, 31).
 *
 * n = 0 returns `date` itself (working day or not). n < 0 counts back: the |n|-th working day before
 * `date` (for "remind 5 working days before"), so addWorkingDays(addWorkingDays(D, -n), n) = D for
 * every working day D.
 */
export function addWorkingDays(date: LocalDate, n: number, holidays: HolidayList): LocalDate {
  requireInteger(n, 'working days');
  const set = holidaySet(holidays);
  const step = n < 0 ? -DAY_MS : DAY_MS;
  let ms = utcMidnightOf(date);
  for (let remaining = Math.abs(n); remaining > 0;) {
    ms += step;
    if (isWorkingDayMs(ms, set)) remaining--;
  }
  return formatUtcDate(ms);
}

/**
 * The deadline for "within n working days of" an event at `instantIso` (n >= 0): the end of the n-th
 * working day after the event's London date. R-EMG-1: interim services set up at any time on Fri
 * 2026-12-18 → '2026-12-24T00:00:00.000Z' (end of Wed 23 Dec). R-END-1: end letter posted Mon
 * 2026-12-14, 10 working days → end of Wed 30 Dec, so services may end on 30 Dec at the earliest.
 *
 * The event's own day never counts, even when the event happens at 00:00 on it. Note that a deadline
 * produced here is a London midnight, whose London date is the day after the due day: to count on
 * from a deadline (escalations), count from the due day, londonDateOf of one millisecond earlier, or
 * use addWorkingDays on the due day directly.
 */
export function workingDaysAfter(instantIso: string, n: number, holidays: HolidayList): string {
  requireInteger(n, 'working days', 0);
  return endOfLondonDay(addWorkingDays(londonDateOf(instantIso), n, holidays));
}

/**
 * When to send a reminder `n` working days (n >= 0) before a deadline at `instantIso`: the start
 * (London midnight) of the n-th working day before the deadline's last working day.
 *
 * - The deadline's "due day" is the London day its last moment falls in (the London date of one
 *   millisecond before the instant), so a deadline at the end of a day, as workingDaysAfter /
 *   weeksAfter / monthsAfter produce ('2026-12-24T00:00:00.000Z' = end of Wed 23 Dec), is due on that
 *   day (23 Dec), not the next; an exact-hours deadline (R-REV-1, 72 hours) is due on its own date.
 * - If the due day is not a working day (a weeks- or months-based deadline on a Saturday, a bank
 *   holiday), counting starts from the last working day before it, where the work can still be done.
 * - n = 0 is the start of that working day ("on the day"); n = 1 the start of the working day before.
 *
 * So for a deadline workingDaysAfter(t, N): workingDaysBefore(deadline, k) is the start of
 * addWorkingDays(dueDay, -k), and k = N gives the start of the working day on or before t's London date
 * (end of Wed 23 Dec, k = 1 → '2026-12-22T00:00:00.000Z', start of Tue 22 Dec). The result is always
 * strictly before `instantIso`; it may be in the past when the lead is longer than the time available,
 * which the caller decides how to treat.
 */
export function workingDaysBefore(instantIso: string, n: number, holidays: HolidayList): string {
  requireInteger(n, 'working days', 0);
  const set = holidaySet(holidays);
  let dueDayMs = utcMidnightOf(londonDateOfMs(parseInstant(instantIso) - 1));
  while (!isWorkingDayMs(dueDayMs, set)) dueDayMs -= DAY_MS;
  return startOfLondonDay(addWorkingDays(formatUtcDate(dueDayMs), -n, set));
}

function londonDateOfMs(ms: number): LocalDate {
  return formatUtcDate(ms + londonOffsetMinutes(ms) * 60_000);
}

// ---------------------------------------------------------------------------------------------------
// Calendar timescales

/** The end of the London day `n` calendar weeks after the event's London date (R-REV-2, R-END-2, R-TRF-1). */
export function weeksAfter(instantIso: string, n: number): string {
  return endOfLondonDay(addCalendarWeeks(londonDateOf(instantIso), n));
}

/** The end of the London day `n` calendar months after the event's London date (R-REV-3..5). */
export function monthsAfter(instantIso: string, n: number): string {
  return endOfLondonDay(addCalendarMonths(londonDateOf(instantIso), n));
}

/** Exactly `hours` × 3600 s after the instant: calendar hours, daylight saving or not (R-REV-1). */
export function hoursAfter(instantIso: string, hours: number): string {
  if (!Number.isFinite(hours)) throw new RangeError(`hours must be a finite number, got ${hours}`);
  return formatInstant(parseInstant(instantIso) + Math.round(hours * HOUR_MS));
}

// ---------------------------------------------------------------------------------------------------
// A calendar bound to one bank-holiday list

/** The working-day calendar with its bank holidays bound (see the functions of the same names). */
export interface Calendar {
  /** The bank holidays this calendar uses. */
  readonly holidays: ReadonlySet<LocalDate>;
  isWorkingDay(date: LocalDate): boolean;
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  workingDaysAfter(instantIso: string, n: number): string;
  workingDaysBefore(instantIso: string, n: number): string;
  londonDateOf(instantIso: string): LocalDate;
  startOfLondonDay(date: LocalDate): string;
  endOfLondonDay(date: LocalDate): string;
  addCalendarDays(date: LocalDate, n: number): LocalDate;
  addCalendarWeeks(date: LocalDate, n: number): LocalDate;
  addCalendarMonths(date: LocalDate, n: number): LocalDate;
  weeksAfter(instantIso: string, n: number): string;
  monthsAfter(instantIso: string, n: number): string;
  hoursAfter(instantIso: string, hours: number): string;
}

/**
 * The England and Wales calendar, by default with the generated bank-holiday list; pass another list
 * (tests, a council's extra closure days, newer data) to compute with that instead.
 */
export function englandAndWalesCalendar(holidays: HolidayList = englandAndWalesBankHolidays): Calendar {
  const set = holidaySet(holidays);
  return Object.freeze({
    holidays: set,
    isWorkingDay: (date: LocalDate) => isWorkingDay(date, set),
    addWorkingDays: (date: LocalDate, n: number) => addWorkingDays(date, n, set),
    workingDaysAfter: (instantIso: string, n: number) => workingDaysAfter(instantIso, n, set),
    workingDaysBefore: (instantIso: string, n: number) => workingDaysBefore(instantIso, n, set),
    londonDateOf,
    startOfLondonDay,
    endOfLondonDay,
    addCalendarDays,
    addCalendarWeeks,
    addCalendarMonths,
    weeksAfter,
    monthsAfter,
    hoursAfter,
  });
}
