import type { JourneyEvent } from '../machines/events';
import type { Deadline } from '../machines/types';
import { ev, noIndicators, pathToActivation, reviewNotice } from '../test/support/journeyEvents';

/**
 * The journeys the benchmark drives: the ordinary road from referral through assessment, the
 * indicative budget, planning, sign-off and activation, to the first review.
 */

export const DAY_MS = 86_400_000;

/** A review with no change and none of the R-REV-5 indicators (so the next is 12 months away). */
export function reviewCompleted(occurredAt: string): JourneyEvent {
  return ev('REVIEW_COMPLETED', occurredAt, {
    reviewType: 'formal',
    outcome: 'noChange',
    eligibilityRedetermined: true,
    contingencyPlanReviewed: true,
    indicators: noIndicators,
    notice: reviewNotice(occurredAt),
  });
}

/**
 * The events of one journey, referral to first review, none in the future of `nowMs`: the road
 * (one day apart) begins 10 days ago, so services start yesterday and the first review is now.
 * Starting closer to now keeps the journey's clocks as they would be in real life (no deadline
 * long overdue, no backlog of escalations on activation).
 */
export function journeyToFirstReview(nowMs: number): JourneyEvent[] {
  const start = new Date(nowMs - 10 * DAY_MS).toISOString();
  return [...pathToActivation(start), reviewCompleted(new Date(nowMs - 60_000).toISOString())];
}

/** The review-cycle obligations a practitioner meets, in the long horizon. */
export const reviewCycleKinds = ['informalReview', 'firstReview', 'monitoringCheck', 'annualReview'] as const;
export type ReviewCycleKind = (typeof reviewCycleKinds)[number];

/** Work is done this long before it is due (after the reminder, which goes 5 working days before). */
export const COMPLETE_BEFORE_DUE_MS = 2 * DAY_MS;

/** The earliest open review-cycle deadline (from the snapshot's context or the describe view). */
export function nextReviewCycleDeadline(
  deadlines: readonly Deadline[],
): { kind: ReviewCycleKind; dueAt: string; id: string } | undefined {
  const open = deadlines
    .filter((d) => (d.status === 'due' || d.status === 'overdue') && isReviewCycleKind(d.kind))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  return open && { kind: open.kind as ReviewCycleKind, dueAt: open.dueAt, id: open.id };
}

function isReviewCycleKind(kind: string): kind is ReviewCycleKind {
  return (reviewCycleKinds as readonly string[]).includes(kind);
}

/** The event that meets a review-cycle deadline. */
export function completionOf(kind: ReviewCycleKind, occurredAt: string): JourneyEvent {
  switch (kind) {
    case 'informalReview':
      return ev('INFORMAL_REVIEW_COMPLETED', occurredAt, { notes: '72-hour call: all well' });
    case 'monitoringCheck':
      return ev('MONITORING_CHECK_COMPLETED', occurredAt, { concerns: false });
    case 'firstReview':
    case 'annualReview':
      return reviewCompleted(occurredAt);
  }
}
