import { calendarOf } from './deadlines';
import type { JourneyEvent } from './events';
import type { JourneyContext } from './journeyContext';
import type { Refusal } from './types';

/**
 * R-TIM-1: trustworthy time. Rules every event's dates are held to, whatever its type: never
 * before the referral, and the dates inside it consistent with the events they depend on.
 * (The upper bound — not later than the moment it is recorded — needs the clock, so the
 * workflow's judge applies it with the profile's skew allowance.)
 */
export function timeRefusals(context: JourneyContext, event: JourneyEvent): Refusal[] {
  // The journey's own timer says when a deadline was reached; nothing here can contradict it.
  if (event.type === 'DEADLINE_REACHED' && event.actor.role === 'system') return [];
  const calendar = calendarOf(context);
  const at = event.occurredAt;
  const today = calendar.londonDateOf(at);
  const refusals: Refusal[] = [];

  // Never before the referral that opened the journey (the opening referral itself is exempt).
  const opening = context.referrals[0];
  if (opening && Date.parse(at) < Date.parse(opening.recordedAt)) {
    refusals.push(
      refuse(
        `occurredAt ${short(at)} is before the referral (${short(opening.recordedAt)}): an event cannot happen before the journey's referral`,
        { field: 'occurredAt', accepted: `${short(opening.recordedAt)} or later` },
      ),
    );
  }

  // A date the event carries is not later than the day it occurred.
  for (const [field, date] of datesCarried(event)) {
    if (date > today) {
      refusals.push(
        refuse(
          `${field} ${date} is after the day the event occurred (${today}, occurredAt ${short(at)}): an event cannot record a date still to come`,
          { field, accepted: `${today} or earlier, or an occurredAt on or after ${date}` },
        ),
      );
    }
  }

  // Not before the events it depends on.
  for (const [what, since] of dependsOn(context, event)) {
    if (since !== undefined && Date.parse(at) < Date.parse(since)) {
      refusals.push(
        refuse(`occurredAt ${short(at)} is before ${what} (${short(since)})`, {
          field: 'occurredAt',
          accepted: `${short(since)} or later`,
        }),
      );
    }
  }

  // Dates inside the event against the dates of the events they depend on.
  for (const [field, date, what, since] of datesDependOn(context, event)) {
    if (since !== undefined && date < since) {
      refusals.push(
        refuse(`${field} ${date} is before ${what} (${since})`, { field, accepted: `${since} or later` }),
      );
    }
  }
  return refusals;
}

const refuse = (message: string, fix: Pick<Refusal, 'field' | 'accepted'>): Refusal => ({
  ruleId: 'R-TIM-1',
  message,
  ...fix,
});

/** An instant as people read it in a refusal: 2026-02-13T10:00Z (seconds only when there are any). */
function short(instant: string): string {
  const iso = new Date(Date.parse(instant)).toISOString();
  return iso.replace(/:00\.000Z$/, 'Z').replace(/\.000Z$/, 'Z');
}

/**
 * The local dates an event carries that say when something already happened, so none may be later
 * than the day the event occurred. A move date is not among them: a move is recorded when the
 * council is told of it, which may be before the day (R-TRF-1: funding runs 6 weeks after it).
 */
function datesCarried(event: JourneyEvent): [field: string, date: string][] {
  switch (event.type) {
    case 'REFERRAL_RECEIVED':
      return [['receivedDate', event.receivedDate]];
    case 'DIRECT_PAYMENT_AGREEMENT_SIGNED':
      return [['signedOn', event.signedOn]];
    case 'SERVICE_END_LETTER_POSTED':
      return [['postedOn', event.postedOn]];
    case 'DIRECT_PAYMENT_NOTICE_GIVEN':
      return [['noticeGivenOn', event.noticeGivenOn]];
    case 'HOSPITAL_ADMITTED':
      return [['admittedOn', event.admittedOn]];
    case 'HOSPITAL_DISCHARGED':
      return [['dischargedOn', event.dischargedOn]];
    case 'PERSON_DIED':
      return [['dateOfDeath', event.dateOfDeath]];
    default:
      return [];
  }
}

