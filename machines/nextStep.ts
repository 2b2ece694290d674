import { handledEventTypes, type JourneySnapshot } from './checkEvent';
import { isOpen } from './deadlines';
import { isSystemOnly, journeyEventTypes, type JourneyEventType } from './events';
import type { JourneyContext } from './journeyContext';
import { unallocatedCasesOf } from './policyProfile';
import { preconditionRefusals } from './rules';
import { stageInWords, stageOf, stepOf } from './stages';
import { stageLimitDays } from './stuckLimits';
import type { Deadline, DeadlineKind, JourneyView, NextStep, NextStepOwner, Refusal } from './types';

/**
 * The next step (issue 11, point 3): for every open deadline, the stage's time limit and a wait on
 * someone outside, the event that would meet it, who must send it and by when. Pure.
 *
 * Which event answers each is read from the machine where the machine says it (the stage's own
 * transitions), and otherwise named here beside the machine action that does it; whether it is
 * allowed now is always the machine's answer (`eventsNow`, `checkEvent`), never decided here.
 * test/machine/nextStep.test.ts holds both tables to the machine: each event, sent when its
 * deadline or wait is due, is allowed and meets it.
 */

/**
 * The event that meets each kind of obligation (journeyMachine.ts: startAssessment,
 * completeInformalReview, recordReview, completeMonitoringCheck, recordReassessment).
 * Dates that take effect (servicesEnd, directPaymentAgreementEnd, fundingAfterMove) are met by no
 * one: the journey's own timer reaches them, so they have no next step.
 */
export const eventMeetingDeadline: Partial<Record<DeadlineKind, JourneyEventType>> = {
  emergencyAssessmentStart: 'ASSESSMENT_STARTED', // R-EMG-1
  informalReview: 'INFORMAL_REVIEW_COMPLETED', // R-REV-1
  firstReview: 'REVIEW_COMPLETED', // R-REV-2
  annualReview: 'REVIEW_COMPLETED', // R-REV-3
  unscheduledReview: 'REVIEW_COMPLETED', // R-REV-6
  monitoringCheck: 'MONITORING_CHECK_COMPLETED', // R-REV-4
  reassessment: 'REASSESSMENT_COMPLETED', // R-REV-12
};

/**
 * The event that ends each wait `waitingOn` (describeJourney.ts) reports, where a person sends it:
 * an advocate arranged (R-ASM-2), the direct payment agreement signed (R-ACT-1). The RAS answers by
 * itself (its wait is the indicative budget stage's own step).
 */
export const eventEndingWait: Record<string, JourneyEventType> = {
  advocate: 'ADVOCATE_ARRANGED',
  directPaymentAgreement: 'DIRECT_PAYMENT_AGREEMENT_SIGNED',
};

const DAY_MS = 86_400_000;

/** Who must act: the allocated worker; else the team; else the profile's duty worker. */
export function ownerOf(
  context: Pick<JourneyContext, 'allocatedWorker' | 'team' | 'profile'>,
): NextStepOwner {
  if (context.allocatedWorker) {
    return { kind: 'worker', id: context.allocatedWorker, ...(context.team ? { team: context.team } : {}) };
  }
  if (context.team) return { kind: 'team', id: context.team, team: context.team };
  const duty = unallocatedCasesOf(context.profile);
  return { kind: 'dutyWorker', id: duty.dutyWorker, team: duty.dutyTeam };
}

/** Where a reminder or escalation for this case goes (edition 4): the same owner, as a recipient id. */
export function noticeRecipient(
  context: Pick<JourneyContext, 'allocatedWorker' | 'team' | 'profile'>,
  kind: 'reminder' | 'escalation',
): string {
  const owner = ownerOf(context);
  if (kind === 'reminder') return owner.kind === 'team' ? `team:${owner.id}` : owner.id;
  // An escalation goes to the team's manager; a case with no team, to the duty worker.
  if (context.team) return `manager:${context.team}`;
  return owner.id;
}

/** The system's own events have the system as their owner: no person sends them. */
const systemOwner = (type: JourneyEventType): NextStepOwner => ({
  kind: 'system',
  id: type === 'INDICATIVE_BUDGET_CALCULATED' ? 'resource-allocation-system' : 'care-journeys',
});

type EventsNow = Pick<JourneyView, 'allowedEvents' | 'notAllowedNow'>;

/** The machine's answer for one event type: allowed now, or why not. */
function allowedNow(
  snapshot: JourneySnapshot,
  now: EventsNow,
  type: JourneyEventType,
): { allowedNow: boolean; notYetBecause?: Refusal[] } {
  if (now.allowedEvents.includes(type)) return { allowedNow: true };
  const refused = now.notAllowedNow.find((n) => n.type === type);
  if (refused) return { allowedNow: false, notYetBecause: refused.reasons };
  // A system-only event (eventsNow leaves those out): does the machine take it here, from the system?
  if (snapshot.status !== 'active' || !handledEventTypes(snapshot).has(type)) return { allowedNow: false };
  const reasons = preconditionRefusals(snapshot.context, type);
  return reasons.length ? { allowedNow: false, notYetBecause: reasons } : { allowedNow: true };
}

/**
 * The events that move the journey on from where it is, read from the machine's own transitions:
 * those on the active nodes of the current stage whose target lies outside the stage first, then
 * those that move it to another step of the stage. The journey's timers (DEADLINE_REACHED) are no
 * one's step.
 */
