import type { JourneyContext } from '../machines/journeyContext';
import type { Deadline } from '../machines/types';

/**
 * What continue-as-new carries, kept bounded however old the journey (patched
 * 'national-scale-costs'): what the journey needs to decide, not its history for people to read,
 * which the case-event store holds whole (every accepted event, refusal, deadline and notice).
 *
 * The machine's context keeps every deadline and review a journey has had; a journey in live
 * support adds two deadlines and a review a year (about 800 bytes), so after fifteen years the
 * snapshot alone would pass 16 KB. Carried forward are only what a rule can still read:
 *
 * - deadlines: the open ones (every rule, timer, notice and next step acts only on those, found by
 *   id or kind), and a services end that has taken effect (`servicesEndReached`). Ids are numbered
 *   by `deadlineSeq`, not by the list's length, so dropping closed ones never reuses an id.
 * - reviews: those of the last REVIEWS_KEPT_MS (R-REV-11 looks back twelve months from the
 *   review's date, within a run of at most two years), the latest (R-REV-3's next date, R-REV-4's
 *   checks, R-REV-13) and the latest that revised the plan (section 117's "last changed").
 */

/** Reviews held within this long before a continue-as-new are carried (the run's two years and R-REV-11's twelve months). */
export const REVIEWS_KEPT_MS = 3 * 366 * 86_400_000;

type CarriedContext = Pick<JourneyContext, 'deadlines' | 'reviews'>;

const keptDeadline = (d: Deadline): boolean =>
  d.status === 'due' || d.status === 'overdue' || (d.kind === 'servicesEnd' && d.status === 'takenEffect');

/** The persisted snapshot with its context's closed deadlines and old reviews left out. */
export function compactedSnapshot<S extends { context: CarriedContext }>(persisted: S, now: string): S {
  const { deadlines, reviews } = persisted.context;
  const since = Date.parse(now) - REVIEWS_KEPT_MS;
  let lastRevised = -1;
  reviews.forEach((r, i) => {
    if (r.outcome === 'planRevised') lastRevised = i;
  });
  const keptReviews = reviews.filter(
    (r, i) => i === reviews.length - 1 || i === lastRevised || !(Date.parse(r.at) < since),
  );
  return {
    ...persisted,
    context: { ...persisted.context, deadlines: deadlines.filter(keptDeadline), reviews: keptReviews },
  };
}

/**
 * The notices still worth remembering as sent: those of deadlines still open (a reminder or an
 * escalation is planned only for an open deadline, and an escalation is what a later "resolved"
 * notice asks about), and any still to be carried out.
 */
export function noticesStillRelevant(
  sent: Iterable<string>,
  openDeadlineIds: Set<string>,
  pendingNoticeIds: Set<string>,
): string[] {
  return [...sent].filter((id) => {
    const deadlineId = id.slice(0, id.lastIndexOf(':'));
    return openDeadlineIds.has(deadlineId) || pendingNoticeIds.has(id);
  });
}
