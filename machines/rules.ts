import { appealsAndMonitoringRules, variationReviewRefusals } from './appealsAndMonitoring';
import {
  effectivePostingDate,
  noticeAfterReviewRefusals,
  panelDiscussionRefusals,
  servicesArrangedBefore,
  servicesArrangedRefusals,
  surplusRecoveryRefusals,
} from './concerns/endingAndPayments';
import { calendarOf, isOpen } from './deadlines';
import type { EventOf, JourneyEvent, JourneyEventType, Plan } from './events';
import { localDateFields } from './eventTypes';
import { dateWindow, instantInWindow, localDateInWindow } from './limits';
import { planUsesDirectPayment, rulesEdition, type JourneyContext } from './journeyContext';
import { importRefusals } from './journeyImport';
import { personalBudgetFormulaInWords, personalBudgetFrom } from './personalBudget';
import {
  directPaymentOfferRefusals,
  missingFromChecklist,
  planChecklistOf,
  type MissingElement,
} from './planChecklist';
import { section117Refusal } from './section117';
import { timeRefusals } from './timeRules';
import type { Refusal } from './types';

/**
 * The rule book: for each event, the JOURNEY.md rules it is held to. The machine's guards call
 * these, and `checkEvent` returns their refusals as the reasons an event is not allowed — so a
 * rule is written once and the refusal says why in the words of the rule.
 *
 * `before` holds what must already be true of the journey (it needs no payload, so "what can
 * happen next" can be worked out from the snapshot alone); `check` judges the event's payload.
 */
export interface EventRule<T extends JourneyEventType> {
  ruleIds: string[];
  before?: (context: JourneyContext) => Refusal[];
  check?: (context: JourneyContext, event: EventOf<T>) => Refusal[];
}
type RuleBook = { [T in JourneyEventType]: EventRule<T> };

/** Where a refusal is about one field of the event: its path, and what would be accepted there. */
type Fix = Pick<Refusal, 'field' | 'accepted'>;

const refuse = (ruleId: string | undefined, message: string, fix: Fix = {}): Refusal => ({
  ...(ruleId && { ruleId }),
  message,
  ...(fix.field && { field: fix.field }),
  ...(fix.accepted && { accepted: fix.accepted }),
});
const when = (condition: boolean, ruleId: string | undefined, message: string, fix?: Fix): Refusal[] =>
  condition ? [refuse(ruleId, message, fix)] : [];

const dateOf = (context: JourneyContext, instant: string) => calendarOf(context).londonDateOf(instant);

/** Rules added in edition 2 apply only to journeys judged by it (journeyContext.ts). */
const edition2 = (context: JourneyContext) => rulesEdition(context, 2);
/** Rules added in edition 3 (issue 10), likewise. */
const edition3 = (context: JourneyContext) => rulesEdition(context, 3);
const pounds = (n: number) => `£${n.toFixed(2)}`;

// ---- Rules shared by several events -------------------------------------------------------

/** R-ASM-2: an advocate must be arranged before the assessment or plan is finalised. */
const advocateArrangedIfRequired = (context: JourneyContext): Refusal[] =>
  when(
    context.advocacy.required && !context.advocacy.advocateId,
    'R-ASM-2',
    'an independent advocate must be arranged first: the person would have substantial difficulty being involved and has no appropriate person to help',
  );

/** R-ASM-2 at review, reassessment and ending too (edition 2). */
const advocateArrangedLater = (context: JourneyContext): Refusal[] =>
  edition2(context) ? advocateArrangedIfRequired(context) : [];

/**
 * R-ASM-7: the latest capacity assessment about a direct payment found the person unable to
 * consent to it or to manage it.
 */
export function unableToTakeDirectPayment(context: JourneyContext): boolean {
  const latest = (topic: string) => context.capacityAssessments.filter((c) => c.topic === topic).at(-1);
  return [latest('managingDirectPayment'), latest('consentToDirectPayment')].some(
    (c) => c !== undefined && !c.hasCapacity,
  );
}

/** R-ASM-7: such a direct payment goes to a suitable person, only after their risk assessment. */
const suitablePersonIfUnable = (context: JourneyContext, plan: Plan | undefined): Refusal[] =>
  when(
    edition2(context) &&
      planUsesDirectPayment(plan) &&
      unableToTakeDirectPayment(context) &&
      !context.suitablePerson?.riskAssessmentRecordedOn,
    'R-ASM-7',
    "the person is unable to consent to or manage a direct payment: it may be taken by a 'suitable person' only after a risk assessment of that person is recorded (SUITABLE_PERSON_APPOINTED with riskAssessmentRecordedOn)",
    {
      accepted:
        'SUITABLE_PERSON_APPOINTED with riskAssessmentRecordedOn first, or a plan without a direct payment',
    },
  );

const usesDirectPayment = (context: JourneyContext): Refusal[] =>
  when(!planUsesDirectPayment(context.plan), 'R-PLN-2', 'the plan does not include a direct payment', {
    field: 'plan.budgetManagement',
    accepted: "a plan whose budgetManagement includes 'directPayment' (PLAN_SUBMITTED)",
  });

const notBuyable = 'a purchase of another category, or the need met by a council-arranged service instead';

/** R-PLN-4: what a direct payment cannot buy. */
export function prohibitedDirectPaymentUses(plan: Plan): Refusal[] {
  const refusals: Refusal[] = [];
  for (const [i, purchase] of (plan.directPayment?.purchases ?? []).entries()) {
    const what = `"${purchase.description}"`;
    const at = (accepted: string): Fix => ({ field: `plan.directPayment.purchases.${i}`, accepted });
    switch (purchase.category) {
      case 'longTermResidential':
        refusals.push(
          refuse(
            'R-PLN-4',
            `a direct payment cannot buy long-term residential care (${what})`,
            at(notBuyable),
          ),
        );
        break;
      case 'healthcare':
        refusals.push(refuse('R-PLN-4', `a direct payment cannot buy healthcare (${what})`, at(notBuyable)));
        break;
      case 'unlawful':
        refusals.push(
          refuse('R-PLN-4', `a direct payment cannot buy anything unlawful (${what})`, at(notBuyable)),
        );
        break;
      case 'shortStayResidential': {
        const stay = purchase.shortStay;
        if (!stay || stay.lengthWeeks > 4 || (stay.weeksSincePreviousStay ?? Infinity) < 4) {
          refusals.push(
            refuse(
              'R-PLN-4',
              `a short residential stay must last at most 4 weeks and be at least 4 weeks after the previous one (${what})`,
              at('shortStay.lengthWeeks of at most 4 and shortStay.weeksSincePreviousStay of at least 4'),
            ),
          );
        }
        break;
      }
      case 'familyMemberInHousehold':
      case 'councilService':
      case 'equipment':
        if (!purchase.exceptional) {
          const label = {
            familyMemberInHousehold: 'a spouse, partner or close relative living in the same household',
            councilService: 'services from a council',
            equipment: 'equipment',
          }[purchase.category];
          refusals.push(
            refuse(
              'R-PLN-4',
              `a direct payment cannot buy ${label} unless it is marked exceptional with a reason (${what})`,
              at('exceptional: { reason } on the purchase, where the council has agreed the exception'),
            ),
          );
        }
        break;
      default:
        break;
    }
  }
  return refusals;
}

/**
 * R-PLN-3 / R-PLN-6: the plan checklists are the council's (its profile's `plans`, from rules
 * edition 5); machines/planChecklist.ts says what each element is and which a plan lacks.
 */
export { missingPlanElements, type MissingElement } from './planChecklist';

/** A missing element as a refusal: its field, and how to put it right. */
const missingElementRefusal =
  (ruleId: string, whose: string) =>
  ({ field, words }: MissingElement): Refusal =>
    refuse(
      ruleId,
      field === 'plan'
        ? `${whose} is missing ${words}: submit it (PLAN_SUBMITTED)`
        : `${whose} is missing ${words} (${field}): submit the plan again with it (PLAN_SUBMITTED)`,
      {
        field,
        accepted: field === 'plan' ? 'PLAN_SUBMITTED first' : `PLAN_SUBMITTED with ${field} filled in`,
      },
    );

