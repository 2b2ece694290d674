import { englandAndWalesBankHolidays } from './englandAndWalesBankHolidays';

/**
 * The bank holidays a journey pins in its snapshot: from a few years before `instant` (events may
 * be recorded late) to a few years after, plus any the council has configured ahead of the data
 * (a one-off holiday is announced months before a data release). A journey's deadlines are never more than weeks ahead in working days, and the workflow
 * re-pins at each continue-as-new (at least yearly), so the window always covers what it counts.
 */
export function bankHolidaysAround(
  instant: string,
  extra: readonly string[] = [],
  { yearsBehind = 3, yearsAhead = 3 } = {},
): string[] {
  const year = Number(instant.slice(0, 4));
  const from = `${year - yearsBehind}-01-01`;
  const to = `${year + yearsAhead}-12-31`;
  const all = new Set([...englandAndWalesBankHolidays, ...extra]);
  return [...all].filter((d) => d >= from && d <= to).sort();
}
