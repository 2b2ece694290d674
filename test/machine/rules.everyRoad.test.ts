/**
 * The rules of JOURNEY.md that hold on the roads beside the happy path (issue 9): emergency set-up
 * (R-EMG-3), suitable persons (R-ASM-7), advocacy and carers at every stage (R-ASM-2, R-ASM-4),
 * money and authority at sign-off (R-SGN-4, R-SGN-5), what follows a review (R-REV-10, R-REV-11),
 * changing and ending services (R-END-4, R-END-5), budget challenges (R-CMP-2), and the rules
 * edition that keeps journeys started before them as they were.
 */
import { checkEvent } from '../../machines/checkEvent';
import type { EventOf, JourneyEvent } from '../../machines/events';
import {
  completePlan,
  directPaymentPlan,
  ev,
  manager,
  pathToActivation,
  practitioner,
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
  payloadOf,
  roadDay,
  run,
  ROAD_START,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';
import { initialTransition } from 'xstate';
import { journeyMachine } from '../../machines/journeyMachine';

const road = pathToActivation(ROAD_START);
const dpRoad = pathToActivation(ROAD_START, { directPayment: true });
const upTo = (events: JourneyEvent[], type: string, from = newJourney()): Snapshot =>
  run(from, events.slice(0, events.findIndex((e) => e.type === type) + 1)).snapshot;
const upToBefore = (events: JourneyEvent[], type: string, from = newJourney()): Snapshot =>
  run(
    from,
    events.slice(
      0,
      events.findIndex((e) => e.type === type),
    ),
  ).snapshot;
const signOffOf = (events: JourneyEvent[]) =>
  events.find((e) => e.type === 'PLAN_SIGNED_OFF') as EventOf<'PLAN_SIGNED_OFF'>;
const live = (directPayment = false) => run(newJourney(), directPayment ? dpRoad : road).snapshot;

const review = reviewWith;

describe('R-EMG-3 emergency services are set up with a manager’s approval and the case notes done', () => {
  const emergency = () =>
    run(newJourney(), [
      referral(roadDay(0), 'ref-emergency', { urgency: 'emergency' }),
      ev('TRIAGED', roadDay(0, 11), { route: 'emergencyInterimSupport', reason: 'carer in hospital' }),
    ]).snapshot;
  const setUp = (extra: Partial<EventOf<'INTERIM_SUPPORT_STARTED'>>) =>
    ev('INTERIM_SUPPORT_STARTED', roadDay(0, 15), { services: ['night sitting'], ...extra });

  it('R-EMG-3: set-up without the manager’s approval, or without the case notes, is refused naming the field', () => {
    const reasons = expectRefused(emergency(), setUp({ caseNotesCompleted: true }), 'R-EMG-3');
    expect(reasons.map((r) => r.message).join(' ')).toMatch(/managerApproval\.managerId/);
    const notes = expectRefused(
      emergency(),
      setUp({ managerApproval: { managerId: 'manager.bob' } }),
      'R-EMG-3',
    );
    expect(notes.map((r) => r.message).join(' ')).toMatch(/caseNotesCompleted/);
    const started = accept(
      emergency(),
      setUp({ managerApproval: { managerId: 'manager.bob' }, caseNotesCompleted: true }),
    );
    expect(started.context.interimSupport?.approvedBy).toBe('manager.bob');
  });

  it('R-EMG-3: while set-up is pending the journey is on a stuck limit, and in place the R-EMG-1 clock takes over', () => {
    const pending = emergency();
    expect(stageValue(pending)).toEqual({ interimSupport: 'settingUp' });
    expect(pending.context.profile.stuckAfterDays.stage['interimSupport.settingUp']).toBe(2);
    const started = accept(
      pending,
      setUp({ managerApproval: { managerId: 'manager.bob' }, caseNotesCompleted: true }),
    );
    expect(onlyDeadline(started, 'emergencyAssessmentStart').status).toBe('due');
  });
});

describe('R-ASM-7 a direct payment for someone unable to consent to or manage it goes to a suitable person', () => {
  const lacksCapacity = ev('CAPACITY_ASSESSED', roadDay(2, 12), {
    decision: 'managing a direct payment',
    hasCapacity: false,
    topic: 'managingDirectPayment',
  });
  const withoutCapacity = (events: JourneyEvent[]) => {
    const i = events.findIndex((e) => e.type === 'CONSENT_RECORDED');
    return [...events.slice(0, i + 1), lacksCapacity, ...events.slice(i + 1)];
  };

  it('R-ASM-7: a direct payment is not signed off for a person who lacks capacity to manage it without a suitable person', () => {
    const events = withoutCapacity(dpRoad);
    const planned = upToBefore(events, 'PLAN_SIGNED_OFF');
    const reasons = expectRefused(planned, signOffOf(events), 'R-ASM-7');
    expect(reasons.find((r) => r.ruleId === 'R-ASM-7')?.message).toMatch(/suitable person/);
    // Without a risk assessment of the suitable person it is still refused; with one, accepted.
    expectRefused(
      planned,
      ev('SUITABLE_PERSON_APPOINTED', roadDay(6, 12), {
        suitablePersonId: 'daughter-1',
        relationship: 'daughter',
      }),
      'R-ASM-7',
    );
    const appointed = accept(
      planned,
      ev('SUITABLE_PERSON_APPOINTED', roadDay(6, 12), {
        suitablePersonId: 'daughter-1',
        relationship: 'daughter',
        riskAssessmentRecordedOn: roadDay(6).slice(0, 10),
      }),
    );
    expect(stageValue(accept(appointed, signOffOf(events)))).toBe('setUp');
  });

  it('R-ASM-7: a council-managed budget for the same person needs no suitable person', () => {
    const events = withoutCapacity(road);
    expect(stageValue(upTo(events, 'PLAN_SIGNED_OFF'))).toBe('setUp');
  });

  it('R-ASM-7 / R-ASM-2: at review, a plan revised to a direct payment and an advocate still unarranged are refused', () => {
    const events = withoutCapacity(road);
    const started = run(newJourney(), events).snapshot;
    const at = roadDay(60);
    const revised = review(at, { outcome: 'planRevised', revisedPlan: directPaymentPlan() });
    expectRefused(started, revised, 'R-ASM-7');
    // R-ASM-2 applies at review too: an advocate found necessary must be arranged first.
    const needsAdvocate = accept(
      started,
      ev('INVOLVEMENT_DIFFICULTY_ASSESSED', roadDay(55), {
        substantialDifficulty: true,
        appropriatePersonAvailable: false,
      }),
    );
    expectRefused(needsAdvocate, review(at), 'R-ASM-2');
    const arranged = accept(
      needsAdvocate,
      ev('ADVOCATE_ARRANGED', roadDay(56), { advocateId: 'advocate-1' }),
    );
    expect(checkEvent(arranged, review(at)).allowed).toBe(true);
  });
});

describe('R-ASM-4 a carer identified at any stage can be offered an assessment', () => {
  it('R-ASM-4: during live support a carer is identified and offered an assessment (their own journey opens)', () => {
    const started = live();
    const identified = accept(started, ev('CARER_IDENTIFIED', roadDay(20), { carerId: 'carer-9' }));
    const { snapshot, effects } = step(
      identified,
      ev('CARER_ASSESSMENT_OFFERED', roadDay(20, 11), { carerId: 'carer-9', accepted: true }),
    );
    expect(snapshot.context.carer).toMatchObject({
      carerId: 'carer-9',
      offeredAt: roadDay(20, 11),
      accepted: true,
    });
    expect(effects).toEqual([expect.objectContaining({ type: 'openCarerJourney', carerId: 'carer-9' })]);
    expectRefused(
      snapshot,
      ev('CARER_ASSESSMENT_OFFERED', roadDay(21), { carerId: 'carer-9', accepted: true }),
      'R-ASM-4',
    );
  });
});

describe('R-SGN-4 spending above the indicative budget goes to an authoriser, whatever its size', () => {
  it('R-SGN-4: a budget above the indicative one, though under the delegation limit, needs the manager', () => {
    const planned = upToBefore(road, 'PLAN_SIGNED_OFF');
    const written = accept(
      planned,
      ev('PLAN_SUBMITTED', roadDay(6, 12), { plan: completePlan({ personalBudget: 10_400 }) }),
    );
    const more = {
      ...payloadOf(signOffOf(road)),
      finalBudget: 10_400,
      costing: { reasonableCost: 10_400, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
      mismatchReason: 'a second evening visit the RAS did not price',
    };
    const reasons = expectRefused(
      written,
      ev('PLAN_SIGNED_OFF', roadDay(7), more, { actor: practitioner }),
      'R-SGN-4',
    );
    expect(reasons.find((r) => r.ruleId === 'R-SGN-4')?.message).toMatch(
      /above the indicative budget of £9360.00/,
    );
    expect(stageValue(accept(written, ev('PLAN_SIGNED_OFF', roadDay(7), more, { actor: manager })))).toBe(
      'setUp',
    );
  });
});

describe('R-SGN-5 the plan and the direct payment agree with the personal budget signed off', () => {
  it('R-SGN-5: a plan saying £48,000 is not signed off as £9,360', () => {
    const planned = upToBefore(road, 'PLAN_SIGNED_OFF');
    const written = accept(
      planned,
      ev('PLAN_SUBMITTED', roadDay(6, 12), { plan: completePlan({ personalBudget: 48_000 }) }),
    );
    const reasons = expectRefused(written, signOffOf(road), 'R-SGN-5');
    expect(reasons.find((r) => r.ruleId === 'R-SGN-5')?.message).toMatch(/plan\.personalBudget £48000.00/);
  });

  it('R-SGN-5: a £1,000-a-week direct payment under a £9,360 budget is refused; £180 a week (£9,360 a year) is not', () => {
    const planned = upToBefore(dpRoad, 'PLAN_SIGNED_OFF');
    const dp = directPaymentPlan();
    const tooMuch = { ...dp, directPayment: { ...dp.directPayment!, amount: 1_000 } };
    const written = accept(planned, ev('PLAN_SUBMITTED', roadDay(6, 12), { plan: tooMuch }));
    const reasons = expectRefused(
      written,
      ev('PLAN_SIGNED_OFF', roadDay(7), payloadOf(signOffOf(dpRoad)), { actor: manager }),
      'R-SGN-5',
    );
    expect(reasons.find((r) => r.ruleId === 'R-SGN-5')?.message).toMatch(
      /£52000.00 a year, which is more than the personal budget of £9360.00/,
    );
    // A direct payment alone must add up to the budget too (here £100 a week falls short).
    const tooLittle = { ...dp, directPayment: { ...dp.directPayment!, amount: 100 } };
    expectRefused(
      accept(planned, ev('PLAN_SUBMITTED', roadDay(6, 12), { plan: tooLittle })),
      signOffOf(dpRoad),
      'R-SGN-5',
    );
    expect(stageValue(accept(planned, signOffOf(dpRoad)))).toBe('setUp');
    // In a combination it may pay part of the budget (four-weekly £360 = £4,680 a year).
    const part = {
      ...dp,
      budgetManagement: ['directPayment', 'councilManaged'] as const,
      directPayment: { ...dp.directPayment!, amount: 360, frequency: 'fourWeekly' as const },
    };
    expect(
      stageValue(
        accept(
          accept(
            planned,
            ev('PLAN_SUBMITTED', roadDay(6, 12), {
              plan: { ...part, budgetManagement: [...part.budgetManagement] },
            }),
          ),
          signOffOf(dpRoad),
        ),
      ),
    ).toBe('setUp');
  });
});

describe('R-REV-10 after every review the person receives the plan, a contact point and the next review date', () => {
  it('R-REV-10: the review letter goes to the person, their carer and providers, with the next review date', () => {
    const start = new Date(Date.parse(ROAD_START)).toISOString();
    const events = pathToActivation(start).map((e) =>
      e.type === 'SERVICES_ACTIVATED'
        ? { ...e, providers: [{ providerId: 'agency-7', newWithoutTrackRecord: false }] }
        : e,
    );
    const started = run(newJourney(), [
      ...events,
      ev('CARER_IDENTIFIED', roadDay(12), { carerId: 'carer-2' }),
    ]).snapshot;
    const { snapshot, effects } = step(started, review(roadDay(50)));
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'sendLetter',
        letter: 'reviewOutcome',
        ruleId: 'R-REV-10',
        recipients: ['person-1', 'carer-2', 'agency-7'],
        data: expect.objectContaining({
          outcome: 'noChange',
          plan: snapshot.context.plan,
          contactPoint: 'worker.ann',
          nextReviewOn: snapshot.context.reviews.at(-1)?.nextReviewOn,
        }),
      }),
    ]);
  });
});