export function eventsMovingOn(snapshot: JourneySnapshot): JourneyEventType[] {
  if (snapshot.status !== 'active') return [];
  const stageId = `journey.open.stage.${stageOf(snapshot)}`;
  const stageNodes = snapshot._nodes.filter((n) => n.id === stageId || n.id.startsWith(`${stageId}.`));
  const leaf = stageNodes.reduce<(typeof stageNodes)[number] | undefined>(
    (deepest, n) => (!deepest || n.id.length > deepest.id.length ? n : deepest),
    undefined,
  );
  const leaving: JourneyEventType[] = [];
  const stepping: JourneyEventType[] = [];
  for (const node of stageNodes) {
    for (const [type, transitions] of node.transitions) {
      if (type === 'DEADLINE_REACHED' || !(journeyEventTypes as string[]).includes(type)) continue;
      const targets = transitions.flatMap((t) => t.target ?? []);
      const event = type as JourneyEventType;
      if (targets.some((t) => t.id !== stageId && !t.id.startsWith(`${stageId}.`))) {
        if (!leaving.includes(event)) leaving.push(event);
      } else if (targets.some((t) => t.id !== leaf?.id) && !stepping.includes(event)) {
        stepping.push(event);
      }
    }
  }
  return [...leaving, ...stepping.filter((t) => !leaving.includes(t))];
}

function deadlineStep(snapshot: JourneySnapshot, now: EventsNow, deadline: Deadline): NextStep | undefined {
  const event = eventMeetingDeadline[deadline.kind];
  if (!event || deadline.effect !== 'obligation') return undefined;
  return {
    because: 'deadline',
    what: deadline.description,
    ruleId: deadline.ruleId,
    deadlineId: deadline.id,
    event,
    ...allowedNow(snapshot, now, event),
    owner: ownerOf(snapshot.context),
    dueBy: deadline.dueAt,
    ...(deadline.status === 'overdue'
      ? { overdueSince: deadline.flaggedOverdueAt ?? deadline.overdueAt }
      : {}),
  };
}

/** The stage's limit in the profile (stuckAfterDays.stage): the event that moves the case on. */
function stageStep(snapshot: JourneySnapshot, now: EventsNow): NextStep | undefined {
  const days = stageLimitDays(snapshot);
  const since = snapshot.context.stageEnteredAt;
  if (days === undefined || !since) return undefined;
  const candidates = eventsMovingOn(snapshot);
  const judged = candidates.map((event) => ({ event, ...allowedNow(snapshot, now, event) }));
  // The first the machine allows now; else the first, with what must happen before it.
  const chosen = judged.find((j) => j.allowedNow) ?? judged[0];
  if (!chosen) return undefined;
  const system = isSystemOnly(chosen.event, snapshot.context.rulesVersion ?? 1);
  const step = stepOf(snapshot);
  return {
    because: 'stageLimit',
    what: `move on from "${stageInWords(stageOf(snapshot))}"${step ? ` (${step})` : ''} within ${days} days, the policy profile's limit`,
    ...chosen,
    owner: system ? systemOwner(chosen.event) : ownerOf(snapshot.context),
    dueBy: new Date(Date.parse(since) + days * DAY_MS).toISOString(),
  };
}

/** A wait on someone outside with a limit in the profile (stuckAfterDays.waitingOn). */
function waitingStep(
  snapshot: JourneySnapshot,
  now: EventsNow,
  waiting: JourneyView['waitingOn'],
): NextStep | undefined {
  if (!waiting?.since) return undefined;
  const event = eventEndingWait[waiting.party];
  const days = snapshot.context.profile.stuckAfterDays.waitingOn[waiting.party];
  if (!event || days === undefined) return undefined;
  return {
    because: 'waiting',
    what: `stop waiting on ${waiting.party} within ${days} days, the policy profile's limit`,
    event,
    ...allowedNow(snapshot, now, event),
    owner: ownerOf(snapshot.context),
    dueBy: new Date(Date.parse(waiting.since) + days * DAY_MS).toISOString(),
  };
}

/** Every next step of an open journey, soonest due first (none once it is closed). */
export function nextSteps(
  snapshot: JourneySnapshot,
  now: EventsNow,
  waiting: JourneyView['waitingOn'],
): NextStep[] {
  if (snapshot.status !== 'active') return [];
  const steps = [
    ...snapshot.context.deadlines.filter(isOpen).map((d) => deadlineStep(snapshot, now, d)),
    stageStep(snapshot, now),
    waitingStep(snapshot, now, waiting),
  ].filter((s): s is NextStep => s !== undefined);
  return steps.sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy));
}

/**
 * "Allowed now" leads with what is due: the events that meet an open deadline (soonest due first),
 * then the other next steps' events, then the rest in the catalogue's order. The same set.
 */
export function dueFirst<T extends string>(allowed: T[], steps: NextStep[]): T[] {
  const rank = (type: T): number => {
    const i = steps.findIndex((s) => s.because === 'deadline' && s.event === type);
    if (i >= 0) return i;
    const j = steps.findIndex((s) => s.event === type);
    return j >= 0 ? steps.length + j : 2 * steps.length + allowed.indexOf(type);
  };
  return [...allowed].sort((a, b) => rank(a) - rank(b));
}
