import {
  addCalendarMonths,
  addCalendarWeeks,
  bankHolidaysAround,
  englandAndWalesCalendar,
  londonDateOf,
  startOfLondonDay,
} from '../../machines/calendar';
import type { PolicyProfile } from '../../machines/policyProfile';
import type { Deadline } from '../../machines/types';
import { stageOfLabel, type JourneyFacts } from '../journeyFacts';
import { inPeriod, type ReportingPeriod } from '../period';
import { deadlineMeasures, type MeasureId, type Verdict } from './definitions';

/**
 * The verdict rules of the timeliness measures (definitions.ts says them in words). Each works from
 * what the journey itself recorded: its deadlines as they are now (met, met late, flagged overdue,
 * cancelled), the real dates of the events that met them and when those were entered, the letters it
 * sent, and when it ended.
 */

const at = (instant: string) => Date.parse(instant);

/** The London day an instant belongs to as a deadline: an end-of-day deadline is due on that day. */
export const dueDayOf = (instant: string): string => londonDateOf(new Date(at(instant) - 1).toISOString());

/** When the journey ended, if it has, and how. */
export interface JourneyEnd {
  /** an instant; a date without a time counts from the start of its London day */
  at: string;
  how: 'died' | 'movedAway' | 'closed';
}

/**
 * When the journey ended: the earliest of the date of death (the person died then, however much
 * later it was recorded), the move date (R-TRF-1: funding runs on for some weeks, but the journey's
 * clocks no longer measure this council), and the real date of the event that closed it (services
 * ended on their end date, a withdrawal, …).
 */
export function journeyEndOf(facts: JourneyFacts, profile: PolicyProfile): JourneyEnd | undefined {
  const ends: JourneyEnd[] = [];
  for (const e of facts.events) {
    if (e.type === 'PERSON_DIED') {
      const date =
        (e.payload?.dateOfDeath as string | undefined) ??
        facts.closure?.dateOfDeath ??
        londonDateOf(e.occurredAt);
      ends.push({ at: startOfLondonDay(date), how: 'died' });
    }
    if (e.type === 'MOVED_AWAY') {
      const date =
        (e.payload?.moveDate as string | undefined) ?? moveDateFromFunding(facts, e.eventId, profile);
      ends.push({ at: startOfLondonDay(date ?? londonDateOf(e.occurredAt)), how: 'movedAway' });
    }
    if (stageOfLabel(e.to) === 'closed' && stageOfLabel(e.from) !== 'closed')
      ends.push({ at: e.occurredAt, how: 'closed' });
  }
  return ends.sort((a, b) => at(a.at) - at(b.at))[0];
}

/**
 * An entry written before the case record carried events has no move date: the funding clock the
 * move started ends the profile's weeks after it (R-TRF-1), so the move date is that many weeks back.
 */
function moveDateFromFunding(facts: JourneyFacts, eventId: string, profile: PolicyProfile) {
  const move = facts.events.find((e) => e.eventId === eventId);
  const funding = facts.deadlines.find(
    (d) => d.kind === 'fundingAfterMove' && d.startedFrom === move?.occurredAt,
  );
  return funding && addCalendarWeeks(dueDayOf(funding.dueAt), -profile.ending.fundingAfterMoveWeeks);
}

export interface JudgeContext {
  /** when the journey ended, if it has */
  end: JourneyEnd | undefined;
  /** the last instant the store has an entry for: a clock judged later is still open */
  asOf: string;
  /** when the event that met the deadline was entered (its recordedAt), if it was met */
  meetingEnteredAt: string | undefined;
}

/** One obligation's verdict at the instant `judgedAt` (its due instant or its overdue instant). */
export function judgeDeadline(d: Deadline, judgedAt: string, context: JudgeContext): Verdict {
  const judged = at(judgedAt);
  const metAt = d.status === 'met' || d.status === 'metLate' ? d.closedAt : undefined;
  if (metAt !== undefined && at(metAt) <= judged) {
    // R-TIM-2: at its overdue instant the journey's own record says whether the entry was late;
    // at an earlier target, the entry was late if it came after the target.
    const enteredLate =
      judgedAt === d.overdueAt
        ? d.recordedLate === true
        : context.meetingEnteredAt !== undefined && at(context.meetingEnteredAt) > judged;
    return enteredLate ? 'metLate' : 'met';
  }
  // Not met by then: a clock the journey no longer had is neither met nor missed.
  if (context.end && at(context.end.at) < judged) return 'notCounted';
  if (metAt !== undefined) return 'metLate';
  if (d.status === 'cancelled')
    return d.closedAt !== undefined && at(d.closedAt) <= judged ? 'notCounted' : 'missed';
  if (d.status === 'overdue') return 'missed';
  return judged <= at(context.asOf) ? 'missed' : 'open';
}

