import {
  calendarOf,
  emergencyAssessmentStart,
  firesAt,
  nextReviewCycle,
  reviewsAfterActivation,
  withDeadlines,
  type DeadlineSpec,
} from './deadlines';
import type { EventOf, ImportStage, Plan } from './events';
import { rulesEdition, type JourneyContext } from './journeyContext';
import { maxReviewIntervalMonths } from './rules';
import type { Refusal } from './types';

/**
 * Issue 17: a journey that joins mid-way (JOURNEY_IMPORTED). The person's stage and facts come from
 * the council's case system; the clocks are set from those facts by the same functions as for any
 * journey (deadlines.ts), so an imported review is due exactly when a review held here would be.
 * What happened before the import is the old system's history: a clock already past when the
 * journey is imported is overdue at once (one escalation, workflows/notices.ts).
 *
 * R-IMP-1 (edition 5): the imported journey has exactly the clocks of one that lived the same
 * facts — the 72-hour informal review while services are younger than it (R-REV-1), a monitoring
 * check already due overdue at once rather than dropped (R-REV-4), and the next review at most
 * R-REV-5's months after a review held while the service or its direct payment was young. Under
 * edition 4 a monitoring check whose day passed before the import was not set at all.
 */

export type ImportEvent = EventOf<'JOURNEY_IMPORTED'>;

/** The machine state each imported stage starts in (a sub-step where the stage has steps). */
export function importTarget(
  event: Pick<ImportEvent, 'stage' | 'assessmentStartedOn' | 'indicativeBudget'>,
): string {
  switch (event.stage) {
    case 'assessment':
      return event.assessmentStartedOn ? 'assessment.inProgress' : 'assessment.notStarted';
    case 'interimSupport':
      return 'interimSupport.inPlace';
    case 'indicativeBudget':
      return event.indicativeBudget?.sharedOn ? 'indicativeBudget.shared' : 'indicativeBudget.calculated';
    default:
      return event.stage;
  }
}

/** Every state JOURNEY_IMPORTED can start a journey in (journeyMachine.ts has one transition each). */
export const importTargets = [
  'assessment.notStarted',
  'assessment.inProgress',
  'interimSupport.inPlace',
  'indicativeBudget.calculated',
  'indicativeBudget.shared',
  'planning',
  'setUp',
  'liveSupport',
] as const;

const usesDirectPayment = (event: ImportEvent) => !!event.budgetManagement?.includes('directPayment');

/** The clocks the imported facts start, computed by the rules' own functions (deadlines.ts). */
function importedClocks(context: JourneyContext, event: ImportEvent): DeadlineSpec[] {
  const calendar = calendarOf(context);
  const dayStart = (date: string) => calendar.startOfLondonDay(date);
  if (event.stage === 'interimSupport' && event.interimSupport) {
    // R-EMG-1: 3 working days from the day interim services were set up, part-way through or past.
    return [emergencyAssessmentStart(context, dayStart(event.interimSupport.setUpOn))];
  }
  if (event.stage !== 'liveSupport' || !event.servicesStartedOn) return [];
  const servicesStarted = dayStart(event.servicesStartedOn);
  if (!rulesEdition(context, 5)) {
    if (!event.lastReview) {
      // R-REV-2 / R-ACT-2: no review since services started: the first review's clock.
      return reviewsAfterActivation(context, servicesStarted, false, event.nextReviewOn);
    }
    // R-REV-3 / R-REV-4: the next review on the agreed date, monitoring checks in between — only
    // those still to come (edition 4: one whose day passed before the import was not set).
    return nextReviewCycle(context, dayStart(event.lastReview.on), nextReviewOnOf(context, event)).filter(
      (spec) => spec.kind !== 'monitoringCheck' || Date.parse(spec.dueAt) > Date.parse(event.occurredAt),
    );
  }
  // R-IMP-1: the clocks SERVICES_ACTIVATED would have started (R-REV-1, R-REV-2, R-ACT-2) …
  const afterActivation = reviewsAfterActivation(
    context,
    servicesStarted,
    informalReviewToHold(context, event),
    event.nextReviewOn,
  );
  if (!event.lastReview) return afterActivation;
  // … then, as REVIEW_COMPLETED would have: the first review met, the next cycle set (R-REV-3,
  // R-REV-4, R-REV-5), the informal review left as it was (a review does not meet it). A check
  // already past is overdue at once, as it is on a journey that lived through it.
  const cycle = nextReviewCycle(context, dayStart(event.lastReview.on), nextReviewOnOf(context, event));
  return [
    ...afterActivation.filter((spec) => spec.kind === 'informalReview'),
    ...withoutChecksMade(context, event, cycle),
  ];
}

