import { englandAndWalesCalendar, type Calendar } from './calendar';
import type { JourneyContext } from './journeyContext';
import type { Deadline, DeadlineKind } from './types';

/**
 * Deadlines are data (DEVELOPERS.md): a transition that starts a statutory clock writes an
 * absolute instant into context, computed here from the event's occurredAt with the journey's
 * pinned working-day calendar. The workflow turns the earliest open one into a durable timer.
 */

const calendars = new WeakMap<readonly string[], Calendar>();

/** The journey's calendar, built once per pinned holiday list. */
export function calendarOf(context: Pick<JourneyContext, 'bankHolidays'>): Calendar {
  let calendar = calendars.get(context.bankHolidays);
  if (!calendar) {
    calendar = englandAndWalesCalendar(context.bankHolidays);
    calendars.set(context.bankHolidays, calendar);
  }
  return calendar;
}

export interface DeadlineSpec {
  kind: DeadlineKind;
  ruleId: string;
  description: string;
  dueAt: string;
  /** later than dueAt where the rule allows a window (R-REV-2) */
  overdueAt?: string;
  effect?: Deadline['effect'];
}

type DeadlineFields = Pick<JourneyContext, 'deadlines' | 'deadlineSeq'> &
  Pick<Partial<JourneyContext>, 'journeyNumber'>;

/**
 * A deadline's id: `<kind>-<n>` in a person's first journey (as every recorded history has them),
 * `j<journey>-<kind>-<n>` in a later one (R-REF-4), so a later journey's deadlines, and the notices,
 * letters and records keyed by them, never take an earlier journey's ids.
 */
export const deadlineIdOf = (kind: string, seq: number, journeyNumber: number | undefined): string =>
  journeyNumber && journeyNumber > 1 ? `j${journeyNumber}-${kind}-${seq}` : `${kind}-${seq}`;

export const isOpen = (d: Deadline): boolean => d.status === 'due' || d.status === 'overdue';

/** Adds deadlines, numbered in order so their ids are the same on every replay. */
export function withDeadlines(
  context: DeadlineFields,
  startedFrom: string,
  specs: DeadlineSpec[],
): DeadlineFields {
  let seq = context.deadlineSeq;
  const added = specs.map((spec): Deadline => ({
    id: deadlineIdOf(spec.kind, seq++, context.journeyNumber),
    kind: spec.kind,
    ruleId: spec.ruleId,
    description: spec.description,
    dueAt: spec.dueAt,
    overdueAt: spec.overdueAt ?? spec.dueAt,
    startedFrom,
    effect: spec.effect ?? 'obligation',
    status: 'due',
  }));
  // The journey number goes with the fields, so a later call on this result numbers alike.
  return {
    deadlines: [...context.deadlines, ...added],
    deadlineSeq: seq,
    ...(context.journeyNumber !== undefined ? { journeyNumber: context.journeyNumber } : {}),
  };
}

/** Marks the open deadlines of these kinds met — or met late, if after they fell overdue. */
export function meetDeadlines(context: DeadlineFields, kinds: DeadlineKind[], at: string): DeadlineFields {
  return {
    ...context,
    deadlines: context.deadlines.map((d) => (isOpen(d) && kinds.includes(d.kind) ? met(d, at) : d)),
  };
}

/**
 * R-TIM-2: met by its real date (`at`, which decides met or met late), and — if the journey had
 * already flagged it overdue — still saying so: a back-dated entry is met, but recorded late.
 */
function met(d: Deadline, at: string): Deadline {
  const status = Date.parse(at) > Date.parse(d.overdueAt) ? 'metLate' : 'met';
  if (d.status !== 'overdue') return { ...d, status, closedAt: at };
  return {
    ...d,
    status,
    closedAt: at,
    // Deadlines flagged before the field existed were flagged when they fell overdue.
    flaggedOverdueAt: d.flaggedOverdueAt ?? d.overdueAt,
    ...(status === 'met' && { recordedLate: true }),
  };
}

/** Only the earliest open deadline of a kind (e.g. one monitoring check at a time). */
export function meetEarliest(context: DeadlineFields, kind: DeadlineKind, at: string): DeadlineFields {
  const earliest = openDeadlines(context)
    .filter((d) => d.kind === kind)
    .sort(byDue)[0];
  if (!earliest) return context;
  return {
    ...context,
    deadlines: context.deadlines.map((d) => (d.id === earliest.id ? met(d, at) : d)),
  };
}

