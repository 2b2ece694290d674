import type { Plan } from './events';
import { rulesEdition, type JourneyContext } from './journeyContext';
import type { Refusal } from './types';

/**
 * What a care and support plan must contain before it is signed off (R-PLN-3), what a carer's
 * support plan must contain (R-PLN-6), and the record of the direct payment offer (R-PLN-2). The
 * checklists are the council's, in its policy profile (`plans`); this module names the elements a
 * profile may list and says which of them a plan lacks. Pure, and without zod (the profile schema
 * takes its enums from here).
 */

/**
 * R-PLN-3: the elements a council's checklist may ask of a person's plan, in the order a plan is
 * read (and missing ones named). The first twelve are every council's (SBS §3; ASM "Plan
 * Content/Sign-off"; LAN §3.2); the last three are Lancashire's own (LAN §3.6).
 */
export const planElements = [
  'needsAndOutcomes',
  'eligibleNeeds',
  'ineligibleNeeds',
  'informationAndAdvice',
  'ownResourcesAndNetwork',
  'councilWillMeet',
  'personalBudget',
  /** how the budget is spent and apportioned (LAN §3.6) */
  'budgetApportionment',
  /** a record that charging policy was discussed (LAN §3.6) */
  'chargingPolicyDiscussed',
  /** for a direct payment: the needs it meets, its amount and its frequency */
  'directPayment',
  'risks',
  'contingencyPlan',
  /** the contingency plan's contacts, with telephone numbers (LAN §3.6) */
  'contingencyContacts',
  'stayingInControl',
  'optionsConsidered',
] as const;
export type PlanElement = (typeof planElements)[number];

/** The checklist every journey was held to before rules edition 5, and a profile without its own. */
export const commonPlanChecklist: readonly PlanElement[] = [
  'needsAndOutcomes',
  'eligibleNeeds',
  'ineligibleNeeds',
  'informationAndAdvice',
  'ownResourcesAndNetwork',
  'councilWillMeet',
  'personalBudget',
  'directPayment',
  'risks',
  'contingencyPlan',
  'stayingInControl',
  'optionsConsidered',
];

/** R-PLN-6: the contents of a carer's support plan (SBS §3), in the order a plan is read. */
export const carersPlanElements = [
  'needsAndOutcomes',
  'informationAndAdvice',
  'carerOutcomes',
  'eligibleNeeds',
  'councilWillMeet',
  'risks',
  'contingencyPlan',
  'crisisContact',
  /** where the carer has eligible needs */
  'personalBudget',
  /** for a direct payment: the needs it meets, its amount and its frequency */
  'directPayment',
] as const;
export type CarersPlanElement = (typeof carersPlanElements)[number];

/** Every content a carer's plan had to have before rules edition 5, and a profile without its own. */
export const allCarersPlanElements: readonly CarersPlanElement[] = [...carersPlanElements];

/** One element a plan lacks: its field in PLAN_SUBMITTED's plan, and what it is, in words. */
export interface MissingElement {
  field: string;
  words: string;
}

const absent = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);

function directPaymentMissing(plan: Plan): MissingElement[] {
  if (!plan.budgetManagement.includes('directPayment')) return [];
  const dp = plan.directPayment;
  return [
    { present: dp?.needsMet, field: 'directPayment.needsMet', words: 'the needs the direct payment meets' },
    { present: dp?.amount, field: 'directPayment.amount', words: 'the amount of the direct payment' },
    {
      present: dp?.frequency,
      field: 'directPayment.frequency',
      words: 'the frequency of the direct payment',
    },
  ]
    .filter((e) => absent(e.present))
    .map(({ field, words }) => ({ field: `plan.${field}`, words }));
}

const element = (present: unknown, field: string, words: string): MissingElement[] =>
  absent(present) ? [{ field: `plan.${field}`, words }] : [];