/**
 * R-REV-1 / R-IMP-1: whether the 72-hour informal review is set. The row says so where it knows
 * (true: still to be held, overdue at once if its hours have passed; false: held, or not
 * appropriate); else the profile's default applies while services are younger than its hours. A
 * row gives the day services began, not the hour: the hours count from the start of that day.
 */
function informalReviewToHold(context: JourneyContext, event: ImportEvent): boolean {
  if (event.informalReview72h !== undefined) return event.informalReview72h;
  if (!event.servicesStartedOn || !context.profile.reviews.informalReviewByDefault) return false;
  const calendar = calendarOf(context);
  const heldBy = calendar.hoursAfter(
    calendar.startOfLondonDay(event.servicesStartedOn),
    context.profile.reviews.informalReviewHours,
  );
  return Date.parse(heldBy) > Date.parse(event.occurredAt);
}

/**
 * R-REV-4: the checks the last monitoring check met. On a lived journey each check meets the
 * earliest one open (MONITORING_CHECK_COMPLETED), which may be done ahead of its day: so a check
 * made on a day met every check whose period had begun by then — the first after the last review,
 * and each one after a check day already passed.
 */
function withoutChecksMade(
  context: JourneyContext,
  event: ImportEvent,
  cycle: DeadlineSpec[],
): DeadlineSpec[] {
  const made = event.lastMonitoringCheckOn;
  const last = event.lastReview?.on;
  if (!made || !last || made < last) return cycle;
  const madeFrom = Date.parse(calendarOf(context).startOfLondonDay(made));
  // The first check's period began with the review; each later one's once the check before was due.
  let previousDue: number | undefined;
  return cycle.filter((spec) => {
    if (spec.kind !== 'monitoringCheck') return true;
    const met = previousDue === undefined || previousDue <= madeFrom;
    previousDue = Date.parse(spec.dueAt);
    return !met;
  });
}

/**
 * R-REV-3 / R-REV-5: the agreed next review, else the longest interval after the last one. From
 * edition 5 that interval is the lived journey's own (maxReviewIntervalMonths, as REVIEW_COMPLETED
 * sets it): R-REV-5's months where, on the day of the last review, the arrangement now in place —
 * the services, or a direct payment begun since — was only a few months old.
 */
export function nextReviewOnOf(context: JourneyContext, event: ImportEvent): string {
  if (event.nextReviewOn) return event.nextReviewOn;
  const last =
    event.lastReview?.on ?? event.servicesStartedOn ?? calendarOf(context).londonDateOf(event.occurredAt);
  return calendarOf(context).addCalendarMonths(last, reviewIntervalMonthsAt(context, event, last));
}

/** The longest interval to the next review a review on `day` could set, from the imported facts. */
function reviewIntervalMonthsAt(context: JourneyContext, event: ImportEvent, day: string): number {
  if (!rulesEdition(context, 5) || !event.servicesStartedOn) return context.profile.reviews.maxIntervalMonths;
  const calendar = calendarOf(context);
  // The journey as it stood at that review: its services, and a direct payment brought in since.
  const asLived: JourneyContext = {
    ...context,
    activatedAt: calendar.startOfLondonDay(event.servicesStartedOn),
    directPayment: { ...context.directPayment, ...directPaymentIntroduced(context, event) },
  };
  return maxReviewIntervalMonths(asLived, undefined, calendar.startOfLondonDay(day));
}

/** R-REV-5 (edition 5): a direct payment brought in after services began, as the lived review records it. */
function directPaymentIntroduced(context: JourneyContext, event: ImportEvent): { introducedAt?: string } {
  return rulesEdition(context, 5) && event.directPaymentStartedOn
    ? { introducedAt: calendarOf(context).startOfLondonDay(event.directPaymentStartedOn) }
    : {};
}

