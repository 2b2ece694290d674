/**
 * The England and Wales working-day calendar (JOURNEY.md §Time): pure, deterministic, safe inside the
 * Temporal workflow sandbox. See workingDays.ts for the rules and englandAndWalesBankHolidays.ts (generated)
 * for the data.
 */
export {
  addCalendarDays,
  addCalendarMonths,
  addCalendarWeeks,
  addWorkingDays,
  endOfLondonDay,
  englandAndWalesCalendar,
  hoursAfter,
  isLocalDate,
  isWorkingDay,
  londonDateOf,
  LONDON_TIME_ZONE,
  monthsAfter,
  startOfLondonDay,
  weeksAfter,
  workingDaysAfter,
  workingDaysBefore,
} from './workingDays';
export type { Calendar, HolidayList, LocalDate } from './workingDays';
export {
  bankHolidayCoverage,
  bankHolidayDataVersion,
  englandAndWalesBankHolidays,
} from './englandAndWalesBankHolidays';
export { bankHolidaysAround } from './pinning';