/** What each element of a person's plan lacks, if anything. */
const personsElement: Record<PlanElement, (plan: Plan) => MissingElement[]> = {
  needsAndOutcomes: (p) => element(p.needsAndOutcomes, 'needsAndOutcomes', 'the needs and outcomes'),
  eligibleNeeds: (p) => element(p.eligibleNeeds, 'eligibleNeeds', 'the eligible needs'),
  // an empty list says there are none, which is an answer
  ineligibleNeeds: (p) =>
    p.ineligibleNeeds === undefined ? [{ field: 'plan.ineligibleNeeds', words: 'the ineligible needs' }] : [],
  informationAndAdvice: (p) =>
    element(
      p.informationAndAdvice,
      'informationAndAdvice',
      'information and advice to reduce or prevent needs',
    ),
  ownResourcesAndNetwork: (p) =>
    element(
      p.ownResourcesAndNetwork,
      'ownResourcesAndNetwork',
      "what the person's own resources and network will meet",
    ),
  councilWillMeet: (p) => element(p.councilWillMeet, 'councilWillMeet', 'what the council will meet and how'),
  personalBudget: (p) => element(p.personalBudget, 'personalBudget', 'the personal budget'),
  budgetApportionment: (p) =>
    element(p.budgetApportionment, 'budgetApportionment', 'how the budget is spent and apportioned'),
  chargingPolicyDiscussed: (p) =>
    p.chargingPolicyDiscussed === true
      ? []
      : [
          {
            field: 'plan.chargingPolicyDiscussed',
            words: 'a record that charging policy was discussed with the person or their representative',
          },
        ],
  directPayment: directPaymentMissing,
  risks: (p) => element(p.risks, 'risks', 'how risks are managed'),
  contingencyPlan: (p) => element(p.contingencyPlan, 'contingencyPlan', 'a contingency plan'),
  contingencyContacts: (p) =>
    element(
      p.contingencyContacts,
      'contingencyContacts',
      "the contingency plan's contacts, with their telephone numbers",
    ),
  stayingInControl: (p) => element(p.stayingInControl, 'stayingInControl', 'how the person stays in control'),
  optionsConsidered: (p) =>
    p.optionsConsidered?.some((o) => !o.chosen)
      ? []
      : [
          {
            field: 'plan.optionsConsidered',
            words: 'the options considered, including those rejected, with reasons',
          },
        ],
};

/** What each content of a carer's plan lacks, if anything (R-PLN-6, SBS §3). */
const carersElement: Record<CarersPlanElement, (plan: Plan) => MissingElement[]> = {
  needsAndOutcomes: (p) =>
    element(p.needsAndOutcomes, 'needsAndOutcomes', "the needs from the carer's assessment"),
  informationAndAdvice: (p) =>
    element(p.informationAndAdvice, 'informationAndAdvice', "information and advice for the carer's role"),
  carerOutcomes: (p) =>
    element(p.carerOutcomes, 'carerOutcomes', "the carer's outcomes: social, educational, employment"),
  eligibleNeeds: (p) => element(p.eligibleNeeds, 'eligibleNeeds', 'which needs are eligible'),
  councilWillMeet: (p) =>
    element(p.councilWillMeet, 'councilWillMeet', 'which needs the council will meet and how'),
  risks: (p) => element(p.risks, 'risks', 'the risks'),
  contingencyPlan: (p) => element(p.contingencyPlan, 'contingencyPlan', 'a contingency plan'),
  crisisContact: (p) => element(p.crisisContact, 'crisisContact', 'whom to contact in a crisis'),
  // "where eligible" (SBS §3)
  personalBudget: (p) =>
    p.eligibleNeeds?.length ? element(p.personalBudget, 'personalBudget', "the carer's personal budget") : [],
  directPayment: directPaymentMissing,
};

/**
 * R-PLN-3: every element of the checklist `required` that the plan lacks, each named with the
 * plan's field. A carer's plan (R-PLN-6) is held to the carer's contents instead, `required` being
 * those the council says a carer's plan must have. Without `required`: the lists every journey was
 * held to before rules edition 5.
 */
