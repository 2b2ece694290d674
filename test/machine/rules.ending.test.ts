/**
 * JOURNEY.md "Ending services" (R-END-1..3) and "Moves, hospital, death" (R-TRF-1..2, R-HSP-1,
 * R-DTH-1).
 */
import { checkEvent } from '../../machines/checkEvent';
import { describeJourney } from '../../machines/describeJourney';
import type { EventOf } from '../../machines/events';
import {
  ev,
  noIndicators,
  pathToActivation,
  reviewNotice,
  reviewWith,
  surplusRecovered,
  system,
} from '../support/journeyEvents';
import {
  accept,
  deadlinesOf,
  expectRefused,
  newJourney,
  onlyDeadline,
  run,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';

const ACTIVATED = '2026-09-01T10:00:00.000Z';
const live = (directPayment = false): Snapshot =>
  run(newJourney(), pathToActivation('2026-08-23T10:00:00.000Z', { directPayment })).snapshot;
const reached = (deadlineId: string, at: string) =>
  ev('DEADLINE_REACHED', at, { deadlineId }, { actor: system });
const review = (at: string, outcome: EventOf<'REVIEW_COMPLETED'>['outcome']) =>
  ev('REVIEW_COMPLETED', at, {
    reviewType: 'formal',
    outcome,
    eligibilityRedetermined: true,
    contingencyPlanReviewed: true,
    indicators: noIndicators,
    notice: reviewNotice(at),
  });

/** R-END-4: live with a direct payment, and a review that decided to end it (finance contacted, R-REV-7). */
const reviewedToEndDirectPayment = (): Snapshot =>
  run(live(true), [
    ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-09-29T10:00:00.000Z', { concerns: false }),
    reviewWith('2026-09-30T10:00:00.000Z', { directPaymentOutcome: 'end' }),
  ]).snapshot;

/** Live support → review (services to end) → reassessment (end services): awaiting the letter. */
function endingServices(): Snapshot {
  const started = live();
  expect(started.context.activatedAt).toBe(ACTIVATED);
  return run(started, [
    review('2026-11-20T10:00:00.000Z', 'servicesToEnd'),
    ev('REASSESSMENT_COMPLETED', '2026-12-01T10:00:00.000Z', {
      outcome: 'endServices',
      reasons: 'eligible needs now met by the family',
      unmetEligibleNeeds: [],
      informalSupport: 'substantial',
      thirdPartySources: ['daughter'],
    }),
  ]).snapshot;
}
const copy = ev('REASSESSMENT_COPY_PROVIDED', '2026-12-10T10:00:00.000Z', { to: ['person-1'] });
const letter = (endDate?: string) =>
  ev('SERVICE_END_LETTER_POSTED', '2026-12-14T10:00:00.000Z', {
    postedOn: '2026-12-14',
    endDate,
    reasons: 'needs met by informal support',
    alternativesDiscussed: 'befriending service',
  });

describe('R-END-1 ending services after reassessment: copy first, reasons, ≥ 10 working days’ notice', () => {
  it('R-END-1: services end only through a reassessment (the journey is awaiting the end letter)', () => {
    const ending = endingServices();
    expect(stageValue(ending)).toEqual({ endingServices: 'awaitingLetter' });
    expect(ending.context.reassessment).toMatchObject({
      outcome: 'endServices',
      reasons: 'eligible needs now met by the family',
    });
    // An end letter straight from live support is not possible.
    expectRefused(live(), letter('2027-01-29'), undefined);
  });

  it('R-END-1: no end date is set before the person has a copy of the reassessment', () => {
    const reasons = expectRefused(endingServices(), letter(), 'R-END-1');
    expect(reasons.find((r) => r.ruleId === 'R-END-1')?.message).toMatch(/copy of the reassessment/);
    const copied = accept(endingServices(), copy);
    expect(copied.context.reassessment?.copyProvidedAt).toBe('2026-12-10T10:00:00.000Z');
    expect(checkEvent(copied, letter()).allowed).toBe(true);
  });

  it('R-END-1: posted Mon 2026-12-14, an end date before Wed 2026-12-30 is refused, naming 2026-12-30', () => {
    const copied = accept(endingServices(), copy);
    const reasons = expectRefused(copied, letter('2026-12-29'), 'R-END-1');
    expect(reasons.find((r) => r.ruleId === 'R-END-1')?.message).toBe(
      'the end date must be at least 10 working days after the letter is posted: the earliest allowed is 2026-12-30',
    );
    expect(checkEvent(copied, letter('2026-12-30')).allowed).toBe(true);
    expect(checkEvent(copied, letter('2027-01-15')).allowed).toBe(true);
  });

  it('R-END-1: without an end date the earliest allowed one is used; the letter confirms outcome, reasons and date', () => {
    const { snapshot, effects } = step(accept(endingServices(), copy), letter());
    expect(stageValue(snapshot)).toEqual({ endingServices: 'noticeGiven' });
    expect(snapshot.context.endOfServices).toEqual({
      postedOn: '2026-12-14',
      endDate: '2026-12-30',
      reasons: 'needs met by informal support',
      recipients: ['person-1'],
    });
    expect(effects).toEqual([
      expect.objectContaining({
        letter: 'serviceEndLetter',
        ruleId: 'R-END-1',
        data: {
          postedOn: '2026-12-14',
          endDate: '2026-12-30',
          reasons: 'needs met by informal support',
          alternativesDiscussed: 'befriending service',
          thirdPartySources: ['daughter'],
          unmetNeedsMetOtherwise: [],
        },
      }),
    ]);
    expect(onlyDeadline(snapshot, 'servicesEnd')).toMatchObject({
      ruleId: 'R-END-1',
      effect: 'effective',
      dueAt: '2026-12-30T00:00:00.000Z',
      status: 'due',
    });
  });

  it('R-END-1: services end on the end date, not before; then payments stop and the journey closes', () => {
    const noticed = step(accept(endingServices(), copy), letter()).snapshot;
    const id = onlyDeadline(noticed, 'servicesEnd').id;
    expectRefused(noticed, reached(id, '2026-12-29T23:59:59.000Z'), 'R-END-1');
    const { snapshot, effects } = step(noticed, reached(id, '2026-12-30T00:00:00.000Z'));
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.closure).toEqual({ reason: 'servicesEnded', at: '2026-12-30T00:00:00.000Z' });
    expect(onlyDeadline(snapshot, 'servicesEnd').status).toBe('takenEffect');
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'instructPayments',
        instruction: 'stop',
        reason: 'servicesEnded',
        ruleId: 'R-END-1',
      }),
    ]);
    expect(snapshot.context.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue')).toEqual(
      [],
    );
  });
});

