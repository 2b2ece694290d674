/**
 * JOURNEY.md as amended on 2026-12-07, rules edition 5: recovering a surplus only after a discussion
 * (R-END-3), the written record of every change to a direct payment (R-END-4), interim payments
 * stopped however the journey ends (R-EMG-2), the services the council arranges when a budget is
 * refused during a complaint (R-CMP-1), carers offered an assessment again and never left waiting
 * unseen (R-CAR-1), a re-referral on live services (R-REF-4), and dates inside events held to the
 * events they depend on (R-CMP-2, R-TIM-1). Each rule also leaves an edition-4 journey as it was.
 */
import { initialTransition } from 'xstate';
import { calendarOf } from '../../machines/deadlines';
import { describeJourney, waitingOn } from '../../machines/describeJourney';
import type { JourneyEffect } from '../../machines/effects';
import type { EventOf } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { rowNextStep } from '../../machines/nextStep';
import { derbyshire } from '../../machines/policyProfile';
import {
  ev,
  interimSupportStarted,
  pathToActivation,
  referral,
  reviewWith,
  surplusRecovered,
} from '../support/journeyEvents';
import {
  accept,
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

const road = pathToActivation(ROAD_START);
const dpRoad = pathToActivation(ROAD_START, { directPayment: true });
const editionFour = () => initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 4 })[0];
const live = (directPayment = false, from: Snapshot = newJourney()) =>
  run(from, directPayment ? dpRoad : road).snapshot;
const calendar = calendarOf(newJourney().context);
const dateOf = (instant: string) => calendar.londonDateOf(instant);
const letters = (effects: JourneyEffect[], letter: string) =>
  effects.filter((e) => e.type === 'sendLetter' && e.letter === letter);
const payments = (effects: JourneyEffect[]) => effects.filter((e) => e.type === 'instructPayments');
const fieldsOf = (reasons: { field?: string }[]) => reasons.map((r) => r.field);