const paymentsPerYear = { weekly: 52, fourWeekly: 13, monthly: 12, annually: 1 } as const;

/**
 * R-SGN-5: the budget written in the plan, and a direct payment's amount and frequency, agree with
 * the personal budget signed off. A direct payment alone pays the whole budget (to the penny per
 * payment); in a combination it pays no more than the budget.
 */
export function budgetDisagreements(plan: Plan | undefined, personalBudget: number): Refusal[] {
  if (!plan) return [];
  const refusals: Refusal[] = [];
  if (plan.personalBudget !== undefined && pennies(plan.personalBudget) !== pennies(personalBudget)) {
    refusals.push(
      refuse(
        'R-SGN-5',
        `the plan's budget (plan.personalBudget ${pounds(plan.personalBudget)}) must agree with the personal budget signed off (${pounds(personalBudget)})`,
        { field: 'plan.personalBudget', accepted: `${personalBudget.toFixed(2)}` },
      ),
    );
  }
  const dp = plan.directPayment;
  if (plan.budgetManagement.includes('directPayment') && dp?.amount !== undefined && dp.frequency) {
    const perYear = paymentsPerYear[dp.frequency];
    const yearly = dp.amount * perYear;
    const onlyOption = plan.budgetManagement.length === 1;
    // Each payment is rounded to the penny: allow that much a payment, no more.
    const tolerance = perYear * 0.01;
    const tooMuch = yearly > personalBudget + tolerance;
    const tooLittle = onlyOption && yearly < personalBudget - tolerance;
    if (tooMuch || tooLittle) {
      refusals.push(
        refuse(
          'R-SGN-5',
          `the direct payment of ${pounds(dp.amount)} ${dp.frequency} is ${pounds(yearly)} a year, which ${tooMuch ? 'is more than' : 'does not add up to'} the personal budget of ${pounds(personalBudget)} a year (plan.directPayment.amount and plan.directPayment.frequency)`,
          {
            field: 'plan.directPayment.amount',
            accepted: `${onlyOption ? '' : 'at most '}${pounds(personalBudget / perYear)} ${dp.frequency} (the budget over ${perYear} payments a year)`,
          },
        ),
      );
    }
  }
  return refusals;
}

/** R-SGN-1: the delegation limit that applies to the allocated team. */
export function delegationLimit(context: JourneyContext): number {
  const { signOff } = context.profile;
  const teamLimit = context.team === undefined ? undefined : signOff.teamDelegationLimits[context.team];
  return teamLimit ?? signOff.delegationLimit;
}

/** R-END-1: the earliest end date a letter posted on this date may set. */
export function earliestServiceEndDate(context: JourneyContext, postedOn: string): string {
  return calendarOf(context).addWorkingDays(postedOn, context.profile.ending.endLetterNoticeWorkingDays);
}

type ReviewIndicators = EventOf<'REVIEW_COMPLETED'>['indicators'];

/**
 * R-REV-5: which conditions for a shorter interval hold — those the caller states, and (edition 2)
 * those the journey's own facts show: a service younger than the reduced interval is "only a few
 * months old", a provider new without a track record, several providers to coordinate.
 */
export function reviewIndicatorsHolding(
  context: JourneyContext,
  stated: Partial<ReviewIndicators> | undefined,
  at: string,
  revisedPlan?: Plan,
): (keyof ReviewIndicators)[] {
  const holding = new Set(
    Object.entries(stated ?? {})
      .filter(([, v]) => v)
      .map(([k]) => k as keyof ReviewIndicators),
  );
  if (edition2(context)) {
    const { reducedIntervalMonths } = context.profile.reviews;
    const calendar = calendarOf(context);
    // Edition 5: "including the direct payment scheme" (REV) — the age that counts is the age of
    // the arrangement now in place, so a direct payment brought in at a later review (or at this
    // one) starts a new "few months".
    const arrangementSince = rulesEdition(context, 5)
      ? (context.directPayment.introducedAt ?? context.activatedAt)
      : context.activatedAt;
    if (
      arrangementSince &&
      calendar.addCalendarMonths(calendar.londonDateOf(arrangementSince), reducedIntervalMonths) >
        calendar.londonDateOf(at)
    ) {
      holding.add('serviceOnlyFewMonthsOld');
    }
    if (rulesEdition(context, 5) && introducesDirectPayment(context, revisedPlan)) {
      holding.add('serviceOnlyFewMonthsOld');
    }
    if (context.providers.some((p) => p.newWithoutTrackRecord)) holding.add('newProviderWithoutTrackRecord');
    if (context.providers.length > 1) holding.add('severalProvidersToCoordinate');
  }
  return [...holding].sort();
}

/** R-REV-5 / R-ACT-1: a plan revised at review that brings in a direct payment the plan had not. */
export const introducesDirectPayment = (context: JourneyContext, revisedPlan: Plan | undefined): boolean =>
  !!revisedPlan && planUsesDirectPayment(revisedPlan) && !planUsesDirectPayment(context.plan);

/** R-REV-3 / R-REV-5: the longest interval to the next review. */
export function maxReviewIntervalMonths(
  context: JourneyContext,
  indicators: Partial<ReviewIndicators> | undefined,
  at: string,
  revisedPlan?: Plan,
): number {
  return reviewIndicatorsHolding(context, indicators, at, revisedPlan).length
    ? context.profile.reviews.reducedIntervalMonths
    : context.profile.reviews.maxIntervalMonths;
}

/** R-REV-3 / R-REV-5: a next review date after today and within the longest interval allowed. */
function nextReviewRefusals(
  context: JourneyContext,
  at: string,
  indicators: Partial<ReviewIndicators> | undefined,
  nextReviewOn: string | undefined,
  revisedPlan?: Plan,
): Refusal[] {
  const calendar = calendarOf(context);
  const today = calendar.londonDateOf(at);
  const maxMonths = maxReviewIntervalMonths(context, indicators, at, revisedPlan);
  const latest = calendar.addCalendarMonths(today, maxMonths);
  const reduced = maxMonths < context.profile.reviews.maxIntervalMonths;
  const why = reduced
    ? ` (R-REV-5 holds: ${reviewIndicatorsHolding(context, indicators, at, revisedPlan).join(', ')})`
    : '';
  return [
    ...when(
      nextReviewOn !== undefined && nextReviewOn > latest,
      reduced ? 'R-REV-5' : 'R-REV-3',
      `the next review (nextReviewOn) must be no later than ${latest}: at most ${maxMonths} months away${why}`,
      { field: 'nextReviewOn', accepted: `a date after ${today} and on or before ${latest}` },
    ),
    ...when(
      nextReviewOn !== undefined && nextReviewOn <= today,
      'R-REV-8',
      `the next review date (nextReviewOn) must be in the future: after ${today}`,
      { field: 'nextReviewOn', accepted: `a date after ${today} and on or before ${latest}` },
    ),
  ];
}

/** R-REV-11: the conditions under which a review may be held by telephone (REV). */
const telephoneConditionWords = {
  lowLevelNonPersonalCare: 'the support is low-level, non-personal care',
  noCommunicationDifficulty:
    'the person has no communication difficulty that prevents a telephone discussion',
  faceToFaceReviewInPreviousYear: 'there was a face-to-face review in the previous year',
  ableToMonitorAndAskForFaceToFace: 'the person can monitor the service and ask for a face-to-face review',
  needsUnchanged: 'the needs are unchanged',
} as const;

/**
 * R-REV-11: REV's heading makes "telephone" and "light touch" one kind of review (edition 5: a
 * light-touch review is held to the telephone conditions, by whatever means). Which form a first
 * review may take is the council's: Derbyshire's is formal and face to face; Lancashire's first
 * review "can be often over the telephone" and is light touch (LAN §3.7).
 */