describe('R-END-2 a direct payment agreement ends with 4 weeks’ written notice', () => {
  const notice = (
    by: 'person' | 'council' = 'person',
    reason: EventOf<'DIRECT_PAYMENT_NOTICE_GIVEN'>['reason'] = 'personChoice',
  ) =>
    ev('DIRECT_PAYMENT_NOTICE_GIVEN', '2026-10-01T10:00:00.000Z', {
      by,
      reason,
      noticeGivenOn: '2026-10-01',
    });

  it('R-END-2: notice sets the agreement to end 4 weeks later; a second notice is refused', () => {
    const noticed = accept(reviewedToEndDirectPayment(), notice());
    expect(noticed.context.directPayment.notice).toEqual({
      by: 'person',
      reason: 'personChoice',
      givenOn: '2026-10-01',
    });
    expect(onlyDeadline(noticed, 'directPaymentAgreementEnd')).toMatchObject({
      ruleId: 'R-END-2',
      effect: 'effective',
      dueAt: '2026-10-29T00:00:00.000Z', // Thu 29 October, GMT
    });
    expectRefused(noticed, notice('council', 'breach'), 'R-END-2');
  });

  it.each(['cannotManage', 'hospitalStay', 'breach'] as const)(
    'R-END-2: the council may discontinue a direct payment (%s)',
    (reason) => {
      expect(checkEvent(reviewedToEndDirectPayment(), notice('council', reason)).allowed).toBe(true);
    },
  );

  it('R-END-2: when the agreement ends, payments stop and the council re-plans how the needs are met', () => {
    const noticed = accept(reviewedToEndDirectPayment(), notice());
    const id = onlyDeadline(noticed, 'directPaymentAgreementEnd').id;
    expectRefused(noticed, reached(id, '2026-10-28T23:59:59.000Z'), 'R-END-2');
    const { snapshot, effects } = step(noticed, reached(id, '2026-10-29T00:00:00.000Z'));
    expect(stageValue(snapshot)).toBe('planning');
    expect(snapshot.context.plan?.budgetManagement).toEqual(['councilManaged']);
    expect(snapshot.context.plan?.directPayment).toBeUndefined();
    expect(snapshot.context.directPayment).toEqual({
      surplusRecovered: 0,
      endedAt: '2026-10-29T00:00:00.000Z',
    });
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'instructPayments',
        instruction: 'stop',
        reason: 'directPaymentAgreementEnded',
        ruleId: 'R-END-2',
      }),
    ]);
  });

  it('R-END-2: there is no agreement to give notice on without a direct payment', () => {
    expectRefused(live(false), notice(), 'R-PLN-2');
  });
});

