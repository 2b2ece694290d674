import {
  calendarOf,
  cancelDeadlines,
  isOpen,
  meetDeadline,
  withDeadlines,
  type DeadlineSpec,
} from './deadlines';
import type { EventOf } from './events';
import { planUsesDirectPayment, rulesEdition, type JourneyContext } from './journeyContext';
import { derbyshire, policyProfiles, type PolicyProfile } from './policyProfile';
import type { EventRule } from './rules';
import type { DeadlineKind, Refusal } from './types';

/**
 * Three rules that run beside any stage once their subject exists (rules edition 5, JOURNEY.md
 * 2026-12-07): appeals against a decision on eligibility or the personal budget (R-APL-1, DCC
 * §7.14), direct payments monitored in proportion to risk (R-DPM-1, DCC §7.12 and §7.10.2), and
 * temporary support when the person's own contingency arrangements break down (R-DPM-2, DCC
 * §7.10.1). Each is a clock with a limit the policy profile sets, met by the event that answers it;
 * none of them moves the journey's stage. The machine wires these in (journeyMachine.ts), the rule
 * book takes their rules (rules.ts), and the next steps name what meets each clock (nextStep.ts).
 */

// ---- The profile's limits ----------------------------------------------------------------------

/**
 * The settings these rules read. A run started before edition 5 keeps the profile it was started
 * with until its next continue-as-new (workflows/migrations.ts fills the settings then), yet may
 * meet these brand-new events meanwhile: the shipped profile of the same council answers for it.
 */
function settingsOf(
  context: Pick<JourneyContext, 'profile'>,
): Pick<PolicyProfile, 'appeals' | 'directPaymentMonitoring'> {
  const own = context.profile as Partial<PolicyProfile>;
  const shipped =
    Object.values(policyProfiles).find((p) => p.council === context.profile.council) ?? derbyshire;
  return {
    appeals: own.appeals ?? shipped.appeals,
    directPaymentMonitoring: own.directPaymentMonitoring ?? shipped.directPaymentMonitoring,
  };
}

// ---- The clocks ----------------------------------------------------------------------------------

const aboutInWords = { eligibility: 'the eligibility decision', personalBudget: 'the personal budget' };