function telephoneReviewRefusals(context: JourneyContext, event: EventOf<'REVIEW_COMPLETED'>): Refusal[] {
  const edition5 = rulesEdition(context, 5);
  const notFaceToFace = edition5 ? event.reviewType !== 'formal' : event.reviewType === 'telephone';
  if (!edition2(context) || !notFaceToFace) return [];
  const firstReview = context.deadlines.some((d) => d.kind === 'firstReview' && isOpen(d));
  if (firstReview && edition5 && context.profile.reviews.firstReview.form === 'lightTouch') return [];
  if (firstReview) {
    return [
      refuse(
        'R-REV-11',
        edition5
          ? `a first review here is formal and face to face, not ${event.reviewType === 'telephone' ? 'by telephone' : 'light touch'}: hold it face to face`
          : 'a first review is never held by telephone: hold it face to face',
        { field: 'reviewType', accepted: edition5 ? "'formal'" : 'a face-to-face review type' },
      ),
    ];
  }
  const stated = event.telephoneConditions;
  if (!stated) {
    return [
      refuse(
        'R-REV-11',
        `a ${event.reviewType === 'lightTouch' ? 'light-touch' : 'telephone'} review needs telephoneConditions, each true: ${Object.keys(telephoneConditionWords).join(', ')}`,
        {
          field: 'telephoneConditions',
          accepted: `{ ${Object.keys(telephoneConditionWords)
            .map((k) => `${k}: true`)
            .join(', ')} }, or a face-to-face review`,
        },
      ),
    ];
  }
  const refusals = (Object.keys(telephoneConditionWords) as (keyof typeof telephoneConditionWords)[])
    .filter((k) => !stated[k])
    .map((k) =>
      refuse(
        'R-REV-11',
        `a review is held ${event.reviewType === 'lightTouch' ? 'light touch' : 'by telephone'} only where ${telephoneConditionWords[k]} (telephoneConditions.${k})`,
        { field: `telephoneConditions.${k}`, accepted: 'true, or a face-to-face review' },
      ),
    );
  // The journey's own record: a face-to-face review within the year before this one.
  const calendar = calendarOf(context);
  const yearBefore = calendar.addCalendarMonths(calendar.londonDateOf(event.occurredAt), -12);
  const faceToFace = context.reviews.some(
    (r) =>
      (edition5 ? r.reviewType === 'formal' : r.reviewType !== 'telephone') &&
      calendar.londonDateOf(r.at) >= yearBefore,
  );
  if (stated.faceToFaceReviewInPreviousYear && !faceToFace) {
    refusals.push(
      refuse(
        'R-REV-11',
        `the journey records no face-to-face review since ${yearBefore}: hold this one face to face`,
        { field: 'telephoneConditions.faceToFaceReviewInPreviousYear', accepted: 'a face-to-face review' },
      ),
    );
  }
  return refusals;
}

/**
 * R-REV-13: a review is arranged with sufficient notice to the person and their chosen
 * representatives, with advocacy considered; the journey records when they were told and who. The
 * least notice is the profile's; an unscheduled review may be held sooner, with the reason recorded.
 */
function reviewNoticeRefusals(context: JourneyContext, event: EventOf<'REVIEW_COMPLETED'>): Refusal[] {
  if (!rulesEdition(context, 5)) return [];
  const notice = event.notice;
  const calendar = calendarOf(context);
  const reviewDay = calendar.londonDateOf(event.occurredAt);
  const least = context.profile.reviews.leastNoticeWorkingDays;
  const latestToTell = calendar.addWorkingDays(reviewDay, -least);
  if (!notice) {
    return [
      refuse(
        'R-REV-13',
        'record when the person and their chosen representatives were told of the review, and who was told (notice)',
        {
          field: 'notice',
          accepted: `{ toldOn: a date on or before ${latestToTell}, told: [who was told], advocacyConsidered: true }`,
        },
      ),
    ];
  }
  const unscheduled = context.deadlines.some((d) => d.kind === 'unscheduledReview' && isOpen(d));
  return [
    ...when(
      notice.toldOn > reviewDay,
      'R-REV-13',
      `the person cannot have been told of the review after it was held: notice.toldOn must be on or before ${reviewDay}`,
      { field: 'notice.toldOn', accepted: `a date on or before ${reviewDay}` },
    ),
    ...when(
      notice.toldOn <= reviewDay && notice.toldOn > latestToTell && !(unscheduled && event.shortNoticeReason),
      'R-REV-13',
      unscheduled
        ? `an unscheduled review at less than ${least} working days' notice needs the reason recorded (shortNoticeReason)`
        : `a planned review is arranged at least ${least} working days ahead: the person was told on ${notice.toldOn}, so the review can be held from ${calendar.addWorkingDays(notice.toldOn, least)}`,
      unscheduled
        ? { field: 'shortNoticeReason', accepted: 'why the review could not wait for the usual notice' }
        : { field: 'notice.toldOn', accepted: `a date on or before ${latestToTell}` },
    ),
    ...when(
      !notice.advocacyConsidered,
      'R-REV-13',
      'whether the person needs an independent advocate at the review must be considered (notice.advocacyConsidered)',
      { field: 'notice.advocacyConsidered', accepted: 'true' },
    ),
  ];
}

/** R-END-4: the latest review since the direct payment started decided to end it. */
function reviewedDirectPaymentEnd(context: JourneyContext): boolean {
  const since = [context.activatedAt, context.directPayment.agreementSignedOn]
    .filter((d): d is string => !!d)
    .map((d) => Date.parse(d));
  const latest = context.reviews.at(-1);
  return !!latest && latest.directPaymentOutcome === 'end' && since.every((t) => Date.parse(latest.at) >= t);
}

const pennies = (n: number) => Math.round(n * 100);

/** R-END-5: services end after reassessment only with sources named and no need left unmet. */
function endingRefusals(event: EventOf<'REASSESSMENT_COMPLETED'>): Refusal[] {
  const metOtherwise = new Set((event.unmetNeedsMetOtherwise ?? []).map((n) => n.need));
  return [
    ...when(
      event.thirdPartySources.length === 0,
      'R-END-5',
      'ending services names the third-party sources of information used (thirdPartySources)',
      { field: 'thirdPartySources', accepted: 'at least one source, e.g. ["GP letter of 2 March"]' },
    ),
    ...event.unmetEligibleNeeds
      .filter((n) => !metOtherwise.has(n.need))
      .map((n) =>
        refuse(
          'R-END-5',
          `eligible need "${n.need}" would be left unmet: say how it will be met otherwise (unmetNeedsMetOtherwise)`,
          { field: 'unmetNeedsMetOtherwise', accepted: `an entry with need "${n.need}" and how it is met` },
        ),
      ),
  ];
}

/**
 * Edition 5: a plan revised at a review is held to the council's checklist (R-PLN-3, or a carer's
 * plan's contents, R-PLN-6) and records the direct payment offer (R-PLN-2) as a plan signed off
 * does; where needs are met under s117, the change waits for health to be consulted (R-PB-5).
 * The contingency plan is reviewed at every review whatever the outcome (R-REV-8's
 * contingencyPlanReviewed).
 */
function revisedPlanRefusals(context: JourneyContext, event: EventOf<'REVIEW_COMPLETED'>): Refusal[] {
  if (!rulesEdition(context, 5) || event.outcome !== 'planRevised') return [];
  const { carersPlan } = planChecklistOf(context);
  const whose = carersPlan ? "the carer's revised plan" : 'the revised plan';
  const revised = event.revisedPlan;
  return [
    ...(revised
      ? missingFromChecklist(context, revised).map(({ field, words }) => {
          const at = field.replace(/^plan(?=\.|$)/, 'revisedPlan');
          return refuse(
            carersPlan ? 'R-PLN-6' : 'R-PLN-3',
            `${whose} is missing ${words} (${at}): a plan revised at review is held to the same checklist`,
            { field: at, accepted: `the revised plan with ${at} filled in` },
          );
        })
      : []),
    ...directPaymentOfferRefusals(revised, carersPlan, 'revisedPlan'),
    ...section117Refusal(context, 'change', {
      field: revised ? 'revisedPlan' : 'outcome',
      accepted:
        "AFTERCARE_HEALTH_CONSULTED with about 'change' first, or a review that does not revise the plan",
    }),
  ];
}

