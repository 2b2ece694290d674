import { calendarOf, isOpen, unscheduledReview, withDeadlines, type DeadlineSpec } from '../deadlines';
import type { InstructPayments, SendLetter } from '../effects';
import type { EventOf, JourneyEvent } from '../events';
import { balancePurposes } from '../eventTypes';
import { planUsesDirectPayment, rulesEdition, type JourneyContext } from '../journeyContext';
import type { Refusal } from '../types';

/**
 * Rules edition 5 for the end of things and the money around them (JOURNEY.md amended 2026-12-07):
 * surplus recovery only after a discussion (R-END-3), the written record of every change to a direct
 * payment (R-END-4), interim payments stopped however the journey ends (R-EMG-2), the services the
 * council arranges when a budget is refused during a complaint (R-CMP-1), a re-referral on live
 * services (R-REF-4), a carer not yet offered an assessment (R-CAR-1), and dates inside events held
 * to the events they depend on (R-TIM-1, R-CMP-2). Pure functions; the machine and the rule book
 * wire them in.
 */

const edition5 = (context: Pick<JourneyContext, 'rulesVersion'>) => rulesEdition(context, 5);
const dateOf = (context: JourneyContext, instant: string) => calendarOf(context).londonDateOf(instant);
const pounds = (n: number) => `£${n.toFixed(2)}`;
const pennies = (n: number) => Math.round(n * 100);

const refuse = (ruleId: string, message: string, field: string, accepted: string): Refusal => ({
  ruleId,
  message,
  field,
  accepted,
});

// ---- R-END-4: who is in a direct payment arrangement, and the written record they get --------

/** A direct payment is being paid: services live under a plan with one, its agreement signed. */
export const liveDirectPayment = (context: JourneyContext): boolean =>
  planUsesDirectPayment(context.plan) &&
  context.activatedAt !== undefined &&
  context.directPayment.agreementSignedOn !== undefined;

/**
 * R-END-4 (DCC §7.11, "sent to all involved in the arrangement"): the person, the suitable person
 * who takes it for them (R-ASM-7), their advocate, and the direct payment finance team.
 */
export function directPaymentArrangement(context: JourneyContext): string[] {
  return [
    ...new Set([
      context.personId,
      ...(context.suitablePerson ? [context.suitablePerson.suitablePersonId] : []),
      ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
      'direct-payment-finance-team',
    ]),
  ];
}

/** A letter without its addressee (the machine adds the person's name and address). */
type RecordLetter = Omit<SendLetter, 'person'>;

const changeRecord = (
  context: JourneyContext,
  event: JourneyEvent,
  data: Record<string, unknown>,
): RecordLetter => ({
  type: 'sendLetter',
  letterId: `${context.personId}:${event.eventId}:directPaymentChangeRecord`,
  letter: 'directPaymentChangeRecord',
  personId: context.personId,
  recipients: directPaymentArrangement(context),
  ruleId: 'R-END-4',
  data,
});

/**
 * R-END-4 / R-HSP-1 (edition 5): a suspension for a hospital stay is a change to the direct payment,
 * so the reasons and when payments stop go in writing to everyone in the arrangement.
 */
export function suspensionRecord(
  context: JourneyContext,
  event: EventOf<'DIRECT_PAYMENT_SUSPENDED'>,
): RecordLetter | undefined {
  if (!edition5(context)) return undefined;
  return changeRecord(context, event, {
    change: 'suspended',
    reason: 'hospitalStay',
    details: event.reason,
    hospital: context.hospital?.hospital,
    admittedOn: context.hospital?.admittedOn,
    paymentsStopOn: dateOf(context, event.occurredAt),
  });
}

/**
 * R-END-4 (edition 5): the end of a journey with a live direct payment — withdrawal, services ended
 * after reassessment, a move away — is a change too: the reasons and the date payments stop go in
 * writing to everyone in the arrangement when the end is decided. (Death is not among them: R-DTH-1
 * stops everything at once, sensitively, and sends no letters; the payment instruction goes.)
 */