describe('R-END-3 a surplus is recovered only after a discussion, never money held for a purpose', () => {
  it('R-END-3: no recovery without a recorded discussion with the person', () => {
    const reasons = expectRefused(
      live(true),
      surplusRecovered(roadDay(60), 120, { discussedWithPersonOn: undefined }),
      'R-END-3',
    );
    expect(fieldsOf(reasons)).toEqual(['discussedWithPersonOn']);
    expect(reasons[0]?.message).toMatch(/after discussion/);
    const recovered = accept(live(true), surplusRecovered(roadDay(60), 120));
    expect(recovered.context.directPayment.surplusRecovered).toBe(120);
  });

  it('R-END-3 / R-TIM-1: a discussion dated after the recovery, or before the direct payment began, is refused', () => {
    const after = expectRefused(
      live(true),
      surplusRecovered(roadDay(60), 120, { discussedWithPersonOn: dateOf(roadDay(61)) }),
      'R-TIM-1',
    );
    expect(after).toEqual([
      expect.objectContaining({
        field: 'discussedWithPersonOn',
        accepted: `${dateOf(roadDay(60))} or earlier`,
      }),
    ]);
    const signedOn = live(true).context.directPayment.agreementSignedOn!;
    const before = expectRefused(
      live(true),
      surplusRecovered(roadDay(60), 120, { discussedWithPersonOn: dateOf(roadDay(5)) }),
      'R-TIM-1',
    );
    expect(before).toEqual([
      expect.objectContaining({ field: 'discussedWithPersonOn', accepted: `${signedOn} or later` }),
    ]);
    // The same day as the recovery is fine.
    accept(live(true), surplusRecovered(roadDay(60), 120, { discussedWithPersonOn: dateOf(roadDay(60)) }));
  });

  it('R-END-3: the event says what the balance is for; money held for an agreed purpose, accounts or tax is never recovered', () => {
    const unsaid = expectRefused(
      live(true),
      surplusRecovered(roadDay(60), 120, { balance: undefined }),
      'R-END-3',
    );
    expect(fieldsOf(unsaid)).toEqual(['balance']);
    const balance = [
      { purpose: 'surplusToNeeds' as const, amount: 200 },
      { purpose: 'savingForAgreedPurpose' as const, amount: 300 },
      { purpose: 'outstandingAccounts' as const, amount: 50 },
      { purpose: 'tax' as const, amount: 25 },
    ];
    const tooMuch = expectRefused(live(true), surplusRecovered(roadDay(60), 575, { balance }), 'R-END-3');
    expect(tooMuch).toEqual([
      expect.objectContaining({ ruleId: 'R-END-3', field: 'amount', accepted: 'at most 200.00' }),
    ]);
    expect(tooMuch[0]?.message).toMatch(/£375\.00 of the balance is held/);
    const surplusOnly = accept(live(true), surplusRecovered(roadDay(60), 200, { balance }));
    expect(surplusOnly.context.directPayment.surplusRecovered).toBe(200);
  });

  it('R-END-3: money diverted to other purposes is sought back only with hardship considered, recorded', () => {
    const balance = [
      { purpose: 'surplusToNeeds' as const, amount: 100 },
      { purpose: 'divertedToOtherPurposes' as const, amount: 400 },
    ];
    const reasons = expectRefused(live(true), surplusRecovered(roadDay(60), 500, { balance }), 'R-END-3');
    expect(fieldsOf(reasons)).toEqual(['hardshipConsidered']);
    // The surplus alone needs no hardship consideration; the diverted money does.
    accept(live(true), surplusRecovered(roadDay(60), 100, { balance }));
    const sought = accept(
      live(true),
      surplusRecovered(roadDay(60), 500, {
        balance,
        hardshipConsidered: 'income above the threshold; repayment over six months agreed',
      }),
    );
    expect(sought.context.directPayment.surplusRecovered).toBe(500);
  });

  it('R-END-3: the decision and the amount go to the person in writing, with the payment instruction', () => {
    const balance = [
      { purpose: 'surplusToNeeds' as const, amount: 120 },
      { purpose: 'tax' as const, amount: 80 },
    ];
    const { effects } = step(live(true), surplusRecovered(roadDay(60), 120, { balance }));
    expect(letters(effects, 'surplusRecoveryDecision')).toEqual([
      expect.objectContaining({
        ruleId: 'R-END-3',
        recipients: ['person-1'],
        data: {
          amount: 120,
          discussedOn: dateOf(roadDay(59)),
          decidedOn: dateOf(roadDay(60)),
          surplusToNeeds: 120,
          divertedToOtherPurposes: 0,
          heldAndNotRecovered: 80,
        },
      }),
    ]);
    expect(payments(effects)).toEqual([
      expect.objectContaining({ instruction: 'recoverSurplus', amount: 120, ruleId: 'R-END-3' }),
    ]);
  });

  it('R-END-3: an edition-4 journey recovers as it did (no discussion asked, no letter)', () => {
    const { snapshot, effects } = step(
      live(true, editionFour()),
      ev('SURPLUS_RECOVERED', roadDay(60), { amount: 75.5 }),
    );
    expect(snapshot.context.directPayment.surplusRecovered).toBe(75.5);
    expect(letters(effects, 'surplusRecoveryDecision')).toEqual([]);
  });
});

