/**
 * GENERATED FILE — do not edit by hand. Regenerate with:
 *
 *   npx tsx scripts/generate-bank-holidays.ts
 *
 * England and Wales bank holidays 2015–2045 (JOURNEY.md §Time), from the npm package
 * date-holidays 3.37.0: `new Holidays('GB', 'ENG')`, holidays of type 'public' only, including
 * substitute days and one-off holidays (the generator checks GB-WLS gives the same days). Dates are
 * Europe/London calendar dates (YYYY-MM-DD), sorted. A date-holidays 'public' day that falls on a
 * weekend (e.g. Boxing Day on a Saturday) is listed as the source gives it; it changes nothing, as
 * weekends are never working days, and its substitute day is listed too.
 *
 * Deadlines already set on running journeys are stored as instants, so regenerating this file
 * (new data, a new one-off holiday) changes only deadlines computed afterwards.
 */

/** The date-holidays version the list was generated from. */
export const bankHolidayDataVersion = '3.37.0';

/** The years the list covers; outside them the calendar knows no bank holidays. */
export const bankHolidayCoverage = { firstYear: 2015, lastYear: 2045 } as const;

export const englandAndWalesBankHolidays: readonly string[] = [
  '2015-01-01', // Thu New Year's Day
  '2015-04-03', // Fri Good Friday
  '2015-04-06', // Mon Easter Monday
  '2015-05-04', // Mon Early May bank holiday
  '2015-05-25', // Mon Spring bank holiday
  '2015-08-31', // Mon Summer bank holiday
  '2015-12-25', // Fri Christmas Day
  '2015-12-26', // Sat Boxing Day — a weekend day; the substitute day is the day off
  '2015-12-28', // Mon Boxing Day (substitute day)
  '2016-01-01', // Fri New Year's Day
  '2016-03-25', // Fri Good Friday
  '2016-03-28', // Mon Easter Monday
  '2016-05-02', // Mon Early May bank holiday
  '2016-05-30', // Mon Spring bank holiday
  '2016-08-29', // Mon Summer bank holiday
  '2016-12-25', // Sun Christmas Day — a weekend day; the substitute day is the day off
  '2016-12-26', // Mon Boxing Day
  '2016-12-27', // Tue Christmas Day (substitute day)
  '2017-01-01', // Sun New Year's Day — a weekend day; the substitute day is the day off
  '2017-01-02', // Mon New Year's Day (substitute day)
  '2017-04-14', // Fri Good Friday
  '2017-04-17', // Mon Easter Monday
  '2017-05-01', // Mon Early May bank holiday
  '2017-05-29', // Mon Spring bank holiday
  '2017-08-28', // Mon Summer bank holiday
  '2017-12-25', // Mon Christmas Day
  '2017-12-26', // Tue Boxing Day
  '2018-01-01', // Mon New Year's Day
  '2018-03-30', // Fri Good Friday
  '2018-04-02', // Mon Easter Monday
  '2018-05-07', // Mon Early May bank holiday
  '2018-05-28', // Mon Spring bank holiday
  '2018-08-27', // Mon Summer bank holiday
  '2018-12-25', // Tue Christmas Day
  '2018-12-26', // Wed Boxing Day
  '2019-01-01', // Tue New Year's Day
  '2019-04-19', // Fri Good Friday
  '2019-04-22', // Mon Easter Monday
  '2019-05-06', // Mon Early May bank holiday
  '2019-05-27', // Mon Spring bank holiday
  '2019-08-26', // Mon Summer bank holiday
  '2019-12-25', // Wed Christmas Day
  '2019-12-26', // Thu Boxing Day
  '2020-01-01', // Wed New Year's Day
  '2020-04-10', // Fri Good Friday
  '2020-04-13', // Mon Easter Monday
  '2020-05-08', // Fri Early May bank holiday (VE day)
  '2020-05-25', // Mon Spring bank holiday
  '2020-08-31', // Mon Summer bank holiday
  '2020-12-25', // Fri Christmas Day
  '2020-12-26', // Sat Boxing Day — a weekend day; the substitute day is the day off
  '2020-12-28', // Mon Boxing Day (substitute day)
  '2021-01-01', // Fri New Year's Day
  '2021-04-02', // Fri Good Friday
  '2021-04-05', // Mon Easter Monday
  '2021-05-03', // Mon Early May bank holiday
  '2021-05-31', // Mon Spring bank holiday
  '2021-08-30', // Mon Summer bank holiday
  '2021-12-25', // Sat Christmas Day — a weekend day; the substitute day is the day off
  '2021-12-26', // Sun Boxing Day — a weekend day; the substitute day is the day off
  '2021-12-27', // Mon Christmas Day (substitute day)
  '2021-12-28', // Tue Boxing Day (substitute day)
  '2022-01-01', // Sat New Year's Day — a weekend day; the substitute day is the day off
  '2022-01-03', // Mon New Year's Day (substitute day)
  '2022-04-15', // Fri Good Friday
  '2022-04-18', // Mon Easter Monday
  '2022-05-02', // Mon Early May bank holiday
  '2022-06-02', // Thu Spring bank holiday
  '2022-06-03', // Fri Queen’s Platinum Jubilee
  '2022-08-29', // Mon Summer bank holiday
  '2022-09-19', // Mon Queen Elizabeth's Funeral Day
  '2022-12-25', // Sun Christmas Day — a weekend day; the substitute day is the day off
  '2022-12-26', // Mon Boxing Day
  '2022-12-27', // Tue Christmas Day (substitute day)
  '2023-01-01', // Sun New Year's Day — a weekend day; the substitute day is the day off
  '2023-01-02', // Mon New Year's Day (substitute day)
  '2023-04-07', // Fri Good Friday
  '2023-04-10', // Mon Easter Monday
  '2023-05-01', // Mon Early May bank holiday
  '2023-05-08', // Mon King Charles III's Coronation
  '2023-05-29', // Mon Spring bank holiday
  '2023-08-28', // Mon Summer bank holiday
  '2023-12-25', // Mon Christmas Day
  '2023-12-26', // Tue Boxing Day
  '2024-01-01', // Mon New Year's Day
  '2024-03-29', // Fri Good Friday
  '2024-04-01', // Mon Easter Monday
  '2024-05-06', // Mon Early May bank holiday
  '2024-05-27', // Mon Spring bank holiday
  '2024-08-26', // Mon Summer bank holiday
  '2024-12-25', // Wed Christmas Day
  '2024-12-26', // Thu Boxing Day
  '2025-01-01', // Wed New Year's Day
  '2025-04-18', // Fri Good Friday
  '2025-04-21', // Mon Easter Monday
  '2025-05-05', // Mon Early May bank holiday
  '2025-05-26', // Mon Spring bank holiday
  '2025-08-25', // Mon Summer bank holiday
  '2025-12-25', // Thu Christmas Day
  '2025-12-26', // Fri Boxing Day
  '2026-01-01', // Thu New Year's Day
  '2026-04-03', // Fri Good Friday
  '2026-04-06', // Mon Easter Monday
  '2026-05-04', // Mon Early May bank holiday
  '2026-05-25', // Mon Spring bank holiday
  '2026-08-31', // Mon Summer bank holiday
  '2026-12-25', // Fri Christmas Day
  '2026-12-26', // Sat Boxing Day — a weekend day; the substitute day is the day off
  '2026-12-28', // Mon Boxing Day (substitute day)
  '2027-01-01', // Fri New Year's Day
  '2027-03-26', // Fri Good Friday
  '2027-03-29', // Mon Easter Monday
  '2027-05-03', // Mon Early May bank holiday
  '2027-05-31', // Mon Spring bank holiday
  '2027-08-30', // Mon Summer bank holiday
  '2027-12-25', // Sat Christmas Day — a weekend day; the substitute day is the day off
  '2027-12-26', // Sun Boxing Day — a weekend day; the substitute day is the day off
  '2027-12-27', // Mon Christmas Day (substitute day)
  '2027-12-28', // Tue Boxing Day (substitute day)
  '2028-01-01', // Sat New Year's Day — a weekend day; the substitute day is the day off
  '2028-01-03', // Mon New Year's Day (substitute day)
  '2028-04-14', // Fri Good Friday
  '2028-04-17', // Mon Easter Monday
  '2028-05-01', // Mon Early May bank holiday
  '2028-05-29', // Mon Spring bank holiday
  '2028-08-28', // Mon Summer bank holiday
  '2028-12-25', // Mon Christmas Day
  '2028-12-26', // Tue Boxing Day
  '2029-01-01', // Mon New Year's Day
  '2029-03-30', // Fri Good Friday
  '2029-04-02', // Mon Easter Monday
  '2029-05-07', // Mon Early May bank holiday
  '2029-05-28', // Mon Spring bank holiday
  '2029-08-27', // Mon Summer bank holiday
  '2029-12-25', // Tue Christmas Day
  '2029-12-26', // Wed Boxing Day
  '2030-01-01', // Tue New Year's Day
  '2030-04-19', // Fri Good Friday
  '2030-04-22', // Mon Easter Monday
  '2030-05-06', // Mon Early May bank holiday
  '2030-05-27', // Mon Spring bank holiday
  '2030-08-26', // Mon Summer bank holiday
  '2030-12-25', // Wed Christmas Day
  '2030-12-26', // Thu Boxing Day
  '2031-01-01', // Wed New Year's Day
  '2031-04-11', // Fri Good Friday
  '2031-04-14', // Mon Easter Monday
  '2031-05-05', // Mon Early May bank holiday
  '2031-05-26', // Mon Spring bank holiday
  '2031-08-25', // Mon Summer bank holiday
  '2031-12-25', // Thu Christmas Day
  '2031-12-26', // Fri Boxing Day
  '2032-01-01', // Thu New Year's Day
  '2032-03-26', // Fri Good Friday
  '2032-03-29', // Mon Easter Monday
  '2032-05-03', // Mon Early May bank holiday
  '2032-05-31', // Mon Spring bank holiday
  '2032-08-30', // Mon Summer bank holiday
  '2032-12-25', // Sat Christmas Day — a weekend day; the substitute day is the day off
  '2032-12-26', // Sun Boxing Day — a weekend day; the substitute day is the day off
  '2032-12-27', // Mon Christmas Day (substitute day)
  '2032-12-28', // Tue Boxing Day (substitute day)
  '2033-01-01', // Sat New Year's Day — a weekend day; the substitute day is the day off
  '2033-01-03', // Mon New Year's Day (substitute day)
  '2033-04-15', // Fri Good Friday
  '2033-04-18', // Mon Easter Monday
  '2033-05-02', // Mon Early May bank holiday
  '2033-05-30', // Mon Spring bank holiday
  '2033-08-29', // Mon Summer bank holiday
  '2033-12-25', // Sun Christmas Day — a weekend day; the substitute day is the day off
  '2033-12-26', // Mon Boxing Day
  '2033-12-27', // Tue Christmas Day (substitute day)
  '2034-01-01', // Sun New Year's Day — a weekend day; the substitute day is the day off
  '2034-01-02', // Mon New Year's Day (substitute day)
  '2034-04-07', // Fri Good Friday
  '2034-04-10', // Mon Easter Monday
  '2034-05-01', // Mon Early May bank holiday
  '2034-05-29', // Mon Spring bank holiday
  '2034-08-28', // Mon Summer bank holiday
  '2034-12-25', // Mon Christmas Day
  '2034-12-26', // Tue Boxing Day
  '2035-01-01', // Mon New Year's Day
  '2035-03-23', // Fri Good Friday
  '2035-03-26', // Mon Easter Monday
  '2035-05-07', // Mon Early May bank holiday
  '2035-05-28', // Mon Spring bank holiday
  '2035-08-27', // Mon Summer bank holiday
  '2035-12-25', // Tue Christmas Day
  '2035-12-26', // Wed Boxing Day
  '2036-01-01', // Tue New Year's Day
  '2036-04-11', // Fri Good Friday
  '2036-04-14', // Mon Easter Monday
  '2036-05-05', // Mon Early May bank holiday
  '2036-05-26', // Mon Spring bank holiday
  '2036-08-25', // Mon Summer bank holiday
  '2036-12-25', // Thu Christmas Day
  '2036-12-26', // Fri Boxing Day
  '2037-01-01', // Thu New Year's Day
  '2037-04-03', // Fri Good Friday
  '2037-04-06', // Mon Easter Monday
  '2037-05-04', // Mon Early May bank holiday
  '2037-05-25', // Mon Spring bank holiday
  '2037-08-31', // Mon Summer bank holiday
  '2037-12-25', // Fri Christmas Day
  '2037-12-26', // Sat Boxing Day — a weekend day; the substitute day is the day off
  '2037-12-28', // Mon Boxing Day (substitute day)
  '2038-01-01', // Fri New Year's Day
  '2038-04-23', // Fri Good Friday
  '2038-04-26', // Mon Easter Monday
  '2038-05-03', // Mon Early May bank holiday
  '2038-05-31', // Mon Spring bank holiday
  '2038-08-30', // Mon Summer bank holiday
  '2038-12-25', // Sat Christmas Day — a weekend day; the substitute day is the day off
  '2038-12-26', // Sun Boxing Day — a weekend day; the substitute day is the day off
  '2038-12-27', // Mon Christmas Day (substitute day)
  '2038-12-28', // Tue Boxing Day (substitute day)
  '2039-01-01', // Sat New Year's Day — a weekend day; the substitute day is the day off
  '2039-01-03', // Mon New Year's Day (substitute day)
  '2039-04-08', // Fri Good Friday
  '2039-04-11', // Mon Easter Monday
  '2039-05-02', // Mon Early May bank holiday
  '2039-05-30', // Mon Spring bank holiday
  '2039-08-29', // Mon Summer bank holiday
  '2039-12-25', // Sun Christmas Day — a weekend day; the substitute day is the day off
  '2039-12-26', // Mon Boxing Day
  '2039-12-27', // Tue Christmas Day (substitute day)
  '2040-01-01', // Sun New Year's Day — a weekend day; the substitute day is the day off
  '2040-01-02', // Mon New Year's Day (substitute day)
  '2040-03-30', // Fri Good Friday
  '2040-04-02', // Mon Easter Monday
  '2040-05-07', // Mon Early May bank holiday
  '2040-05-28', // Mon Spring bank holiday
  '2040-08-27', // Mon Summer bank holiday
  '2040-12-25', // Tue Christmas Day
  '2040-12-26', // Wed Boxing Day
  '2041-01-01', // Tue New Year's Day
  '2041-04-19', // Fri Good Friday
  '2041-04-22', // Mon Easter Monday
  '2041-05-06', // Mon Early May bank holiday
  '2041-05-27', // Mon Spring bank holiday
  '2041-08-26', // Mon Summer bank holiday
  '2041-12-25', // Wed Christmas Day
  '2041-12-26', // Thu Boxing Day
  '2042-01-01', // Wed New Year's Day
  '2042-04-04', // Fri Good Friday
  '2042-04-07', // Mon Easter Monday
  '2042-05-05', // Mon Early May bank holiday
  '2042-05-26', // Mon Spring bank holiday
  '2042-08-25', // Mon Summer bank holiday
  '2042-12-25', // Thu Christmas Day
  '2042-12-26', // Fri Boxing Day
  '2043-01-01', // Thu New Year's Day
  '2043-03-27', // Fri Good Friday
  '2043-03-30', // Mon Easter Monday
  '2043-05-04', // Mon Early May bank holiday
  '2043-05-25', // Mon Spring bank holiday
  '2043-08-31', // Mon Summer bank holiday
  '2043-12-25', // Fri Christmas Day
  '2043-12-26', // Sat Boxing Day — a weekend day; the substitute day is the day off
  '2043-12-28', // Mon Boxing Day (substitute day)
  '2044-01-01', // Fri New Year's Day
  '2044-04-15', // Fri Good Friday
  '2044-04-18', // Mon Easter Monday
  '2044-05-02', // Mon Early May bank holiday
  '2044-05-30', // Mon Spring bank holiday
  '2044-08-29', // Mon Summer bank holiday
  '2044-12-25', // Sun Christmas Day — a weekend day; the substitute day is the day off
  '2044-12-26', // Mon Boxing Day
  '2044-12-27', // Tue Christmas Day (substitute day)
  '2045-01-01', // Sun New Year's Day — a weekend day; the substitute day is the day off
  '2045-01-02', // Mon New Year's Day (substitute day)
  '2045-04-07', // Fri Good Friday
  '2045-04-10', // Mon Easter Monday
  '2045-05-01', // Mon Early May bank holiday
  '2045-05-29', // Mon Spring bank holiday
  '2045-08-28', // Mon Summer bank holiday
  '2045-12-25', // Mon Christmas Day
  '2045-12-26', // Tue Boxing Day
];
