/**
 * R-REV-6 as amended: "at any time" means while any service is live — during a reassessment, a
 * notice period and the funded weeks after a move — and R-TRF-1 as amended: a move recorded ahead
 * of its date changes nothing until that date.
 */
import { initialTransition } from 'xstate';
import { journeyMachine } from '../../machines/journeyMachine';
import {
  completePlan,
  directPaymentPlan,
  ev,
  pathToActivation,
  reviewWith,
  system,
} from '../support/journeyEvents';
import { waitingOn } from '../../machines/describeJourney';
import {
  accept,
  deadlinesOf,
  expectRefused,
  journeyInput,
  newJourney,
  onlyDeadline,
  roadDay,
  run,
  ROAD_START,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';
import { checkEvent } from '../../machines/checkEvent';

const live = (): Snapshot => run(newJourney(), pathToActivation(ROAD_START)).snapshot;
const reassessing = (): Snapshot => accept(live(), reviewWith(roadDay(50), { outcome: 'reassessment' }));
const asked = (day: number) =>
  ev('UNSCHEDULED_REVIEW_REQUESTED', roadDay(day), {
    trigger: 'personOrRepresentative',
    details: 'her son rang',
  });

describe('R-REV-6 reviews are taken and clocked while services change', () => {
  it('R-REV-6: during a reassessment a request is taken and clocked, and the review held then meets it', () => {
    const requested = accept(reassessing(), asked(55));
    expect(stageValue(requested)).toEqual('reassessment');
    expect(onlyDeadline(requested, 'unscheduledReview')).toMatchObject({ ruleId: 'R-REV-6', status: 'due' });
    const reviewed = accept(requested, reviewWith(roadDay(58), { shortNoticeReason: 'her son is worried' }));
    expect(onlyDeadline(reviewed, 'unscheduledReview').status).toBe('met');
    expect(stageValue(reviewed)).toEqual('reassessment');
    // The reassessment's own clock goes on.
    expect(onlyDeadline(reviewed, 'reassessment').status).toBe('due');
  });

  it('R-REV-6: a safeguarding concern or a discharge with changed needs starts a review during a reassessment', () => {
    const concern = accept(
      reassessing(),
      ev('SAFEGUARDING_CONCERN_RAISED', roadDay(55), {
        concernId: 'sg-1',
        details: 'bruising noticed by the carer',
        triggersUnscheduledReview: true,
      }),
    );
    expect(onlyDeadline(concern, 'unscheduledReview').status).toBe('due');
    const admitted = accept(
      reassessing(),
      ev('HOSPITAL_ADMITTED', roadDay(52), { admittedOn: '2026-04-23', hospital: 'Royal Derby' }),
    );
    const discharged = accept(
      admitted,
      ev('HOSPITAL_DISCHARGED', roadDay(56), {
        dischargedOn: '2026-04-27',
        dischargeProtocolFollowed: true,
        needsChanged: true,
      }),
    );
    expect(onlyDeadline(discharged, 'unscheduledReview').status).toBe('due');
  });

  it('R-REV-6: in the funded weeks after a move, a request is still taken and clocked', () => {
    const moved = accept(
      live(),
      ev('MOVED_AWAY', roadDay(30), {
        moveDate: '2026-04-01',
        receivingCouncil: 'Nottinghamshire',
        consentToShareRecords: true,
      }),
    );
    expect(stageValue(moved)).toEqual('movedAway');
    const requested = accept(moved, asked(33));
    expect(onlyDeadline(requested, 'unscheduledReview').status).toBe('due');
  });

  it('R-REV-6: journeys judged by an earlier edition take requests only in live support, as they did', () => {
    const edition4 = run(initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 4 })[0], [
      ...pathToActivation(ROAD_START),
      reviewWith(roadDay(50), { outcome: 'reassessment' }),
    ]).snapshot;
    expect(checkEvent(edition4, asked(55)).allowed).toBe(false);
  });
});