describe('R-END-4 every change to a direct payment: the review first, in time; a written record to everyone', () => {
  const reviewedToEnd = (from?: Snapshot) =>
    run(live(true, from), [
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', roadDay(49), { concerns: true }),
      reviewWith(roadDay(50), { directPaymentOutcome: 'end' }),
    ]).snapshot;
  const notice = (at: string, noticeGivenOn: string) =>
    ev('DIRECT_PAYMENT_NOTICE_GIVEN', at, { by: 'council', reason: 'cannotManage', noticeGivenOn });

  it('R-END-4: notice dated before the review that decided it is refused, in time as well as in order', () => {
    const reviewed = reviewedToEnd();
    const early = expectRefused(reviewed, notice(roadDay(52), dateOf(roadDay(45))), 'R-END-4');
    expect(early).toEqual([
      expect.objectContaining({ field: 'noticeGivenOn', accepted: `${dateOf(roadDay(50))} or later` }),
    ]);
    expect(early[0]?.message).toMatch(/before the review that decided/);
    // Recorded after the review but said to have happened before it.
    const beforeReview = expectRefused(reviewed, notice(roadDay(49), dateOf(roadDay(49))), 'R-END-4');
    expect(fieldsOf(beforeReview)).toContain('occurredAt');
    // Given on the review's day or later: its four weeks run from then.
    const given = accept(reviewed, notice(roadDay(52), dateOf(roadDay(50))));
    const weeks = given.context.profile.ending.directPaymentNoticeWeeks;
    expect(onlyDeadline(given, 'directPaymentAgreementEnd').dueAt).toBe(
      calendar.startOfLondonDay(calendar.addCalendarWeeks(dateOf(roadDay(50)), weeks)),
    );
  });

  it('R-END-4: an edition-4 journey accepts notice dated before the review, as it did', () => {
    accept(reviewedToEnd(editionFour()), notice(roadDay(52), dateOf(roadDay(45))));
  });

  const inHospital = (from?: Snapshot) =>
    run(live(true, from), [
      ev('HOSPITAL_ADMITTED', roadDay(20), { admittedOn: dateOf(roadDay(20)), hospital: 'Royal Derby' }),
    ]).snapshot;
  const suspend = ev('DIRECT_PAYMENT_SUSPENDED', roadDay(50), { reason: 'a long stay after surgery' });

  it('R-END-4: a hospital suspension sends the reasons and when payments stop to everyone in the arrangement', () => {
    const withAdvocate = accept(
      inHospital(),
      ev('ADVOCATE_ARRANGED', roadDay(21), { advocateId: 'advocate-7' }),
    );
    const { effects } = step(withAdvocate, suspend);
    expect(letters(effects, 'directPaymentChangeRecord')).toEqual([
      expect.objectContaining({
        ruleId: 'R-END-4',
        recipients: ['person-1', 'advocate-7', 'direct-payment-finance-team'],
        data: {
          change: 'suspended',
          reason: 'hospitalStay',
          details: 'a long stay after surgery',
          hospital: 'Royal Derby',
          admittedOn: dateOf(roadDay(20)),
          paymentsStopOn: dateOf(roadDay(50)),
        },
      }),
    ]);
    expect(payments(effects)).toEqual([expect.objectContaining({ instruction: 'suspend' })]);
    // Edition 4: the instruction only, as before.
    expect(letters(step(inHospital(editionFour()), suspend).effects, 'directPaymentChangeRecord')).toEqual(
      [],
    );
  });

  it('R-END-4: withdrawing a journey with a live direct payment sends the written record to everyone in it; payments stop that day', () => {
    const withdraw = ev('JOURNEY_WITHDRAWN', roadDay(30), { reason: 'moving in with her son' });
    const { snapshot, effects } = step(live(true), withdraw);
    expect(snapshot.status).toBe('done');
    expect(letters(effects, 'directPaymentChangeRecord')).toEqual([
      expect.objectContaining({
        ruleId: 'R-END-4',
        recipients: ['person-1', 'direct-payment-finance-team'],
        data: {
          change: 'ended',
          reason: 'withdrawn',
          details: 'moving in with her son',
          paymentsStopOn: dateOf(roadDay(30)),
        },
      }),
    ]);
    expect(payments(effects)).toEqual([
      expect.objectContaining({ instruction: 'stop', effectiveOn: dateOf(roadDay(30)) }),
    ]);
    // No direct payment, no record; nor on an edition-4 journey.
    expect(letters(step(live(false), withdraw).effects, 'directPaymentChangeRecord')).toEqual([]);
    expect(letters(step(live(true, editionFour()), withdraw).effects, 'directPaymentChangeRecord')).toEqual(
      [],
    );
  });

  it('R-END-4: services ended after reassessment, and a move away, send the record when the end is decided', () => {
    const ending = run(live(true), [
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', roadDay(49), { concerns: false }),
      reviewWith(roadDay(50), { outcome: 'servicesToEnd' }),
      ev('REASSESSMENT_COMPLETED', roadDay(60), {
        outcome: 'endServices',
        reasons: 'needs now met by the family',
        unmetEligibleNeeds: [],
        informalSupport: 'substantial',
        thirdPartySources: ['GP letter'],
      }),
      ev('REASSESSMENT_COPY_PROVIDED', roadDay(61), { to: ['person-1'] }),
    ]).snapshot;
    const { snapshot, effects } = step(
      ending,
      ev('SERVICE_END_LETTER_POSTED', roadDay(62), {
        postedOn: dateOf(roadDay(62)),
        reasons: 'needs met by the family',
        alternativesDiscussed: 'day centre',
      }),
    );
    expect(letters(effects, 'directPaymentChangeRecord')).toEqual([
      expect.objectContaining({
        recipients: ['person-1', 'direct-payment-finance-team'],
        data: expect.objectContaining({
          reason: 'servicesEnded',
          paymentsStopOn: snapshot.context.endOfServices?.endDate,
        }),
      }),
    ]);
    const moved = step(
      live(true),
      ev('MOVED_AWAY', roadDay(40), {
        moveDate: dateOf(roadDay(45)),
        receivingCouncil: 'Sheffield',
        consentToShareRecords: true,
      }),
    );
    expect(letters(moved.effects, 'directPaymentChangeRecord')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          reason: 'movedAway',
          paymentsStopOn: calendar.addCalendarWeeks(
            dateOf(roadDay(45)),
            derbyshire.ending.fundingAfterMoveWeeks,
          ),
        }),
      }),
    ]);
  });
});