describe('R-REV-11 a telephone review only where the guidance’s conditions all hold', () => {
  const allHold = {
    lowLevelNonPersonalCare: true,
    noCommunicationDifficulty: true,
    faceToFaceReviewInPreviousYear: true,
    ableToMonitorAndAskForFaceToFace: true,
    needsUnchanged: true,
  };
  const afterFirstReview = () => accept(live(), review(roadDay(50)));

  it('R-REV-11: a first review is never by telephone', () => {
    const reasons = expectRefused(
      live(),
      review(roadDay(50), { reviewType: 'telephone', telephoneConditions: allHold }),
      'R-REV-11',
    );
    expect(reasons.find((r) => r.ruleId === 'R-REV-11')?.message).toMatch(
      /first review here is formal and face to face, not by telephone/,
    );
  });

  it('R-REV-11: a later review by telephone needs every condition, each named when it does not hold', () => {
    const reviewed = afterFirstReview();
    const later = roadDay(200);
    expectRefused(reviewed, review(later, { reviewType: 'telephone' }), 'R-REV-11');
    const reasons = expectRefused(
      reviewed,
      review(later, {
        reviewType: 'telephone',
        telephoneConditions: { ...allHold, lowLevelNonPersonalCare: false },
      }),
      'R-REV-11',
    );
    expect(reasons.map((r) => r.message).join(' ')).toMatch(/telephoneConditions\.lowLevelNonPersonalCare/);
    expect(
      checkEvent(reviewed, review(later, { reviewType: 'telephone', telephoneConditions: allHold })).allowed,
    ).toBe(true);
  });

  it('R-REV-11: the journey’s own record must show a face-to-face review in the previous year', () => {
    const reviewed = afterFirstReview();
    const phoned = accept(
      reviewed,
      review(roadDay(200), { reviewType: 'telephone', telephoneConditions: allHold }),
    );
    // Over a year after the last face-to-face review, saying there was one is not enough.
    const reasons = expectRefused(
      phoned,
      review(roadDay(420), { reviewType: 'telephone', telephoneConditions: allHold }),
      'R-REV-11',
    );
    expect(reasons.map((r) => r.message).join(' ')).toMatch(/no face-to-face review since/);
  });
});