/** R-APL-1: an appeal is decided, and answered in writing, within the profile's working days. */
export function appealDecisionDue(
  context: JourneyContext,
  from: string,
  appeal: { appealId: string; about: keyof typeof aboutInWords },
): DeadlineSpec {
  const days = settingsOf(context).appeals.decisionWorkingDays;
  return {
    kind: 'appealDecision',
    ruleId: 'R-APL-1',
    description: `Appeal ${appeal.appealId} against ${aboutInWords[appeal.about]} decided and answered in writing within ${days} working days`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}

/** R-DPM-1: a flagged variation or account concern is acted on (a review) within the profile's working days. */
export function directPaymentVariationDue(
  context: JourneyContext,
  from: string,
  kind: EventOf<'DIRECT_PAYMENT_VARIATION_FLAGGED'>['kind'],
): DeadlineSpec {
  const days = settingsOf(context).directPaymentMonitoring.variationActionWorkingDays;
  const what = kind === 'significantVariation' ? 'significant variation in the balance' : 'account concern';
  return {
    kind: 'directPaymentVariation',
    ruleId: 'R-DPM-1',
    description: `Direct payment ${what} acted on within ${days} working days: a review of the budget or of the support to manage it`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}

/** R-DPM-2: temporary support is to have ended within the profile's weeks. */
export function temporarySupportDue(context: JourneyContext, from: string, supportId: string): DeadlineSpec {
  const weeks = settingsOf(context).directPaymentMonitoring.temporarySupportWeeks;
  return {
    kind: 'temporarySupport',
    ruleId: 'R-DPM-2',
    description: `Temporary support ${supportId} ended within ${weeks} weeks, once the person can make their own arrangements again`,
    dueAt: calendarOf(context).weeksAfter(from, weeks),
  };
}

/**
 * The clocks a review meets besides the review's own (journeyMachine.ts recordReview), and a
 * reassessment too (recordReassessment): R-DPM-1's review of the budget or of the support to
 * manage it. DCC §7.10.2 names both ("review the personal budget", "a reassessment should occur").
 */
export const metByReview: DeadlineKind[] = ['directPaymentVariation'];

// ---- What the journey records (the machine's actions) --------------------------------------------

type Recorded = Partial<JourneyContext>;

/** The id of the deadline withDeadlines added last. */
const lastAdded = (context: Pick<JourneyContext, 'deadlines'>): string => context.deadlines.at(-1)?.id ?? '';

/** R-APL-1: the appeal recorded, with its own clock. */
export function raiseAppeal(context: JourneyContext, event: EventOf<'APPEAL_RAISED'>): Recorded {
  const clocks = withDeadlines(context, event.occurredAt, [
    appealDecisionDue(context, event.occurredAt, event),
  ]);
  return {
    ...clocks,
    appeals: [
      ...(context.appeals ?? []),
      {
        appealId: event.appealId,
        about: event.about,
        raisedAt: event.occurredAt,
        deadlineId: lastAdded(clocks),
      },
    ],
  };
}

/** R-APL-1: the appeal decided: its own clock met (another appeal's keeps running). */
export function decideAppeal(context: JourneyContext, event: EventOf<'APPEAL_DECIDED'>): Recorded {
  const appeals = context.appeals ?? [];
  const appeal = appeals.find((a) => a.appealId === event.appealId);
  return {
    ...meetDeadline(context, appeal?.deadlineId, event.occurredAt),
    appeals: appeals.map((a) =>
      a.appealId === event.appealId ? { ...a, decidedAt: event.occurredAt, outcome: event.outcome } : a,
    ),
  };
}

/** R-APL-1: what the decision letter says: which decision was looked at again, the outcome and why. */
export function appealDecisionLetterData(
  context: JourneyContext,
  event: EventOf<'APPEAL_DECIDED'>,
): Record<string, unknown> {
  const calendar = calendarOf(context);
  const appeal = (context.appeals ?? []).find((a) => a.appealId === event.appealId);
  return {
    appealId: event.appealId,
    about: appeal?.about,
    raisedOn: appeal && calendar.londonDateOf(appeal.raisedAt),
    outcome: event.outcome,
    reasons: event.reasons,
  };
}

/** R-DPM-1: the variation or concern recorded, and the clock for acting on it started. */
export function flagDirectPaymentVariation(
  context: JourneyContext,
  event: EventOf<'DIRECT_PAYMENT_VARIATION_FLAGGED'>,
): Recorded {
  return {
    ...withDeadlines(context, event.occurredAt, [
      directPaymentVariationDue(context, event.occurredAt, event.kind),
    ]),
    directPaymentVariations: [
      ...(context.directPaymentVariations ?? []),
      { kind: event.kind, balance: event.balance, flaggedAt: event.occurredAt },
    ],
  };
}

/**
 * R-DPM-1: once the direct payment agreement has ended there is no account left to act on: the
 * flags still open are cancelled (R-END-3's surplus recovery stays possible on its own rule).
 */
export const cancelVariationsOnEnd = (context: JourneyContext, at: string): Recorded => ({
  deadlines: cancelDeadlines(context, at, ['directPaymentVariation']).deadlines,
});

/** R-DPM-2: the temporary support recorded, with its own clock. */
export function arrangeTemporarySupport(
  context: JourneyContext,
  event: EventOf<'TEMPORARY_SUPPORT_ARRANGED'>,
): Recorded {
  const clocks = withDeadlines(context, event.occurredAt, [
    temporarySupportDue(context, event.occurredAt, event.supportId),
  ]);
  return {
    ...clocks,
    temporarySupport: [
      ...(context.temporarySupport ?? []),
      {
        supportId: event.supportId,
        services: event.services,
        arrangedAt: event.occurredAt,
        deadlineId: lastAdded(clocks),
      },
    ],
  };
}

/** R-DPM-2: the temporary support ended: its own clock met. */
export function endTemporarySupport(
  context: JourneyContext,
  event: EventOf<'TEMPORARY_SUPPORT_ENDED'>,
): Recorded {
  const all = context.temporarySupport ?? [];
  const support = all.find((s) => s.supportId === event.supportId);
  return {
    ...meetDeadline(context, support?.deadlineId, event.occurredAt),
    temporarySupport: all.map((s) =>
      s.supportId === event.supportId ? { ...s, endedAt: event.occurredAt } : s,
    ),
  };
}

// ---- The rules -----------------------------------------------------------------------------------

const refuse = (ruleId: string, message: string, fix: Pick<Refusal, 'field' | 'accepted'> = {}): Refusal => ({
  ruleId,
  message,
  ...fix,
});
const when = (
  condition: boolean,
  ruleId: string,
  message: string,
  fix?: Pick<Refusal, 'field' | 'accepted'>,
): Refusal[] => (condition ? [refuse(ruleId, message, fix)] : []);

/** An instant as a refusal shows it: 2026-03-05T10:00Z. */
const short = (instant: string): string =>
  new Date(Date.parse(instant))
    .toISOString()
    .replace(/:00\.000Z$/, 'Z')
    .replace(/\.000Z$/, 'Z');

/** R-TIM-1: not before what it answers. */
const notBefore = (at: string, what: string, since: string | undefined): Refusal[] =>
  since !== undefined && Date.parse(at) < Date.parse(since)
    ? [
        refuse('R-TIM-1', `occurredAt ${short(at)} is before ${what} (${short(since)})`, {
          field: 'occurredAt',
          accepted: `${short(since)} or later`,
        }),
      ]
    : [];

const openIds = (ids: string[], otherwise: string): string =>
  ids.length ? `one of: ${ids.join(', ')}` : otherwise;

/** Stages an imported journey starts at once its eligibility has been decided (elsewhere). */
const importedPastEligibility = ['indicativeBudget', 'planning', 'setUp', 'liveSupport'];

/**
 * R-APL-1: when the journey's decision on eligibility was made: the assessment completed (or a
 * reassessment, which decides it again), or, for a person imported past the assessment, the import.
 */
function eligibilityDecidedAt(context: JourneyContext): string | undefined {
  const decided = [
    context.assessment?.completedAt,
    context.reassessment?.completedAt,
    context.imported && importedPastEligibility.includes(context.imported.stage)
      ? context.imported.at
      : undefined,
  ].filter((d): d is string => d !== undefined);
  return decided.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

/** R-APL-1 / R-PB-1: the personal budget is decided at sign-off (or was, before an import). */
const personalBudgetDecidedAt = (context: JourneyContext): string | undefined =>
  context.personalBudget !== undefined ? (context.signOff?.at ?? context.imported?.at) : undefined;

const openAppeals = (context: JourneyContext) => (context.appeals ?? []).filter((a) => !a.decidedAt);

/** R-DPM-1: a direct payment is live: services started with one in the plan, its agreement not ended. */
function noLiveDirectPayment(context: JourneyContext): Refusal[] {
  if (context.activatedAt === undefined) {
    return [
      refuse(
        'R-DPM-1',
        'a direct payment is monitored once it is live: services have not started (SERVICES_ACTIVATED with a direct payment in the plan)',
      ),
    ];
  }
  if (!planUsesDirectPayment(context.plan)) {
    return [
      refuse(
        'R-DPM-1',
        context.directPayment.endedAt
          ? `the direct payment agreement ended (${short(context.directPayment.endedAt)}): there is no live direct payment to monitor`
          : 'the plan has no direct payment to monitor (plan.budgetManagement does not include it)',
      ),
    ];
  }
  return [];
}

/** R-DPM-2: temporary support stands in for the person's own arrangements for live services. */
const noLiveServices = (context: JourneyContext): Refusal[] =>
  when(
    context.activatedAt === undefined,
    'R-DPM-2',
    "temporary support stands in while a person's own contingency arrangements for their services have broken down: services have not started yet (SERVICES_ACTIVATED)",
  );

/**
 * R-DPM-1 (edition 5): a review that meets an open flag is the review of the budget or of the
 * support to manage it, so it says what it decided about the direct payment.
 */
export function variationReviewRefusals(
  context: JourneyContext,
  event: EventOf<'REVIEW_COMPLETED'>,
): Refusal[] {
  const flagged = context.deadlines.some((d) => d.kind === 'directPaymentVariation' && isOpen(d));
  return when(
    rulesEdition(context, 5) && flagged && !event.directPaymentOutcome,
    'R-DPM-1',
    'finance flagged a variation or a concern about the direct payment account: this review acts on it, so record what it decided about the direct payment (directPaymentOutcome)',
    { field: 'directPaymentOutcome', accepted: "'continue', 'change' or 'end'" },
  );
}

type Rules = {
  [
    T in
      | 'APPEAL_RAISED'
      | 'APPEAL_DECIDED'
      | 'DIRECT_PAYMENT_VARIATION_FLAGGED'
      | 'TEMPORARY_SUPPORT_ARRANGED'
      | 'TEMPORARY_SUPPORT_ENDED'
  ]: EventRule<T>;
};

/** The rule book's entries for these events (rules.ts takes them into `ruleBook`). */
export const appealsAndMonitoringRules: Rules = {
  APPEAL_RAISED: {
    ruleIds: ['R-APL-1'],
    before: (context) =>
      when(
        eligibilityDecidedAt(context) === undefined && personalBudgetDecidedAt(context) === undefined,
        'R-APL-1',
        'there is no decision to appeal yet: an appeal asks the council to look again at its decision on eligibility (once the assessment is completed) or on the personal budget (once the plan is signed off)',
      ),
    check: (context, event) => {
      const eligibility = eligibilityDecidedAt(context);
      const budget = personalBudgetDecidedAt(context);
      const decidedAt = event.about === 'eligibility' ? eligibility : budget;
      return [
        // (no decision at all is the precondition's refusal)
        ...when(
          decidedAt === undefined && (eligibility !== undefined || budget !== undefined),
          'R-APL-1',
          event.about === 'eligibility'
            ? 'there is no decision on eligibility to appeal yet: the assessment has not been completed (about)'
            : 'there is no personal budget to appeal yet: it is set only when the plan is signed off (about)',
          {
            field: 'about',
            accepted:
              event.about === 'eligibility' ? "'personalBudget'" : "'eligibility', or PLAN_SIGNED_OFF first",
          },
        ),
        ...when(
          (context.appeals ?? []).some((a) => a.appealId === event.appealId),
          'R-APL-1',
          `appeal ${event.appealId} is already recorded on this journey`,
          { field: 'appealId', accepted: 'an appealId not yet used on this journey' },
        ),
        ...notBefore(event.occurredAt, `the decision appealed against`, decidedAt),
      ];
    },
  },
  APPEAL_DECIDED: {
    ruleIds: ['R-APL-1'],
    before: (context) =>
      when(
        openAppeals(context).length === 0,
        'R-APL-1',
        'there is no open appeal to decide (APPEAL_RAISED first)',
      ),
    check: (context, event) => {
      const appeal = (context.appeals ?? []).find((a) => a.appealId === event.appealId);
      const open = openAppeals(context).map((a) => a.appealId);
      return [
        ...when(!appeal, 'R-APL-1', `there is no appeal ${event.appealId} on this journey (appealId)`, {
          field: 'appealId',
          accepted: openIds(open, 'APPEAL_RAISED first'),
        }),
        ...(appeal?.decidedAt
          ? [
              refuse(
                'R-APL-1',
                `appeal ${event.appealId} was already decided (${appeal.outcome}, ${short(appeal.decidedAt)}): its decision is sent once (appealId)`,
                { field: 'appealId', accepted: openIds(open, 'no appeal is open') },
              ),
            ]
          : []),
        ...notBefore(event.occurredAt, `appeal ${event.appealId} was raised`, appeal?.raisedAt),
      ];
    },
  },
  DIRECT_PAYMENT_VARIATION_FLAGGED: {
    ruleIds: ['R-DPM-1'],
    before: noLiveDirectPayment,
    check: (context, event) => notBefore(event.occurredAt, 'services started', context.activatedAt),
  },
  TEMPORARY_SUPPORT_ARRANGED: {
    ruleIds: ['R-DPM-2'],
    before: noLiveServices,
    check: (context, event) => [
      ...when(
        (context.temporarySupport ?? []).some((s) => s.supportId === event.supportId),
        'R-DPM-2',
        `temporary support ${event.supportId} is already recorded on this journey`,
        { field: 'supportId', accepted: 'a supportId not yet used on this journey' },
      ),
      ...notBefore(event.occurredAt, 'services started', context.activatedAt),
    ],
  },
  TEMPORARY_SUPPORT_ENDED: {
    ruleIds: ['R-DPM-2'],
    before: (context) =>
      when(
        !(context.temporarySupport ?? []).some((s) => !s.endedAt),
        'R-DPM-2',
        'no temporary support is in place (TEMPORARY_SUPPORT_ARRANGED first)',
      ),
    check: (context, event) => {
      const support = (context.temporarySupport ?? []).find((s) => s.supportId === event.supportId);
      const open = (context.temporarySupport ?? []).filter((s) => !s.endedAt).map((s) => s.supportId);
      return [
        ...when(
          !support || !!support.endedAt,
          'R-DPM-2',
          `there is no temporary support ${event.supportId} in place (supportId)`,
          {
            field: 'supportId',
            accepted: openIds(open, 'TEMPORARY_SUPPORT_ARRANGED first'),
          },
        ),
        ...notBefore(
          event.occurredAt,
          `temporary support ${event.supportId} was arranged`,
          support?.arrangedAt,
        ),
      ];
    },
  },
};