/** An effective date (R-END-2's agreement end): it took effect, or no longer applied, or is to come. */
export function judgeEffective(d: Deadline, context: Pick<JudgeContext, 'end'>): Verdict {
  if (d.status === 'takenEffect') return 'met';
  if (context.end && at(context.end.at) < at(d.dueAt)) return 'notCounted';
  if (d.status === 'cancelled') return 'notCounted';
  return 'open';
}

/**
 * R-REV-3 / R-REV-5: whether an annualReview clock's interval is a reduced one. The deadline does
 * not record why its date was set (the review's indicators), only when it started and when it is
 * due: so the interval is read from those two, and one of the profile's reduced months or less
 * (R-REV-5, or sooner by agreement under R-REV-9) is the reduced measure's.
 */
export function isReducedInterval(d: Deadline, profile: PolicyProfile): boolean {
  const from = londonDateOf(d.startedFrom);
  return dueDayOf(d.overdueAt) <= addCalendarMonths(from, profile.reviews.reducedIntervalMonths);
}

/** When the event that met each deadline was entered (its recordedAt), by deadline id. */
function meetingsEntered(facts: JourneyFacts): Map<string, string> {
  const entered = new Map<string, string>();
  for (const e of facts.events)
    for (const m of e.met) if (!entered.has(m.id)) entered.set(m.id, e.recordedAt);
  return entered;
}

/** Every deadline measure's verdict for the journey's clocks judged in the period. */
export function deadlineVerdicts(
  facts: JourneyFacts,
  period: ReportingPeriod,
  options: { profile: PolicyProfile; asOf: string; end: JourneyEnd | undefined },
): [MeasureId, Verdict][] {
  const found: [MeasureId, Verdict][] = [];
  const entered = meetingsEntered(facts);
  for (const m of deadlineMeasures) {
    for (const d of facts.deadlines) {
      if (d.kind !== m.kind) continue;
      if (m.interval && isReducedInterval(d, options.profile) !== (m.interval === 'reduced')) continue;
      const judgedAt = d[m.judgedAt];
      if (!inPeriod(dueDayOf(judgedAt), period)) continue;
      const verdict = judgeDeadline(d, judgedAt, {
        end: options.end,
        asOf: options.asOf,
        meetingEnteredAt: entered.get(d.id),
      });
      found.push([m.measure, verdict]);
    }
  }
  // R-END-2: the agreement ends the profile's weeks after the notice, on a date the journey sets.
  for (const d of facts.deadlines) {
    if (d.kind !== 'directPaymentAgreementEnd' || !inPeriod(londonDateOf(d.dueAt), period)) continue;
    found.push(['directPaymentNotice', judgeEffective(d, options)]);
  }
  return found;
}

/**
 * R-END-1: each end letter's notice, from what the journey computed — its posting date (the day it
 * went out, R-TIM-1) and end date, on the letter, else on the servicesEnd clock it started — against
 * the profile's working days, counted with the bank holidays the journey pinned when it started (the
 * England and Wales list around its first event and the council's configured extra ones).
 */
export function endLetterVerdicts(
  facts: JourneyFacts,
  period: ReportingPeriod,
  options: { profile: PolicyProfile; extraBankHolidays: readonly string[] },
): [MeasureId, Verdict][] {
  const found: [MeasureId, Verdict][] = [];
  const letters = facts.letters.filter((l) => l.letter === 'serviceEndLetter');
  const first = facts.events[0];
  if (!first || !letters.length) return found;
  const calendar = englandAndWalesCalendar(bankHolidaysAround(first.occurredAt, options.extraBankHolidays));
  for (const letter of letters) {
    const sentBy = facts.events.find((e) => e.eventId === letter.eventId);
    const clock =
      sentBy && facts.deadlines.find((d) => d.kind === 'servicesEnd' && d.startedFrom === sentBy.occurredAt);
    const postedOn =
      (letter.data.postedOn as string | undefined) ?? (sentBy && londonDateOf(sentBy.occurredAt));
    const endDate = (letter.data.endDate as string | undefined) ?? (clock && londonDateOf(clock.dueAt));
    if (!postedOn) continue;
    if (!inPeriod(postedOn, period)) continue;
    if (!endDate) {
      found.push(['endLetterNotice', 'notCounted']);
      continue;
    }
    const earliest = calendar.addWorkingDays(postedOn, options.profile.ending.endLetterNoticeWorkingDays);
    found.push(['endLetterNotice', endDate >= earliest ? 'met' : 'missed']);
  }
  return found;
}