describe('R-END-4 a direct payment is changed or ended only after a review, and everyone is told', () => {
  const notice = ev('DIRECT_PAYMENT_NOTICE_GIVEN', roadDay(70), {
    by: 'council',
    reason: 'cannotManage',
    noticeGivenOn: roadDay(70).slice(0, 10),
  });

  it('R-END-4: the council gives notice on a direct payment only after a review that decided to end it', () => {
    const started = live(true);
    const reasons = expectRefused(started, notice, 'R-END-4');
    expect(reasons.find((r) => r.ruleId === 'R-END-4')?.message).toMatch(/directPaymentOutcome 'end'/);
    const reviewedToContinue = run(started, [
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', roadDay(49), { concerns: true }),
      review(roadDay(50), { directPaymentOutcome: 'continue' }),
    ]).snapshot;
    expectRefused(reviewedToContinue, notice, 'R-END-4');
  });

  it('R-END-4: the notice sends the reasons and the date payments stop to everyone in the arrangement', () => {
    const reviewed = run(live(true), [
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', roadDay(49), { concerns: true }),
      review(roadDay(50), { directPaymentOutcome: 'end' }),
    ]).snapshot;
    const { effects } = step(reviewed, notice);
    expect(effects).toEqual([
      expect.objectContaining({
        letter: 'directPaymentEndNotice',
        ruleId: 'R-END-4',
        recipients: ['person-1', 'direct-payment-finance-team'],
        data: {
          noticeBy: 'council',
          reason: 'cannotManage',
          noticeGivenOn: '2026-05-11',
          paymentsStopOn: '2026-06-08',
        },
      }),
    ]);
  });
});

