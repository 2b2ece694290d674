import type { PolicyProfile } from '../../machines/policyProfile';
import type { DeadlineKind } from '../../machines/types';

/**
 * What each timeliness measure counts, in one table: the rule it comes from, the instant it is
 * judged at, the period it is counted in, and what makes it met, met late, missed, not counted or
 * open. The numbers in the words are the council's policy profile's, never literals. The verdict
 * rules themselves are in verdicts.ts; the report (measures.ts) puts this table on every answer.
 */

export const measureIds = [
  'emergencyAssessmentStart',
  'informalReview',
  'firstReviewTarget',
  'firstReviewLimit',
  'annualReview',
  'reducedIntervalReview',
  'endLetterNotice',
  'directPaymentNotice',
] as const;
export type MeasureId = (typeof measureIds)[number];

/** Each verdict a measure gives. */
export const verdicts = ['met', 'metLate', 'missed', 'notCounted', 'open'] as const;
export type Verdict = (typeof verdicts)[number];

export interface MeasureDefinition {
  measure: MeasureId;
  /** the JOURNEY.md rule */
  ruleId: string;
  description: string;
  /** the instant the measure is judged at */
  judgedAt: string;
  /** which period a case counts in */
  countedIn: string;
  met: string;
  metLate: string;
  missed: string;
  notCounted: string;
  open: string;
}

/**
 * How a deadline measure reads the journey's clocks: the deadline kind, the instant it is judged
 * at (the deadline's due instant, the target; or its overdue instant, the limit), and for a kind
 * measured twice by its interval, which deadlines are its own.
 */
export interface DeadlineMeasure {
  measure: MeasureId;
  kind: DeadlineKind;
  judgedAt: 'dueAt' | 'overdueAt';
  /** R-REV-3 / R-REV-5: only the reviews whose interval is (not) a reduced one */
  interval?: 'reduced' | 'longer';
}

export const deadlineMeasures: DeadlineMeasure[] = [
  { measure: 'emergencyAssessmentStart', kind: 'emergencyAssessmentStart', judgedAt: 'overdueAt' },
  { measure: 'informalReview', kind: 'informalReview', judgedAt: 'overdueAt' },
  { measure: 'firstReviewTarget', kind: 'firstReview', judgedAt: 'dueAt' },
  { measure: 'firstReviewLimit', kind: 'firstReview', judgedAt: 'overdueAt' },
  { measure: 'annualReview', kind: 'annualReview', judgedAt: 'overdueAt', interval: 'longer' },
  { measure: 'reducedIntervalReview', kind: 'annualReview', judgedAt: 'overdueAt', interval: 'reduced' },
];

/** The words every deadline measure shares, about the instant it is judged at (`at`). */
function deadlineWords(at: string): Omit<MeasureDefinition, 'measure' | 'ruleId' | 'description'> {
  return {
    judgedAt: at,
    countedIn: `the period holding the day of ${at}`,
    met: `met by its real date (occurredAt) no later than ${at}, and entered by then`,
    metLate:
      `met after ${at}; or met by its real date but entered after ${at}, when the journey had ` +
      'already counted it overdue: a back-dated entry (R-TIM-2)',
    missed: `not met by ${at} while the journey was still going on then`,
    notCounted:
      `not met by ${at}, and it no longer applied then: the journey had ended before ${at} (the ` +
      'date of death, even if the death was recorded later; the move date; the day services ended; ' +
      `the day it closed otherwise), or the clock was cancelled before ${at} because its reason went away`,
    open: `not met, and ${at} is after the last entry in the store (the report's asOf)`,
  };
}

/** The definitions under one council's profile, in the report's order. */
export function measureDefinitions(profile: PolicyProfile): MeasureDefinition[] {
  const { reviews, ending, emergency } = profile;
  const first = reviews.firstReview;
  const table: Record<MeasureId, Omit<MeasureDefinition, 'measure'>> = {
    emergencyAssessmentStart: {
      ruleId: 'R-EMG-1',
      description: `Emergency: the formal assessment begun within ${emergency.assessmentStartWorkingDays} working days of interim support`,
      ...deadlineWords(
        `the end of the ${emergency.assessmentStartWorkingDays}th working day after interim support started (England and Wales bank holidays as the journey pinned them)`,
      ),
    },
    informalReview: {
      ruleId: 'R-REV-1',
      description: `Informal review at ${reviews.informalReviewHours} hours after services start`,
      ...deadlineWords(
        `${reviews.informalReviewHours} calendar hours after services started (bank holidays do not extend it)`,
      ),
    },
    firstReviewTarget: {
      ruleId: 'R-REV-2',
      description: `First review by its target: ${first.dueWeeks} weeks after services start, or the sooner date agreed with the person (R-ACT-2)`,
      ...deadlineWords(
        `the end of the first review's due day (${first.dueWeeks} weeks, or the sooner date agreed)`,
      ),
    },
    firstReviewLimit: {
      ruleId: 'R-REV-2',
      description: `First review within ${first.overdueWeeks} weeks of services starting`,
      ...deadlineWords(`the end of the day ${first.overdueWeeks} calendar weeks after services started`),
    },
    annualReview: {
      ruleId: 'R-REV-3',
      description: `Reviews at intervals of no more than ${reviews.maxIntervalMonths} months (the next review set more than ${reviews.reducedIntervalMonths} months after the last)`,
      ...deadlineWords('the end of the next review date the last review (or reassessment) set'),
    },
    reducedIntervalReview: {
      ruleId: 'R-REV-5',
      description: `Reviews at intervals of no more than ${reviews.reducedIntervalMonths} months (the next review set ${reviews.reducedIntervalMonths} months or less after the last: R-REV-5's reasons, or sooner by agreement, R-REV-9)`,
      ...deadlineWords('the end of the next review date the last review (or reassessment) set'),
    },
    endLetterNotice: {
      ruleId: 'R-END-1',
      description: `Services ended with at least ${ending.endLetterNoticeWorkingDays} working days' notice from the letter's posting`,
      judgedAt:
        "when the letter is posted: the journey's own posting date (R-TIM-1: a stated earlier date does not shorten the notice)",
      countedIn: 'the period holding the posting date',
      met:
        `the end date (the letter's, else the servicesEnd clock's) is on or after the ${ending.endLetterNoticeWorkingDays}th working ` +
        "day after posting, counted with England and Wales bank holidays and the council's extra ones",
      metLate: 'never: the notice was long enough or it was not',
      missed: 'the end date is earlier than that',
      notCounted: 'a letter whose posting date or end date the store does not hold',
      open: 'never: it is judged when the letter goes out',
    },
    directPaymentNotice: {
      ruleId: 'R-END-2',
      description: `Direct payment agreements ended with ${ending.directPaymentNoticeWeeks} weeks' written notice`,
      judgedAt: `the agreement's end date, ${ending.directPaymentNoticeWeeks} calendar weeks after the notice was given`,
      countedIn: 'the period holding the end date',
      met: 'the agreement ended on its date, the notice period having run in full',
      metLate: 'never: the journey ends the agreement on its date itself',
      missed: 'never: the journey ends the agreement on its date itself',
      notCounted:
        'the notice no longer applied: withdrawn, or the journey ended (death, move, services ended) before the end date',
      open: "the end date is after the last entry in the store (the report's asOf)",
    },
  };
  return measureIds.map((measure) => ({ measure, ...table[measure] }));
}