/**
 * Only the one open deadline with this id: where several of a kind run at once, each for its own
 * subject (R-APL-1's appeals, R-DPM-2's temporary support), the subject records its deadline's id.
 */
export function meetDeadline(
  context: DeadlineFields,
  deadlineId: string | undefined,
  at: string,
): DeadlineFields {
  return {
    ...context,
    deadlines: context.deadlines.map((d) => (d.id === deadlineId && isOpen(d) ? met(d, at) : d)),
  };
}

/** Cancels open deadlines (of the given kinds, or all): they no longer apply. */
export function cancelDeadlines(context: DeadlineFields, at: string, kinds?: DeadlineKind[]): DeadlineFields {
  return {
    ...context,
    deadlines: context.deadlines.map((d) =>
      isOpen(d) && (!kinds || kinds.includes(d.kind)) ? { ...d, status: 'cancelled', closedAt: at } : d,
    ),
  };
}

/** DEADLINE_REACHED: an obligation falls overdue; an effective date takes effect. */
export function reachDeadline(context: DeadlineFields, deadlineId: string, at: string): DeadlineFields {
  return {
    ...context,
    deadlines: context.deadlines.map((d) =>
      d.id === deadlineId && d.status === 'due'
        ? d.effect === 'effective'
          ? { ...d, status: 'takenEffect', closedAt: at }
          : { ...d, status: 'overdue', flaggedOverdueAt: at }
        : d,
    ),
  };
}

export const byDue = (a: Deadline, b: Deadline): number => Date.parse(a.dueAt) - Date.parse(b.dueAt);

export function openDeadlines(context: Pick<JourneyContext, 'deadlines'>): Deadline[] {
  return context.deadlines.filter(isOpen);
}

/** When a deadline's timer should fire: an obligation when it falls overdue, an effective date when due. */
export function firesAt(d: Deadline): string {
  return d.effect === 'effective' ? d.dueAt : d.overdueAt;
}

/**
 * The next instant the machine needs to hear DEADLINE_REACHED: the earliest open deadline that
 * has not yet been reached (an overdue one has already been).
 */
export function nextDeadlineToFire(context: Pick<JourneyContext, 'deadlines'>): Deadline | undefined {
  return context.deadlines
    .filter((d) => d.status === 'due')
    .sort((a, b) => Date.parse(firesAt(a)) - Date.parse(firesAt(b)))[0];
}

// ---- The clocks of JOURNEY.md, one function each -------------------------------------------

