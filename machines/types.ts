/**
 * The shapes the machine shows to the rest of the system: deadlines, refusals, the journey view and
 * the timeline. Pure types, shared by the workflow, the API and the CLI.
 */

export type DeadlineStatus = 'due' | 'overdue' | 'met' | 'metLate' | 'cancelled' | 'takenEffect';

/**
 * A statutory clock as data (deadlines are data, not timers). `dueAt` is when it falls due;
 * `overdueAt` when it counts as overdue (later than dueAt only where the rule gives a window, e.g.
 * R-REV-2 "due at 6 weeks, overdue after 8"). An `effective` deadline is a date something takes
 * effect (services end, funding ends) rather than an obligation that can be missed.
 */
export interface Deadline {
  id: string;
  kind: DeadlineKind;
  ruleId: string;
  description: string;
  /** ISO instant */
  dueAt: string;
  /** ISO instant, >= dueAt */
  overdueAt: string;
  /** ISO instant the clock started from (the event's occurredAt) */
  startedFrom: string;
  effect: 'obligation' | 'effective';
  status: DeadlineStatus;
  /** ISO instant the deadline was met, reached or cancelled */
  closedAt?: string;
  /**
   * R-TIM-2: the instant the journey flagged it overdue (its timer reached it). Kept once it is
   * met or cancelled, so the record of having been overdue never disappears.
   */
  flaggedOverdueAt?: string;
  /**
   * R-TIM-2: met by its real date (status 'met'), but recorded only after the journey had flagged
   * it overdue — a back-dated entry, counted as such, never silently "met on time".
   */
  recordedLate?: boolean;
}

/** Every kind of clock the journey keeps (one list: the machine, the API's schemas and lists). */
export const deadlineKinds = [
  'emergencyAssessmentStart',
  'informalReview',
  'firstReview',
  'annualReview',
  'monitoringCheck',
  'unscheduledReview',
  'reassessment',
  'servicesEnd',
  'directPaymentAgreementEnd',
  'fundingAfterMove',
] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

/** Why an event is refused: a sentence a practitioner can read, and the rule behind it. */
export interface Refusal {
  /** The JOURNEY.md rule that refused it, where a rule did. */
  ruleId?: string;
  /** What is wrong and how to put it right, in words. */
  message: string;
  /** The event field the refusal is about, as a path (`plan.stayingInControl`), where it is about one. */
  field?: string;
  /** What would be accepted instead, where that can be said (`a date on or after 2026-03-02`). */
  accepted?: string;
}

export type CheckResult = { allowed: true } | { allowed: false; reasons: Refusal[] };

export interface JourneyView {
  personId: string;
  subject: 'person' | 'carer';
  council: string;
  /** machine stage id, e.g. "planning" */
  stage: string;
  /** the stage in words, e.g. "Care and support planning" */
  stageInWords: string;
  stageEnteredAt: string | undefined;
  closed: boolean;
  closure: { reason: string; at: string; dateOfDeath?: string } | undefined;
  team: string | undefined;
  allocatedWorker: string | undefined;
  concerns: {
    openComplaints: number;
    safeguardingOpen: boolean;
    inHospital: boolean;
    advocacy: 'notNeeded' | 'required' | 'arranged';
  };
  waitingOn: { party: string; since: string } | undefined;
  /** every deadline the journey has had, open ones first by due date */
  deadlines: Deadline[];
  /** event types the machine would accept now (given a well-formed payload that meets the rules) */
  allowedEvents: string[];
  /** every other event type, with why it cannot happen now */
  notAllowedNow: { type: string; reasons: Refusal[] }[];
}

/**
 * The view without the reasons for everything not allowed: what an Update returns after each
 * event. It is stored in history with every event for years, so it carries what a practitioner
 * needs next (stage, deadlines, what is allowed) and leaves the why-nots to the describe query.
 */
export type JourneyOutline = Omit<JourneyView, 'notAllowedNow'>;

export interface TimelineEntry {
  eventId: string;
  type: string;
  actor: { userId: string; role: string };
  occurredAt: string;
  recordedAt: string;
  ruleIds: string[];
  /** stage before and after */
  from: string;
  to: string;
  /** how it arrived */
  via: 'update' | 'signal' | 'timer' | 'system';
}

export interface RefusedEntry {
  eventId: string | undefined;
  type: string | undefined;
  recordedAt: string;
  /**
   * signal: delivered by signal and refused; system: the journey's own system event (the RAS's
   * answer) that it could not apply, e.g. the stage had moved on; update: accepted by the Update's
   * validator but could not be applied.
   */
  via: 'signal' | 'system' | 'update';
  reasons: Refusal[];
}
