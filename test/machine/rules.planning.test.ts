/** JOURNEY.md "Care and support planning" (R-PLN-1..5) and sign-off (R-SGN-1..3). */
import { checkEvent } from '../../machines/checkEvent';
import { describeJourney } from '../../machines/describeJourney';
import type { EventOf, Plan } from '../../machines/events';
import { derbyshire, lancashire } from '../../machines/policyProfile';
import { policyProfileSchema } from '../../machines/policyProfileSchema';
import {
  completePlan,
  directPaymentPlan,
  ev,
  manager,
  pathToActivation,
  practitioner,
  reviewNotice,
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
const signOff = road.find((e) => e.type === 'PLAN_SIGNED_OFF') as EventOf<'PLAN_SIGNED_OFF'>;
type SignOff = Omit<EventOf<'PLAN_SIGNED_OFF'>, 'type' | 'eventId' | 'occurredAt' | 'actor'>;

const planning = (): Snapshot => journeyThrough('PLANNING_STARTED');
const submit = (plan: Plan, day = 6) => ev('PLAN_SUBMITTED', at(day), { plan });
const withPlan = (plan: Plan): Snapshot => accept(planning(), submit(plan));
const signOffWith = (overrides: Partial<SignOff> = {}, actor = practitioner) =>
  ev('PLAN_SIGNED_OFF', at(7), { ...payloadOf(signOff), ...overrides }, { actor });
/** A sign-off whose costing follows R-PB-3 for the given budget (with the R-PB-2 reason). */
const budgetOf = (amount: number): Partial<SignOff> => ({
  finalBudget: amount,
  costing: { reasonableCost: amount, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
  mismatchReason: 'costed plan differs from the RAS',
});

describe('R-PLN-1 who prepares the plan; the council validates a plan it did not prepare', () => {
  const personPlanning = (): Snapshot => {
    const events = road.map((e) =>
      e.type === 'PLANNING_STARTED' ? { ...e, preparedBy: 'person' as const } : e,
    );
    return run(newJourney(), events.slice(0, events.findIndex((e) => e.type === 'PLAN_SUBMITTED') + 1))
      .snapshot;
  };

  it('R-PLN-1: a plan prepared by the person is signed off only after the council validates it', () => {
    const submitted = personPlanning();
    expect(submitted.context.planning?.preparedBy).toBe('person');
    const reasons = expectRefused(submitted, signOff, 'R-PLN-1');
    expect(reasons.find((r) => r.ruleId === 'R-PLN-1')?.message).toMatch(/validated/);
    const validated = accept(submitted, ev('PLAN_VALIDATED', at(6, 15), {}));
    expect(validated.context.planning?.validatedAt).toBe(at(6, 15));
    expect(stageValue(accept(validated, signOff))).toBe('setUp');
  });

  it('R-PLN-1: a changed plan must be validated again', () => {
    const validated = accept(personPlanning(), ev('PLAN_VALIDATED', at(6, 15), {}));
    const changed = accept(validated, submit(completePlan({ risks: 'updated risk plan' }), 6.5));
    expect(changed.context.planning?.validatedAt).toBeUndefined();
    expectRefused(changed, signOff, 'R-PLN-1');
  });

  it('R-PLN-1: there is nothing to validate before a plan is submitted; a worker’s plan needs no validation', () => {
    expectRefused(planning(), ev('PLAN_VALIDATED', at(6), {}), 'R-PLN-1');
    expect(stageValue(accept(withPlan(completePlan()), signOff))).toBe('setUp');
  });
});

describe('R-PLN-2 budget management options', () => {
  it('R-PLN-2: direct payment details need the direct payment option', () => {
    const inconsistent = completePlan({
      budgetManagement: ['councilManaged'],
      directPayment: { needsMet: ['personal care'], amount: 50, frequency: 'weekly', purchases: [] },
    });
    expectRefused(planning(), submit(inconsistent), 'R-PLN-2');
  });

  it('R-PLN-2: a combination of options is a plan like any other', () => {
    const combined = completePlan({
      budgetManagement: ['directPayment', 'councilManaged'],
      directPayment: { needsMet: ['social participation'], amount: 40, frequency: 'weekly', purchases: [] },
    });
    const signed = accept(withPlan(combined), signOff);
    expect(signed.context.plan?.budgetManagement).toEqual(['directPayment', 'councilManaged']);
  });

  it('R-PLN-2: a direct payment agreement is only for a plan with a direct payment', () => {
    const setUp = journeyThrough('PLAN_SIGNED_OFF');
    expectRefused(setUp, ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', at(8), { signedOn: '2026-03-10' }), 'R-PLN-2');
  });
});

describe('R-PLN-3 a plan cannot be signed off while any required element is missing', () => {
  it('R-PLN-3: sign-off is refused listing EVERY missing element', () => {
    const bare = withPlan({ budgetManagement: ['directPayment'], directPayment: { purchases: [] } });
    const reasons = expectRefused(bare, signOff, 'R-PLN-3');
    const missing = reasons.filter((r) => r.ruleId === 'R-PLN-3');
    // Issue 11: each names its field in PLAN_SUBMITTED's plan, and the fix.
    expect(missing.map((r) => [r.field, r.message.split(' (plan.')[0]])).toEqual([
      ['plan.needsAndOutcomes', 'the plan is missing the needs and outcomes'],
      ['plan.eligibleNeeds', 'the plan is missing the eligible needs'],
      ['plan.ineligibleNeeds', 'the plan is missing the ineligible needs'],
      ['plan.informationAndAdvice', 'the plan is missing information and advice to reduce or prevent needs'],
      [
        'plan.ownResourcesAndNetwork',
        "the plan is missing what the person's own resources and network will meet",
      ],
      ['plan.councilWillMeet', 'the plan is missing what the council will meet and how'],
      ['plan.personalBudget', 'the plan is missing the personal budget'],
      ['plan.directPayment.needsMet', 'the plan is missing the needs the direct payment meets'],
      ['plan.directPayment.amount', 'the plan is missing the amount of the direct payment'],
      ['plan.directPayment.frequency', 'the plan is missing the frequency of the direct payment'],
      ['plan.risks', 'the plan is missing how risks are managed'],
      ['plan.contingencyPlan', 'the plan is missing a contingency plan'],
      ['plan.stayingInControl', 'the plan is missing how the person stays in control'],
      [
        'plan.optionsConsidered',
        'the plan is missing the options considered, including those rejected, with reasons',
      ],
    ]);
    for (const r of missing) {
      expect(r.message).toContain(`(${r.field}): submit the plan again with it (PLAN_SUBMITTED)`);
      expect(r.accepted).toBe(`PLAN_SUBMITTED with ${r.field} filled in`);
    }
  });

  // Each element on its own: remove it from a complete plan and sign-off names exactly that.
  const elements: [keyof Plan | 'rejectedOption', string][] = [
    ['needsAndOutcomes', 'the needs and outcomes'],
    ['eligibleNeeds', 'the eligible needs'],
    ['ineligibleNeeds', 'the ineligible needs'],
    ['informationAndAdvice', 'information and advice'],
    ['ownResourcesAndNetwork', 'own resources and network'],
    ['councilWillMeet', 'what the council will meet'],
    ['personalBudget', 'the personal budget'],
    ['risks', 'how risks are managed'],
    ['contingencyPlan', 'a contingency plan'],
    ['stayingInControl', 'stays in control'],
    ['rejectedOption', 'including those rejected'],
  ];
  it.each(elements)('R-PLN-3: a plan without %s cannot be signed off', (element, words) => {
    const plan =
      element === 'rejectedOption'
        ? completePlan({
            optionsConsidered: [{ option: 'Home care', chosen: true, reason: 'only option looked at' }],
          })
        : completePlan({ [element]: undefined });
    const reasons = expectRefused(withPlan(plan), signOff, 'R-PLN-3');
    expect(reasons.filter((r) => r.ruleId === 'R-PLN-3')).toEqual([
      {
        ruleId: 'R-PLN-3',
        message: expect.stringContaining(words),
        field: `plan.${element === 'rejectedOption' ? 'optionsConsidered' : element}`,
        accepted: expect.stringContaining('PLAN_SUBMITTED'),
      },
    ]);
  });

  it('R-PLN-3: no plan submitted at all is named too; a complete plan is signed off', () => {
    const reasons = expectRefused(planning(), signOff, 'R-PLN-3');
    expect(reasons[0]?.message).toMatch(/no plan has been submitted/);
    expect(stageValue(accept(withPlan(completePlan()), signOff))).toBe('setUp');
  });

  it('R-PLN-3: "no ineligible needs" (an empty list) is an answer, not a missing element', () => {
    expect(stageValue(accept(withPlan(completePlan({ ineligibleNeeds: [] })), signOff))).toBe('setUp');
  });
});

describe('R-PLN-4 what a direct payment cannot buy', () => {
  it.each([
    ['longTermResidential', 'long-term residential care'],
    ['healthcare', 'healthcare'],
    ['unlawful', 'anything unlawful'],
  ] as const)('R-PLN-4: a direct payment cannot buy %s, even marked exceptional', (category, words) => {
    const plan = directPaymentPlan([{ description: 'x', category, exceptional: { reason: 'family asked' } }]);
    const reasons = expectRefused(planning(), submit(plan), 'R-PLN-4');
    expect(reasons.find((r) => r.ruleId === 'R-PLN-4')?.message).toContain(words);
  });

  it.each([
    ['familyMemberInHousehold', 'spouse, partner or close relative'],
    ['councilService', 'services from a council'],
    ['equipment', 'equipment'],
  ] as const)('R-PLN-4: %s is refused unless marked exceptional with a reason', (category, words) => {
    const plain = directPaymentPlan([{ description: 'paid help', category }]);
    const reasons = expectRefused(planning(), submit(plain), 'R-PLN-4');
    expect(reasons.find((r) => r.ruleId === 'R-PLN-4')?.message).toContain(words);
    // A blank reason is not a reason: the event is malformed.
    const blank = directPaymentPlan([{ description: 'paid help', category, exceptional: { reason: ' ' } }]);
    const check = checkEvent(planning(), submit(blank));
    expect(check.allowed).toBe(false);
    expect(JSON.stringify(check)).toMatch(/plan\.directPayment\.purchases\.0\.exceptional\.reason/);
    const exceptional = directPaymentPlan([
      {
        description: 'paid help',
        category,
        exceptional: { reason: 'no other carer available in a rural area' },
      },
    ]);
    const submitted = accept(planning(), submit(exceptional));
    expect(submitted.context.plan?.directPayment?.purchases[0]?.exceptional?.reason).toMatch(/rural/);
    expect(stageValue(accept(submitted, signOff))).toBe('setUp');
  });

  it('R-PLN-4: short residential stays of up to 4 weeks, at least 4 weeks apart, are allowed', () => {
    const stay = (lengthWeeks: number, weeksSincePreviousStay?: number) =>
      directPaymentPlan([
        {
          description: 'respite',
          category: 'shortStayResidential',
          shortStay: { lengthWeeks, weeksSincePreviousStay },
        },
      ]);
    expect(checkEvent(planning(), submit(stay(4, 4))).allowed).toBe(true);
    expect(checkEvent(planning(), submit(stay(2))).allowed).toBe(true);
    expectRefused(planning(), submit(stay(5, 10)), 'R-PLN-4');
    expectRefused(planning(), submit(stay(2, 3)), 'R-PLN-4');
    expectRefused(
      planning(),
      submit(directPaymentPlan([{ description: 'respite', category: 'shortStayResidential' }])),
      'R-PLN-4',
    );
  });

  it('R-PLN-4: a plan revised at review is held to the same limits', () => {
    const live = run(newJourney(), road).snapshot;
    const review = (revisedPlan: Plan) =>
      ev('REVIEW_COMPLETED', at(50), {
        // R-REV-11: a Derbyshire first review is formal and face to face
        reviewType: 'formal',
        notice: reviewNotice(at(50)),
        outcome: 'planRevised',
        eligibilityRedetermined: true,
        contingencyPlanReviewed: true,
        indicators: {
          serviceOnlyFewMonthsOld: false,
          needsLikelyToChange: false,
          newProviderWithoutTrackRecord: false,
          severalProvidersToCoordinate: false,
        },
        revisedPlan,
      });
    // A council-managed plan revised to a direct payment: finance is contacted first (R-REV-7 is about
    // the plan being reviewed, which here is council-managed).
    expectRefused(
      live,
      review(directPaymentPlan([{ description: 'care home', category: 'longTermResidential' }])),
      'R-PLN-4',
    );
    expect(
      checkEvent(live, review(directPaymentPlan([{ description: 'PA', category: 'personalAssistant' }])))
        .allowed,
    ).toBe(true);
  });
});

describe('R-PLN-5 planning in a timely fashion: the profile says when a case is stuck', () => {
  it('R-PLN-5: the profile sets how long a plan may stay in planning (Derbyshire 28 days) and is valid data', () => {
    expect(derbyshire.stuckAfterDays.stage.planning).toBe(28);
    expect(lancashire.stuckAfterDays.stage.planning).toBe(28);
    expect(policyProfileSchema.safeParse(derbyshire).success).toBe(true);
    expect(
      policyProfileSchema.safeParse({
        ...derbyshire,
        stuckAfterDays: { ...derbyshire.stuckAfterDays, stage: { planning: 0 } },
      }).success,
    ).toBe(false);
  });

  it('R-PLN-5: the planning clock starts when planning starts and is not reset by draft plans or validation', () => {
    // The stuck instant is stageEnteredAt + stuckAfterDays.stage[stage]; the machine supplies the
    // entry time (describeJourney) and the snapshot's profile the number of days.
    const started = planning();
    const startedAt = at(5);
    expect(describeJourney(started)).toMatchObject({ stage: 'planning', stageEnteredAt: startedAt });
    const busy = run(started, [
      submit(completePlan({ risks: 'draft 1' }), 6),
      ev('DISPUTE_RAISED', at(8), { reasons: ['wants more hours'] }),
      submit(completePlan({ risks: 'draft 2' }), 9),
      ev('PLAN_VALIDATED', at(10), {}),
    ]).snapshot;
    expect(describeJourney(busy).stageEnteredAt).toBe(startedAt);
    expect(busy.context.profile.stuckAfterDays.stage.planning).toBe(28);
    // Leaving planning moves the clock to the next stage.
    const signed = accept(busy, { ...signOff, occurredAt: at(11) });
    expect(describeJourney(signed)).toMatchObject({ stage: 'setUp', stageEnteredAt: at(11) });
  });
});

describe('R-SGN-1 who signs off; the delegation limit', () => {
  /**
   * Planning with an indicative budget of `amount` and a plan written for it, so that only the
   * delegation limit is in question (spending above the indicative budget is R-SGN-4's, and a plan
   * that disagrees with the budget signed off R-SGN-5's).
   */
  const planFor = (amount: number, profile = derbyshire): Snapshot => {
    const events = road
      .slice(0, road.findIndex((e) => e.type === 'PLANNING_STARTED') + 1)
      .map((e) => (e.type === 'INDICATIVE_BUDGET_CALCULATED' ? { ...e, amount } : e));
    return accept(
      run(newJourney({ profile }), events).snapshot,
      submit(completePlan({ personalBudget: amount })),
    );
  };
  const exactly = (amount: number): Partial<SignOff> => ({ ...budgetOf(amount), mismatchReason: undefined });

  it('R-SGN-1: a budget above the delegation limit (Derbyshire £25,000) needs the authoriser role (manager)', () => {
    const reasons = expectRefused(planFor(30_000), signOffWith(exactly(30_000), practitioner), 'R-SGN-1');
    expect(reasons.find((r) => r.ruleId === 'R-SGN-1')?.message).toMatch(
      /£30000.00 is above the delegation limit of £25000.00: it needs sign-off by a manager/,
    );
    const signed = accept(planFor(30_000), signOffWith(exactly(30_000), manager));
    expect(signed.context.signOff?.by).toEqual(manager);
    // At the limit, a practitioner may sign off.
    expect(checkEvent(planFor(25_000), signOffWith(exactly(25_000), practitioner)).allowed).toBe(true);
  });

  it('R-SGN-1: the limit is tested on the whole cost of the package, not what is left after the contribution', () => {
    // £48,000 of care, £38,640 of it paid by the person: a large allocation whoever pays.
    const plan = planFor(9_360);
    const costing = {
      reasonableCost: 48_000,
      assessedContribution: 38_640,
      otherFunding: 0,
      s117Aftercare: false,
    };
    const net = { finalBudget: 9_360, costing };
    const reasons = expectRefused(plan, signOffWith(net, practitioner), 'R-SGN-1');
    expect(reasons.find((r) => r.ruleId === 'R-SGN-1')?.message).toMatch(/package costing £48000.00/);
    expect(checkEvent(plan, signOffWith(net, manager)).allowed).toBe(true);
  });

  it('R-SGN-1: a team’s own delegation limit applies to that team', () => {
    const profile = {
      ...derbyshire,
      signOff: { ...derbyshire.signOff, teamDelegationLimits: { north: 10_000 } },
    };
    const teamPlanning = planFor(12_000, profile);
    expect(teamPlanning.context.team).toBe('north');
    expectRefused(teamPlanning, signOffWith(exactly(12_000), practitioner), 'R-SGN-1');
    expect(checkEvent(teamPlanning, signOffWith(exactly(12_000), manager)).allowed).toBe(true);
  });

  it('R-SGN-1: the Lancashire profile’s limit (£20,000) applies without any code change', () => {
    expectRefused(planFor(22_000, lancashire), signOffWith(exactly(22_000), practitioner), 'R-SGN-1');
    expect(checkEvent(planFor(22_000), signOffWith(exactly(22_000), practitioner)).allowed).toBe(true);
  });

  it('R-SGN-1: the person must agree the plan (or the dispute is recorded, R-SGN-2)', () => {
    const notAgreed = signOffWith({ agreedBy: { person: false, workerId: 'worker.ann' } });
    const reasons = expectRefused(withPlan(completePlan()), notAgreed, 'R-SGN-1');
    expect(reasons.find((r) => r.ruleId === 'R-SGN-1')?.message).toMatch(/has not agreed/);
  });

  it('R-SGN-1: an auditor cannot sign off (nor change anything)', () => {
    expectRefused(withPlan(completePlan()), signOffWith({}, { userId: 'audit', role: 'auditor' }), undefined);
  });
});

describe('R-SGN-2 a dispute: planning revisited, then signed off with the reasons recorded', () => {
  const dispute = {
    reasons: ['wants a larger budget'],
    directedToComplaints: true,
    supportMeanwhile: 'existing home care continues',
  };

  it('R-SGN-2: signing off with a dispute needs the dispute raised first', () => {
    const notRaised = signOffWith({ agreedBy: { person: false, workerId: 'w' }, withDispute: dispute });
    const reasons = expectRefused(withPlan(completePlan()), notRaised, 'R-SGN-2');
    expect(reasons.find((r) => r.ruleId === 'R-SGN-2')?.message).toMatch(/dispute raised first/);
  });

  it('R-SGN-2: the person must be directed to the complaints procedure', () => {
    const raised = accept(
      withPlan(completePlan()),
      ev('DISPUTE_RAISED', at(6, 14), { reasons: ['budget too low'] }),
    );
    expect(raised.context.planning?.dispute).toEqual({ reasons: ['budget too low'], raisedAt: at(6, 14) });
    expect(stageValue(raised)).toBe('planning'); // planning is revisited, not abandoned
    const notDirected = signOffWith({
      agreedBy: { person: false, workerId: 'w' },
      withDispute: { ...dispute, directedToComplaints: false },
    });
    expectRefused(raised, notDirected, 'R-SGN-2');
    const signed = accept(
      raised,
      signOffWith({ agreedBy: { person: false, workerId: 'w' }, withDispute: dispute }),
    );
    expect(stageValue(signed)).toBe('setUp');
    expect(signed.context.signOff?.withDispute).toEqual({
      reasons: ['wants a larger budget'],
      supportMeanwhile: 'existing home care continues',
    });
  });

  it('R-SGN-2: the person is not left without support meanwhile — that support must be stated', () => {
    const raised = accept(
      withPlan(completePlan()),
      ev('DISPUTE_RAISED', at(6, 14), { reasons: ['budget too low'] }),
    );
    const { supportMeanwhile: _omitted, ...withoutSupport } = dispute;
    const check = checkEvent(raised, {
      ...signOffWith({ agreedBy: { person: false, workerId: 'w' } }),
      withDispute: withoutSupport,
    });
    expect(check.allowed).toBe(false);
    expect(JSON.stringify(check)).toMatch(/withDispute\.supportMeanwhile/);
  });
});

describe('R-SGN-3 a copy of the final plan, in an accessible format', () => {
  it('R-SGN-3: the plan copy goes to the person, anyone they ask, and their advocate', () => {
    const events = road.slice(0, road.findIndex((e) => e.type === 'PLAN_SUBMITTED') + 1);
    const withAdvocate = run(newJourney(), [
      ...events,
      ev('ADVOCATE_ARRANGED', at(6, 12), { advocateId: 'advocate-9' }),
    ]).snapshot;
    const { snapshot, effects } = step(
      withAdvocate,
      signOffWith({
        copyTo: ['daughter', 'person-1'],
        accessibleFormat: 'easy read',
        agreedBy: { person: true, advocate: 'advocate-9', workerId: 'worker.ann' },
      }),
    );
    expect(stageValue(snapshot)).toBe('setUp');
    expect(effects).toEqual([
      {
        type: 'sendLetter',
        letterId: expect.stringContaining(':planCopy'),
        letter: 'planCopy',
        personId: 'person-1',
        recipients: ['person-1', 'daughter', 'advocate-9'],
        ruleId: 'R-SGN-3',
        data: { accessibleFormat: 'easy read', personalBudget: 9360, plan: withAdvocate.context.plan },
      },
    ]);
  });

  it('R-SGN-3: the accessible format is part of the sign-off (missing → malformed)', () => {
    const { accessibleFormat: _omitted, ...noFormat } = signOff;
    const check = checkEvent(withPlan(completePlan()), noFormat);
    expect(check.allowed).toBe(false);
    expect(JSON.stringify(check)).toMatch(/accessibleFormat/);
  });
});
