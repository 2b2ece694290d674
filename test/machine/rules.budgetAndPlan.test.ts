/**
 * Budgets and the plan, as JOURNEY.md added or amended them on 2026-12-07: reablement left out of
 * the personal budget (R-PB-4), section 117 aftercare commissioned and changed only after the
 * health team is consulted (R-PB-5), the direct payment offer recorded in the plan (R-PLN-2), the
 * plan checklist the council's own, at sign-off and at review (R-PLN-3), and the carer's plan
 * contents the council requires (R-PLN-6). Each new refusal is rules edition 5's: a journey judged
 * by edition 4 is held to what it was held to before.
 */
import { initialTransition } from 'xstate';
import type { EventOf, JourneyEvent, Plan } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { personalBudgetFrom } from '../../machines/personalBudget';
import { commonPlanChecklist } from '../../machines/planChecklist';
import { derbyCity, derbyshire, lancashire, type PolicyProfile } from '../../machines/policyProfile';
import { completePlan, directPaymentPlan, ev, pathToActivation, reviewWith } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyInput,
  newJourney,
  roadDay,
  run,
  ROAD_START,
  stageValue,
  type Snapshot,
} from './journeyHarness';

type SignOff = EventOf<'PLAN_SIGNED_OFF'>;

const road = (directPayment = false) => pathToActivation(ROAD_START, { directPayment });
const before = (events: JourneyEvent[], type: string) =>
  events.slice(
    0,
    events.findIndex((e) => e.type === type),
  );
const signOffOf = (events: JourneyEvent[]) => events.find((e) => e.type === 'PLAN_SIGNED_OFF') as SignOff;
const activationOf = (events: JourneyEvent[]) =>
  events.find((e) => e.type === 'SERVICES_ACTIVATED') as EventOf<'SERVICES_ACTIVATED'>;

/** A journey started under this profile and (where given) an earlier edition of the rules. */
function start(
  options: { profile?: PolicyProfile; subject?: 'person' | 'carer'; rulesVersion?: number } = {},
) {
  const input = journeyInput({ profile: options.profile, subject: options.subject });
  return options.rulesVersion
    ? initialTransition(journeyMachine, { ...input, rulesVersion: options.rulesVersion })[0]
    : newJourney({ profile: options.profile, subject: options.subject });
}

/** The road to planning, then this plan submitted: ready for sign-off. */
function planned(
  plan: Plan,
  options: { profile?: PolicyProfile; rulesVersion?: number; carer?: boolean; directPayment?: boolean } = {},
): Snapshot {
  const events = road(options.directPayment).map((e) =>
    e.type === 'REFERRAL_RECEIVED' && options.carer ? { ...e, subject: 'carer' as const } : e,
  );
  const journey = start({
    profile: options.profile,
    subject: options.carer ? 'carer' : undefined,
    rulesVersion: options.rulesVersion,
  });
  return accept(
    run(journey, before(events, 'PLAN_SUBMITTED')).snapshot,
    ev('PLAN_SUBMITTED', roadDay(6), { plan }),
  );
}

const signOff = (overrides: Partial<Omit<SignOff, 'type' | 'eventId' | 'occurredAt' | 'actor'>> = {}) => {
  const { type: _t, eventId: _e, occurredAt: _o, actor: _a, ...payload } = signOffOf(road());
  return ev('PLAN_SIGNED_OFF', roadDay(7), { ...payload, ...overrides });
};

const fieldsOf = (reasons: { field?: string }[]) => reasons.map((r) => r.field);

