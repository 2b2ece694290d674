import type { PersonalBudgetFormula, PolicyProfile } from './policyProfile';

/**
 * R-PB-3: the personal budget at sign-off, worked out from the plan's costing by the formula the
 * council's policy profile names (`profile.budget.personalBudget`):
 *
 * - `netOfContribution` (DCC §4.3): reasonable cost − assessed contribution − other funding. The
 *   budget is what the council pays (DCC §8.1: "the Council's social care contribution").
 * - `includesContribution` (LAN §2.4): reasonable cost − other funding. The budget is the total,
 *   "including the proportion the local authority will pay, and what amount (if any) the person
 *   will pay"; other funding (e.g. NHS) meets needs outside it (LAN §3.2).
 *
 * Either way s117 Mental Health Act aftercare is free (LAN §1.1): its contribution counts as 0
 * (the R-PB-3 check still refuses a costing that charges one). And either way the cost of
 * short-term preventative services within the reasonable cost (reablement, enablement) is left
 * out: it is excluded from any personal budget (R-PB-4, SBS §6 NB). Neither figure is below 0. Pure.
 */
export interface BudgetCosting {
  reasonableCost: number;
  assessedContribution: number;
  otherFunding: number;
  s117Aftercare: boolean;
  /** R-PB-4: the part of reasonableCost spent on reablement or enablement (absent: none) */
  shortTermPreventativeCost?: number;
}

/**
 * A profile as a carried snapshot may hold it: one started before the setting existed has no
 * `budget`, and keeps the formula every journey used until then (netOfContribution).
 */
export type BudgetProfile = { budget?: Partial<PolicyProfile['budget']> };

export function personalBudgetFormulaOf(profile: BudgetProfile): PersonalBudgetFormula {
  return profile.budget?.personalBudget ?? 'netOfContribution';
}

/** The contribution the person pays: the assessed one, or 0 for s117 aftercare. */
export function personsContributionFrom(costing: BudgetCosting): number {
  return costing.s117Aftercare ? 0 : costing.assessedContribution;
}

/** R-PB-3: the personal budget the sign-off must carry (pounds, to the penny). */
export function personalBudgetFrom(profile: BudgetProfile, costing: BudgetCosting): number {
  const cost = costing.reasonableCost - (costing.shortTermPreventativeCost ?? 0) - costing.otherFunding;
  const budget =
    personalBudgetFormulaOf(profile) === 'includesContribution'
      ? cost
      : cost - personsContributionFrom(costing);
  return toPennies(Math.max(0, budget));
}

/** What the council pays: the personal budget less the person's contribution, whichever formula. */
export function councilContributionFrom(profile: BudgetProfile, costing: BudgetCosting): number {
  const budget = personalBudgetFrom(profile, costing);
  return personalBudgetFormulaOf(profile) === 'includesContribution'
    ? toPennies(Math.max(0, budget - personsContributionFrom(costing)))
    : budget;
}

/** The formula in words, for a refusal: "the personal budget must be <this>: £…". */
export function personalBudgetFormulaInWords(profile: BudgetProfile): string {
  return personalBudgetFormulaOf(profile) === 'includesContribution'
    ? 'the reasonable cost less other funding (it includes the assessed contribution)'
    : 'the reasonable cost less the assessed contribution and other funding';
}

const toPennies = (pounds: number) => Math.round(pounds * 100) / 100;