export function journeyEndRecord(context: JourneyContext, event: JourneyEvent): RecordLetter | undefined {
  if (!edition5(context) || !liveDirectPayment(context)) return undefined;
  const calendar = calendarOf(context);
  switch (event.type) {
    case 'JOURNEY_WITHDRAWN':
      return changeRecord(context, event, {
        change: 'ended',
        reason: 'withdrawn',
        details: event.reason,
        paymentsStopOn: dateOf(context, event.occurredAt),
      });
    case 'SERVICE_END_LETTER_POSTED':
      return changeRecord(context, event, {
        change: 'ended',
        reason: 'servicesEnded',
        details: event.reasons,
        paymentsStopOn: context.endOfServices?.endDate,
      });
    case 'MOVED_AWAY':
      return changeRecord(context, event, {
        change: 'ended',
        reason: 'movedAway',
        details: `a move to ${event.receivingCouncil} on ${event.moveDate}`,
        paymentsStopOn: calendar.addCalendarWeeks(
          event.moveDate,
          context.profile.ending.fundingAfterMoveWeeks,
        ),
      });
    default:
      return undefined;
  }
}

/**
 * R-END-4 (edition 5): the review that decides to end a direct payment comes before the notice in
 * time as well as in order — notice dated before that review would run its four weeks from a day
 * nobody had decided anything yet.
 */
export function noticeAfterReviewRefusals(
  context: JourneyContext,
  event: EventOf<'DIRECT_PAYMENT_NOTICE_GIVEN'>,
): Refusal[] {
  const review = context.reviews.at(-1);
  if (!edition5(context) || review?.directPaymentOutcome !== 'end') return [];
  const reviewedOn = dateOf(context, review.at);
  return [
    ...(event.noticeGivenOn < reviewedOn
      ? [
          refuse(
            'R-END-4',
            `noticeGivenOn ${event.noticeGivenOn} is before the review that decided to end the direct payment (${reviewedOn}): notice follows the review, so its ${context.profile.ending.directPaymentNoticeWeeks} weeks run from the day it was given after it`,
            'noticeGivenOn',
            `${reviewedOn} or later`,
          ),
        ]
      : []),
    ...(Date.parse(event.occurredAt) < Date.parse(review.at)
      ? [
          refuse(
            'R-END-4',
            `occurredAt ${event.occurredAt} is before the review that decided to end the direct payment (${review.at}): the review comes first`,
            'occurredAt',
            `${review.at} or later`,
          ),
        ]
      : []),
  ];
}

// ---- R-END-3: recovering a surplus --------------------------------------------------------------

type BalancePurpose = (typeof balancePurposes)[number];

const heldPurposes: readonly BalancePurpose[] = ['savingForAgreedPurpose', 'outstandingAccounts', 'tax'];

function balanceParts(event: EventOf<'SURPLUS_RECOVERED'>) {
  const sum = (purposes: readonly BalancePurpose[]) =>
    (event.balance ?? []).filter((p) => purposes.includes(p.purpose)).reduce((t, p) => t + p.amount, 0);
  return {
    surplus: sum(['surplusToNeeds']),
    diverted: sum(['divertedToOtherPurposes']),
    held: sum(heldPurposes),
  };
}

/**
 * R-END-3 (edition 5; DCC §7.10.3, §7.12): a surplus is recovered only after a discussion with the
 * person, recorded; never money held to save for an agreed purpose or for outstanding accounts or
 * tax; money diverted to other purposes only with hardship considered, recorded.
 */