describe('R-EMG-2 however the journey ends, the interim services’ payments are stopped', () => {
  const interim = (from: Snapshot = newJourney()) =>
    run(from, [
      referral(roadDay(0), 'ref-emergency', { urgency: 'emergency' }),
      ev('TRIAGED', roadDay(0, 11), { route: 'emergencyInterimSupport', reason: 'carer in hospital' }),
      interimSupportStarted(roadDay(0, 13), ['home care 4 visits a day']),
      ev('ASSESSMENT_STARTED', roadDay(1), {}),
      ev('CONSENT_RECORDED', roadDay(1, 11), { consentGiven: true }),
    ]).snapshot;
  const assessed = (eligible: boolean) =>
    ev('ASSESSMENT_COMPLETED', roadDay(3), {
      presentingNeeds: ['help after a fall'],
      eligibleNeeds: eligible ? [{ need: 'personal care', points: 60 }] : [],
      ineligibleNeeds: eligible ? [] : ['help after a fall'],
      unmetEligibleNeeds: [],
      outcomes: ['stay at home'],
      informalSupport: 'substantial',
      equipmentConsidered: true,
    });

  it('R-EMG-2: closed as not eligible while interim support is in place, the interim services are stopped', () => {
    const { snapshot, effects } = step(interim(), assessed(false));
    expect(snapshot.context.closure?.reason).toBe('notEligible');
    expect(payments(effects)).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        reason: 'notEligible',
        ruleId: 'R-EMG-2',
        effectiveOn: dateOf(roadDay(3)),
        services: ['home care 4 visits a day'],
      }),
    ]);
  });

  it('R-EMG-2: closed with every eligible need met otherwise, likewise', () => {
    const { snapshot, effects } = step(interim(), assessed(true));
    expect(snapshot.context.closure?.reason).toBe('eligibleNeedsMetOtherwise');
    expect(payments(effects)).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        ruleId: 'R-EMG-2',
        services: ['home care 4 visits a day'],
      }),
    ]);
  });

  it('R-EMG-2: withdrawal and death while interim support is in place stop the interim services too', () => {
    const withdrawn = step(interim(), ev('JOURNEY_WITHDRAWN', roadDay(2), { reason: 'family took over' }));
    expect(payments(withdrawn.effects)).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        reason: 'withdrawn',
        services: ['home care 4 visits a day'],
      }),
    ]);
    const died = step(interim(), ev('PERSON_DIED', roadDay(2), { dateOfDeath: dateOf(roadDay(2)) }));
    expect(payments(died.effects)).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        reason: 'death',
        services: ['home care 4 visits a day'],
      }),
    ]);
  });

  it('R-EMG-2: with no interim support nothing is stopped; an edition-4 journey is told nothing, as before', () => {
    const ordinary = run(
      newJourney(),
      road.slice(
        0,
        road.findIndex((e) => e.type === 'ASSESSMENT_COMPLETED'),
      ),
    ).snapshot;
    expect(payments(step(ordinary, assessed(false)).effects)).toEqual([]);
    expect(payments(step(interim(editionFour()), assessed(false)).effects)).toEqual([]);
  });
});