/** What must already have happened before this event can: [in words, its occurredAt]. */
function dependsOn(
  context: JourneyContext,
  event: JourneyEvent,
): [what: string, since: string | undefined][] {
  const lastReview = context.reviews.at(-1)?.at;
  const complaint = (id: string) => context.complaints.find((c) => c.complaintId === id)?.raisedAt;
  switch (event.type) {
    case 'ASSESSMENT_STARTED':
      return [['interim support started', context.interimSupport?.startedAt]];
    case 'ASSESSMENT_PAUSED':
    case 'ASSESSMENT_RESUMED':
    case 'ASSESSMENT_COMPLETED':
      return [['the assessment started', context.assessment?.startedAt]];
    case 'INDICATIVE_BUDGET_CALCULATED':
      return [['the assessment was completed', context.assessment?.completedAt]];
    // Not INDICATIVE_BUDGET_SHARED after the budget was calculated: the journey's own RAS result
    // is stamped when the system worked it out, and a practitioner catching up on the record may
    // rightly date the sharing before that stamp.
    case 'PLANNING_STARTED':
      return [['the indicative budget was shared', context.indicativeBudget?.sharedAt]];
    case 'PLAN_SUBMITTED':
    case 'PLAN_VALIDATED':
    case 'DISPUTE_RAISED':
    case 'PLAN_SIGNED_OFF':
      return [['planning started', context.planning?.startedAt]];
    case 'DIRECT_PAYMENT_AGREEMENT_SIGNED':
    case 'SERVICES_ACTIVATED':
      return [['the plan was signed off', context.signOff?.at]];
    case 'INFORMAL_REVIEW_COMPLETED':
    case 'MONITORING_CHECK_COMPLETED':
      return [['services started', context.activatedAt]];
    case 'REVIEW_COMPLETED':
      return [
        ['services started', context.activatedAt],
        ['the previous review', lastReview],
      ];
    case 'REASSESSMENT_COMPLETED':
      return [['the review that called for the reassessment', lastReview]];
    case 'REASSESSMENT_COPY_PROVIDED':
      return [['the reassessment was completed', context.reassessment?.completedAt]];
    case 'SERVICE_END_LETTER_POSTED':
      return [['the reassessment copy went out', context.reassessment?.copyProvidedAt]];
    case 'COMPLAINT_RESOLVED':
    case 'BUDGET_COMPLAINT_INTERIM_CHOICE':
      return [[`complaint ${event.complaintId} was raised`, complaint(event.complaintId)]];
    case 'SAFEGUARDING_CLOSED':
      return [
        [
          `safeguarding concern ${event.concernId} was raised`,
          context.safeguarding.find((s) => s.concernId === event.concernId)?.raisedAt,
        ],
      ];
    default:
      return [];
  }
}

/** Dates inside the event that must not precede a date the journey already holds. */
function datesDependOn(
  context: JourneyContext,
  event: JourneyEvent,
): [field: string, date: string, what: string, since: string | undefined][] {
  const calendar = calendarOf(context);
  const dateOf = (instant: string | undefined) => instant && calendar.londonDateOf(instant);
  const referralDate = dateOf(context.referrals[0]?.recordedAt);
  switch (event.type) {
    case 'DIRECT_PAYMENT_AGREEMENT_SIGNED':
      return [['signedOn', event.signedOn, 'the sign-off', dateOf(context.signOff?.at)]];
    case 'SERVICE_END_LETTER_POSTED':
      return [
        [
          'postedOn',
          event.postedOn,
          'the day the reassessment copy went out',
          dateOf(context.reassessment?.copyProvidedAt),
        ],
      ];
    case 'DIRECT_PAYMENT_NOTICE_GIVEN':
      return [
        [
          'noticeGivenOn',
          event.noticeGivenOn,
          'the direct payment agreement was signed',
          context.directPayment.agreementSignedOn,
        ],
      ];
    case 'PERSON_DIED':
      return [['dateOfDeath', event.dateOfDeath, 'the referral', referralDate]];
    case 'MOVED_AWAY':
      return [['moveDate', event.moveDate, 'the referral', referralDate]];
    default:
      return [];
  }
}