export function surplusRecoveryRefusals(
  context: JourneyContext,
  event: EventOf<'SURPLUS_RECOVERED'>,
): Refusal[] {
  if (!edition5(context)) return [];
  const refusals: Refusal[] = [];
  const today = dateOf(context, event.occurredAt);
  const discussed = event.discussedWithPersonOn;
  if (!discussed) {
    refusals.push(
      refuse(
        'R-END-3',
        'a surplus is recovered only "after discussion" with the person (DCC §7.12): record the date the balance was discussed with them (discussedWithPersonOn)',
        'discussedWithPersonOn',
        'the date of the discussion (YYYY-MM-DD), on or before the day of this event',
      ),
    );
  } else {
    // R-TIM-1: the discussion comes before the recovery it led to, and after the direct payment began.
    const since = context.directPayment.agreementSignedOn;
    if (discussed > today) {
      refusals.push(
        refuse(
          'R-TIM-1',
          `discussedWithPersonOn ${discussed} is after the recovery it led to (${today}): the discussion comes first`,
          'discussedWithPersonOn',
          `${today} or earlier`,
        ),
      );
    }
    if (since && discussed < since) {
      refusals.push(
        refuse(
          'R-TIM-1',
          `discussedWithPersonOn ${discussed} is before the direct payment agreement was signed (${since}): there was no balance to discuss`,
          'discussedWithPersonOn',
          `${since} or later`,
        ),
      );
    }
  }
  if (!event.balance?.length) {
    refusals.push(
      refuse(
        'R-END-3',
        'say what the balance is for (balance): money held to save for an agreed purpose, for outstanding accounts or for tax is never recovered, so the recovery must show the balance in its parts',
        'balance',
        `the balance in parts, each { purpose, amount } with purpose one of ${balancePurposes.join(', ')}`,
      ),
    );
    return refusals;
  }
  const { surplus, diverted, held } = balanceParts(event);
  const recoverable = surplus + diverted;
  if (pennies(event.amount) > pennies(recoverable)) {
    refusals.push(
      refuse(
        'R-END-3',
        `${pounds(event.amount)} is more than may be recovered: ${pounds(held)} of the balance is held to save for an agreed purpose, for outstanding accounts or for tax and is never recovered (DCC §7.10.3), leaving ${pounds(recoverable)}`,
        'amount',
        `at most ${recoverable.toFixed(2)}`,
      ),
    );
  }
  // More than the surplus draws on the diverted money (R-END-3: "may be sought back").
  if (pennies(diverted) > 0 && pennies(event.amount) > pennies(surplus) && !event.hardshipConsidered) {
    refusals.push(
      refuse(
        'R-END-3',
        'money diverted to other purposes is sought back only with hardship considered (DCC §7.10.3): record what was considered (hardshipConsidered)',
        'hardshipConsidered',
        `what was considered about hardship, or an amount of at most ${surplus.toFixed(2)} (the surplus alone)`,
      ),
    );
  }
  return refusals;
}

/** R-END-3 (edition 5): the decision and the amount go to the person in writing. */
export function surplusDecisionLetter(
  context: JourneyContext,
  event: EventOf<'SURPLUS_RECOVERED'>,
): RecordLetter | undefined {
  if (!edition5(context)) return undefined;
  const { surplus, diverted, held } = balanceParts(event);
  return {
    type: 'sendLetter',
    letterId: `${context.personId}:${event.eventId}:surplusRecoveryDecision`,
    letter: 'surplusRecoveryDecision',
    personId: context.personId,
    recipients: [
      ...new Set([
        context.personId,
        ...(context.suitablePerson ? [context.suitablePerson.suitablePersonId] : []),
        ...(context.advocacy.advocateId ? [context.advocacy.advocateId] : []),
      ]),
    ],
    ruleId: 'R-END-3',
    data: {
      amount: event.amount,
      discussedOn: event.discussedWithPersonOn,
      decidedOn: dateOf(context, event.occurredAt),
      surplusToNeeds: surplus,
      divertedToOtherPurposes: diverted,
      heldAndNotRecovered: held,
      ...(event.hardshipConsidered ? { hardshipConsidered: event.hardshipConsidered } : {}),
    },
  };
}

// ---- R-EMG-2: interim payments stop however the journey ends ------------------------------------

/** Interim support is in place (set up, not yet ended). */
export const interimInPlace = (context: JourneyContext): boolean =>
  context.interimSupport !== undefined && context.interimSupport.endedAt === undefined;

/** R-EMG-2 (edition 5): a stop instruction names the interim services it stops. */
export const interimServicesStopped = (
  context: JourneyContext,
  instruction: InstructPayments['instruction'],
): Pick<InstructPayments, 'services'> =>
  edition5(context) && instruction === 'stop' && interimInPlace(context)
    ? { services: context.interimSupport?.services ?? [] }
    : {};

// ---- R-CMP-1: services the council arranges when the budget is refused --------------------------

/** R-CMP-1 (edition 5): the council arranges the relevant services within the profile's limit. */
export function servicesArrangedInstead(
  context: JourneyContext,
  from: string,
  complaintId: string,
): DeadlineSpec {
  const days = context.profile.budgetComplaints.servicesArrangedWorkingDays;
  return {
    kind: 'servicesArrangedInstead',
    ruleId: 'R-CMP-1',
    description: `Budget refused during complaint ${complaintId}: the council to arrange the relevant services instead within ${days} working days`,
    dueAt: calendarOf(context).workingDaysAfter(from, days),
  };
}