describe('R-END-5 ending services names its sources, leaves no need unmet, and tells the payments', () => {
  const toReassessment = () => accept(live(), review(roadDay(50), { outcome: 'servicesToEnd' }));
  const endServices = (extra: Partial<EventOf<'REASSESSMENT_COMPLETED'>>) =>
    ev('REASSESSMENT_COMPLETED', roadDay(60), {
      outcome: 'endServices',
      reasons: 'needs now met by the family',
      unmetEligibleNeeds: [],
      informalSupport: 'substantial',
      thirdPartySources: ['GP letter'],
      ...extra,
    });

  it('R-END-5: ending services names the third-party sources of information used', () => {
    const reasons = expectRefused(toReassessment(), endServices({ thirdPartySources: [] }), 'R-END-5');
    expect(reasons.find((r) => r.ruleId === 'R-END-5')?.message).toMatch(/thirdPartySources/);
  });

  it('R-END-5: services do not end with an eligible need left unmet, unless it says how it will be met', () => {
    const unmet = { unmetEligibleNeeds: [{ need: 'personal care', points: 40 }] };
    const reasons = expectRefused(toReassessment(), endServices(unmet), 'R-END-5');
    expect(reasons.find((r) => r.ruleId === 'R-END-5')?.message).toMatch(
      /"personal care" would be left unmet/,
    );
    const covered = accept(
      toReassessment(),
      endServices({
        ...unmet,
        unmetNeedsMetOtherwise: [{ need: 'personal care', how: 'the daughter, who has moved in' }],
      }),
    );
    expect(stageValue(covered)).toEqual({ endingServices: 'awaitingLetter' });
  });

  it('R-END-5: the end letter goes to the person and their representative', () => {
    const ending = run(toReassessment(), [
      endServices({}),
      ev('REASSESSMENT_COPY_PROVIDED', roadDay(61), { to: ['person-1'] }),
    ]).snapshot;
    const posted = roadDay(62).slice(0, 10);
    const { effects } = step(
      ending,
      ev('SERVICE_END_LETTER_POSTED', roadDay(62), {
        postedOn: posted,
        reasons: 'needs met by family',
        alternativesDiscussed: 'day centre',
        representative: 'son (lasting power of attorney)',
      }),
    );
    expect(effects).toEqual([
      expect.objectContaining({
        letter: 'serviceEndLetter',
        recipients: ['person-1', 'son (lasting power of attorney)'],
      }),
    ]);
  });

  it('R-END-5: withdrawal, suspension and death instruct the payment arrangements', () => {
    const payments = (snapshot: Snapshot, event: JourneyEvent) =>
      step(snapshot, event).effects.filter((e) => e.type === 'instructPayments');
    expect(
      payments(live(), ev('JOURNEY_WITHDRAWN', roadDay(30), { reason: 'moving in with family' })),
    ).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        reason: 'withdrawn',
        ruleId: 'R-END-5',
        effectiveOn: roadDay(30).slice(0, 10),
      }),
    ]);
    // Withdrawn before anything is paid: nothing to stop.
    expect(
      payments(upTo(road, 'TRIAGED'), ev('JOURNEY_WITHDRAWN', roadDay(2), { reason: 'declined' })),
    ).toEqual([]);
    expect(
      payments(live(), ev('PERSON_DIED', roadDay(30), { dateOfDeath: roadDay(29).slice(0, 10) })),
    ).toEqual([
      expect.objectContaining({
        instruction: 'stop',
        reason: 'death',
        ruleId: 'R-DTH-1',
        effectiveOn: roadDay(29).slice(0, 10),
      }),
    ]);
    const inHospital = run(live(true), [
      ev('HOSPITAL_ADMITTED', roadDay(20), { admittedOn: roadDay(20).slice(0, 10), hospital: 'Royal Derby' }),
    ]).snapshot;
    const suspend = ev('DIRECT_PAYMENT_SUSPENDED', roadDay(50), { reason: 'significant hospital stay' });
    expect(payments(inHospital, suspend)).toEqual([
      expect.objectContaining({ instruction: 'suspend', ruleId: 'R-HSP-1' }),
    ]);
    const discharge = ev('HOSPITAL_DISCHARGED', roadDay(55), {
      dischargedOn: roadDay(55).slice(0, 10),
      dischargeProtocolFollowed: true,
      needsChanged: false,
    });
    expect(payments(accept(inHospital, suspend), discharge)).toEqual([
      expect.objectContaining({ instruction: 'resume', effectiveOn: roadDay(55).slice(0, 10) }),
    ]);
    expect(payments(live(true), surplusRecovered(roadDay(60), 75.5))).toEqual([
      expect.objectContaining({ instruction: 'recoverSurplus', amount: 75.5, ruleId: 'R-END-3' }),
    ]);
  });
});

