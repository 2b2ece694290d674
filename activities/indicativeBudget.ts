import type { CalculateIndicativeBudget } from '../machines/effects';
import type { PolicyProfile } from '../machines/policyProfile';

export interface IndicativeBudgetRequest extends CalculateIndicativeBudget {
  ras: PolicyProfile['ras'];
}
export interface IndicativeBudget {
  amount: number;
  basis: string;
}

/** R-IB-2: the Resource Allocation System is pluggable; a council supplies its own calculation. */
export interface ResourceAllocationSystem {
  calculateIndicativeBudget(request: IndicativeBudgetRequest): Promise<IndicativeBudget>;
}

/**
 * The default RAS (R-IB-2): a sum from the assessed unmet eligible needs' points, then moderated
 * by sustainable informal support. Pounds per point and the reductions come from the profile.
 */
export const pointsTableRas: ResourceAllocationSystem = {
  async calculateIndicativeBudget({ unmetEligibleNeeds, informalSupport, equipmentConsidered, ras }) {
    const points = unmetEligibleNeeds.reduce((sum, n) => sum + n.points, 0);
    const gross = points * ras.poundsPerPoint;
    const reduction = ras.informalSupportReduction[informalSupport];
    const amount = Math.round(gross * (1 - reduction) * 100) / 100;
    const basis = [
      `${points} points × £${ras.poundsPerPoint} = £${gross.toFixed(2)}`,
      reduction > 0
        ? `less ${Math.round(reduction * 100)}% for ${informalSupport} informal support`
        : 'no informal support moderation',
      equipmentConsidered ? 'equipment considered' : 'equipment not considered',
    ].join('; ');
    return { amount, basis };
  },
};