export function missingPlanElements(
  plan: Plan | undefined,
  carersPlan = false,
  required?: readonly string[],
): MissingElement[] {
  if (!plan) return [{ field: 'plan', words: 'the plan itself (no plan has been submitted)' }];
  if (carersPlan) {
    const must = new Set<string>(required ?? allCarersPlanElements);
    return carersPlanElements.filter((e) => must.has(e)).flatMap((e) => carersElement[e](plan));
  }
  const must = new Set<string>(required ?? commonPlanChecklist);
  return planElements.filter((e) => must.has(e)).flatMap((e) => personsElement[e](plan));
}

/** A profile as a carried snapshot may hold it: one started before the setting has no `plans`. */
type PlansProfile = {
  plans?: { checklist?: readonly string[]; carersPlanMustHave?: readonly string[] };
};

/**
 * The checklist this journey's plans are held to: from rules edition 5 the council's own (its
 * profile's `plans`); before, the lists every journey was held to. A carer's journey (edition 2 on)
 * has a carer's plan.
 */
export function planChecklistOf(
  context: Pick<JourneyContext, 'rulesVersion' | 'subject'> & { profile: PlansProfile },
): { carersPlan: boolean; required: readonly string[] } {
  const carersPlan = rulesEdition(context, 2) && context.subject === 'carer';
  const own = rulesEdition(context, 5) ? context.profile.plans : undefined;
  return carersPlan
    ? { carersPlan, required: own?.carersPlanMustHave ?? allCarersPlanElements }
    : { carersPlan, required: own?.checklist ?? commonPlanChecklist };
}

/** The missing elements of this journey's plan (or of a plan revised at review), by its checklist. */
export function missingFromChecklist(
  context: Pick<JourneyContext, 'rulesVersion' | 'subject'> & { profile: PlansProfile },
  plan: Plan | undefined,
): MissingElement[] {
  const { carersPlan, required } = planChecklistOf(context);
  return missingPlanElements(plan, carersPlan, required);
}

/**
 * R-PLN-2 (edition 5): a direct payment is offered to everyone, at any time (SBS §2), so a plan
 * records the offer and the person's answer before it is signed off (or replaces the plan at a
 * review), and the answer agrees with how the budget is managed. A carer's plan records it where
 * the carer has a personal budget to take that way. `at`: where the plan is in the event
 * ('plan' at sign-off, from PLAN_SUBMITTED; 'revisedPlan' at a review).
 */
export function directPaymentOfferRefusals(
  plan: Plan | undefined,
  carersPlan: boolean,
  at: 'plan' | 'revisedPlan',
): Refusal[] {
  if (!plan || (carersPlan && !plan.eligibleNeeds?.length)) return [];
  const field = `${at}.directPaymentOffer`;
  const resend = at === 'plan' ? `PLAN_SUBMITTED with ${field}` : `${field} in the revised plan`;
  const offer = plan.directPaymentOffer;
  if (!offer) {
    return [
      {
        ruleId: 'R-PLN-2',
        message: `a direct payment is offered to everyone: the plan must record that it was offered and the person's answer (${field})${at === 'plan' ? ': submit the plan again with it (PLAN_SUBMITTED)' : ''}`,
        field,
        accepted: `${resend}: { answer: 'accepted' | 'declined' }`,
      },
    ];
  }
  const takes = plan.budgetManagement.includes('directPayment');
  if (offer.answer === 'accepted' && !takes) {
    return [
      {
        ruleId: 'R-PLN-2',
        message: `the person accepted the direct payment offered (${field}.answer), but the plan's budget management does not include a direct payment (${at}.budgetManagement)`,
        field: `${at}.budgetManagement`,
        accepted: `${at === 'plan' ? 'PLAN_SUBMITTED with ' : ''}budgetManagement including 'directPayment', or the answer 'declined'`,
      },
    ];
  }
  if (offer.answer === 'declined' && takes) {
    return [
      {
        ruleId: 'R-PLN-2',
        message: `the person declined the direct payment offered (${field}.answer), but the plan's budget is managed by one (${at}.budgetManagement)`,
        field: `${field}.answer`,
        accepted: `${at === 'plan' ? 'PLAN_SUBMITTED with ' : ''}the answer 'accepted', or budgetManagement without 'directPayment'`,
      },
    ];
  }
  return [];
}