/** What may be named instead of an unknown id: the open ones, or what to do first. */
const openIds = (ids: string[], otherwise: string): string =>
  ids.length ? `one of: ${ids.join(', ')}` : otherwise;

// ---- The rule book ------------------------------------------------------------------------

export const ruleBook: RuleBook = {
  REFERRAL_RECEIVED: {
    ruleIds: ['R-REF-1', 'R-REF-4', 'R-CAR-1'],
    check: (context, event) => [
      ...when(
        context.referrals.some((r) => r.referralId === event.referralId),
        'R-REF-4',
        `referral ${event.referralId} is already recorded on this journey`,
        { field: 'referralId', accepted: 'a referralId not yet used on this journey' },
      ),
      ...when(
        event.subject !== context.subject,
        'R-CAR-1',
        `this journey is for a ${context.subject}; a referral for a ${event.subject} opens a journey of its own`,
        { field: 'subject', accepted: context.subject },
      ),
    ],
  },
  /**
   * Issue 17: a journey imported mid-way. R-IMP-1 asks for exactly the clocks of a journey that
   * lived the same facts; these are the rules whose clocks and conditions the import applies to
   * the facts it carries (machines/journeyImport.ts).
   */
  JOURNEY_IMPORTED: {
    ruleIds: [
      'R-IMP-1',
      'R-EMG-1',
      'R-ACT-1',
      'R-ACT-2',
      'R-REV-1',
      'R-REV-2',
      'R-REV-3',
      'R-REV-4',
      'R-REV-5',
      'R-REV-11',
      'R-TIM-1',
    ],
    before: (context) =>
      when(
        context.referrals.length > 0 || context.imported !== undefined,
        undefined,
        "a journey is imported only as its first event: this person's journey is already open here",
        { field: 'type', accepted: 'the events allowed now, on the open journey' },
      ),
    check: (context, event) => [
      ...when(
        !['manager', 'integration', 'system'].includes(event.actor.role),
        undefined,
        `bringing a caseload in is for a manager or an integration, not a ${event.actor.role}`,
        { field: 'actor', accepted: 'an import sent by a manager or an integration' },
      ),
      ...importRefusals(context, event),
    ],
  },
  UNIVERSAL_OFFER_GIVEN: { ruleIds: ['R-REF-1'] },
  TRIAGED: {
    ruleIds: ['R-REF-2', 'R-REF-1'],
    check: (context, event) =>
      when(
        event.route !== 'emergencyInterimSupport' && !context.universalOffer,
        'R-REF-1',
        'the universal offer (information, advice, signposting, prevention) must be given before triage routes the referral onward',
        { field: 'route', accepted: "UNIVERSAL_OFFER_GIVEN first, or route 'emergencyInterimSupport'" },
      ),
  },
  WORKER_ALLOCATED: { ruleIds: [] },
  ORDINARY_RESIDENCE_ESTABLISHED: { ruleIds: ['R-REF-3'] },
  SHORT_TERM_SUPPORT_ENDED: { ruleIds: ['R-REF-2'] },
  INTERIM_SUPPORT_STARTED: {
    ruleIds: ['R-EMG-1', 'R-EMG-3'],
    check: (context, event) =>
      edition2(context)
        ? [
            ...when(
              !event.managerApproval,
              'R-EMG-3',
              'emergency services are set up with the approval of the relevant manager: record managerApproval.managerId',
              { field: 'managerApproval.managerId', accepted: 'the id of the manager who approved' },
            ),
            ...when(
              event.caseNotesCompleted !== true,
              'R-EMG-3',
              'the case notes must be completed when emergency services are set up (caseNotesCompleted: true)',
              { field: 'caseNotesCompleted', accepted: 'true' },
            ),
          ]
        : [],
  },
  ASSESSMENT_STARTED: { ruleIds: ['R-EMG-1', 'R-ASM-1'] },
  CAPACITY_ASSESSED: { ruleIds: ['R-ASM-2', 'R-ASM-7'] },
  SUITABLE_PERSON_APPOINTED: {
    ruleIds: ['R-ASM-7'],
    check: (_context, event) =>
      when(
        !event.riskAssessmentRecordedOn,
        'R-ASM-7',
        'a suitable person takes a direct payment only after a risk assessment of them is recorded (riskAssessmentRecordedOn)',
        {
          field: 'riskAssessmentRecordedOn',
          accepted: 'the date the risk assessment was recorded (YYYY-MM-DD)',
        },
      ),
  },
  INVOLVEMENT_DIFFICULTY_ASSESSED: { ruleIds: ['R-ASM-2'] },
  ADVOCATE_ARRANGED: { ruleIds: ['R-ASM-2'] },
  CONSENT_RECORDED: { ruleIds: ['R-ASM-3'] },
  CARER_IDENTIFIED: { ruleIds: ['R-ASM-4'] },
  CARER_ASSESSMENT_OFFERED: {
    ruleIds: ['R-ASM-4', 'R-CAR-1'],
    check: (context, event) => [
      ...when(
        edition2(context) &&
          context.carer?.offeredAt !== undefined &&
          context.carer.carerId === event.carerId &&
          // R-CAR-1 (edition 5): an offer is not spent by a refusal; it can be offered again.
          (!rulesEdition(context, 5) || context.carer.accepted === true),
        'R-ASM-4',
        rulesEdition(context, 5)
          ? `carer ${event.carerId} has already accepted an assessment (their own journey was opened)`
          : `carer ${event.carerId} has already been offered an assessment`,
        { field: 'carerId' },
      ),
      ...when(
        context.carer?.carerId !== event.carerId,
        'R-ASM-4',
        `carer ${event.carerId} has not been identified on this journey`,
        {
          field: 'carerId',
          accepted: context.carer
            ? `${context.carer.carerId}, or CARER_IDENTIFIED first`
            : 'CARER_IDENTIFIED first',
        },
      ),
    ],
  },
  ASSESSMENT_PAUSED: { ruleIds: ['R-ASM-6'] },
  ASSESSMENT_RESUMED: { ruleIds: ['R-ASM-6'] },
  ASSESSMENT_COMPLETED: {
    ruleIds: ['R-ASM-1', 'R-ASM-5', 'R-IB-1'],
    before: (context) => [
      ...when(
        !context.consent,
        'R-ASM-3',
        'consent to share information, and any limits on it, must be recorded',
      ),
      ...advocateArrangedIfRequired(context),
      ...when(
        !!context.carer && !context.carer.offeredAt,
        'R-ASM-4',
        "a carer has been identified: a carer's assessment must be offered",
      ),
    ],
    check: (context, event) => {
      const eligible = new Set(event.eligibleNeeds.map((n) => n.need));
      return [
        ...event.unmetEligibleNeeds
          .filter((n) => !eligible.has(n.need))
          .map((n, i) =>
            refuse('R-ASM-1', `unmet need "${n.need}" is not among the eligible needs`, {
              field: `unmetEligibleNeeds.${i}.need`,
              accepted: `one of the eligibleNeeds: ${[...eligible].map((e) => `"${e}"`).join(', ') || 'none given'}`,
            }),
          ),
        ...when(
          event.unmetEligibleNeeds.length > 0 && !context.universalOffer,
          'R-IB-1',
          'universal and preventative options must be applied before an indicative budget is worked out',
        ),
      ];
    },
  },
  INDICATIVE_BUDGET_CALCULATED: {
    ruleIds: ['R-IB-1', 'R-IB-2'],
    // Edition 3: only the system speaks for the system (the workflow takes it from its RAS activity only).
    check: (context, event) =>
      when(
        edition3(context) && event.actor.role !== 'system',
        'R-IB-2',
        "only the council's Resource Allocation System gives the indicative budget: the journey asks it itself once the assessment is complete; a manager may set another figure with INDICATIVE_BUDGET_OVERRIDDEN and a reason, where the council's policy profile allows it",
        {
          field: 'type',
          accepted: 'INDICATIVE_BUDGET_OVERRIDDEN, by a manager with a reason, where the profile allows it',
        },
      ),
  },
  INDICATIVE_BUDGET_OVERRIDDEN: {
    ruleIds: ['R-IB-2'],
    before: (context) => [
      ...when(
        !edition3(context),
        undefined,
        'an override of the indicative budget is in the rules of edition 3; this journey takes them at its next continue-as-new',
      ),
      ...when(
        edition3(context) && context.profile.budget?.managerMayOverrideIndicativeBudget !== true,
        'R-IB-2',
        `${context.profile.council}'s policy profile does not let a manager override the indicative budget (budget.managerMayOverrideIndicativeBudget): the RAS's figure stands`,
      ),
    ],
    check: (_context, event) =>
      when(
        event.actor.role !== 'manager',
        'R-IB-2',
        `only a manager may override the indicative budget, with the reason (${event.actor.userId} is ${event.actor.role === 'auditor' ? 'an' : 'a'} ${event.actor.role})`,
      ),
  },
  INDICATIVE_BUDGET_SHARED: { ruleIds: ['R-IB-3'] },
  PLANNING_STARTED: {
    ruleIds: ['R-IB-3', 'R-REF-3', 'R-PLN-1'],
    before: (context) => [
      ...when(
        !context.indicativeBudget?.sharedAt,
        'R-IB-3',
        'the indicative budget must be shared with the person before planning starts',
      ),
      ...when(
        !context.ordinaryResidence,
        'R-REF-3',
        'ordinary residence must be established before care and support planning',
      ),
      ...advocateArrangedIfRequired(context),
    ],
  },
  PLAN_SUBMITTED: {
    ruleIds: ['R-PLN-2', 'R-PLN-4'],
    check: (_context, event) => [
      ...when(
        !!event.plan.directPayment && !event.plan.budgetManagement.includes('directPayment'),
        'R-PLN-2',
        'direct payment details are given but the budget management options do not include a direct payment',
        {
          field: 'plan.budgetManagement',
          accepted: "budgetManagement including 'directPayment', or no plan.directPayment",
        },
      ),
      ...prohibitedDirectPaymentUses(event.plan),
    ],
  },
  PLAN_VALIDATED: {
    ruleIds: ['R-PLN-1'],
    before: (context) => when(!context.plan, 'R-PLN-1', 'there is no plan to validate yet'),
  },
  DISPUTE_RAISED: { ruleIds: ['R-SGN-2'] },
  PLAN_SIGNED_OFF: {
    ruleIds: [
      'R-PLN-2',
      'R-PLN-3',
      'R-PLN-6',
      'R-PB-1',
      'R-PB-2',
      'R-PB-3',
      'R-PB-4',
      'R-PB-5',
      'R-SGN-1',
      'R-SGN-2',
      'R-SGN-3',
      'R-SGN-4',
      'R-SGN-5',
    ],
    before: (context) => [
      // R-PLN-3 / R-PLN-6: the council's checklist (edition 5; before, the common one)
      ...missingFromChecklist(context, context.plan).map(
        planChecklistOf(context).carersPlan
          ? missingElementRefusal('R-PLN-6', "the carer's plan")
          : missingElementRefusal('R-PLN-3', 'the plan'),
      ),
      ...(rulesEdition(context, 5)
        ? directPaymentOfferRefusals(context.plan, planChecklistOf(context).carersPlan, 'plan')
        : []),
      ...suitablePersonIfUnable(context, context.plan),
      ...when(
        !!context.planning && context.planning.preparedBy !== 'worker' && !context.planning.validatedAt,
        'R-PLN-1',
        'a plan not prepared by the council must be validated by it before sign-off',
      ),
      ...advocateArrangedIfRequired(context),
      ...(context.plan ? prohibitedDirectPaymentUses(context.plan) : []),
    ],
    check: (context, event) => {
      // R-PB-4 (edition 5): reablement and enablement within the reasonable cost are left out of
      // the budget; an earlier edition never had the figure.
      const costing = rulesEdition(context, 5)
        ? event.costing
        : { ...event.costing, shortTermPreventativeCost: undefined };
      const shortTerm = costing.shortTermPreventativeCost ?? 0;
      const refusals: Refusal[] = [
        ...when(
          shortTerm > costing.reasonableCost,
          'R-PB-4',
          `the short-term preventative services (costing.shortTermPreventativeCost ${pounds(shortTerm)}) are part of the reasonable cost (${pounds(costing.reasonableCost)}): they cannot cost more than it`,
          {
            field: 'costing.shortTermPreventativeCost',
            accepted: `at most ${costing.reasonableCost.toFixed(2)}, the part of reasonableCost spent on reablement or enablement`,
          },
        ),
      ];
      if (costing.s117Aftercare && costing.assessedContribution > 0) {
        refusals.push(
          refuse('R-PB-3', 's117 Mental Health Act aftercare is free: the assessed contribution must be 0', {
            field: 'costing.assessedContribution',
            accepted: '0',
          }),
        );
      }
      // The profile says what the personal budget is (LAN §2.4 includes the contribution).
      const expected = personalBudgetFrom(context.profile, costing);
      if (pennies(expected) !== pennies(event.finalBudget)) {
        refusals.push(
          shortTerm > 0
            ? refuse(
                'R-PB-4',
                `the cost of short-term preventative services given as part of an extended rehabilitative or assessment process (reablement, enablement: costing.shortTermPreventativeCost ${pounds(shortTerm)}) is excluded from any personal budget: the personal budget must be ${personalBudgetFormulaInWords(context.profile)}, without it: £${expected.toFixed(2)}, not £${event.finalBudget.toFixed(2)}`,
                { field: 'finalBudget', accepted: expected.toFixed(2) },
              )
            : refuse(
                'R-PB-3',
                `the personal budget must be ${personalBudgetFormulaInWords(context.profile)}: £${expected.toFixed(2)}, not £${event.finalBudget.toFixed(2)}`,
                { field: 'finalBudget', accepted: expected.toFixed(2) },
              ),
        );
      }
      const indicative = context.indicativeBudget?.amount;
      if (
        indicative !== undefined &&
        pennies(indicative) !== pennies(event.finalBudget) &&
        !event.mismatchReason
      ) {
        refusals.push(
          refuse(
            'R-PB-2',
            `the final budget (£${event.finalBudget.toFixed(2)}) differs from the indicative budget (£${indicative.toFixed(2)}): record why in mismatchReason`,
            {
              field: 'mismatchReason',
              accepted: 'why the final budget differs from the indicative one, in words',
            },
          ),
        );
      }
      const limit = delegationLimit(context);
      const authoriser = context.profile.signOff.authoriserRole;
      const isAuthoriser = event.actor.role === authoriser;
      // Edition 2: the size of the allocation is its whole cost, not what is left after the
      // person's contribution and other funding (a £48,000 package is large whoever pays).
      const size = edition2(context)
        ? Math.max(event.finalBudget, costing.reasonableCost)
        : event.finalBudget;
      if (size > limit && !isAuthoriser) {
        refusals.push(
          refuse(
            'R-SGN-1',
            `a ${size === event.finalBudget ? 'budget' : 'package costing'} ${pounds(size)} is above the delegation limit of ${pounds(limit)}: it needs sign-off by a ${authoriser}`,
            { field: 'actor', accepted: `sign-off sent by a ${authoriser}` },
          ),
        );
      }
      if (edition2(context)) {
        refusals.push(
          ...when(
            indicative !== undefined && pennies(event.finalBudget) > pennies(indicative) && !isAuthoriser,
            'R-SGN-4',
            `meeting eligible needs with ${pounds(event.finalBudget)}, above the indicative budget of ${pounds(indicative ?? 0)}, goes through the team's delegation process: a ${authoriser} must sign it off`,
            { field: 'actor', accepted: `sign-off sent by a ${authoriser}` },
          ),
          ...budgetDisagreements(context.plan, event.finalBudget),
        );
      }
      if (event.withDispute) {
        refusals.push(
          ...when(
            !context.planning?.dispute,
            'R-SGN-2',
            'sign-off with a dispute needs the dispute raised first, so planning is revisited',
          ),
          ...when(
            !event.withDispute.directedToComplaints,
            'R-SGN-2',
            'the person must be directed to the complaints procedure (withDispute.directedToComplaints)',
            { field: 'withDispute.directedToComplaints', accepted: 'true' },
          ),
        );
      } else {
        refusals.push(
          ...when(
            !event.agreedBy.person,
            'R-SGN-1',
            'the person has not agreed the plan: sign off only with their agreement, or with the dispute recorded',
            { field: 'agreedBy.person', accepted: 'true, or withDispute after DISPUTE_RAISED' },
          ),
        );
      }
      refusals.push(
        ...when(
          !!context.advocacy.advocateId && !event.agreedBy.advocate,
          'R-SGN-1',
          'the advocate must be part of the sign-off (agreedBy.advocate)',
          { field: 'agreedBy.advocate', accepted: 'true' },
        ),
      );
      return refusals;
    },
  },
  AFTERCARE_HEALTH_CONSULTED: { ruleIds: ['R-PB-5'] },
  DIRECT_PAYMENT_AGREEMENT_SIGNED: {
    ruleIds: ['R-ACT-1', 'R-ASM-7'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...suitablePersonIfUnable(context, context.plan),
      ...when(
        !!context.directPayment.agreementSignedOn,
        'R-ACT-1',
        'the direct payment agreement is already signed',
      ),
    ],
  },
  SERVICES_ACTIVATED: {
    ruleIds: ['R-ACT-1', 'R-ACT-2', 'R-EMG-2', 'R-REV-1', 'R-REV-2', 'R-PB-5'],
    before: (context) => [
      ...when(
        planUsesDirectPayment(context.plan) && !context.directPayment.agreementSignedOn,
        'R-ACT-1',
        'a direct payment is not activated until the direct payment agreement is signed',
      ),
      // R-PB-5 (edition 5): s117 aftercare is commissioned only after health is consulted
      ...section117Refusal(context, 'commissioning', {
        field: 'type',
        accepted: "AFTERCARE_HEALTH_CONSULTED with about 'commissioning' first, then SERVICES_ACTIVATED",
      }),
    ],
    check: (context, event) => {
      const calendar = calendarOf(context);
      const start = calendar.londonDateOf(event.occurredAt);
      const latest = calendar.addCalendarWeeks(start, context.profile.reviews.firstReview.overdueWeeks);
      return when(
        event.firstReviewAgreedFor < start || event.firstReviewAgreedFor > latest,
        'R-ACT-2',
        `the first review must be agreed for a date between ${start} and ${latest}`,
        { field: 'firstReviewAgreedFor', accepted: `a date from ${start} to ${latest}` },
      );
    },
  },
  INFORMAL_REVIEW_COMPLETED: {
    ruleIds: ['R-REV-1'],
    before: (context) =>
      when(
        !context.deadlines.some((d) => d.kind === 'informalReview' && isOpen(d)),
        'R-REV-1',
        'no informal review is pending',
      ),
  },
  DIRECT_PAYMENT_FINANCE_CONTACTED: { ruleIds: ['R-REV-7'], before: usesDirectPayment },
  REVIEW_COMPLETED: {
    ruleIds: [
      'R-REV-2',
      'R-REV-3',
      'R-REV-4',
      'R-REV-5',
      'R-REV-7',
      'R-REV-8',
      'R-REV-9',
      'R-REV-10',
      'R-REV-11',
      'R-REV-12',
      'R-REV-13',
      'R-PLN-2',
      'R-PLN-3',
      'R-PLN-6',
      'R-PB-5',
    ],
    before: (context) => {
      const since = context.reviews.at(-1)?.at ?? context.activatedAt;
      const contacted = context.directPayment.financeContactedAt;
      return [
        ...when(
          planUsesDirectPayment(context.plan) &&
            (!contacted || (since !== undefined && Date.parse(contacted) < Date.parse(since))),
          'R-REV-7',
          'before reviewing a direct payment, the direct payment finance team must be contacted',
        ),
        ...advocateArrangedLater(context),
      ];
    },
    check: (context, event) => {
      const calendar = calendarOf(context);
      const today = calendar.londonDateOf(event.occurredAt);
      const next = event.nextReviewOn;
      const agreedBelow = context.profile.reviews.agreedIntervalBelowMonths;
      return [
        ...when(
          !event.eligibilityRedetermined,
          'R-REV-8',
          'every review re-determines eligibility (eligibilityRedetermined)',
          { field: 'eligibilityRedetermined', accepted: 'true' },
        ),
        ...when(
          !event.contingencyPlanReviewed,
          'R-REV-8',
          'every review reviews the contingency plan (contingencyPlanReviewed)',
          { field: 'contingencyPlanReviewed', accepted: 'true' },
        ),
        ...nextReviewRefusals(
          context,
          event.occurredAt,
          event.indicators,
          next,
          event.outcome === 'planRevised' ? event.revisedPlan : undefined,
        ),
        ...telephoneReviewRefusals(context, event),
        ...reviewNoticeRefusals(context, event),
        ...(edition2(context) && event.outcome === 'planRevised'
          ? [
              ...suitablePersonIfUnable(context, event.revisedPlan),
              ...(event.revisedPlan && context.personalBudget !== undefined
                ? budgetDisagreements(
                    { ...event.revisedPlan, personalBudget: undefined },
                    event.revisedPlan.personalBudget ?? context.personalBudget,
                  )
                : []),
            ]
          : []),
        ...when(
          next !== undefined &&
            next < calendar.addCalendarMonths(today, agreedBelow) &&
            !event.complexCase?.agreedWithServiceManager,
          'R-REV-9',
          `a review less than ${agreedBelow} months away needs the service manager's agreement (complex case)`,
          {
            field: 'complexCase.agreedWithServiceManager',
            accepted: `true, or a nextReviewOn at least ${agreedBelow} months away`,
          },
        ),
        ...when(
          event.outcome === 'planRevised' && !event.revisedPlan,
          'R-REV-8',
          'a revised plan must be recorded with the review (revisedPlan)',
          { field: 'revisedPlan', accepted: "the revised plan, or another outcome than 'planRevised'" },
        ),
        ...when(
          event.outcome === 'planRevised' &&
            context.personalBudget !== undefined &&
            (event.revisedPlan?.personalBudget ?? 0) > context.personalBudget,
          'R-REV-8',
          'a plan revised at review stays within the personal budget; a larger budget needs a reassessment',
          {
            field: 'revisedPlan.personalBudget',
            accepted: `at most ${pounds(context.personalBudget ?? 0)}, or REASSESSMENT_COMPLETED for a larger budget`,
          },
        ),
        ...(event.revisedPlan ? prohibitedDirectPaymentUses(event.revisedPlan) : []),
        ...revisedPlanRefusals(context, event),
        ...variationReviewRefusals(context, event),
      ];
    },
  },
  EQUIPMENT_CONFIRMED: {
    ruleIds: ['R-REV-14'],
    before: (context) =>
      when(
        !context.equipmentOnly ||
          !context.deadlines.some((d) => d.kind === 'equipmentConfirmation' && isOpen(d)),
        'R-REV-14',
        'no equipment is waiting to be confirmed: only services that are equipment alone are confirmed rather than reviewed',
      ),
    check: (context, event) => [
      ...when(
        !event.suitable,
        'R-REV-14',
        'equipment that does not suit the person is not confirmed: hold a review (REVIEW_COMPLETED) to put it right',
        { field: 'suitable', accepted: 'true, or a review instead' },
      ),
      ...when(
        !!context.equipmentOnly?.items.some((i) => i.kind === 'majorAdaptation') &&
          event.adaptationCompletedAndWorking !== true,
        'R-REV-14',
        'a major adaptation is confirmed once it is completed and working appropriately (adaptationCompletedAndWorking)',
        {
          field: 'adaptationCompletedAndWorking',
          accepted: 'true, once the adaptation is completed and working',
        },
      ),
    ],
  },
  MONITORING_CHECK_COMPLETED: {
    ruleIds: ['R-REV-4'],
    before: (context) =>
      when(
        !context.deadlines.some((d) => d.kind === 'monitoringCheck' && isOpen(d)),
        'R-REV-4',
        'no monitoring check is pending',
      ),
  },
  UNSCHEDULED_REVIEW_REQUESTED: {
    ruleIds: ['R-REV-6'],
    // Edition 5 takes a request in every stage with services live, so it asks that they are.
    before: (context) =>
      when(
        rulesEdition(context, 5) && !context.activatedAt,
        'R-REV-6',
        'an unscheduled review is of live services, and none has been activated: record the concern on the assessment instead',
      ),
  },
  REASSESSMENT_COMPLETED: {
    ruleIds: ['R-REV-8', 'R-END-1', 'R-REV-12', 'R-END-5'],
    before: advocateArrangedLater,
    check: (context, event) => {
      const calendar = calendarOf(context);
      const today = calendar.londonDateOf(event.occurredAt);
      const latest = calendar.addCalendarMonths(today, context.profile.reviews.maxIntervalMonths);
      return [
        ...when(
          event.outcome === 'revisePlan' && event.unmetEligibleNeeds.length === 0,
          'R-IB-1',
          'a revised plan needs unmet eligible needs for the indicative budget to cover',
          {
            field: 'unmetEligibleNeeds',
            accepted: "at least one unmet eligible need, or another outcome than 'revisePlan'",
          },
        ),
        ...(edition2(context)
          ? [
              ...nextReviewRefusals(context, event.occurredAt, event.indicators, event.nextReviewOn),
              ...(event.outcome === 'endServices' ? endingRefusals(event) : []),
            ]
          : when(
              event.nextReviewOn !== undefined &&
                (event.nextReviewOn <= today || event.nextReviewOn > latest),
              'R-REV-3',
              `the next review must be after today and no later than ${latest}`,
              { field: 'nextReviewOn', accepted: `a date after ${today} and on or before ${latest}` },
            )),
      ];
    },
  },
  REASSESSMENT_COPY_PROVIDED: { ruleIds: ['R-END-1'] },
  SERVICE_END_LETTER_POSTED: {
    ruleIds: ['R-END-1', 'R-END-5'],
    before: (context) => [
      ...when(
        !context.reassessment?.copyProvidedAt,
        'R-END-1',
        'the person must have a copy of the reassessment before any end date is set',
      ),
      ...advocateArrangedLater(context),
    ],
    check: (context, event) => {
      // R-TIM-1 (edition 5): the journey posts the letter itself, so notice runs from when it goes out.
      const posted = effectivePostingDate(context, event);
      const earliest = earliestServiceEndDate(context, posted);
      return when(
        event.endDate !== undefined && event.endDate < earliest,
        'R-END-1',
        `the end date must be at least ${context.profile.ending.endLetterNoticeWorkingDays} working days after the letter is posted${posted === event.postedOn ? '' : ` (the journey posts it on ${posted}, when it goes out, not on the stated postedOn ${event.postedOn})`}: the earliest allowed is ${earliest}`,
        { field: 'endDate', accepted: `${earliest} or later` },
      );
    },
  },
  DIRECT_PAYMENT_NOTICE_GIVEN: {
    ruleIds: ['R-END-2', 'R-END-4'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...when(!!context.directPayment.notice, 'R-END-2', 'notice has already been given on this agreement'),
      ...when(
        edition2(context) && !reviewedDirectPaymentEnd(context),
        'R-END-4',
        "a review is held before a direct payment is ended: record REVIEW_COMPLETED with directPaymentOutcome 'end' first",
      ),
    ],
    check: noticeAfterReviewRefusals,
  },
  SURPLUS_RECOVERED: {
    ruleIds: ['R-END-3'],
    before: (context) =>
      when(
        !planUsesDirectPayment(context.plan) && !context.directPayment.endedAt,
        'R-END-3',
        'there is no direct payment, current or ended, to recover a surplus from',
      ),
    check: surplusRecoveryRefusals,
  },
  MOVED_AWAY: { ruleIds: ['R-TRF-1'] },
  HOSPITAL_ADMITTED: { ruleIds: ['R-HSP-1'] },
  HOSPITAL_DISCHARGED: {
    ruleIds: ['R-HSP-1', 'R-TRF-2'],
    before: (context) => when(!context.hospital, 'R-HSP-1', 'the person is not in hospital'),
    check: (context, event) => [
      ...when(
        !event.dischargeProtocolFollowed,
        'R-TRF-2',
        'transfer of care from hospital must follow the hospital discharge protocol (dischargeProtocolFollowed)',
        { field: 'dischargeProtocolFollowed', accepted: 'true, once the protocol has been followed' },
      ),
      ...when(
        !!context.hospital && event.dischargedOn < context.hospital.admittedOn,
        undefined,
        `discharge date ${event.dischargedOn} is before the admission on ${context.hospital?.admittedOn}`,
        { field: 'dischargedOn', accepted: `${context.hospital?.admittedOn} or later` },
      ),
    ],
  },
  DIRECT_PAYMENT_SUSPENDED: {
    ruleIds: ['R-HSP-1'],
    before: (context) => [
      ...usesDirectPayment(context),
      ...when(!!context.directPayment.suspendedAt, 'R-HSP-1', 'the direct payment is already suspended'),
    ],
    check: (context, event) => {
      const admitted = context.hospital?.admittedOn;
      const days = context.profile.significantHospitalStayDays;
      const significantFrom = admitted && calendarOf(context).addCalendarDays(admitted, days);
      return when(
        !significantFrom || dateOf(context, event.occurredAt) < significantFrom,
        'R-HSP-1',
        `a direct payment is suspended only for a significant hospital stay (${days} days or more)`,
        {
          field: 'occurredAt',
          accepted: significantFrom ? `${significantFrom} or later` : 'HOSPITAL_ADMITTED first',
        },
      );
    },
  },
  PERSON_DIED: { ruleIds: ['R-DTH-1'] },
  JOURNEY_WITHDRAWN: { ruleIds: [] },
  BUDGET_CHALLENGED: {
    ruleIds: ['R-CMP-2'],
    before: (context) =>
      when(
        !context.indicativeBudget,
        'R-CMP-2',
        'there is no indicative or personal budget to challenge yet',
      ),
    check: (context, event) => [
      ...when(
        !event.complaintsProcessOffered,
        'R-CMP-2',
        'whenever someone challenges a budget, tell them of the complaints process and invite them to use it, then record the offer (complaintsProcessOffered: true) and their response',
        { field: 'complaintsProcessOffered', accepted: 'true' },
      ),
      ...when(
        event.budget === 'personal' && context.personalBudget === undefined,
        'R-CMP-2',
        'there is no personal budget yet: it is confirmed only at sign-off (challenge the indicative budget instead)',
        { field: 'budget', accepted: 'indicative' },
      ),
      ...when(
        context.budgetChallenges.some((c) => c.challengeId === event.challengeId),
        'R-CMP-2',
        `challenge ${event.challengeId} is already recorded`,
        { field: 'challengeId', accepted: 'a challengeId not yet used on this journey' },
      ),
    ],
  },
  ADJUDICATION_PANEL_OFFERED: {
    ruleIds: ['R-CMP-2'],
    check: (context, event) => {
      const challenge = context.budgetChallenges.find((c) => c.challengeId === event.challengeId);
      return [
        ...when(
          !challenge,
          'R-CMP-2',
          `there is no budget challenge ${event.challengeId}: the SDS adjudication panel is offered only on a recorded challenge`,
          {
            field: 'challengeId',
            accepted: openIds(
              context.budgetChallenges.map((c) => c.challengeId),
              'BUDGET_CHALLENGED first',
            ),
          },
        ),
        ...when(
          !!challenge?.panelOfferedAt,
          'R-CMP-2',
          `the panel has already been offered on challenge ${event.challengeId}`,
          { field: 'challengeId' },
        ),
        ...when(
          !event.discussedWithComplaintsManagerOn,
          'R-CMP-2',
          'the SDS adjudication panel is a last resort: the group manager discusses it with the complaints manager before it is offered (discussedWithComplaintsManagerOn)',
          { field: 'discussedWithComplaintsManagerOn', accepted: 'the date of that discussion (YYYY-MM-DD)' },
        ),
        ...panelDiscussionRefusals(context, event),
      ];
    },
  },
  COMPLAINT_RAISED: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        context.complaints.some((c) => c.complaintId === event.complaintId),
        'R-CMP-1',
        `complaint ${event.complaintId} is already recorded`,
        { field: 'complaintId', accepted: 'a complaintId not yet used on this journey' },
      ),
  },
  BUDGET_COMPLAINT_INTERIM_CHOICE: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        !context.complaints.some(
          (c) => c.complaintId === event.complaintId && c.about === 'budget' && !c.resolvedAt,
        ),
        'R-CMP-1',
        `there is no open complaint ${event.complaintId} about the budget`,
        {
          field: 'complaintId',
          accepted: openIds(
            context.complaints.filter((c) => c.about === 'budget' && !c.resolvedAt).map((c) => c.complaintId),
            "COMPLAINT_RAISED about 'budget' first",
          ),
        },
      ),
  },
  // R-CMP-1 (edition 5): the services the council arranges when the budget is refused.
  BUDGET_COMPLAINT_SERVICES_ARRANGED: {
    ruleIds: ['R-CMP-1'],
    before: servicesArrangedBefore,
    check: servicesArrangedRefusals,
  },
  COMPLAINT_RESOLVED: {
    ruleIds: ['R-CMP-1'],
    check: (context, event) =>
      when(
        !context.complaints.some((c) => c.complaintId === event.complaintId && !c.resolvedAt),
        'R-CMP-1',
        `there is no open complaint ${event.complaintId}`,
        {
          field: 'complaintId',
          accepted: openIds(
            context.complaints.filter((c) => !c.resolvedAt).map((c) => c.complaintId),
            'no complaint is open',
          ),
        },
      ),
  },
  SAFEGUARDING_CONCERN_RAISED: {
    ruleIds: ['R-SFG-1'],
    check: (context, event) =>
      when(
        context.safeguarding.some((s) => s.concernId === event.concernId),
        'R-SFG-1',
        `safeguarding concern ${event.concernId} is already recorded`,
        { field: 'concernId', accepted: 'a concernId not yet used on this journey' },
      ),
  },
  SAFEGUARDING_CLOSED: {
    ruleIds: ['R-SFG-1'],
    check: (context, event) =>
      when(
        !context.safeguarding.some((s) => s.concernId === event.concernId && !s.closedAt),
        'R-SFG-1',
        `there is no open safeguarding concern ${event.concernId}`,
        {
          field: 'concernId',
          accepted: openIds(
            context.safeguarding.filter((c) => !c.closedAt).map((c) => c.concernId),
            'no safeguarding concern is open',
          ),
        },
      ),
  },
  // R-APL-1, R-DPM-1, R-DPM-2 (appealsAndMonitoring.ts)
  ...appealsAndMonitoringRules,
  DEADLINE_REACHED: {
    ruleIds: [],
    check: (context, event) => {
      const deadline = context.deadlines.find((d) => d.id === event.deadlineId);
      if (!deadline) return [refuse(undefined, `there is no deadline ${event.deadlineId}`)];
      if (deadline.status !== 'due')
        return [refuse(deadline.ruleId, `deadline ${deadline.id} is ${deadline.status}`)];
      const firesAt = deadline.effect === 'effective' ? deadline.dueAt : deadline.overdueAt;
      return [
        ...when(
          Date.parse(event.occurredAt) < Date.parse(firesAt),
          deadline.ruleId,
          `deadline ${deadline.id} is not reached until ${firesAt}`,
        ),
        ...when(event.actor.role !== 'system', undefined, 'only the system reports a deadline reached'),
      ];
    },
  },
};

