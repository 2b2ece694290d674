/** JOURNEY.md "Indicative budget" (R-IB-1..3) and "Personal budget" (R-PB-1..3). */
import { checkEvent } from '../../machines/checkEvent';
import type { EventOf } from '../../machines/events';
import {
  completePlan,
  ev,
  manager,
  noIndicators,
  pathToActivation,
  referral,
  reviewNotice,
  system,
} from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyThrough,
  newJourney,
  payloadOf,
  run,
  stageValue,
  step,
  type Snapshot,
  ROAD_START,
  roadDay,
} from './journeyHarness';

const T = ROAD_START;
const at = roadDay;
const road = pathToActivation(T);
const byType = (type: string) => road.find((e) => e.type === type);

const completion = byType('ASSESSMENT_COMPLETED') as EventOf<'ASSESSMENT_COMPLETED'>;
const planningStarted = byType('PLANNING_STARTED') as EventOf<'PLANNING_STARTED'>;
const signOff = byType('PLAN_SIGNED_OFF') as EventOf<'PLAN_SIGNED_OFF'>;

type SignOff = Omit<EventOf<'PLAN_SIGNED_OFF'>, 'type' | 'eventId' | 'occurredAt' | 'actor'>;
/** A sign-off where the budget follows R-PB-3 from the given reasonable cost. */
/** The ordinary road up to a plan written for this personal budget (R-SGN-5: the two agree). */
const planWrittenFor = (personalBudget: number): Snapshot =>
  accept(
    journeyThrough('PLAN_SUBMITTED'),
    ev('PLAN_SUBMITTED', at(6, 12), { plan: completePlan({ personalBudget }) }),
  );

const signOffFor = (reasonableCost: number, overrides: Partial<SignOff> = {}, actor = signOff.actor) =>
  ev(
    'PLAN_SIGNED_OFF',
    at(7),
    {
      ...payloadOf(signOff),
      finalBudget: reasonableCost,
      costing: { reasonableCost, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
      ...overrides,
    },
    { actor },
  );

describe('R-IB-1 an indicative budget only after the universal offer, only for unmet eligible needs', () => {
  /** Emergency route: assessment in progress without the universal offer having been given. */
  function emergencyAssessment(): Snapshot {
    return run(newJourney(), [
      referral(T, 'r1', { urgency: 'emergency' }),
      ev('TRIAGED', at(0, 11), { route: 'emergencyInterimSupport', reason: 'emergency' }),
      ev('INTERIM_SUPPORT_STARTED', at(0, 12), {
        services: ['home care'],
        managerApproval: { managerId: 'manager.bob' },
        caseNotesCompleted: true,
      }),
      ev('ASSESSMENT_STARTED', at(1), {}),
      ev('CONSENT_RECORDED', at(1), { consentGiven: true }),
    ]).snapshot;
  }

  it('R-IB-1: no indicative budget is worked out before universal and preventative options are applied', () => {
    const reasons = expectRefused(emergencyAssessment(), completion, 'R-IB-1');
    expect(reasons.find((r) => r.ruleId === 'R-IB-1')?.message).toMatch(/universal and preventative options/);
    const offered = accept(
      emergencyAssessment(),
      ev('UNIVERSAL_OFFER_GIVEN', at(2), {
        informationAndAdvice: ['advice'],
        signposting: [],
        prevention: ['telecare'],
      }),
    );
    expect(stageValue(accept(offered, completion))).toEqual({ indicativeBudget: 'calculating' });
  });

  it('R-IB-1: the RAS is asked about the unmet eligible needs only', () => {
    const ready = journeyThrough('ORDINARY_RESIDENCE_ESTABLISHED');
    const { effects } = step(ready, {
      ...completion,
      unmetEligibleNeeds: [{ need: 'personal care', points: 60 }], // social participation met by family
    });
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'calculateIndicativeBudget',
        personId: 'person-1',
        unmetEligibleNeeds: [{ need: 'personal care', points: 60 }],
      }),
      // edition 4 (R-ASM-5): the eligibility decision in writing, with the needs the council meets
      expect.objectContaining({
        type: 'sendLetter',
        letter: 'decisionLetter',
        data: expect.objectContaining({ unmetEligibleNeeds: ['personal care'] }),
      }),
    ]);
  });
});