/** R-EMG-1: the formal assessment must begin within 3 working days of interim services. */
export function emergencyAssessmentStart(context: JourneyContext, from: string): DeadlineSpec {
  const days = context.profile.emergency.assessmentStartWorkingDays;
  return {
    kind: 'emergencyAssessmentStart',
    ruleId: 'R-EMG-1',
    description: `Formal assessment to begin within ${days} working days of interim support`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}

/** R-REV-1 (72 calendar hours) and R-REV-2 (due at 6 weeks, overdue after 8). */
export function reviewsAfterActivation(
  context: JourneyContext,
  from: string,
  informal: boolean,
  agreedFor?: string,
): DeadlineSpec[] {
  const calendar = calendarOf(context);
  const { reviews } = context.profile;
  const first = reviews.firstReview;
  const specs: DeadlineSpec[] = [];
  if (informal) {
    specs.push({
      kind: 'informalReview',
      ruleId: 'R-REV-1',
      description: `Informal review ${reviews.informalReviewHours} hours after services start`,
      dueAt: calendar.hoursAfter(from, reviews.informalReviewHours),
    });
  }
  specs.push({
    kind: 'firstReview',
    ruleId: 'R-REV-2',
    description: `First ${first.form === 'lightTouch' ? 'light-touch' : 'formal'} review, due at ${first.dueWeeks} weeks, overdue after ${first.overdueWeeks}`,
    // R-ACT-2: the date agreed with the person, where it is sooner than the rule's 6 weeks.
    dueAt: earliest(
      calendar.weeksAfter(from, first.dueWeeks),
      agreedFor && calendar.endOfLondonDay(agreedFor),
    ),
    overdueAt: calendar.weeksAfter(from, first.overdueWeeks),
  });
  return specs;
}

const earliest = (a: string, b: string | undefined): string => (b && Date.parse(b) < Date.parse(a) ? b : a);

/**
 * R-REV-3 / R-REV-5 / R-REV-9: the next review on the agreed date, with R-REV-4 monitoring checks
 * every N months in between where the review is at least N months away.
 */
export function nextReviewCycle(context: JourneyContext, from: string, nextReviewOn: string): DeadlineSpec[] {
  const calendar = calendarOf(context);
  const months = context.profile.reviews.monitoringCheckMonths;
  const reviewDue = calendar.endOfLondonDay(nextReviewOn);
  const specs: DeadlineSpec[] = [];
  const fromDate = calendar.londonDateOf(from);
  if (calendar.addCalendarMonths(fromDate, months) <= nextReviewOn) {
    for (let k = 1; ; k++) {
      const checkDate = calendar.addCalendarMonths(fromDate, months * k);
      if (checkDate >= nextReviewOn) break;
      specs.push({
        kind: 'monitoringCheck',
        ruleId: 'R-REV-4',
        description: `${months}-monthly monitoring check before the next review`,
        dueAt: calendar.endOfLondonDay(checkDate),
      });
    }
  }
  specs.push({
    kind: 'annualReview',
    ruleId: 'R-REV-3',
    description: `Review due by ${nextReviewOn}`,
    dueAt: reviewDue,
  });
  return specs;
}

/** R-REV-6 */
export function unscheduledReview(context: JourneyContext, from: string, trigger: string): DeadlineSpec {
  const days = context.profile.reviews.unscheduledReviewWorkingDays;
  return {
    kind: 'unscheduledReview',
    ruleId: 'R-REV-6',
    description: `Unscheduled review (${trigger}) within ${days} working days`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}

/** R-END-1: services end on the end date — it takes effect that day, not before. */
export function servicesEnd(context: JourneyContext, endDate: string): DeadlineSpec {
  return {
    kind: 'servicesEnd',
    ruleId: 'R-END-1',
    description: `Services end on ${endDate}`,
    dueAt: calendarOf(context).startOfLondonDay(endDate),
    effect: 'effective',
  };
}

/** R-END-2: a direct payment agreement ends 4 weeks after written notice. */
export function directPaymentAgreementEnd(context: JourneyContext, noticeGivenOn: string): DeadlineSpec {
  const calendar = calendarOf(context);
  const weeks = context.profile.ending.directPaymentNoticeWeeks;
  const endDate = calendar.addCalendarWeeks(noticeGivenOn, weeks);
  return {
    kind: 'directPaymentAgreementEnd',
    ruleId: 'R-END-2',
    description: `Direct payment agreement ends on ${endDate} (${weeks} weeks' notice)`,
    dueAt: calendar.startOfLondonDay(endDate),
    effect: 'effective',
  };
}

/** R-TRF-1: funding continues for up to 6 weeks after a move, then the journey closes. */
export function fundingAfterMove(context: JourneyContext, moveDate: string): DeadlineSpec {
  const calendar = calendarOf(context);
  const weeks = context.profile.ending.fundingAfterMoveWeeks;
  const lastDay = calendar.addCalendarWeeks(moveDate, weeks);
  return {
    kind: 'fundingAfterMove',
    ruleId: 'R-TRF-1',
    description: `Funding continues until the end of ${lastDay}, ${weeks} weeks after the move`,
    dueAt: calendar.endOfLondonDay(lastDay),
    effect: 'effective',
  };
}

/**
 * R-REV-14: equipment that is the only service needs only a confirmation that it suits the person
 * (an adaptation: completed and working), in the window the profile gives a first review.
 */
export function equipmentConfirmation(context: JourneyContext, from: string): DeadlineSpec {
  const calendar = calendarOf(context);
  const first = context.profile.reviews.firstReview;
  return {
    kind: 'equipmentConfirmation',
    ruleId: 'R-REV-14',
    description: `Confirm the equipment suits the person, due at ${first.dueWeeks} weeks, overdue after ${first.overdueWeeks}`,
    dueAt: calendar.weeksAfter(from, first.dueWeeks),
    overdueAt: calendar.weeksAfter(from, first.overdueWeeks),
  };
}

/** R-REV-12: a reassessment decided at review is itself on the clock. */
export function reassessmentDue(context: JourneyContext, from: string): DeadlineSpec {
  const days = context.profile.reviews.reassessmentWorkingDays;
  return {
    kind: 'reassessment',
    ruleId: 'R-REV-12',
    description: `Reassessment within ${days} working days of the review that called for it`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}