describe('R-PB-4 reablement and enablement are excluded from any personal budget', () => {
  const costing = {
    reasonableCost: 10_400,
    assessedContribution: 0,
    otherFunding: 0,
    s117Aftercare: false,
    shortTermPreventativeCost: 1_040,
  };

  it('R-PB-4: the budget formula leaves the short-term preventative cost out, under either council’s formula', () => {
    expect(personalBudgetFrom(derbyshire, costing)).toBe(9_360);
    expect(personalBudgetFrom(lancashire, { ...costing, assessedContribution: 500 })).toBe(9_360);
    expect(personalBudgetFrom(derbyshire, { ...costing, assessedContribution: 500 })).toBe(8_860);
    expect(personalBudgetFrom(derbyshire, { ...costing, shortTermPreventativeCost: undefined })).toBe(10_400);
  });

  it('R-PB-4: a sign-off counting reablement in the personal budget is refused, naming finalBudget and the budget without it', () => {
    const journey = planned(completePlan());
    const counted = signOff({ finalBudget: 10_400, costing, mismatchReason: 'reablement included' });
    const reasons = expectRefused(journey, counted, 'R-PB-4');
    const pb4 = reasons.find((r) => r.ruleId === 'R-PB-4');
    expect(pb4).toMatchObject({ field: 'finalBudget', accepted: '9360.00' });
    expect(pb4?.message).toMatch(
      /costing\.shortTermPreventativeCost £1040\.00.*excluded from any personal budget/,
    );
    // The budget without it signs off: it is the indicative one, and the plan says it.
    expect(accept(journey, signOff({ finalBudget: 9_360, costing })).context.personalBudget).toBe(9_360);
  });

  it('R-PB-4: a short-term preventative cost above the reasonable cost it is part of is refused naming the field', () => {
    const reasons = expectRefused(
      planned(completePlan()),
      signOff({ costing: { ...costing, reasonableCost: 9_360, shortTermPreventativeCost: 9_400 } }),
      'R-PB-4',
    );
    expect(reasons.find((r) => r.field === 'costing.shortTermPreventativeCost')?.accepted).toMatch(
      /^at most 9360\.00/,
    );
  });
});