describe('R-TRF-1 a move recorded ahead of its date changes nothing until that date', () => {
  it('R-TRF-1: the first review due before the move stays due, and the review cycle runs on until the funding ends', () => {
    // Services began 11 March 2026; the first review is due by the end of 22 April. The move,
    // recorded on 12 March, is on 1 June.
    const before = live();
    expect(onlyDeadline(before, 'firstReview').status).toBe('due');
    const moving = accept(
      before,
      ev('MOVED_AWAY', roadDay(10), {
        moveDate: '2026-06-01',
        receivingCouncil: 'Nottinghamshire',
        consentToShareRecords: true,
      }),
    );
    expect(onlyDeadline(moving, 'firstReview').status).toBe('due');
    expect(onlyDeadline(moving, 'fundingAfterMove').status).toBe('due');
    // Nothing is sent to the other council without the person's agreement.
    // …and the review held before the move meets it; the review cycle runs on through the funded
    // weeks (R-REV-6) until the funding ends and the journey closes.
    const reviewed = accept(moving, reviewWith(roadDay(50)));
    expect(onlyDeadline(reviewed, 'firstReview').status).toBe('met');
    expect(onlyDeadline(reviewed, 'annualReview').status).toBe('due');
    const ended = accept(
      reviewed,
      ev(
        'DEADLINE_REACHED',
        '2026-07-14T00:00:00.000Z',
        {
          deadlineId: onlyDeadline(reviewed, 'fundingAfterMove').id,
        },
        { actor: system },
      ),
    );
    expect(ended.context.closure).toMatchObject({ reason: 'movedAway' });
    expect(deadlinesOf(ended, 'annualReview')[0]?.status).toBe('cancelled');
  });
});

describe('R-REV-5 the age that counts is the age of the arrangement now in place', () => {
  // Services began Wednesday 10 September 2025; the first review (20 October 2025) set the next
  // within six months, as the service was young; by 14 April 2026 it is seven months old.
  const START = '2025-09-01T10:00:00.000Z';
  const established = (rulesVersion?: number): Snapshot => {
    const start = rulesVersion
      ? initialTransition(journeyMachine, { ...journeyInput(), rulesVersion })[0]
      : newJourney();
    return run(start, [...pathToActivation(START), reviewWith('2025-10-20T10:00:00.000Z')]).snapshot;
  };
  const toDirectPayment = (fields = {}) =>
    reviewWith('2026-04-14T10:00:00.000Z', {
      outcome: 'planRevised',
      revisedPlan: directPaymentPlan(),
      ...fields,
    });

  it('R-REV-5: a direct payment brought in at a later review starts a new "few months": the next review within six', () => {
    const reviewed = accept(established(), toDirectPayment());
    expect(reviewed.context.reviews.at(-1)?.nextReviewOn).toBe('2026-10-14');
    const reasons = expectRefused(established(), toDirectPayment({ nextReviewOn: '2027-04-14' }), 'R-REV-5');
    expect(reasons.find((r) => r.ruleId === 'R-REV-5')?.message).toMatch(/serviceOnlyFewMonthsOld/);
    // Under the rules before, the seven-month-old service gave twelve months.
    expect(accept(established(4), toDirectPayment()).context.reviews.at(-1)?.nextReviewOn).toBe('2027-04-14');
  });

  it('R-REV-5: a direct payment taken out again leaves no young arrangement: the review after counts from the services', () => {
    const withDirectPayment = run(established(), [
      toDirectPayment(),
      ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', '2026-04-20T10:00:00.000Z', { signedOn: '2026-04-20' }),
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-05-27T10:00:00.000Z', { concerns: false }),
      reviewWith('2026-05-28T10:00:00.000Z', { outcome: 'planRevised', revisedPlan: completePlan() }),
    ]).snapshot;
    expect(withDirectPayment.context.directPayment.introducedAt).toBeUndefined();
    const next = accept(withDirectPayment, reviewWith('2026-08-03T10:00:00.000Z'));
    expect(next.context.reviews.at(-1)?.nextReviewOn).toBe('2027-08-03');
  });

  it('R-REV-5: the new direct payment waits for its own agreement, counted from the review that brought it in', () => {
    const reviewed = accept(established(), toDirectPayment());
    expect(reviewed.context.directPayment).toMatchObject({ introducedAt: '2026-04-14T10:00:00.000Z' });
    expect(waitingOn(reviewed)).toEqual({
      party: 'directPaymentAgreement',
      since: '2026-04-14T10:00:00.000Z',
    });
    const signed = accept(
      reviewed,
      ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', '2026-04-20T10:00:00.000Z', { signedOn: '2026-04-20' }),
    );
    expect(waitingOn(signed)).toBeUndefined();
  });
});

