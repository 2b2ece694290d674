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
import type { JourneyContext } from './journeyContext';
import type { Refusal } from './types';

/**
 * Issue 17: a journey that joins mid-way (JOURNEY_IMPORTED). The person's stage and facts come from
 * the council's case system; the clocks are set from those facts by the same functions as for any
 * journey (deadlines.ts), so an imported review is due exactly when a review held here would be.
 * What happened before the import is the old system's history: a clock already past when the
 * journey is imported is overdue at once (one escalation, workflows/notices.ts), and a monitoring
 * check whose day passed before the import is not set at all (nobody can do it now).
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
  if (!event.lastReview) {
    // R-REV-2 / R-ACT-2: no review since services started: the first review's clock.
    return reviewsAfterActivation(context, dayStart(event.servicesStartedOn), false, event.nextReviewOn);
  }
  // R-REV-3 / R-REV-4: the next review on the agreed date, monitoring checks in between — only
  // those still to come (one whose day passed before the import was the old system's to make).
  const next = nextReviewOnOf(context, event);
  return nextReviewCycle(context, dayStart(event.lastReview.on), next).filter(
    (spec) => spec.kind !== 'monitoringCheck' || Date.parse(spec.dueAt) > Date.parse(event.occurredAt),
  );
}

/** R-REV-3: the agreed next review, else the longest interval after the last one. */
export function nextReviewOnOf(context: JourneyContext, event: ImportEvent): string {
  if (event.nextReviewOn) return event.nextReviewOn;
  const last =
    event.lastReview?.on ?? event.servicesStartedOn ?? calendarOf(context).londonDateOf(event.occurredAt);
  return calendarOf(context).addCalendarMonths(last, context.profile.reviews.maxIntervalMonths);
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
    },
    ...(event.servicesStartedOn && {
      activatedAt: dayStart(event.servicesStartedOn),
      ...(!event.lastReview && event.nextReviewOn ? { firstReviewAgreedFor: event.nextReviewOn } : {}),
    }),
    reviews: event.lastReview
      ? [
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
    if (usesDirectPayment(event) && event.directPaymentAgreement?.status === 'awaited')
      refuse(
        'R-ACT-1',
        'a direct payment is not live until its agreement is signed: import the person at service set-up (stage setUp) while the agreement is awaited, or give the date it was signed',
        'directPaymentAgreement.status',
        "'signed' with its date, or stage setUp",
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
    const latest = calendar.addCalendarMonths(last, context.profile.reviews.maxIntervalMonths);
    if (event.nextReviewOn <= last)
      refuse(
        'R-REV-3',
        `nextReviewOn ${event.nextReviewOn} must be after the last review (${last})`,
        'nextReviewOn',
        `a date after ${last}`,
      );
    else if (event.nextReviewOn > latest)
      refuse(
        'R-REV-3',
        `nextReviewOn ${event.nextReviewOn} is more than ${context.profile.reviews.maxIntervalMonths} months after the last review (${last}): reviews are at intervals no greater than that`,
        'nextReviewOn',
        `${latest} or earlier`,
      );
  }
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