describe('R-PB-5 section 117 aftercare: health consulted before commissioning and before any change; no contribution', () => {
  const s117Road = (): JourneyEvent[] =>
    road().map((e) =>
      e.type === 'PLAN_SIGNED_OFF' ? { ...e, costing: { ...e.costing, s117Aftercare: true } } : e,
    );
  const consulted = (at: string, about: 'commissioning' | 'change' = 'commissioning') =>
    ev('AFTERCARE_HEALTH_CONSULTED', at, {
      consultedWith: 'Community Mental Health Team (north)',
      about,
      notes: 'Agreed the package and the shared funding',
    });
  const signedOff = (rulesVersion?: number) =>
    run(start({ rulesVersion }), before(s117Road(), 'SERVICES_ACTIVATED')).snapshot;
  /** Live support for s117 aftercare, consulted before services started on day 9. */
  const live = () => run(signedOff(), [consulted(roadDay(8)), activationOf(road())]).snapshot;
  const revised = (day: number) =>
    reviewWith(roadDay(day), { outcome: 'planRevised', revisedPlan: completePlan({ risks: 'revised' }) });

  it('R-PB-5: services for needs met under s117 are not commissioned until the health team is consulted', () => {
    const journey = signedOff();
    expect(journey.context.signOff?.s117Aftercare).toBe(true);
    const reasons = expectRefused(journey, activationOf(road()), 'R-PB-5');
    const pb5 = reasons.find((r) => r.ruleId === 'R-PB-5');
    expect(pb5?.message).toMatch(
      /section 117.*health team or commissioning authority must be consulted before any support is commissioned/,
    );
    expect(pb5).toMatchObject({ field: 'type' });
    expect(pb5?.accepted).toMatch(/^AFTERCARE_HEALTH_CONSULTED with about 'commissioning' first/);
    const withConsultation = accept(journey, consulted(roadDay(8)));
    expect(withConsultation.context.section117Consultations).toEqual([
      {
        consultedWith: 'Community Mental Health Team (north)',
        about: 'commissioning',
        at: roadDay(8),
        notes: 'Agreed the package and the shared funding',
      },
    ]);
    expect(stageValue(accept(withConsultation, activationOf(road())))).toBe('liveSupport');
  });

  it('R-PB-5: a consultation during planning, before sign-off, counts for the first commissioning', () => {
    const events = s117Road();
    const planning = run(start(), before(events, 'PLAN_SIGNED_OFF')).snapshot;
    const rest = events.slice(events.findIndex((e) => e.type === 'PLAN_SIGNED_OFF'));
    expect(stageValue(run(accept(planning, consulted(roadDay(6, 15))), rest).snapshot)).toBe('liveSupport');
  });

  it('R-PB-5: a plan revised at review waits for a consultation since services were commissioned; each is used once', () => {
    const reasons = expectRefused(live(), revised(60), 'R-PB-5');
    expect(reasons.find((r) => r.ruleId === 'R-PB-5')).toMatchObject({
      field: 'revisedPlan',
      accepted: expect.stringMatching(/^AFTERCARE_HEALTH_CONSULTED with about 'change' first/),
    });
    // A review that changes nothing needs none.
    expect(accept(live(), reviewWith(roadDay(60))).context.reviews).toHaveLength(1);
    // Consulted about the change: the revision goes ahead…
    const changed = accept(accept(live(), consulted(roadDay(55), 'change')), revised(60));
    expect(changed.context.plan?.risks).toBe('revised');
    // …and the next change needs a consultation of its own.
    expectRefused(changed, revised(120), 'R-PB-5');
    expect(
      accept(accept(changed, consulted(roadDay(110), 'change')), revised(120)).context.reviews,
    ).toHaveLength(2);
  });

  it('R-PB-5: no contribution is assessed for s117 aftercare (costing.assessedContribution must be 0)', () => {
    const journey = planned(completePlan());
    const charged = signOff({
      finalBudget: 8_760,
      mismatchReason: 'contribution',
      costing: { reasonableCost: 9_360, assessedContribution: 600, otherFunding: 0, s117Aftercare: true },
    });
    const reasons = expectRefused(journey, charged, undefined);
    expect(reasons.find((r) => r.field === 'costing.assessedContribution')).toMatchObject({
      accepted: '0',
      message: expect.stringMatching(/s117.*free/),
    });
  });

  it('R-PB-5: needs not met under s117 need no consultation, and a journey judged by edition 4 is commissioned as before', () => {
    expect(stageValue(run(start(), road()).snapshot)).toBe('liveSupport');
    const edition4 = signedOff(4);
    expect(stageValue(accept(edition4, activationOf(road())))).toBe('liveSupport');
  });
});

describe('R-PLN-2 the plan records that a direct payment was offered, and the answer', () => {
  it('R-PLN-2: a plan without the offer is not signed off (plan.directPaymentOffer named, with the fix)', () => {
    const journey = planned(completePlan({ directPaymentOffer: undefined }));
    const reasons = expectRefused(journey, signOff(), 'R-PLN-2');
    const pln2 = reasons.find((r) => r.ruleId === 'R-PLN-2');
    expect(pln2).toMatchObject({ field: 'plan.directPaymentOffer' });
    expect(pln2?.accepted).toMatch(/^PLAN_SUBMITTED with plan\.directPaymentOffer/);
    expect(stageValue(accept(planned(completePlan()), signOff()))).toBe('setUp');
  });

  it('R-PLN-2: the answer agrees with how the budget is managed', () => {
    const declinedButTaken = planned(
      { ...directPaymentPlan(), directPaymentOffer: { answer: 'declined' } },
      { directPayment: true },
    );
    expect(fieldsOf(expectRefused(declinedButTaken, signOff(), 'R-PLN-2'))).toContain(
      'plan.directPaymentOffer.answer',
    );
    const acceptedButNot = planned(completePlan({ directPaymentOffer: { answer: 'accepted' } }));
    expect(fieldsOf(expectRefused(acceptedButNot, signOff(), 'R-PLN-2'))).toContain('plan.budgetManagement');
    const taken = planned(directPaymentPlan(), { directPayment: true });
    expect(taken.context.plan?.directPaymentOffer).toEqual({ answer: 'accepted' });
    expect(stageValue(accept(taken, signOff()))).toBe('setUp');
  });

  it('R-PLN-2: a plan revised at review records the offer too', () => {
    const live = run(start(), road()).snapshot;
    const reasons = expectRefused(
      live,
      reviewWith(roadDay(60), {
        outcome: 'planRevised',
        revisedPlan: completePlan({ directPaymentOffer: undefined }),
      }),
      'R-PLN-2',
    );
    expect(fieldsOf(reasons)).toContain('revisedPlan.directPaymentOffer');
  });

  it('R-PLN-2: a journey judged by edition 4 signs a plan off without the offer, as it did', () => {
    const journey = planned(completePlan({ directPaymentOffer: undefined }), { rulesVersion: 4 });
    expect(stageValue(accept(journey, signOff()))).toBe('setUp');
  });
});