describe('R-CMP-1 the budget refused during a complaint: the council arranges the services, on a clock', () => {
  const complained = (from?: Snapshot) =>
    accept(
      live(false, from),
      ev('COMPLAINT_RAISED', roadDay(20), { complaintId: 'cmp-1', about: 'budget', details: 'too little' }),
    );
  const choose = (choice: EventOf<'BUDGET_COMPLAINT_INTERIM_CHOICE'>['choice'], at = roadDay(21)) =>
    ev('BUDGET_COMPLAINT_INTERIM_CHOICE', at, { complaintId: 'cmp-1', choice });
  const arranged = (at: string, complaintId = 'cmp-1') =>
    ev('BUDGET_COMPLAINT_SERVICES_ARRANGED', at, { complaintId, services: ['home care 7 hours a week'] });

  it('R-CMP-1: refusing the budget starts the profile’s clock; it is a next step, met when the services are arranged', () => {
    const refused = accept(complained(), choose('councilArrangesServices'));
    const days = derbyshire.budgetComplaints.servicesArrangedWorkingDays;
    const clock = onlyDeadline(refused, 'servicesArrangedInstead', 'due');
    expect(clock).toMatchObject({
      ruleId: 'R-CMP-1',
      dueAt: calendar.workingDaysAfter(roadDay(21), days),
      startedFrom: roadDay(21),
    });
    expect(describeJourney(refused).nextSteps).toContainEqual(
      expect.objectContaining({
        because: 'deadline',
        deadlineId: clock.id,
        event: 'BUDGET_COMPLAINT_SERVICES_ARRANGED',
        allowedNow: true,
        dueBy: clock.dueAt,
      }),
    );
    const met = accept(refused, arranged(roadDay(24)));
    expect(onlyDeadline(met, 'servicesArrangedInstead').status).toBe('met');
    expect(met.context.complaints[0]?.servicesArranged).toEqual({
      deadlineId: clock.id,
      from: roadDay(21),
      at: roadDay(24),
      services: ['home care 7 hours a week'],
    });
    expect(describeJourney(met).nextSteps.some((s) => s.deadlineId === clock.id)).toBe(false);
  });

  it('R-CMP-1: services are arranged only where a refused budget awaits them, and not before the refusal', () => {
    expectRefused(complained(), arranged(roadDay(24)), 'R-CMP-1');
    expectRefused(accept(complained(), choose('manageOnOfferedBudget')), arranged(roadDay(24)), 'R-CMP-1');
    const refused = accept(complained(), choose('councilArrangesServices'));
    expect(fieldsOf(expectRefused(refused, arranged(roadDay(24), 'cmp-9'), 'R-CMP-1'))).toEqual([
      'complaintId',
    ]);
    expect(fieldsOf(expectRefused(refused, arranged(roadDay(20, 12)), 'R-TIM-1'))).toEqual(['occurredAt']);
  });

  it('R-CMP-1: managing on the offered budget after all, or the complaint resolved, closes the clock', () => {
    const refused = accept(complained(), choose('councilArrangesServices'));
    const changedMind = accept(refused, choose('manageOnOfferedBudget', roadDay(22)));
    expect(onlyDeadline(changedMind, 'servicesArrangedInstead').status).toBe('cancelled');
    expectRefused(changedMind, arranged(roadDay(24)), 'R-CMP-1');
    const resolved = accept(
      refused,
      ev('COMPLAINT_RESOLVED', roadDay(23), { complaintId: 'cmp-1', outcome: 'budget recalculated' }),
    );
    expect(onlyDeadline(resolved, 'servicesArrangedInstead').status).toBe('cancelled');
  });

  it('R-CMP-1: an edition-4 journey records the choice and starts nothing, as before', () => {
    const refused = accept(complained(editionFour()), choose('councilArrangesServices'));
    expect(refused.context.deadlines.filter((d) => d.kind === 'servicesArrangedInstead')).toEqual([]);
  });
});