describe('R-IB-2 the RAS: assessed needs (equipment considered), moderated by informal support; pluggable', () => {
  it('R-IB-2: the machine asks the council’s RAS with needs, informal support and equipment, and records the answer as given', () => {
    const ready = journeyThrough('ORDINARY_RESIDENCE_ESTABLISHED');
    const { snapshot, effects } = step(ready, {
      ...completion,
      informalSupport: 'substantial',
      equipmentConsidered: true,
    });
    expect(effects[0]).toMatchObject({
      type: 'calculateIndicativeBudget',
      informalSupport: 'substantial',
      equipmentConsidered: true,
      requestId: expect.stringContaining(`${completion.eventId}:ras`),
    });
    // The council's own calculation (whatever its formula) is what the journey records.
    const calculated = accept(
      snapshot,
      ev(
        'INDICATIVE_BUDGET_CALCULATED',
        at(3, 12),
        { amount: 1234.56, basis: 'Lancashire RAS v2' },
        { actor: system },
      ),
    );
    expect(calculated.context.indicativeBudget).toEqual({
      amount: 1234.56,
      basis: 'Lancashire RAS v2',
      calculatedAt: at(3, 12),
    });
    expect(stageValue(calculated)).toEqual({ indicativeBudget: 'calculated' });
  });

  it('R-IB-2: an RAS answer is not accepted when nothing asked for one', () => {
    expectRefused(
      journeyThrough('ORDINARY_RESIDENCE_ESTABLISHED'),
      ev('INDICATIVE_BUDGET_CALCULATED', at(3), { amount: 100, basis: 'x' }, { actor: system }),
      undefined,
    );
  });
});

describe('R-IB-3 the indicative budget is shared before planning starts', () => {
  it('R-IB-3: planning cannot start while the budget is being calculated or before it is shared', () => {
    const calculating = journeyThrough('ASSESSMENT_COMPLETED');
    const calculated = journeyThrough('INDICATIVE_BUDGET_CALCULATED');
    for (const snapshot of [calculating, calculated]) {
      // The refusal names R-IB-3 and says where the journey is.
      const reasons = expectRefused(snapshot, planningStarted, 'R-IB-3');
      expect(reasons[0]).toEqual({
        ruleId: 'R-IB-3',
        message: 'the indicative budget must be shared with the person before planning starts',
      });
      expect(reasons.at(-1)?.message).toMatch(/PLANNING_STARTED is not allowed .*Indicative budget/);
    }
    const shared = accept(
      calculated,
      byType('INDICATIVE_BUDGET_SHARED') as EventOf<'INDICATIVE_BUDGET_SHARED'>,
    );
    expect(shared.context.indicativeBudget?.sharedAt).toBe(at(4));
    expect(stageValue(accept(shared, planningStarted))).toBe('planning');
  });

  it('R-IB-3: after a reassessment, the NEW indicative budget must be shared before planning starts again', () => {
    const live = run(newJourney(), road).snapshot;
    const reassessing = run(live, [
      ev('REVIEW_COMPLETED', at(50), {
        reviewType: 'formal',
        outcome: 'reassessment',
        eligibilityRedetermined: true,
        contingencyPlanReviewed: true,
        indicators: noIndicators,
        notice: reviewNotice(at(50)),
      }),
      ev('REASSESSMENT_COMPLETED', at(55), {
        outcome: 'revisePlan',
        reasons: 'needs have increased',
        unmetEligibleNeeds: [{ need: 'personal care', points: 80 }],
        informalSupport: 'none',
        thirdPartySources: [],
      }),
    ]).snapshot;
    expect(stageValue(reassessing)).toEqual({ indicativeBudget: 'calculating' });
    // The old budget was shared, but that does not let planning start on the new one.
    expect(reassessing.context.indicativeBudget?.sharedAt).toBeDefined();
    expect(checkEvent(reassessing, { ...planningStarted, occurredAt: at(56) }).allowed).toBe(false);
    const recalculated = accept(
      reassessing,
      ev('INDICATIVE_BUDGET_CALCULATED', at(56), { amount: 12_000, basis: 'RAS' }, { actor: system }),
    );
    expect(recalculated.context.indicativeBudget?.sharedAt).toBeUndefined();
    expect(checkEvent(recalculated, { ...planningStarted, occurredAt: at(57) }).allowed).toBe(false);
  });
});

