import { z } from 'zod';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '../machines/calendar/workingDays';

/**
 * A reporting period: two London calendar dates, both included (a quarter is 2026-04-01 to
 * 2026-06-30). Events belong to it by the London date of their `occurredAt`.
 */
export interface ReportingPeriod {
  from: string;
  to: string;
}

const isoDate = z.iso.date();

/** Checks a period from a caller; the error names the field and the form it wants. */
export function reportingPeriod(from: unknown, to: unknown): ReportingPeriod {
  const problems: string[] = [];
  if (!isoDate.safeParse(from).success)
    problems.push(`from: must be a date YYYY-MM-DD, e.g. 2026-04-01 (got ${JSON.stringify(from)})`);
  if (!isoDate.safeParse(to).success)
    problems.push(`to: must be a date YYYY-MM-DD, e.g. 2026-06-30 (got ${JSON.stringify(to)})`);
  if (!problems.length && String(to) < String(from))
    problems.push(`to: must be on or after from (${String(from)}), got ${String(to)}`);
  if (problems.length) throw new PeriodError(problems);
  return { from: String(from), to: String(to) };
}

export class PeriodError extends Error {
  override name = 'PeriodError';
  constructor(readonly problems: string[]) {
    super(`invalid reporting period: ${problems.join('; ')}`);
  }
}

/** The instant the period ends (the end of its last London day). */
export const periodEnd = (period: ReportingPeriod): string => endOfLondonDay(period.to);
export const periodStart = (period: ReportingPeriod): string => startOfLondonDay(period.from);

/** The London date of an instant. */
export const londonDate = (instant: string): string => londonDateOf(instant);

/** Whether a London date (YYYY-MM-DD) lies in the period. */
export const inPeriod = (date: string, period: ReportingPeriod): boolean =>
  date >= period.from && date <= period.to;

/** 2026-04-01 → 01/04/2026 (CLD's date form). */
export const cldDate = (date: string): string =>
  `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