describe('R-PLN-3 the plan checklist is the council’s, at sign-off and when the plan is revised at review', () => {
  const withoutLancashireItems = () =>
    completePlan({
      contingencyContacts: undefined,
      budgetApportionment: undefined,
      chargingPolicyDiscussed: false,
    });

  it('R-PLN-3: the profiles hold the checklist: Derbyshire and Derby City the common one, Lancashire its own items too', () => {
    expect(derbyshire.plans.checklist).toEqual([...commonPlanChecklist]);
    expect(derbyCity.plans.checklist).toEqual([...commonPlanChecklist]);
    expect(lancashire.plans.checklist).toEqual(
      expect.arrayContaining([
        ...commonPlanChecklist,
        'contingencyContacts',
        'budgetApportionment',
        'chargingPolicyDiscussed',
      ]),
    );
    expect(lancashire.plans.checklist).toHaveLength(commonPlanChecklist.length + 3);
  });

  it('R-PLN-3: Lancashire’s plan needs contingency contacts with telephone numbers, how the budget is spent and apportioned, and charging policy discussed (LAN §3.2, §3.6)', () => {
    const lancs = planned(withoutLancashireItems(), { profile: lancashire });
    const reasons = expectRefused(lancs, signOff(), 'R-PLN-3');
    expect(fieldsOf(reasons.filter((r) => r.ruleId === 'R-PLN-3'))).toEqual([
      'plan.budgetApportionment',
      'plan.chargingPolicyDiscussed',
      'plan.contingencyContacts',
    ]);
    expect(reasons.map((r) => r.message).join(' ')).toMatch(/telephone numbers.*submit the plan again/);
    expect(reasons.find((r) => r.field === 'plan.contingencyContacts')?.accepted).toBe(
      'PLAN_SUBMITTED with plan.contingencyContacts filled in',
    );
    // Derbyshire's checklist does not ask for them.
    expect(stageValue(accept(planned(withoutLancashireItems()), signOff()))).toBe('setUp');
    expect(stageValue(accept(planned(completePlan(), { profile: lancashire }), signOff()))).toBe('setUp');
  });

  it('R-PLN-3: a council’s own profile decides: a checklist with an item added asks for it', () => {
    const own: PolicyProfile = {
      ...derbyshire,
      plans: { ...derbyshire.plans, checklist: [...commonPlanChecklist, 'budgetApportionment'] },
    };
    const reasons = expectRefused(
      planned(completePlan({ budgetApportionment: undefined }), { profile: own }),
      signOff(),
      'R-PLN-3',
    );
    expect(fieldsOf(reasons)).toEqual(['plan.budgetApportionment']);
  });

  it('R-PLN-3: a plan revised at review is held to the same checklist', () => {
    const lancsLive = run(start({ profile: lancashire }), road()).snapshot;
    const lancsReasons = expectRefused(
      lancsLive,
      reviewWith(roadDay(60), {
        outcome: 'planRevised',
        revisedPlan: completePlan({ contingencyContacts: [] }),
      }),
      'R-PLN-3',
    );
    expect(lancsReasons.find((r) => r.ruleId === 'R-PLN-3')).toMatchObject({
      field: 'revisedPlan.contingencyContacts',
      accepted: 'the revised plan with revisedPlan.contingencyContacts filled in',
    });
    const live = run(start(), road()).snapshot;
    const reasons = expectRefused(
      live,
      reviewWith(roadDay(60), { outcome: 'planRevised', revisedPlan: completePlan({ risks: undefined }) }),
      'R-PLN-3',
    );
    expect(fieldsOf(reasons)).toContain('revisedPlan.risks');
    const revised = accept(
      live,
      reviewWith(roadDay(60), { outcome: 'planRevised', revisedPlan: completePlan({ risks: 'new' }) }),
    );
    expect(revised.context.plan?.risks).toBe('new');
  });

  it('R-PLN-3: the contingency plan is reviewed at every review, whether or not the plan is revised', () => {
    const live = run(start(), road()).snapshot;
    for (const outcome of ['noChange', 'planRevised'] as const) {
      const reasons = expectRefused(
        live,
        reviewWith(roadDay(60), {
          outcome,
          contingencyPlanReviewed: false,
          ...(outcome === 'planRevised' ? { revisedPlan: completePlan() } : {}),
        }),
        'R-REV-8',
      );
      expect(fieldsOf(reasons)).toContain('contingencyPlanReviewed');
    }
  });

  it('R-PLN-3: a Lancashire journey judged by edition 4 keeps the common checklist', () => {
    const edition4 = planned(withoutLancashireItems(), { profile: lancashire, rulesVersion: 4 });
    expect(stageValue(accept(edition4, signOff()))).toBe('setUp');
  });
});

