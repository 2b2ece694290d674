/**
 * Issue 11 point 2: every refusal is actionable. A refusal about the event's own payload names the
 * field (a path that exists in the event's schema) and what would be accepted there, so an
 * integrator can put it right from the answer alone.
 */
import { z } from 'zod';
import { journeyEventSchemas, type EventOf, type JourneyEvent } from '../../machines/events';

type Payload<T extends JourneyEvent['type']> = Omit<EventOf<T>, 'type' | 'eventId' | 'occurredAt' | 'actor'>;
import type { Refusal } from '../../machines/types';
import { completePlan, ev, manager, reviewWith } from '../support/journeyEvents';
import { accept, expectRefused, journeyThrough, payloadOf, roadDay, type Snapshot } from './journeyHarness';

/** Whether `path` (dots, numeric list indexes) leads somewhere in the event type's schema. */
function fieldExists(type: string, path: string): boolean {
  const schema = journeyEventSchemas().find((s) => s.shape.type.value === type);
  if (!schema) return false;
  let at: z.ZodType = schema;
  for (const key of path.split('.')) {
    // Unwrap optional / default / nullable / pipes to reach the object or array inside.
    for (let i = 0; i < 10; i++) {
      const def = (at as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
      if (def.innerType) at = def.innerType;
      else if (def.type === 'pipe' && def.in) at = def.in;
      else break;
    }
    if (at instanceof z.ZodObject) {
      const next = (at.shape as Record<string, z.ZodType>)[key];
      if (!next) return false;
      at = next;
    } else if (at instanceof z.ZodArray && /^\d+$/.test(key)) {
      at = at.element as z.ZodType;
    } else {
      return false;
    }
  }
  return true;
}

const planned = (): Snapshot => journeyThrough('PLAN_SUBMITTED');
/** The ordinary road's sign-off (reasonable cost £9,360 unless given), with overrides. */
const signOff = (overrides: Partial<Payload<'PLAN_SIGNED_OFF'>>, reasonableCost = 9360) =>
  ev('PLAN_SIGNED_OFF', roadDay(7), {
    finalBudget: reasonableCost,
    costing: { reasonableCost, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
    agreedBy: { person: true, workerId: 'worker.ann' },
    copyTo: [],
    accessibleFormat: 'standard',
    ...overrides,
  });
const live = (): Snapshot => journeyThrough('SERVICES_ACTIVATED');

/** One mistake per row: the journey, the event as sent, and the field the refusal must name. */
const mistakes: [string, () => Snapshot, () => JourneyEvent, string, RegExp][] = [
  [
    'a plan without how the person stays in control, at sign-off',
    () =>
      accept(
        journeyThrough('PLANNING_STARTED'),
        ev('PLAN_SUBMITTED', roadDay(6), { plan: completePlan({ stayingInControl: undefined }) }),
      ),
    () => signOff({ finalBudget: 9360 }),
    'plan.stayingInControl',
    /PLAN_SUBMITTED with plan\.stayingInControl/,
  ],
  [
    'a final budget off the indicative one without the reason',
    planned,
    () => signOff({ finalBudget: 8000 }, 8000),
    'mismatchReason',
    /why the final budget differs/,
  ],
  [
    'a final budget that is not the costing',
    planned,
    () => signOff({ finalBudget: 9000, mismatchReason: 'cheaper' }),
    'finalBudget',
    /^9360\.00$/,
  ],
  [
    'a first review agreed too far off',
    () => journeyThrough('PLAN_SIGNED_OFF'),
    () => ev('SERVICES_ACTIVATED', roadDay(9), { firstReviewAgreedFor: '2027-12-01' }),
    'firstReviewAgreedFor',
    /^a date from 2026-03-11 to 2026-05-06$/,
  ],
  [
    'a next review beyond the longest interval',
    live,
    () => reviewWith(roadDay(60), { nextReviewOn: '2028-06-01' }),
    'nextReviewOn',
    /^a date after 2026-05-01 and on or before 2026-11-01$/,
  ],
  [
    'a review that did not review the contingency plan',
    live,
    () => reviewWith(roadDay(60), { contingencyPlanReviewed: false }),
    'contingencyPlanReviewed',
    /^true$/,
  ],
  [
    'a complaint resolved that was never raised',
    live,
    () => ev('COMPLAINT_RESOLVED', roadDay(20), { complaintId: 'C-404', outcome: 'upheld' }),
    'type',
    /^one of the events allowed now: .*COMPLAINT_RAISED/,
  ],
  [
    'a complaint resolved that is not the open one',
    () =>
      accept(
        live(),
        ev('COMPLAINT_RAISED', roadDay(20), { complaintId: 'C-1', about: 'budget', details: 'too little' }),
      ),
    () => ev('COMPLAINT_RESOLVED', roadDay(21), { complaintId: 'C-404', outcome: 'upheld' }),
    'complaintId',
    /^one of: C-1$/,
  ],
  [
    'the indicative budget sent by a person, not the RAS',
    () => journeyThrough('ASSESSMENT_COMPLETED'),
    () =>
      ev('INDICATIVE_BUDGET_CALCULATED', roadDay(3), { amount: 999_999, basis: 'mine' }, { actor: manager }),
    'type',
    /INDICATIVE_BUDGET_OVERRIDDEN/,
  ],
];

describe('every refusal names the field it is about and what would be accepted (issue 11)', () => {
  it.each(mistakes)('%s', (_what, journey, mistake, field, accepted) => {
    const event = mistake();
    const reasons = expectRefused(journey(), event, undefined);
    const about = reasons.find((r: Refusal) => r.field === field);
    expect(about).toBeDefined();
    expect(about?.accepted).toMatch(accepted);
    // At sign-off the plan's fields are those of the plan submitted (the refusal says PLAN_SUBMITTED).
    const fieldOf = about?.accepted?.startsWith('PLAN_SUBMITTED') ? 'PLAN_SUBMITTED' : event.type;
    if (field !== 'type') expect(fieldExists(fieldOf, field)).toBe(true);
  });

  it('every field a payload refusal names exists in its event’s schema (paths checked, not only spelt)', () => {
    expect(fieldExists('PLAN_SUBMITTED', 'plan.stayingInControl')).toBe(true);
    expect(fieldExists('PLAN_SUBMITTED', 'plan.directPayment.purchases.0')).toBe(true);
    expect(fieldExists('PLAN_SUBMITTED', 'plan.stayingInKontrol')).toBe(false);
    expect(fieldExists('REVIEW_COMPLETED', 'telephoneConditions.needsUnchanged')).toBe(true);
  });

  it('a refusal the event cannot fix by a field says so by naming none, and still says what must happen', () => {
    const reasons = expectRefused(
      journeyThrough('ASSESSMENT_COMPLETED'),
      ev('PLANNING_STARTED', roadDay(5), { preparedBy: 'worker' }),
      'R-IB-3',
    );
    const ib3 = reasons.find((r) => r.ruleId === 'R-IB-3');
    expect(ib3?.field).toBeUndefined();
    expect(ib3?.message).toMatch(/must be shared/);
  });

  it('accepted means accepted: sending what the refusal said is then allowed', () => {
    const journey = planned();
    const wrong = signOff({ finalBudget: 9000, mismatchReason: 'costed' });
    const fix = expectRefused(journey, wrong, 'R-PB-3').find((r) => r.field === 'finalBudget');
    const fixed = ev('PLAN_SIGNED_OFF', roadDay(7), {
      ...payloadOf(wrong),
      finalBudget: Number(fix?.accepted),
    });
    expect(() => accept(journey, fixed)).not.toThrow();
  });
});
