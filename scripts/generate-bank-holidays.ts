/**
 * Generates machines/calendar/englandAndWalesBankHolidays.ts: the England and Wales bank holidays
 * (JOURNEY.md §Time) as a plain, sorted list of London dates, so the calendar the workflow uses needs
 * no holiday library at run time (the Temporal workflow bundle stays small and deterministic).
 *
 *   npx tsx scripts/generate-bank-holidays.ts
 *
 * Source: the npm package date-holidays, `new Holidays('GB', 'ENG')`, holidays of type 'public' only
 * (date-holidays also reports 'observance' days such as Mother's Day and Easter Sunday, which are not
 * days off). Substitute days ("Boxing Day (substitute day)") and one-off holidays (jubilees, the
 * 2022 state funeral, the 2023 coronation) are 'public' days in that data.
 *
 * The output is deterministic (no timestamp): regenerating with the same date-holidays version gives
 * the same file, so a diff of the checked-in file shows exactly which days changed. Changing the data
 * does not move deadlines already set: running journeys store deadlines as instants (JOURNEY.md §Time).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Holidays from 'date-holidays';
import { format, resolveConfig } from 'prettier';

const FIRST_YEAR = 2015;
const LAST_YEAR = 2045;
const OUTPUT = path.join(__dirname, '..', 'machines', 'calendar', 'englandAndWalesBankHolidays.ts');

/** Days the generator refuses to do without: substitute days and one-off bank holidays. */
const MUST_CONTAIN: Record<string, string> = {
  '2020-05-08': 'Early May bank holiday moved to VE Day',
  '2022-06-02': 'Spring bank holiday moved for the Platinum Jubilee',
  '2022-06-03': 'Platinum Jubilee',
  '2022-09-19': 'State Funeral of Queen Elizabeth II',
  '2022-12-27': 'Christmas Day substitute',
  '2023-01-02': "New Year's Day substitute",
  '2023-05-08': 'Coronation of King Charles III',
  '2026-12-28': 'Boxing Day substitute',
  '2027-12-27': 'Christmas Day substitute',
  '2027-12-28': 'Boxing Day substitute',
};
/** Regular days the one-off changes replaced: they must not be there. */
const MUST_NOT_CONTAIN: Record<string, string> = {
  '2020-05-04': 'Early May bank holiday 2020 was moved to Fri 8 May',
  '2022-05-30': 'Spring bank holiday 2022 was moved to Thu 2 June',
};

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function publicHolidays(region: string): Map<string, string> {
  const hd = new Holidays('GB', region);
  const byDate = new Map<string, string>();
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      // `date` is the local (Europe/London) date and time the holiday starts: 'YYYY-MM-DD 00:00:00'.
      const date = h.date.slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || h.date.slice(10) !== ' 00:00:00') {
        throw new Error(`unexpected date-holidays date ${JSON.stringify(h.date)} (${h.name})`);
      }
      const existing = byDate.get(date);
      byDate.set(date, existing ? `${existing} / ${h.name}` : h.name);
    }
  }
  return byDate;
}

function weekdayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] as string;
}

async function main(): Promise<void> {
  const version = (
    JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8')) as { version: string }
  ).version;

  const england = publicHolidays('ENG');
  const wales = publicHolidays('WLS');
  const dates = [...england.keys()].sort();
  const walesDates = [...wales.keys()].sort();
  if (dates.join() !== walesDates.join()) {
    throw new Error('date-holidays has different public holidays for GB-ENG and GB-WLS; review before use');
  }
  for (const [date, why] of Object.entries(MUST_CONTAIN)) {
    if (!england.has(date)) throw new Error(`expected bank holiday ${date} (${why}) is missing`);
  }
  for (const [date, why] of Object.entries(MUST_NOT_CONTAIN)) {
    if (england.has(date)) throw new Error(`unexpected bank holiday ${date} (${why})`);
  }

  const lines = dates.map((date) => {
    const weekday = weekdayOf(date);
    const weekend = weekday === 'Saturday' || weekday === 'Sunday';
    const note = weekend ? ' — a weekend day; the substitute day is the day off' : '';
    return `  '${date}', // ${weekday.slice(0, 3)} ${england.get(date)}${note}`;
  });

  const source = `/**
 * GENERATED FILE — do not edit by hand. Regenerate with:
 *
 *   npx tsx scripts/generate-bank-holidays.ts
 *
 * England and Wales bank holidays ${FIRST_YEAR}–${LAST_YEAR} (JOURNEY.md §Time), from the npm package
 * date-holidays ${version}: \`new Holidays('GB', 'ENG')\`, holidays of type 'public' only, including
 * substitute days and one-off holidays (the generator checks GB-WLS gives the same days). Dates are
 * Europe/London calendar dates (YYYY-MM-DD), sorted. A date-holidays 'public' day that falls on a
 * weekend (e.g. Boxing Day on a Saturday) is listed as the source gives it; it changes nothing, as
 * weekends are never working days, and its substitute day is listed too.
 *
 * Deadlines already set on running journeys are stored as instants, so regenerating this file
 * (new data, a new one-off holiday) changes only deadlines computed afterwards.
 */

/** The date-holidays version the list was generated from. */
export const bankHolidayDataVersion = '${version}';

/** The years the list covers; outside them the calendar knows no bank holidays. */
export const bankHolidayCoverage = { firstYear: ${FIRST_YEAR}, lastYear: ${LAST_YEAR} } as const;

export const englandAndWalesBankHolidays: readonly string[] = [
${lines.join('\n')}
];
`;
  const options = (await resolveConfig(OUTPUT)) ?? {};
  const formatted = await format(source, { ...options, filepath: OUTPUT });
  writeFileSync(OUTPUT, formatted);
  console.log(
    `wrote ${path.relative(process.cwd(), OUTPUT)}: ${dates.length} days, ${FIRST_YEAR}–${LAST_YEAR}, date-holidays ${version}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