/** Everything JOURNEY_IMPORTED writes into the journey's context. */
export function importedContext(context: JourneyContext, event: ImportEvent): Partial<JourneyContext> {
  const calendar = calendarOf(context);
  const at = event.occurredAt;
  const dayStart = (date: string) => calendar.startOfLondonDay(date);
  const since = event.stageSince ? dayStart(event.stageSince) : at;
  const signedOff = event.stage === 'setUp' || event.stage === 'liveSupport';
  const plan: Plan | undefined = event.budgetManagement
    ? {
        budgetManagement: event.budgetManagement,
        ...(event.personalBudget !== undefined && { personalBudget: event.personalBudget }),
      }
    : undefined;
  const origin = event.source.system ?? event.source.file;
  const clocks = withDeadlines(context, at, importedClocks(context, event));
  return {
    imported: {
      eventId: event.eventId,
      source: event.source,
      stage: event.stage,
      by: event.actor,
      at,
    },
    team: event.team,
    allocatedWorker: event.workerId,
    // R-REF-3: past the assessment, the council supporting the person is the one responsible.
    ...(event.stage !== 'assessment' &&
      event.stage !== 'interimSupport' && {
        ordinaryResidence: { council: context.profile.council, at },
      }),
    ...(event.interimSupport && {
      interimSupport: {
        services: event.interimSupport.services,
        startedAt: dayStart(event.interimSupport.setUpOn),
        ...(event.interimSupport.managerId ? { approvedBy: event.interimSupport.managerId } : {}),
      },
    }),
    ...(event.assessmentStartedOn && {
      assessment: {
        startedAt: dayStart(event.assessmentStartedOn),
        eligibleNeeds: [],
        ineligibleNeeds: [],
        unmetEligibleNeeds: [],
        outcomes: [],
        informalSupport: 'none' as const,
        equipmentConsidered: false,
      },
    }),
    ...(event.indicativeBudget && {
      indicativeBudget: {
        amount: event.indicativeBudget.amount,
        basis: `imported from ${origin} (row ${event.source.row})`,
        calculatedAt: event.indicativeBudget.sharedOn ? dayStart(event.indicativeBudget.sharedOn) : at,
        ...(event.indicativeBudget.sharedOn ? { sharedAt: dayStart(event.indicativeBudget.sharedOn) } : {}),
      },
    }),
    ...(event.stage === 'planning' && { planning: { preparedBy: 'worker', startedAt: since } }),
    plan,
    ...(signedOff &&
      event.personalBudget !== undefined && {
        personalBudget: event.personalBudget,
        signOff: { finalBudget: event.personalBudget, at: since, by: event.actor },
      }),
    directPayment: {
      surplusRecovered: 0,
      ...(event.directPaymentAgreement?.signedOn && {
        agreementSignedOn: event.directPaymentAgreement.signedOn,
      }),
      ...directPaymentIntroduced(context, event),
    },
    ...(event.servicesStartedOn && {
      activatedAt: dayStart(event.servicesStartedOn),
      ...(!event.lastReview && event.nextReviewOn ? { firstReviewAgreedFor: event.nextReviewOn } : {}),
    }),
    reviews: event.lastReview
      ? [
          // R-REV-11: the face-to-face review before a light-touch or telephone last one, as the
          // lived journey's record of reviews would hold it.
          ...(rulesEdition(context, 5) &&
          event.lastFaceToFaceReviewOn &&
          event.lastFaceToFaceReviewOn < event.lastReview.on
            ? [
                {
                  at: dayStart(event.lastFaceToFaceReviewOn),
                  outcome: 'imported',
                  reviewType: 'formal',
                  nextReviewOn: event.lastReview.on,
                },
              ]
            : []),
          {
            at: dayStart(event.lastReview.on),
            outcome: 'imported',
            reviewType: event.lastReview.reviewType,
            nextReviewOn: nextReviewOnOf(context, event),
          },
        ]
      : [],
    complaints: event.complaints.map((c) => ({
      complaintId: c.complaintId,
      about: c.about,
      raisedAt: c.raisedOn ? dayStart(c.raisedOn) : at,
    })),
    safeguarding: event.safeguarding.map((s) => ({
      concernId: s.concernId,
      raisedAt: s.raisedOn ? dayStart(s.raisedOn) : at,
    })),
    ...(event.hospital && { hospital: event.hospital }),
    deadlineSeq: clocks.deadlineSeq,
    // A clock already past at the import is overdue at once, flagged by the import itself.
    deadlines: clocks.deadlines.map((d) =>
      d.status === 'due' && d.effect === 'obligation' && Date.parse(firesAt(d)) <= Date.parse(at)
        ? { ...d, status: 'overdue' as const, flaggedOverdueAt: at }
        : d,
    ),
  };
}

