import {
  addCalendarDays,
  addWorkingDays,
  endOfLondonDay,
  englandAndWalesBankHolidays,
  isWorkingDay,
  londonDateOf,
  type LocalDate,
} from '../machines/calendar';
import type { DeadlineKind } from '../machines/types';

/**
 * How the pages say dates, durations and names: in the words of the people who use them, in
 * London time, counting working days where the clock itself counts working days.
 */

/**
 * Each kind of deadline: the rule that sets it and how its clock counts (machines/deadlines.ts, one
 * function per clock). A row of a list knows only its deadline kinds, so the rule id comes from here.
 */
export const deadlineKindFacts: Record<
  DeadlineKind,
  { ruleId: string; clock: 'workingDays' | 'calendar'; words: string }
> = {
  emergencyAssessmentStart: {
    ruleId: 'R-EMG-1',
    clock: 'workingDays',
    words: 'Emergency: assessment to begin',
  },
  informalReview: { ruleId: 'R-REV-1', clock: 'calendar', words: 'Informal review (72 hours)' },
  firstReview: { ruleId: 'R-REV-2', clock: 'calendar', words: 'First review' },
  annualReview: { ruleId: 'R-REV-3', clock: 'calendar', words: 'Review' },
  monitoringCheck: { ruleId: 'R-REV-4', clock: 'calendar', words: 'Monitoring check' },
  unscheduledReview: { ruleId: 'R-REV-6', clock: 'workingDays', words: 'Unscheduled review' },
  reassessment: { ruleId: 'R-REV-12', clock: 'workingDays', words: 'Reassessment' },
  servicesEnd: { ruleId: 'R-END-1', clock: 'calendar', words: 'Services end' },
  directPaymentAgreementEnd: { ruleId: 'R-END-2', clock: 'calendar', words: 'Direct payment agreement ends' },
  fundingAfterMove: { ruleId: 'R-TRF-1', clock: 'calendar', words: 'Funding after a move ends' },
  appealDecision: { ruleId: 'R-APL-1', clock: 'workingDays', words: 'Appeal to be decided' },
  directPaymentVariation: {
    ruleId: 'R-DPM-1',
    clock: 'workingDays',
    words: 'Direct payment variation to act on',
  },
  temporarySupport: { ruleId: 'R-DPM-2', clock: 'calendar', words: 'Temporary support to end' },
  equipmentConfirmation: { ruleId: 'R-REV-14', clock: 'calendar', words: 'Confirm the equipment suits' },
  servicesArrangedInstead: {
    ruleId: 'R-CMP-1',
    clock: 'workingDays',
    words: 'Budget refused: council to arrange services',
  },
};

export const kindFacts = (kind: string | undefined) =>
  kind ? deadlineKindFacts[kind as DeadlineKind] : undefined;

/** The working-day calendar the journeys use: England and Wales, plus any announced extra bank holidays. */
export function holidaysWith(extra: readonly string[]): ReadonlySet<string> {
  return new Set([...englandAndWalesBankHolidays, ...extra]);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "Wed 23 Dec 2026" (London). */
export const dateInWords = (iso: string | undefined) => (iso ? dateFormat.format(new Date(iso)) : '');
/** "23 Dec 2026, 10:00" (London). */
export const dateTimeInWords = (iso: string | undefined) => (iso ? dateTimeFormat.format(new Date(iso)) : '');

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * When a deadline falls due, as people say it: a clock that runs to the end of a day is due at
 * the London midnight after it (machines/calendar endOfLondonDay), which is "by the end of Fri 27
 * Nov", not "Sat 28 Nov".
 */
export function dueInWords(iso: string | undefined): string {
  if (!iso) return '';
  if (londonTime.format(new Date(iso)) === '00:00:00') {
    return `end of ${dateInWords(new Date(Date.parse(iso) - 1).toISOString())}`;
  }
  return dateTimeInWords(iso);
}

/** The working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: LocalDate, to: LocalDate, holidays: ReadonlySet<string>): number {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (isWorkingDay(day, holidays)) count++;
  }
  return count;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * How long a deadline has been overdue, in its clock's own unit: working days for a working-day
 * clock (R-EMG-1's 3 working days), calendar days otherwise.
 */
export function overdueFor(
  since: string,
  kind: string | undefined,
  now: Date,
  holidays: ReadonlySet<string>,
) {
  const today = londonDateOf(now.toISOString());
  const sinceDay = londonDateOf(since);
  if (kindFacts(kind)?.clock === 'workingDays') {
    const n = workingDaysBetween(sinceDay, today, holidays);
    return n === 0 ? 'overdue since today' : `${plural(n, 'working day')} overdue`;
  }
  const days = Math.round((Date.parse(today) - Date.parse(sinceDay)) / 86_400_000);
  return days === 0 ? 'overdue since today' : `${plural(days, 'day')} overdue`;
}

/** Time left before a deadline, in its clock's unit. */
export function timeLeft(dueAt: string, kind: string | undefined, now: Date, holidays: ReadonlySet<string>) {
  if (Date.parse(dueAt) <= now.getTime()) return overdueFor(dueAt, kind, now, holidays);
  const today = londonDateOf(now.toISOString());
  // A deadline at a London midnight belongs to the day before it (the end of the due day).
  const dueDay = londonDateOf(new Date(Date.parse(dueAt) - 1).toISOString());
  if (kindFacts(kind)?.clock === 'workingDays') {
    const n = workingDaysBetween(today, dueDay, holidays);
    return n === 0 ? 'due today' : `${plural(n, 'working day')} left`;
  }
  const days = Math.round((Date.parse(dueDay) - Date.parse(today)) / 86_400_000);
  return days === 0 ? 'due today' : `${plural(days, 'day')} left`;
}

/** The end of the n-th working day from today (London), as epoch ms: "due within n working days". */
export function endOfWorkingDaysFromNow(n: number, now: Date, holidays: ReadonlySet<string>): number {
  return Date.parse(endOfLondonDay(addWorkingDays(londonDateOf(now.toISOString()), n, holidays)));
}

/** ASSESSMENT_STARTED → "Assessment started". */
export function eventInWords(type: string): string {
  const words = type.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** firstReviewAgreedFor → "First review agreed for". */
export function fieldInWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/72h/, '72 hours')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Who holds a case: the worker, else the team, else nobody yet. */
export const holderOf = (row: { worker?: string | undefined; team?: string | undefined }) =>
  row.worker
    ? `${row.worker}${row.team ? ` (${row.team})` : ''}`
    : row.team
      ? `${row.team} (no worker)`
      : 'Unallocated';