type ComplaintFields = Pick<JourneyContext, 'complaints' | 'deadlines' | 'deadlineSeq'>;

/**
 * R-CMP-1 (edition 5; DCC §7.14): refusing the budget while the complaint is considered means the
 * council "must arrange the relevant services instead" — a clock; choosing to manage on the offered
 * budget after all closes it.
 */
export function interimChoiceClock(
  context: JourneyContext,
  event: EventOf<'BUDGET_COMPLAINT_INTERIM_CHOICE'>,
): Partial<ComplaintFields> {
  if (!edition5(context)) return {};
  const complaint = context.complaints.find((c) => c.complaintId === event.complaintId);
  const open = context.deadlines.find((d) => d.id === complaint?.servicesArranged?.deadlineId && isOpen(d));
  if (event.choice === 'councilArrangesServices') {
    if (open || complaint?.servicesArranged?.at) return {};
    const clock = withDeadlines(context, event.occurredAt, [
      servicesArrangedInstead(context, event.occurredAt, event.complaintId),
    ]);
    const deadlineId = clock.deadlines.at(-1)!.id;
    return {
      ...clock,
      complaints: context.complaints.map((c) =>
        c.complaintId === event.complaintId
          ? { ...c, servicesArranged: { deadlineId, from: event.occurredAt } }
          : c,
      ),
    };
  }
  if (!open) return {};
  return { ...cancelClock(context, open.id, event.occurredAt) };
}

function cancelClock(context: JourneyContext, deadlineId: string, at: string) {
  return {
    deadlines: context.deadlines.map((d) =>
      d.id === deadlineId && isOpen(d) ? { ...d, status: 'cancelled' as const, closedAt: at } : d,
    ),
  };
}

/** The complaint whose refused budget awaits services the council arranges. */
export const awaitingServices = (context: JourneyContext) =>
  context.complaints.filter(
    (c) =>
      c.interimChoice === 'councilArrangesServices' &&
      c.servicesArranged &&
      !c.servicesArranged.at &&
      !c.resolvedAt,
  );

/** BUDGET_COMPLAINT_SERVICES_ARRANGED meets the clock of its complaint (R-TIM-2: met, or met late). */
export function recordServicesArranged(
  context: JourneyContext,
  event: EventOf<'BUDGET_COMPLAINT_SERVICES_ARRANGED'>,
): Partial<ComplaintFields> {
  const complaint = context.complaints.find((c) => c.complaintId === event.complaintId);
  const deadlineId = complaint?.servicesArranged?.deadlineId;
  return {
    deadlines: context.deadlines.map((d) => {
      if (d.id !== deadlineId || !isOpen(d)) return d;
      const late = Date.parse(event.occurredAt) > Date.parse(d.overdueAt);
      return {
        ...d,
        status: late ? 'metLate' : 'met',
        closedAt: event.occurredAt,
        ...(d.status === 'overdue'
          ? { flaggedOverdueAt: d.flaggedOverdueAt ?? d.overdueAt, ...(late ? {} : { recordedLate: true }) }
          : {}),
      };
    }),
    complaints: context.complaints.map((c) =>
      c.complaintId === event.complaintId && c.servicesArranged
        ? {
            ...c,
            servicesArranged: { ...c.servicesArranged, at: event.occurredAt, services: event.services },
          }
        : c,
    ),
  };
}

/** A complaint resolved: the interim arrangement it allowed is over, and so is its clock. */
export function resolveServicesClock(
  context: JourneyContext,
  event: EventOf<'COMPLAINT_RESOLVED'>,
): Partial<ComplaintFields> {
  const deadlineId = context.complaints.find((c) => c.complaintId === event.complaintId)?.servicesArranged
    ?.deadlineId;
  return deadlineId ? cancelClock(context, deadlineId, event.occurredAt) : {};
}

/** R-CMP-1: BUDGET_COMPLAINT_SERVICES_ARRANGED only where a refused budget awaits them. */
export function servicesArrangedBefore(context: JourneyContext): Refusal[] {
  return awaitingServices(context).length
    ? []
    : [
        {
          ruleId: 'R-CMP-1',
          message:
            'no refused budget awaits services: the council arranges the relevant services instead when the person refuses the budget during a complaint about it (BUDGET_COMPLAINT_INTERIM_CHOICE with councilArrangesServices)',
        },
      ];
}