describe('R-PLN-6 the profile says which of the carer’s plan contents a carer’s plan must have', () => {
  /** A carer's plan with every content SBS §3 names. */
  const carersPlan = (overrides: Partial<Plan> = {}) =>
    completePlan({
      needsAndOutcomes: "Carer's assessment: needs a break from caring two evenings a week",
      carerOutcomes: ['keep working part-time'],
      crisisContact: 'Carers Helpline 01629 000000',
      ...overrides,
    });
  const asked = { informationAndAdvice: undefined, risks: undefined, contingencyPlan: undefined };

  it('R-PLN-6: Derbyshire’s carer’s plan may leave out information and advice, risks and contingency arrangements (asked for, may be absent)', () => {
    const journey = planned(carersPlan(asked), { carer: true });
    expect(stageValue(accept(journey, signOff()))).toBe('setUp');
    // What it must have is still refused when missing, naming the field.
    const lacking = planned(carersPlan({ ...asked, carerOutcomes: undefined }), { carer: true });
    expect(fieldsOf(expectRefused(lacking, signOff(), 'R-PLN-6'))).toEqual(['plan.carerOutcomes']);
  });

  it('R-PLN-6: Lancashire’s carer’s plan must have its risks and contingency arrangements (LAN §3.2), not information and advice', () => {
    const journey = planned(carersPlan(asked), { carer: true, profile: lancashire });
    expect(fieldsOf(expectRefused(journey, signOff(), 'R-PLN-6'))).toEqual([
      'plan.risks',
      'plan.contingencyPlan',
    ]);
    const withoutAdvice = planned(carersPlan({ informationAndAdvice: undefined }), {
      carer: true,
      profile: lancashire,
    });
    expect(stageValue(accept(withoutAdvice, signOff()))).toBe('setUp');
  });

  it('R-PLN-6: a carer’s journey judged by edition 4 is still asked for every content', () => {
    const journey = planned(carersPlan(asked), { carer: true, rulesVersion: 4 });
    expect(fieldsOf(expectRefused(journey, signOff(), 'R-PLN-6'))).toEqual([
      'plan.informationAndAdvice',
      'plan.risks',
      'plan.contingencyPlan',
    ]);
  });
});