// ---- What an import must carry (the rule book's check, rules.ts) ---------------------------------

const stageWords: Record<ImportStage, string> = {
  assessment: 'assessment',
  interimSupport: 'emergency interim support',
  indicativeBudget: 'indicative budget',
  planning: 'care and support planning',
  setUp: 'service set-up (signed off, not yet live)',
  liveSupport: 'live support with reviews',
};

/** The facts each stage needs, and those only a later stage can have. */
export function importRefusals(context: JourneyContext, event: ImportEvent): Refusal[] {
  const calendar = calendarOf(context);
  const today = calendar.londonDateOf(event.occurredAt);
  const refusals: Refusal[] = [];
  const where = stageWords[event.stage];
  const refuse = (ruleId: string | undefined, message: string, field: string, accepted?: string) =>
    refusals.push({ ...(ruleId && { ruleId }), message, field, ...(accepted && { accepted }) });
  const needs = (present: unknown, field: string, what: string, ruleId?: string) => {
    if (present === undefined)
      refuse(ruleId, `a journey imported at ${where} needs ${what}`, field, `${what}`);
  };
  const onlyAt = (present: unknown, field: string, stages: ImportStage[]) => {
    if (present !== undefined && !stages.includes(event.stage))
      refuse(
        undefined,
        `${field} belongs to a journey at ${stages.map((s) => stageWords[s]).join(' or ')}, not ${where}: leave it empty, or correct the stage`,
        field,
        'empty',
      );
  };

  if (event.policyProfile !== undefined && event.policyProfile !== context.profile.council)
    refuse(
      undefined,
      `the row follows ${event.policyProfile}'s policy profile, but this journey is judged by ${context.profile.council}'s: import it where that council's profile is configured`,
      'policyProfile',
      context.profile.council,
    );
  if (event.subject !== context.subject)
    refuse(
      'R-CAR-1',
      `this journey is for a ${context.subject}; a ${event.subject} has a journey of their own`,
      'subject',
      context.subject,
    );

  switch (event.stage) {
    case 'interimSupport':
      needs(
        event.interimSupport,
        'interimSupport.setUpOn',
        'the date interim services were set up',
        'R-EMG-1',
      );
      break;
    case 'indicativeBudget':
      needs(event.indicativeBudget, 'indicativeBudget.amount', 'the indicative budget (R-IB-2)', 'R-IB-2');
      break;
    case 'setUp':
    case 'liveSupport':
      needs(event.personalBudget, 'personalBudget', 'the personal budget signed off (R-PB-1)', 'R-PB-1');
      needs(event.budgetManagement, 'budgetManagement', 'how the budget is managed (R-PLN-2)', 'R-PLN-2');
      if (usesDirectPayment(event))
        needs(
          event.directPaymentAgreement,
          'directPaymentAgreement.status',
          "the direct payment agreement's status: signed or awaited (R-ACT-1)",
          'R-ACT-1',
        );
      break;
    default:
      break;
  }
  if (event.stage === 'liveSupport') {
    needs(event.servicesStartedOn, 'servicesStartedOn', 'the date services started (R-REV-2)', 'R-REV-2');
    // R-ACT-1: awaited only for a direct payment brought in at a review while the services before
    // it went on (edition 5, R-IMP-1): the lived journey waits on that agreement in live support.
    const broughtInLater = rulesEdition(context, 5) && event.directPaymentStartedOn !== undefined;
    if (usesDirectPayment(event) && event.directPaymentAgreement?.status === 'awaited' && !broughtInLater)
      refuse(
        'R-ACT-1',
        `a direct payment is not live until its agreement is signed: import the person at service set-up (stage setUp) while the agreement is awaited, or give the date it was signed${rulesEdition(context, 5) ? ', or — brought in at a review while services went on — the day it was (directPaymentStartedOn)' : ''}`,
        'directPaymentAgreement.status',
        `'signed' with its date, or stage setUp${rulesEdition(context, 5) ? ', or directPaymentStartedOn' : ''}`,
      );
  }
  onlyAt(event.interimSupport, 'interimSupport.setUpOn', ['interimSupport']);
  onlyAt(event.assessmentStartedOn, 'assessmentStartedOn', ['assessment']);
  onlyAt(event.servicesStartedOn, 'servicesStartedOn', ['liveSupport']);
  onlyAt(event.lastReview, 'lastReview.on', ['liveSupport']);
  onlyAt(event.nextReviewOn, 'nextReviewOn', ['liveSupport']);
  onlyAt(event.directPaymentAgreement, 'directPaymentAgreement.status', ['setUp', 'liveSupport']);
  if (event.directPaymentAgreement && !usesDirectPayment(event))
    refuse(
      'R-PLN-2',
      'a direct payment agreement is recorded, but budgetManagement has no directPayment',
      'budgetManagement',
      "a list including 'directPayment'",
    );
  const agreement = event.directPaymentAgreement;
  if (agreement?.status === 'signed' && !agreement.signedOn)
    refuse(
      'R-ACT-1',
      'a signed direct payment agreement needs the date it was signed',
      'directPaymentAgreement.signedOn',
      'a date (YYYY-MM-DD)',
    );
  if (agreement?.status === 'awaited' && agreement.signedOn)
    refuse(
      undefined,
      'an awaited agreement has no signed date: say signed, or leave the date empty',
      'directPaymentAgreement.signedOn',
      'empty',
    );

  // R-TIM-1: the dates of what already happened are not later than the import.
  const past: [string, string | undefined][] = [
    ['stageSince', event.stageSince],
    ['assessmentStartedOn', event.assessmentStartedOn],
    ['interimSupport.setUpOn', event.interimSupport?.setUpOn],
    ['indicativeBudget.sharedOn', event.indicativeBudget?.sharedOn],
    ['servicesStartedOn', event.servicesStartedOn],
    ['directPaymentAgreement.signedOn', agreement?.signedOn],
    ['lastReview.on', event.lastReview?.on],
    ...(rulesEdition(context, 5)
      ? ([
          ['lastMonitoringCheckOn', event.lastMonitoringCheckOn],
          ['directPaymentStartedOn', event.directPaymentStartedOn],
          ['lastFaceToFaceReviewOn', event.lastFaceToFaceReviewOn],
        ] as [string, string | undefined][])
      : []),
    ['hospital.admittedOn', event.hospital?.admittedOn],
    ...event.complaints.map((c, i): [string, string | undefined] => [`complaints.${i}.raisedOn`, c.raisedOn]),
    ...event.safeguarding.map((s, i): [string, string | undefined] => [
      `safeguarding.${i}.raisedOn`,
      s.raisedOn,
    ]),
  ];
  for (const [field, date] of past) {
    if (date !== undefined && date > today)
      refuse(
        'R-TIM-1',
        `${field} ${date} is after the day of the import (${today}): it must have happened already`,
        field,
        `${today} or earlier`,
      );
  }
  const last = event.lastReview?.on;
  if (last && event.servicesStartedOn && last < event.servicesStartedOn)
    refuse(
      'R-TIM-1',
      `lastReview.on ${last} is before services started (${event.servicesStartedOn})`,
      'lastReview.on',
      `${event.servicesStartedOn} or later`,
    );
  if (last && event.nextReviewOn) {
    // R-REV-5 (edition 5): a review held while the arrangement was young set at most its months.
    const months = reviewIntervalMonthsAt(context, event, last);
    const reduced = months < context.profile.reviews.maxIntervalMonths;
    const latest = calendar.addCalendarMonths(last, months);
    if (event.nextReviewOn <= last)
      refuse(
        'R-REV-3',
        `nextReviewOn ${event.nextReviewOn} must be after the last review (${last})`,
        'nextReviewOn',
        `a date after ${last}`,
      );
    else if (event.nextReviewOn > latest)
      refuse(
        reduced ? 'R-REV-5' : 'R-REV-3',
        `nextReviewOn ${event.nextReviewOn} is more than ${months} months after the last review (${last}): reviews are at intervals no greater than that${reduced ? ` while the service${event.directPaymentStartedOn ? ' or its direct payment' : ''} is only a few months old, as it was then` : ''}`,
        'nextReviewOn',
        `${latest} or earlier`,
      );
  }
  if (rulesEdition(context, 5)) refusals.push(...clockFactRefusals(event));
  if (!last && event.nextReviewOn && event.servicesStartedOn) {
    // R-ACT-2: a first review agreed with the person, within the rule's weeks of services starting.
    const latest = calendar.addCalendarWeeks(
      event.servicesStartedOn,
      context.profile.reviews.firstReview.overdueWeeks,
    );
    if (event.nextReviewOn < event.servicesStartedOn || event.nextReviewOn > latest)
      refuse(
        'R-ACT-2',
        `with no review held yet, nextReviewOn is the first review, agreed for a date between ${event.servicesStartedOn} and ${latest}; give lastReview.on if a review has been held`,
        'nextReviewOn',
        `a date from ${event.servicesStartedOn} to ${latest}, or the last review's date`,
      );
  }
  const ids = (list: string[]) => list.filter((id, i) => list.indexOf(id) !== i);
  for (const id of ids(event.complaints.map((c) => c.complaintId)))
    refuse(undefined, `complaint ${id} is listed twice`, 'complaints', 'each complaint once');
  for (const id of ids(event.safeguarding.map((s) => s.concernId)))
    refuse(undefined, `safeguarding concern ${id} is listed twice`, 'safeguarding', 'each concern once');
  return refusals;
}