describe('R-END-3 surplus direct payment balances may be recovered', () => {
  it('R-END-3: recovered surpluses are added up; none can be recovered without a direct payment', () => {
    const recovered = run(live(true), [
      surplusRecovered('2026-10-01T10:00:00.000Z', 120.5),
      surplusRecovered('2026-11-01T10:00:00.000Z', 79.5),
    ]).snapshot;
    expect(recovered.context.directPayment.surplusRecovered).toBe(200);
    expectRefused(live(false), surplusRecovered('2026-10-01T10:00:00.000Z', 10), 'R-END-3');
  });

  it('R-END-3: a surplus can still be recovered after the agreement has ended', () => {
    const noticed = accept(
      reviewedToEndDirectPayment(),
      ev('DIRECT_PAYMENT_NOTICE_GIVEN', '2026-10-01T10:00:00.000Z', {
        by: 'person',
        reason: 'personChoice',
        noticeGivenOn: '2026-10-01',
      }),
    );
    const id = onlyDeadline(noticed, 'directPaymentAgreementEnd').id;
    const ended = accept(noticed, reached(id, '2026-10-29T00:00:00.000Z'));
    const recovered = accept(ended, surplusRecovered('2026-11-10T10:00:00.000Z', 42));
    expect(recovered.context.directPayment.surplusRecovered).toBe(42);
  });
});

describe('R-TRF-1 a move: the plan goes to the new council, funding continues up to 6 weeks, then close', () => {
  const move = (consentToShareRecords: boolean) =>
    ev('MOVED_AWAY', '2026-10-05T10:00:00.000Z', {
      moveDate: '2026-10-09',
      receivingCouncil: 'Sheffield',
      consentToShareRecords,
    });

  it('R-TRF-1: the transfer pack goes to the receiving council with agreement, and funding runs to the end of 6 weeks after the move', () => {
    const { snapshot, effects } = step(live(), move(true));
    expect(stageValue(snapshot)).toBe('movedAway');
    expect(snapshot.context.move).toEqual({ moveDate: '2026-10-09', receivingCouncil: 'Sheffield' });
    expect(effects).toEqual([
      expect.objectContaining({ letter: 'transferPack', recipients: ['Sheffield'], ruleId: 'R-TRF-1' }),
    ]);
    expect(onlyDeadline(snapshot, 'fundingAfterMove')).toMatchObject({
      ruleId: 'R-TRF-1',
      effect: 'effective',
      dueAt: '2026-11-21T00:00:00.000Z', // end of Fri 20 November
    });
    // The services are live until the funding ends: the reviews they are owed stay due (R-REV-6),
    // and the first review, due before the move, is still this council's (R-TRF-1 as amended).
    expect(deadlinesOf(snapshot, 'firstReview').map((d) => d.status)).toEqual(['due']);
  });

  it('R-TRF-1: without agreement, nothing is prepared for the other council', () => {
    expect(step(live(), move(false)).effects).toEqual([]);
  });

  it('R-TRF-1: the journey closes when funding ends, not before', () => {
    const moved = step(live(), move(true)).snapshot;
    const id = onlyDeadline(moved, 'fundingAfterMove').id;
    expectRefused(moved, reached(id, '2026-11-20T23:59:59.000Z'), 'R-TRF-1');
    const { snapshot, effects } = step(moved, reached(id, '2026-11-21T00:00:00.000Z'));
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.closure?.reason).toBe('movedAway');
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'instructPayments',
        instruction: 'stop',
        reason: 'movedAway',
        ruleId: 'R-TRF-1',
      }),
    ]);
  });
});