/** Rules that hold for every event, whoever sends it. */
function universalRules(context: JourneyContext, event: JourneyEvent): Refusal[] {
  return [
    ...when(event.actor.role === 'auditor', undefined, 'an auditor may read journeys but not change them'),
    ...journeyOpened(context, event.type),
    ...(rulesEdition(context, 2) ? timeRefusals(context, event) : []),
  ];
}

/** R-REF-1: a referral opens the journey (or, issue 17, an import); nothing else happens before it. */
function journeyOpened(context: JourneyContext, type: JourneyEventType): Refusal[] {
  return when(
    // Issue 17: an imported journey is open from its import (JOURNEY_IMPORTED opens it instead).
    context.referrals.length === 0 &&
      context.imported === undefined &&
      type !== 'REFERRAL_RECEIVED' &&
      type !== 'JOURNEY_IMPORTED',
    'R-REF-1',
    'the journey has no referral yet: a referral opens it',
  );
}

const windowInWords = `between ${dateWindow.earliest} and ${dateWindow.latest}`;

/**
 * Dates a journey can hold (machines/limits.ts). The catalogue refuses others at the edge; this
 * keeps the machine safe should one reach it anyway: no rule counts working days from year 1.
 */
function implausibleDates(event: JourneyEvent): Refusal[] {
  const refusals: Refusal[] = [];
  if (typeof event.occurredAt !== 'string' || !instantInWindow(event.occurredAt))
    refusals.push(
      refuse(undefined, `occurredAt ${String(event.occurredAt)} must be ${windowInWords}`, {
        field: 'occurredAt',
        accepted: `an instant with its offset ${windowInWords}`,
      }),
    );
  for (const field of localDateFields[event.type] ?? []) {
    const value = (event as unknown as Record<string, unknown>)[field];
    if (value !== undefined && (typeof value !== 'string' || !localDateInWindow(value)))
      refusals.push(
        refuse(undefined, `${field} ${String(value)} must be ${windowInWords}`, {
          field,
          accepted: `a date (YYYY-MM-DD) ${windowInWords}`,
        }),
      );
  }
  return refusals;
}

/** Every refusal for this event on this journey: what must already be true, then the payload. */
export function refusalsFor(context: JourneyContext, event: JourneyEvent): Refusal[] {
  const rule = ruleBook[event.type] as EventRule<typeof event.type>;
  // An implausible date is the one reason given: the other rules would compute with it.
  const implausible = implausibleDates(event);
  if (implausible.length) return implausible;
  return [
    ...universalRules(context, event),
    ...(rule.before?.(context) ?? []),
    ...(rule.check?.(context, event) ?? []),
  ];
}

/** What must already be true for this kind of event (no payload needed). */
export function preconditionRefusals(context: JourneyContext, type: JourneyEventType): Refusal[] {
  return [...journeyOpened(context, type), ...(ruleBook[type].before?.(context) ?? [])];
}

/** The rule ids an accepted event is recorded under (a reached deadline: its own rule). */
export function ruleIdsFor(context: JourneyContext, event: JourneyEvent): string[] {
  if (event.type === 'DEADLINE_REACHED') {
    const deadline = context.deadlines.find((d) => d.id === event.deadlineId);
    return deadline ? [deadline.ruleId] : [];
  }
  return ruleBook[event.type].ruleIds;
}
