import { rulesEdition, type JourneyContext } from './journeyContext';
import type { Refusal } from './types';

/**
 * R-PB-5: where needs are met under section 117 of the Mental Health Act 1983, the health team or
 * commissioning authority is consulted before any support is commissioned, and again before any
 * change to it (LAN §1.3: "Staff must liaise with the relevant health team/commissioning authority
 * prior to commissioning any support or services or if any changes are made"). No contribution is
 * assessed: the sign-off's costing already refuses one (R-PB-3, LAN §1.1). Pure.
 *
 * A consultation is good for one commissioning or one change: services activated (the first time,
 * or again after a plan revised at reassessment), or a plan revised at a review. So each needs a
 * consultation recorded after the last commissioning or change.
 */

type Section117Context = Pick<
  JourneyContext,
  'rulesVersion' | 'signOff' | 'activatedAt' | 'reviews' | 'section117Consultations'
>;

/** The needs are met under s117: the plan signed off said so (costing.s117Aftercare). */
export const metUnderSection117 = (context: Pick<JourneyContext, 'signOff'>): boolean =>
  context.signOff?.s117Aftercare === true;

/** When support was last commissioned or changed: services activated, or a plan revised at review. */
function lastCommissionedOrChanged(context: Section117Context): number | undefined {
  const times = [
    context.activatedAt,
    ...context.reviews.filter((r) => r.outcome === 'planRevised').map((r) => r.at),
  ]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t));
  return times.length ? Math.max(...times) : undefined;
}

/** A consultation recorded since support was last commissioned or changed (any, before the first). */
export function hasUnusedSection117Consultation(context: Section117Context): boolean {
  const last = lastCommissionedOrChanged(context);
  return (context.section117Consultations ?? []).some((c) => last === undefined || Date.parse(c.at) > last);
}

/**
 * The refusal of commissioning ('commissioning': SERVICES_ACTIVATED) or a change ('change': a plan
 * revised at review) without a consultation since the last one was used; rules edition 5.
 */
export function section117Refusal(
  context: Section117Context,
  about: 'commissioning' | 'change',
  fix: Pick<Refusal, 'field' | 'accepted'> = {},
): Refusal[] {
  if (!rulesEdition(context, 5) || !metUnderSection117(context)) return [];
  if (hasUnusedSection117Consultation(context)) return [];
  const what =
    about === 'commissioning'
      ? 'before any support is commissioned'
      : 'again before any change to the support';
  const since =
    lastCommissionedOrChanged(context) === undefined ? '' : ' since support was last commissioned or changed';
  return [
    {
      ruleId: 'R-PB-5',
      message: `needs are met under section 117 of the Mental Health Act 1983 (costing.s117Aftercare at sign-off): the health team or commissioning authority must be consulted ${what}, and no consultation is recorded${since}: record AFTERCARE_HEALTH_CONSULTED (about '${about}') first`,
      ...(fix.field ? { field: fix.field } : {}),
      accepted: fix.accepted ?? `AFTERCARE_HEALTH_CONSULTED with about '${about}' first`,
    },
  ];
}