describe('R-TRF-2 and R-HSP-1 hospital stays', () => {
  const admit = ev('HOSPITAL_ADMITTED', '2026-10-01T10:00:00.000Z', {
    admittedOn: '2026-10-01',
    hospital: 'Royal Derby',
  });
  const discharge = (overrides: Partial<EventOf<'HOSPITAL_DISCHARGED'>> = {}) =>
    ev('HOSPITAL_DISCHARGED', '2026-11-10T10:00:00.000Z', {
      dischargedOn: '2026-11-10',
      dischargeProtocolFollowed: true,
      needsChanged: false,
      ...overrides,
    });

  it('R-TRF-2: a discharge that did not follow the hospital discharge protocol is refused', () => {
    const inHospital = accept(live(), admit);
    expect((inHospital.value as { open: { hospital: string } }).open.hospital).toBe('inHospital');
    expectRefused(inHospital, discharge({ dischargeProtocolFollowed: false }), 'R-TRF-2');
    const home = accept(inHospital, discharge());
    expect((home.value as { open: { hospital: string } }).open.hospital).toBe('atHome');
    expect(home.context.hospital).toBeUndefined();
  });

  it('R-HSP-1: a direct payment is suspended only for a significant stay (28 days), once', () => {
    const inHospital = accept(live(true), admit);
    const suspend = (at: string) => ev('DIRECT_PAYMENT_SUSPENDED', at, { reason: 'in hospital' });
    expectRefused(inHospital, suspend('2026-10-28T10:00:00.000Z'), 'R-HSP-1');
    const suspended = accept(inHospital, suspend('2026-10-29T10:00:00.000Z'));
    expect(suspended.context.directPayment.suspendedAt).toBe('2026-10-29T10:00:00.000Z');
    expectRefused(suspended, suspend('2026-10-30T10:00:00.000Z'), 'R-HSP-1');
    // Not in hospital at all: no suspension.
    expectRefused(live(true), suspend('2026-10-29T10:00:00.000Z'), 'R-HSP-1');
  });

  it('R-HSP-1: discharge resumes a suspended direct payment', () => {
    const suspended = run(live(true), [
      admit,
      ev('DIRECT_PAYMENT_SUSPENDED', '2026-10-29T10:00:00.000Z', { reason: 'in hospital' }),
    ]).snapshot;
    const home = accept(suspended, discharge());
    expect(home.context.directPayment.suspendedAt).toBeUndefined();
    expect(deadlinesOf(home, 'unscheduledReview')).toEqual([]);
  });

  it('R-HSP-1: discharge with changed needs triggers an unscheduled review', () => {
    const home = accept(accept(live(), admit), discharge({ needsChanged: true }));
    expect(onlyDeadline(home, 'unscheduledReview')).toMatchObject({ ruleId: 'R-REV-6', status: 'due' });
    expect(onlyDeadline(home, 'unscheduledReview').description).toContain('hospitalDischarge');
  });

  it('R-HSP-1: a discharge needs an admission, and cannot be dated before it', () => {
    expectRefused(live(), discharge(), 'R-HSP-1');
    expectRefused(accept(live(), admit), discharge({ dischargedOn: '2026-09-30' }), undefined);
  });
});

describe('R-DTH-1 on death everything stops at once', () => {
  it('R-DTH-1: the journey closes, payments stop, no letter is sent, nothing stays pending', () => {
    const started = accept(
      live(true),
      ev('UNSCHEDULED_REVIEW_REQUESTED', '2026-09-10T10:00:00.000Z', { trigger: 'concern' }),
    );
    expect(started.context.deadlines.filter((d) => d.status === 'due')).toHaveLength(3);
    const { snapshot, effects } = step(
      started,
      ev('PERSON_DIED', '2026-09-12T10:00:00.000Z', { dateOfDeath: '2026-09-11' }),
    );
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.closure).toEqual({ reason: 'died', at: '2026-09-12T10:00:00.000Z' });
    // The date of death is kept with the record, and shown with the closure.
    expect(snapshot.context.dateOfDeath).toBe('2026-09-11');
    expect(describeJourney(snapshot).closure).toEqual({
      reason: 'died',
      at: '2026-09-12T10:00:00.000Z',
      dateOfDeath: '2026-09-11',
    });
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'instructPayments',
        instruction: 'stop',
        reason: 'death',
        ruleId: 'R-DTH-1',
      }),
    ]);
    expect(snapshot.context.deadlines.map((d) => d.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('R-DTH-1: after death no event is accepted', () => {
    const dead = step(
      live(),
      ev('PERSON_DIED', '2026-09-12T10:00:00.000Z', { dateOfDeath: '2026-09-11' }),
    ).snapshot;
    for (const event of [
      review('2026-10-01T10:00:00.000Z', 'noChange'),
      ev('COMPLAINT_RAISED', '2026-10-01T10:00:00.000Z', {
        complaintId: 'c1',
        about: 'service',
        details: 'x',
      }),
      ev('PERSON_DIED', '2026-10-01T10:00:00.000Z', { dateOfDeath: '2026-09-11' }),
    ]) {
      const check = checkEvent(dead, event);
      expect(check).toEqual({
        allowed: false,
        reasons: [{ message: expect.stringMatching(/the journey is closed \(died\)/) }],
      });
      expect(step(dead, event).snapshot.context).toEqual(dead.context);
    }
  });

  it('R-DTH-1: death closes the journey from any stage, even before a referral is triaged', () => {
    const referred = run(newJourney(), pathToActivation('2026-08-23T10:00:00.000Z').slice(0, 1)).snapshot;
    const dead = accept(
      referred,
      ev('PERSON_DIED', '2026-08-24T10:00:00.000Z', { dateOfDeath: '2026-08-24' }),
    );
    expect(dead.status).toBe('done');
  });
});