describe('R-PB-1 the personal budget is confirmed only at sign-off', () => {
  it('R-PB-1: a plan’s proposed budget is not the personal budget until sign-off', () => {
    const submitted = journeyThrough('PLAN_SUBMITTED');
    expect(submitted.context.plan?.personalBudget).toBe(9360);
    expect(submitted.context.personalBudget).toBeUndefined();
    const signed = accept(submitted, signOff);
    expect(signed.context.personalBudget).toBe(9360);
    expect(signed.context.signOff).toMatchObject({ finalBudget: 9360, at: at(7), by: signOff.actor });
  });
});

describe('R-PB-2 a final budget different from the indicative one needs a recorded reason', () => {
  it('R-PB-2: a different final budget without a reason is refused; with one it is accepted and recorded', () => {
    const submitted = planWrittenFor(8000);
    const reasons = expectRefused(submitted, signOffFor(8000), 'R-PB-2');
    expect(reasons.find((r) => r.ruleId === 'R-PB-2')?.message).toMatch(
      /final budget \(£8000.00\) differs from the indicative budget \(£9360.00\)/,
    );
    // Issue 11: the refusal names the field and the fix, not only "record the reason".
    expect(reasons.find((r) => r.ruleId === 'R-PB-2')).toMatchObject({
      field: 'mismatchReason',
      message: expect.stringContaining('record why in mismatchReason'),
      accepted: expect.stringContaining('why the final budget differs'),
    });
    // When the actual cost is lower, the lower figure is the personal budget (LAN §3.2).
    const signed = accept(
      submitted,
      signOffFor(8000, { mismatchReason: 'agency cheaper than the RAS assumed' }),
    );
    expect(signed.context.personalBudget).toBe(8000);
    expect(signed.context.signOff?.mismatchReason).toBe('agency cheaper than the RAS assumed');
  });

  it('R-PB-2: the same budget needs no reason (to the penny)', () => {
    expect(stageValue(accept(journeyThrough('PLAN_SUBMITTED'), signOffFor(9360.001)))).toBe('setUp');
  });
});

describe('R-PB-3 personal budget = reasonable cost − assessed contribution − other funding; s117 is free', () => {
  const costed = (
    finalBudget: number,
    costing: SignOff['costing'],
    extra: Partial<SignOff> = {},
    actor = signOff.actor,
  ) =>
    signOffFor(
      costing.reasonableCost,
      { finalBudget, costing, mismatchReason: 'costed plan', ...extra },
      actor,
    );

  it('R-PB-3: the final budget must equal the reasonable cost less the contribution and other funding', () => {
    const submitted = planWrittenFor(10_000);
    const costing = {
      reasonableCost: 12_000,
      assessedContribution: 1_500,
      otherFunding: 500,
      s117Aftercare: false,
    };
    const reasons = expectRefused(submitted, costed(12_000, costing), 'R-PB-3');
    expect(reasons.find((r) => r.ruleId === 'R-PB-3')?.message).toMatch(/£10000.00, not £12000.00/);
    // Above the indicative £9,360, so a manager signs it off (R-SGN-4).
    expect(accept(submitted, costed(10_000, costing, {}, manager)).context.personalBudget).toBe(10_000);
  });

  it('R-PB-3: s117 Mental Health Act aftercare is free — no assessed contribution', () => {
    const submitted = journeyThrough('PLAN_SUBMITTED');
    const charged = {
      reasonableCost: 9_360,
      assessedContribution: 600,
      otherFunding: 0,
      s117Aftercare: true,
    };
    const reasons = expectRefused(submitted, costed(8_760, charged), 'R-PB-3');
    expect(reasons.map((r) => r.message).join(' ')).toMatch(/s117/);
    const free = { ...charged, assessedContribution: 0 };
    expect(stageValue(accept(submitted, costed(9_360, free)))).toBe('setUp');
  });

  it('R-PB-3: the plan must carry its personal budget (R-PLN-3) before the costing is looked at', () => {
    const submitted = accept(
      journeyThrough('PLAN_SUBMITTED'),
      ev('PLAN_SUBMITTED', at(6, 12), { plan: completePlan({ personalBudget: undefined }) }),
    );
    expectRefused(submitted, signOff, 'R-PLN-3');
  });
});