describe('R-CAR-1 a carer’s assessment offer is not spent by a refusal, and a carer not yet offered one is a wait', () => {
  const identified = (from?: Snapshot) =>
    accept(live(false, from), ev('CARER_IDENTIFIED', roadDay(20), { carerId: 'carer-9' }));
  const offer = (at: string, accepted: boolean) =>
    ev('CARER_ASSESSMENT_OFFERED', at, { carerId: 'carer-9', accepted });

  it('R-CAR-1: a carer who declined in March is offered an assessment again in September', () => {
    const declined = accept(identified(), offer(roadDay(21), false));
    expect(declined.context.carer).toMatchObject({ offeredAt: roadDay(21), accepted: false });
    const september = '2026-09-14T10:00:00.000Z';
    const { snapshot, effects } = step(declined, offer(september, true));
    expect(snapshot.context.carer).toMatchObject({ offeredAt: september, accepted: true });
    expect(effects).toEqual([expect.objectContaining({ type: 'openCarerJourney', carerId: 'carer-9' })]);
    // Once accepted (their own journey is open) it is not offered again.
    expectRefused(snapshot, offer('2026-10-01T10:00:00.000Z', true), 'R-ASM-4');
    // An edition-4 journey keeps refusing the second offer.
    expectRefused(
      accept(identified(editionFour()), offer(roadDay(21), false)),
      offer(september, true),
      'R-ASM-4',
    );
  });

  it('R-CAR-1: a carer identified during live support and not yet offered an assessment is a next step with the profile’s limit', () => {
    const waiting = identified();
    const days = derbyshire.stuckAfterDays.waitingOn.carerAssessment!;
    expect(waitingOn(waiting)).toEqual({ party: 'carerAssessment', since: roadDay(20) });
    const dueBy = new Date(Date.parse(roadDay(20)) + days * 86_400_000).toISOString();
    expect(describeJourney(waiting).nextSteps).toContainEqual(
      expect.objectContaining({
        because: 'waiting',
        event: 'CARER_ASSESSMENT_OFFERED',
        allowedNow: true,
        dueBy,
      }),
    );
    // Counted as any wait is: a list row's next step from the search attributes names it.
    expect(
      rowNextStep({ overdueKinds: [], waitingOn: 'carerAssessment', waitingStuckAfter: dueBy }, derbyshire),
    ).toMatchObject({ because: 'waiting', event: 'CARER_ASSESSMENT_OFFERED', dueBy });
    const offered = accept(waiting, offer(roadDay(22), false));
    expect(waitingOn(offered)).toBeUndefined();
    expect(describeJourney(offered).nextSteps.some((s) => s.event === 'CARER_ASSESSMENT_OFFERED')).toBe(
      false,
    );
  });

  it('R-CAR-1: the carer’s step is shown even while another wait is the one reported', () => {
    const setUp = run(
      newJourney(),
      dpRoad.slice(0, dpRoad.findIndex((e) => e.type === 'PLAN_SIGNED_OFF') + 1),
    ).snapshot;
    const both = accept(setUp, ev('CARER_IDENTIFIED', roadDay(7, 12), { carerId: 'carer-9' }));
    expect(waitingOn(both)?.party).toBe('directPaymentAgreement');
    const events = describeJourney(both)
      .nextSteps.filter((s) => s.because === 'waiting')
      .map((s) => s.event)
      .sort();
    expect(events).toEqual(['CARER_ASSESSMENT_OFFERED', 'DIRECT_PAYMENT_AGREEMENT_SIGNED']);
  });
});

describe('R-REF-4 a re-referral on a journey with live services is news: an unscheduled review', () => {
  it('R-REF-4: a repeated referral on live services starts the R-REV-6 clock, as a request for a review does', () => {
    const days = derbyshire.reviews.unscheduledReviewWorkingDays;
    const rereferred = accept(live(), referral(roadDay(20), 'ref-2'));
    expect(rereferred.context.referrals.map((r) => r.referralId)).toHaveLength(2);
    expect(onlyDeadline(rereferred, 'unscheduledReview', 'due')).toMatchObject({
      ruleId: 'R-REV-6',
      dueAt: calendar.workingDaysAfter(roadDay(20), days),
      description: expect.stringMatching(/re-referral/),
    });
    const emergency = accept(live(), referral(roadDay(20), 'ref-3', { urgency: 'emergency' }));
    expect(onlyDeadline(emergency, 'unscheduledReview', 'due').description).toMatch(/emergency re-referral/);
    // The review meets it.
    const reviewed = accept(rereferred, reviewWith(roadDay(24)));
    expect(onlyDeadline(reviewed, 'unscheduledReview').status).toBe('met');
  });

  it('R-REF-4: before services are live a repeated referral is recorded only; an edition-4 journey records it only', () => {
    const triaged = run(
      newJourney(),
      road.slice(0, road.findIndex((e) => e.type === 'TRIAGED') + 1),
    ).snapshot;
    const again = accept(triaged, referral(roadDay(1, 12), 'ref-2'));
    expect(again.context.deadlines.filter((d) => d.kind === 'unscheduledReview')).toEqual([]);
    const old = accept(live(false, editionFour()), referral(roadDay(20), 'ref-2'));
    expect(old.context.deadlines.filter((d) => d.kind === 'unscheduledReview')).toEqual([]);
    expect(stageValue(old)).toBe('liveSupport');
  });
});