/**
 * R-IMP-1 (edition 5): the facts the clocks need, where they belong and in time order (R-TIM-1):
 * each is about live support, happened by the import, and after what it depends on.
 */
function clockFactRefusals(event: ImportEvent): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (ruleId: string | undefined, message: string, field: string, accepted: string) =>
    refusals.push({ ...(ruleId && { ruleId }), message, field, accepted });
  const live = event.stage === 'liveSupport';
  const facts: [field: string, value: unknown][] = [
    ['informalReview72h', event.informalReview72h],
    ['lastMonitoringCheckOn', event.lastMonitoringCheckOn],
    ['directPaymentStartedOn', event.directPaymentStartedOn],
    ['lastFaceToFaceReviewOn', event.lastFaceToFaceReviewOn],
  ];
  for (const [field, value] of facts)
    if (value !== undefined && !live)
      refuse(
        undefined,
        `${field} belongs to a journey at live support with reviews: leave it empty, or correct the stage`,
        field,
        'empty',
      );
  if (!live) return refusals;
  const last = event.lastReview?.on;
  const check = event.lastMonitoringCheckOn;
  if (check && (!last || check < last))
    refuse(
      'R-REV-4',
      last
        ? `lastMonitoringCheckOn ${check} is before the last review (${last}): a review starts a new cycle of checks, so give the check since then, or leave it empty`
        : 'lastMonitoringCheckOn needs lastReview.on: monitoring checks are made between reviews, after the first',
      'lastMonitoringCheckOn',
      last ? `${last} or later, or empty` : 'empty, or the last review too',
    );
  const dpBegan = event.directPaymentStartedOn;
  if (dpBegan && !usesDirectPayment(event))
    refuse(
      'R-PLN-2',
      'a direct payment start is recorded, but budgetManagement has no directPayment',
      'budgetManagement',
      "a list including 'directPayment'",
    );
  if (dpBegan && event.servicesStartedOn && dpBegan < event.servicesStartedOn)
    refuse(
      'R-TIM-1',
      `directPaymentStartedOn ${dpBegan} is before services started (${event.servicesStartedOn}): give it only where the direct payment began later`,
      'directPaymentStartedOn',
      `${event.servicesStartedOn} or later, or empty`,
    );
  const faceToFace = event.lastFaceToFaceReviewOn;
  if (faceToFace && (!last || event.lastReview?.reviewType === 'formal' || faceToFace >= last))
    refuse(
      'R-REV-11',
      !last
        ? 'lastFaceToFaceReviewOn needs lastReview.on: it is the face-to-face review before a light-touch or telephone one'
        : event.lastReview?.reviewType === 'formal'
          ? `the last review (${last}) was face to face: it is the last face-to-face review, so leave lastFaceToFaceReviewOn empty`
          : `lastFaceToFaceReviewOn ${faceToFace} must be before the last review (${last}), which was not face to face`,
      'lastFaceToFaceReviewOn',
      last ? `a date before ${last}, or empty` : 'empty',
    );
  return refusals;
}