describe('R-CMP-2 a budget challenge is met with the complaints process; the adjudication panel is a last resort', () => {
  const withBudget = () => upTo(road, 'INDICATIVE_BUDGET_SHARED');
  const challenge = (extra: Partial<EventOf<'BUDGET_CHALLENGED'>> = {}) =>
    ev('BUDGET_CHALLENGED', roadDay(4, 12), {
      challengeId: 'ch-1',
      budget: 'indicative',
      details: 'not enough for evening visits',
      complaintsProcessOffered: true,
      response: 'declined',
      ...extra,
    });
  const panel = (discussedWithComplaintsManagerOn?: string) =>
    ev('ADJUDICATION_PANEL_OFFERED', roadDay(10), {
      challengeId: 'ch-1',
      groupManagerId: 'gm-1',
      discussedWithComplaintsManagerOn,
    });

  it('R-CMP-2: a challenge is recorded only with the complaints process offered and the response', () => {
    const reasons = expectRefused(withBudget(), challenge({ complaintsProcessOffered: false }), 'R-CMP-2');
    expect(reasons.find((r) => r.ruleId === 'R-CMP-2')?.message).toMatch(/complaints process/);
    const recorded = accept(withBudget(), challenge());
    expect(recorded.context.budgetChallenges).toEqual([
      { challengeId: 'ch-1', budget: 'indicative', raisedAt: roadDay(4, 12), response: 'declined' },
    ]);
    // There is no personal budget to challenge before sign-off, and no budget at all before the RAS.
    expectRefused(withBudget(), challenge({ budget: 'personal' }), 'R-CMP-2');
    expectRefused(upTo(road, 'TRIAGED'), challenge(), 'R-CMP-2');
  });

  it('R-CMP-2: the adjudication panel is offered only on a recorded challenge, after the group manager spoke to the complaints manager', () => {
    expectRefused(withBudget(), panel('2026-03-11'), 'R-CMP-2');
    const recorded = accept(withBudget(), challenge());
    const reasons = expectRefused(recorded, panel(), 'R-CMP-2');
    expect(reasons.find((r) => r.ruleId === 'R-CMP-2')?.message).toMatch(/complaints manager/);
    const offered = accept(recorded, panel('2026-03-11'));
    expect(offered.context.budgetChallenges[0]?.panelOfferedAt).toBe(roadDay(10));
  });
});

