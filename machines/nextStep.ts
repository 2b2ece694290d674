import { handledEventTypes, type JourneySnapshot } from './acceptance';
import { carerWait } from './concerns/endingAndPayments';
import { isOpen } from './deadlines';
import type { JourneyEventType } from './events';
import { isSystemOnly, journeyEventTypes } from './eventTypes';
import { RULES_VERSION, type JourneyContext } from './journeyContext';
import { eventsWhileServicesChange, journeyMachine } from './journeyMachine';
import { unallocatedCasesOf, type PolicyProfile, type UnallocatedCases } from './policyProfile';
import { preconditionRefusals } from './rules';
import { stageInWords, stageOf, stepOf } from './stages';
import { stageLimitDays } from './stuckLimits';
import type {
  Deadline,
  DeadlineKind,
  JourneyView,
  NextStep,
  NextStepOwner,
  Refusal,
  RowNextStep,
} from './types';

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
  appealDecision: 'APPEAL_DECIDED', // R-APL-1 (recordAppealDecision)
  directPaymentVariation: 'REVIEW_COMPLETED', // R-DPM-1 (recordReview; a reassessment meets it too)
  temporarySupport: 'TEMPORARY_SUPPORT_ENDED', // R-DPM-2 (recordTemporarySupportEnded)
  equipmentConfirmation: 'EQUIPMENT_CONFIRMED', // R-REV-14
  servicesArrangedInstead: 'BUDGET_COMPLAINT_SERVICES_ARRANGED', // R-CMP-1
};

/**
 * The event that ends each wait `waitingOn` (describeJourney.ts) reports, where a person sends it:
 * an advocate arranged (R-ASM-2), the direct payment agreement signed (R-ACT-1). The RAS answers by
 * itself (its wait is the indicative budget stage's own step).
 */
export const eventEndingWait: Record<string, JourneyEventType> = {
  advocate: 'ADVOCATE_ARRANGED',
  directPaymentAgreement: 'DIRECT_PAYMENT_AGREEMENT_SIGNED',
  // R-CAR-1 (edition 5): a carer identified and not yet offered an assessment
  carerAssessment: 'CARER_ASSESSMENT_OFFERED',
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
  // R-CAR-1: a carer not yet offered an assessment is a step even while another wait is reported.
  const carer = carerWait(snapshot.context);
  const steps = [
    ...snapshot.context.deadlines.filter(isOpen).map((d) => deadlineStep(snapshot, now, d)),
    stageStep(snapshot, now),
    waitingStep(snapshot, now, waiting),
    waiting?.party === carer?.party ? undefined : waitingStep(snapshot, now, carer),
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

// ---- A list row's one next step, from the search attributes alone ------------------------------

/**
 * The event that moves a case on from a stage, read from the machine's definition (no snapshot):
 * the first transition, in the machine's order, on the stage's nodes that leaves the stage, else one
 * that moves it to another step; a stage whose only limit is a step's ("interimSupport.settingUp")
 * is read at that step. Timers and system-only events are no one's step.
 */
export function eventLeavingStage(
  stage: string,
  stageLimits: Record<string, number> = {},
): JourneyEventType | undefined {
  const stageId = `journey.open.stage.${stage}`;
  let root;
  try {
    root = journeyMachine.getStateNodeById(stageId);
  } catch {
    return undefined;
  }
  const limitedStep =
    stageLimits[stage] === undefined
      ? Object.keys(stageLimits)
          .find((key) => key.startsWith(`${stage}.`))
          ?.slice(stage.length + 1)
      : undefined;
  const start = limitedStep ? root.states[limitedStep] : undefined;
  const nodes: (typeof root)[] = [];
  const visit = (node: typeof root) => {
    nodes.push(node);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(start ?? root);
  const leaving: JourneyEventType[] = [];
  const stepping: JourneyEventType[] = [];
  for (const node of nodes) {
    for (const [type, transitions] of node.transitions) {
      const event = type as JourneyEventType;
      if (!(journeyEventTypes as string[]).includes(type) || isSystemOnly(event, RULES_VERSION)) continue;
      // A review held while services change (R-REV-6) is a side road, not how such a stage moves on.
      if (stage !== 'liveSupport' && eventsWhileServicesChange.includes(type)) continue;
      const targets = transitions.flatMap((t) => t.target ?? []);
      if (targets.some((t) => t.id !== stageId && !t.id.startsWith(`${stageId}.`))) leaving.push(event);
      else if (targets.some((t) => t.id !== node.id)) stepping.push(event);
    }
  }
  return leaving[0] ?? stepping[0];
}

/** What a list row knows of a journey: its search attributes (workflows/searchAttributes.ts). */
export interface RowFacts {
  stage?: string;
  team?: string;
  worker?: string;
  overdueKinds: string[];
  overdueSince?: string;
  nextDeadlineKind?: string;
  nextDeadlineAt?: string;
  waitingOn?: string;
  /** ISO instants the stage or the wait counts as stuck from */
  stageStuckAfter?: string;
  waitingStuckAfter?: string;
}

/**
 * A list row's one next step, from its search attributes alone: lists come from one visibility
 * query, never from asking each journey (README), so the row says what the attributes tell —
 * an overdue deadline first, else the soonest of the next deadline, the stage's limit and the
 * wait's. Whether the event is allowed now takes the journey's own view (`GET /journeys/{id}`).
 * The owner: the worker, else the team, else the API's profile's duty worker.
 */
export function rowNextStep(
  facts: RowFacts,
  profile: Pick<PolicyProfile, 'council' | 'stuckAfterDays'> & { unallocatedCases?: UnallocatedCases },
): RowNextStep | undefined {
  const owner = ownerOf({
    allocatedWorker: facts.worker,
    team: facts.team,
    profile: profile as PolicyProfile,
  });
  const meets = (kind: string | undefined) => (kind ? eventMeetingDeadline[kind as DeadlineKind] : undefined);
  const overdueKind = facts.overdueKinds.find((k) => meets(k));
  if (overdueKind && facts.overdueSince) {
    return {
      because: 'deadline',
      what: `${overdueKind} overdue`,
      event: meets(overdueKind)!,
      owner,
      dueBy: facts.overdueSince,
      overdue: true,
    };
  }
  const candidates: RowNextStep[] = [];
  const nextEvent = meets(facts.nextDeadlineKind);
  if (nextEvent && facts.nextDeadlineAt) {
    candidates.push({
      because: 'deadline',
      what: `${facts.nextDeadlineKind} due`,
      event: nextEvent,
      owner,
      dueBy: facts.nextDeadlineAt,
      overdue: false,
    });
  }
  const stageEvent = facts.stage && eventLeavingStage(facts.stage, profile.stuckAfterDays.stage);
  if (stageEvent && facts.stageStuckAfter) {
    candidates.push({
      because: 'stageLimit',
      what: `move on from ${facts.stage} within the policy profile's limit`,
      event: stageEvent,
      owner,
      dueBy: facts.stageStuckAfter,
      overdue: false,
    });
  }
  const waitEvent = facts.waitingOn ? eventEndingWait[facts.waitingOn] : undefined;
  if (waitEvent && facts.waitingStuckAfter) {
    candidates.push({
      because: 'waiting',
      what: `stop waiting on ${facts.waitingOn} within the policy profile's limit`,
      event: waitEvent,
      owner,
      dueBy: facts.waitingStuckAfter,
      overdue: false,
    });
  }
  return candidates.sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy))[0];
}