describe('R-CMP-2 / R-TIM-1 the adjudication panel follows the discussion it depends on', () => {
  const challenged = (from: Snapshot = newJourney()) =>
    accept(
      run(from, road.slice(0, road.findIndex((e) => e.type === 'INDICATIVE_BUDGET_SHARED') + 1)).snapshot,
      ev('BUDGET_CHALLENGED', roadDay(5), {
        challengeId: 'ch-1',
        budget: 'indicative',
        details: 'not enough for evening visits',
        complaintsProcessOffered: true,
        response: 'declined',
      }),
    );
  const panel = (discussedWithComplaintsManagerOn: string) =>
    ev('ADJUDICATION_PANEL_OFFERED', roadDay(10), {
      challengeId: 'ch-1',
      groupManagerId: 'gm-1',
      discussedWithComplaintsManagerOn,
    });

  it('R-CMP-2 / R-TIM-1: a discussion dated after the offer, or before the challenge, is refused naming the field', () => {
    const after = expectRefused(challenged(), panel(dateOf(roadDay(11))), 'R-TIM-1');
    expect(after).toEqual([
      expect.objectContaining({
        field: 'discussedWithComplaintsManagerOn',
        accepted: `${dateOf(roadDay(10))} or earlier`,
      }),
    ]);
    const before = expectRefused(challenged(), panel(dateOf(roadDay(4))), 'R-TIM-1');
    expect(before).toEqual([
      expect.objectContaining({
        field: 'discussedWithComplaintsManagerOn',
        accepted: `${dateOf(roadDay(5))} or later`,
      }),
    ]);
    accept(challenged(), panel(dateOf(roadDay(8))));
    accept(challenged(), panel(dateOf(roadDay(10))));
    // Edition 4: as it was.
    accept(challenged(editionFour()), panel(dateOf(roadDay(11))));
  });
});

describe('R-TIM-1 a letter the journey sends itself is posted when it goes out', () => {
  /** Live from August, services to end, the reassessment copy out on Thu 3 December 2026. */
  const ending = (from?: Snapshot) =>
    run(from ?? newJourney(), [
      ...pathToActivation('2026-08-23T10:00:00.000Z'),
      reviewWith('2026-11-20T10:00:00.000Z', { outcome: 'servicesToEnd' }),
      ev('REASSESSMENT_COMPLETED', '2026-12-01T10:00:00.000Z', {
        outcome: 'endServices',
        reasons: 'needs now met by the family',
        unmetEligibleNeeds: [],
        informalSupport: 'substantial',
        thirdPartySources: ['daughter'],
      }),
      ev('REASSESSMENT_COPY_PROVIDED', '2026-12-03T10:00:00.000Z', { to: ['person-1'] }),
    ]).snapshot;
  /** Recorded on Mon 14 December, stating it was posted a week before. */
  const backdated = (endDate?: string) =>
    ev('SERVICE_END_LETTER_POSTED', '2026-12-14T10:00:00.000Z', {
      postedOn: '2026-12-07',
      endDate,
      reasons: 'needs met by informal support',
      alternativesDiscussed: 'befriending service',
    });

  it('R-TIM-1: an end letter stated as posted a week before it was sent gives its full notice from when it goes out (R-END-1)', () => {
    const { snapshot, effects } = step(ending(), backdated());
    // Posted Mon 2026-12-14 (JOURNEY.md's worked example): the earliest end date is Wed 2026-12-30.
    expect(snapshot.context.endOfServices).toMatchObject({ postedOn: '2026-12-14', endDate: '2026-12-30' });
    expect(onlyDeadline(snapshot, 'servicesEnd').dueAt).toBe(calendar.startOfLondonDay('2026-12-30'));
    expect(letters(effects, 'serviceEndLetter')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ postedOn: '2026-12-14', endDate: '2026-12-30' }),
      }),
    ]);
    // An end date ten working days from the stated posting date is too soon.
    const reasons = expectRefused(ending(), backdated('2026-12-21'), 'R-END-1');
    expect(reasons).toEqual([expect.objectContaining({ field: 'endDate', accepted: '2026-12-30 or later' })]);
    expect(reasons[0]?.message).toMatch(/posts it on 2026-12-14, when it goes out/);
  });

  it('R-TIM-1: an edition-4 journey counts from the stated posting date, as it did', () => {
    const { snapshot } = step(ending(editionFour()), backdated());
    expect(snapshot.context.endOfServices).toMatchObject({ postedOn: '2026-12-07', endDate: '2026-12-21' });
  });
});