describe('rules edition: a journey started before edition 2 keeps the rules it was accepted under', () => {
  const editionOne = () => initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 1 })[0];

  it('R-EMG-3 / R-REV-12: an edition-1 journey accepts set-up without approval and sets no clock after a reassessment review', () => {
    const emergency = run(editionOne(), [
      referral(roadDay(0), 'ref-e1', { urgency: 'emergency' }),
      ev('TRIAGED', roadDay(0, 11), { route: 'emergencyInterimSupport', reason: 'emergency' }),
    ]).snapshot;
    expect(
      checkEvent(emergency, ev('INTERIM_SUPPORT_STARTED', roadDay(0, 12), { services: ['care'] })).allowed,
    ).toBe(true);
    const started = run(editionOne(), road).snapshot;
    const reassessing = accept(started, review(roadDay(50), { outcome: 'reassessment' }));
    expect(
      reassessing.context.deadlines.filter((d) => d.kind === 'annualReview' || d.kind === 'reassessment'),
    ).toEqual([]);
    // The same event on an edition-2 journey keeps the review clock running (R-REV-12).
    const now = accept(live(), review(roadDay(50), { outcome: 'reassessment' }));
    expect(onlyDeadline(now, 'reassessment').status).toBe('due');
    // Edition 1 still records stopped payments on the case record, as its histories did.
    const { effects } = step(
      started,
      ev('PERSON_DIED', roadDay(30), { dateOfDeath: roadDay(30).slice(0, 10) }),
    );
    expect(effects).toEqual([expect.objectContaining({ type: 'stopPayments', reason: 'death' })]);
  });
});
