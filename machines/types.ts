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
  /** R-REV-14: equipment that is the only service, confirmed as suiting the person */
  'equipmentConfirmation',
  /** R-APL-1: an appeal decided and answered in writing */
  'appealDecision',
  /** R-DPM-1: a flagged direct-payment variation or account concern acted on */
  'directPaymentVariation',
  /** R-DPM-2: temporary support ended once the person can make their own arrangements again */
  'temporarySupport',
  /** R-CMP-1: the budget refused during a complaint, the council arranges the relevant services instead */
  'servicesArrangedInstead',
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

/**
 * Who must take a next step (issue 11): the allocated worker; else the team; else, for a case no one
 * is allocated to, the duty worker of the duty team the policy profile names (`unallocatedCases`).
 * `system`: the journey's own system event (the RAS's answer), which no person sends.
 */
export interface NextStepOwner {
  kind: 'worker' | 'team' | 'dutyWorker' | 'system';
  /** the worker's, team's or duty worker's id; for `system`, the system's */
  id: string;
  /** the team it falls to, where there is one */
  team?: string;
}

/**
 * What must happen next to meet an open deadline or unstick the case: the event that would do it
 * (from the machine), who must send it, and by when (issue 11, point 3).
 */
export interface NextStep {
  /** an open deadline; the stage's time limit in the profile; a wait on someone outside past its limit */
  because: 'deadline' | 'stageLimit' | 'waiting';
  /** what it meets, in words */
  what: string;
  /** the JOURNEY.md rule behind it, where there is one (the deadline's) */
  ruleId?: string;
  /** because 'deadline': the deadline's id */
  deadlineId?: string;
  /** the event type that would meet it */
  event: string;
  /** whether the machine accepts that event now (given a well-formed payload that meets the rules) */
  allowedNow: boolean;
  /** not allowed now: why (what must happen first) */
  notYetBecause?: Refusal[];
  owner: NextStepOwner;
  /** ISO instant it must be done by: the deadline's due date, or when the stage or wait counts as stuck */
  dueBy: string;
  /** because 'deadline': when it fell overdue, if it has */
  overdueSince?: string;
}

/**
 * A list row's one next step (api/visibility.ts), from the journey's search attributes alone:
 * whether the event is allowed now is the journey's own view's to say.
 */
export type RowNextStep = Pick<NextStep, 'because' | 'what' | 'event' | 'owner' | 'dueBy'> & {
  /** the deadline has fallen overdue (or the stage or wait is past its limit: dueBy has passed) */
  overdue: boolean;
};

/** Issue 11, point 4: the indicative budget as the person is to be told it (R-IB-2, R-IB-3). */
export interface IndicativeBudgetView {
  /** pounds a year */
  amount: number;
  /** how it was worked out (the RAS's basis, or the manager's reason for setting it) */
  basis: string;
  /** ISO instant: when it was worked out, dated by the event that caused it (edition 4) */
  calculatedAt: string;
  /** ISO instant it was shared with the person (R-IB-3) */
  sharedAt?: string;
  /** set by a manager instead of the RAS (INDICATIVE_BUDGET_OVERRIDDEN) */
  overridden?: { by: string; reason: string; replacedAmount?: number };
}

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
  /** the indicative budget, once there is one */
  indicativeBudget: IndicativeBudgetView | undefined;
  /** what must happen next, soonest due first: for each open deadline, the stage's limit, a wait */
  nextSteps: NextStep[];
  /**
   * event types the machine would accept now (given a well-formed payload that meets the rules):
   * those that meet an open deadline first (soonest due first), then other next steps', then the rest
   */
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
  /** INDICATIVE_BUDGET_CALCULATED / _OVERRIDDEN: the figure it set (issue 11, point 4) */
  budget?: { amount: number; basis: string; calculatedAt: string };
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