export function servicesArrangedRefusals(
  context: JourneyContext,
  event: EventOf<'BUDGET_COMPLAINT_SERVICES_ARRANGED'>,
): Refusal[] {
  const waiting = awaitingServices(context);
  const complaint = waiting.find((c) => c.complaintId === event.complaintId);
  if (!complaint) {
    return [
      refuse(
        'R-CMP-1',
        `complaint ${event.complaintId} has no refused budget awaiting services`,
        'complaintId',
        waiting.length
          ? `one of: ${waiting.map((c) => c.complaintId).join(', ')}`
          : 'none is awaiting services',
      ),
    ];
  }
  const from = complaint.servicesArranged?.from;
  return from && Date.parse(event.occurredAt) < Date.parse(from)
    ? [
        refuse(
          'R-TIM-1',
          `occurredAt ${event.occurredAt} is before the budget was refused (${from})`,
          'occurredAt',
          `${from} or later`,
        ),
      ]
    : [];
}

// ---- R-REF-4: a re-referral on live services ----------------------------------------------------

/**
 * R-REF-4 (edition 5): on a journey with live services a repeated referral is news: it calls for an
 * unscheduled review (R-REV-6), clocked as a request for one is.
 */
export function repeatReferralReview(
  context: JourneyContext,
  event: EventOf<'REFERRAL_RECEIVED'>,
): Partial<Pick<JourneyContext, 'deadlines' | 'deadlineSeq'>> {
  if (!edition5(context) || context.activatedAt === undefined) return {};
  const trigger = event.urgency === 'emergency' ? 'emergency re-referral' : 're-referral';
  return withDeadlines(context, event.occurredAt, [unscheduledReview(context, event.occurredAt, trigger)]);
}

// ---- R-CAR-1: a carer identified and not yet offered an assessment ------------------------------

/** R-CAR-1 (edition 5): a wait with the profile's carer-assessment limit, from when they were identified. */
export function carerWait(context: JourneyContext): { party: string; since: string } | undefined {
  if (!edition5(context) || !context.carer || context.carer.offeredAt) return undefined;
  return { party: 'carerAssessment', since: context.carer.identifiedAt };
}

// ---- R-CMP-2 / R-TIM-1: the adjudication panel's discussion -------------------------------------

/**
 * R-CMP-2 / R-TIM-1 (edition 5): the group manager's discussion with the complaints manager comes
 * after the challenge and before the offer it led to.
 */
export function panelDiscussionRefusals(
  context: JourneyContext,
  event: EventOf<'ADJUDICATION_PANEL_OFFERED'>,
): Refusal[] {
  const discussed = event.discussedWithComplaintsManagerOn;
  const challenge = context.budgetChallenges.find((c) => c.challengeId === event.challengeId);
  if (!edition5(context) || !discussed) return [];
  const offeredOn = dateOf(context, event.occurredAt);
  const challengedOn = challenge && dateOf(context, challenge.raisedAt);
  return [
    ...(discussed > offeredOn
      ? [
          refuse(
            'R-TIM-1',
            `discussedWithComplaintsManagerOn ${discussed} is after the offer it led to (${offeredOn}): the group manager discusses the panel with the complaints manager before offering it`,
            'discussedWithComplaintsManagerOn',
            `${offeredOn} or earlier`,
          ),
        ]
      : []),
    ...(challengedOn && discussed < challengedOn
      ? [
          refuse(
            'R-TIM-1',
            `discussedWithComplaintsManagerOn ${discussed} is before challenge ${event.challengeId} was raised (${challengedOn}): there was nothing to discuss yet`,
            'discussedWithComplaintsManagerOn',
            `${challengedOn} or later`,
          ),
        ]
      : []),
  ];
}

// ---- R-TIM-1 / R-END-1: an end letter the system posts itself ---------------------------------

/**
 * R-TIM-1 (edition 5): the journey sends the end letter itself when the event is recorded, so it is
 * posted then: a stated postedOn earlier than the event's own day does not shorten R-END-1's notice,
 * which runs from the later of the two.
 */
export function effectivePostingDate(
  context: JourneyContext,
  event: EventOf<'SERVICE_END_LETTER_POSTED'>,
): string {
  if (!edition5(context)) return event.postedOn;
  const sentOn = dateOf(context, event.occurredAt);
  return event.postedOn < sentOn ? sentOn : event.postedOn;
}