describe('R-REV-6 services do not end on their date while a review they called for is undecided', () => {
  // Reviewed on 20 November 2026 (services to end); reassessed 1 December; the copy on 10 December;
  // the letter posted on Monday 14 December: the earliest end date is Wednesday 30 December.
  const noticeGiven = (): Snapshot =>
    run(live(), [
      reviewWith('2026-11-20T10:00:00.000Z', { outcome: 'servicesToEnd' }),
      ev('REASSESSMENT_COMPLETED', '2026-12-01T10:00:00.000Z', {
        outcome: 'endServices',
        reasons: 'eligible needs now met by the family',
        unmetEligibleNeeds: [],
        informalSupport: 'substantial',
        thirdPartySources: ['daughter'],
      }),
      ev('REASSESSMENT_COPY_PROVIDED', '2026-12-10T10:00:00.000Z', { to: ['person-1'] }),
      ev('SERVICE_END_LETTER_POSTED', '2026-12-14T10:00:00.000Z', {
        postedOn: '2026-12-14',
        reasons: 'needs met by informal support',
        alternativesDiscussed: 'befriending service',
      }),
    ]).snapshot;
  const concern = ev('SAFEGUARDING_CONCERN_RAISED', '2026-12-21T10:00:00.000Z', {
    concernId: 'sg-9',
    details: 'the family support has broken down',
    triggersUnscheduledReview: true,
  });
  const endDate = (s: Snapshot) =>
    ev(
      'DEADLINE_REACHED',
      onlyDeadline(s, 'servicesEnd').dueAt,
      { deadlineId: onlyDeadline(s, 'servicesEnd').id },
      {
        actor: system,
      },
    );

  it('R-REV-6: in the notice period a concern is clocked, and the end date passes without ending services', () => {
    const worried = accept(noticeGiven(), concern);
    expect(onlyDeadline(worried, 'unscheduledReview').status).toBe('due');
    const held = accept(worried, endDate(worried));
    expect(held.status).toBe('active');
    expect(onlyDeadline(held, 'servicesEnd').status).toBe('takenEffect');
    // Without the concern, the same date ends them.
    const ended = accept(noticeGiven(), endDate(noticeGiven()));
    expect(ended.context.closure).toMatchObject({ reason: 'servicesEnded' });
  });

  it('R-REV-6: the review decides: the ending goes ahead at once, or it is withdrawn and services continue', () => {
    const worried = accept(noticeGiven(), concern);
    const held = accept(worried, endDate(worried));
    const review = (outcome: 'servicesToEnd' | 'noChange') =>
      reviewWith('2027-01-04T10:00:00.000Z', { outcome, shortNoticeReason: 'the concern could not wait' });
    const { snapshot: ended, effects } = step(held, review('servicesToEnd'));
    expect(ended.context.closure).toMatchObject({ reason: 'servicesEnded' });
    expect(effects.map((e) => e.type)).toContain('instructPayments');
    const continuing = accept(held, review('noChange'));
    expect(stageValue(continuing)).toBe('liveSupport');
    expect(onlyDeadline(continuing, 'unscheduledReview').status).toBe('met');
    expect(onlyDeadline(continuing, 'annualReview', 'due').startedFrom).toBe('2027-01-04T10:00:00.000Z');
  });
});

describe('R-TRF-1 nothing is prepared for the other council without the person’s agreement', () => {
  it('R-TRF-1: a move without agreement to share sends no transfer pack; with it, the pack goes to the council', () => {
    const move = (consentToShareRecords: boolean) =>
      ev('MOVED_AWAY', roadDay(30), {
        moveDate: '2026-04-01',
        receivingCouncil: 'Nottinghamshire',
        consentToShareRecords,
      });
    expect(step(live(), move(false)).effects).toEqual([]);
    const shared = step(live(), move(true)).effects;
    expect(shared).toEqual([
      expect.objectContaining({ letter: 'transferPack', recipients: ['Nottinghamshire'] }),
    ]);
  });
});
