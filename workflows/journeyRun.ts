import { createActor, transition } from 'xstate';
import {
  checkParsedEvent,
  describeJourney,
  outlineJourney,
  firesAt,
  journeyMachine,
  nextDeadlineToFire,
  parseJourneyEvent,
  ruleIdsFor,
  stageOf,
  systemOnlyEvents,
  type JourneyEffect,
  type JourneyEvent,
  type JourneySnapshot,
  type JourneyOutline,
  type JourneyView,
  type Refusal,
  type RefusedEntry,
  type TimelineEntry,
} from '../machines';
import { bankHolidaysAround } from '../machines/calendar';
import { RULES_VERSION, rulesEdition } from '../machines/journeyContext';
import { stepOf } from '../machines/stages';
import type { CaseRecordEntry } from '../activities/caseRecord';
import type { CarriedJourney, JourneyWorkflowInput } from './definitions';
import { migrateCarried, SNAPSHOT_VERSION } from './migrations';
import { fingerprintOf, partsOf, type EventFingerprint } from './eventDigest';
import { escalationIdPrefix, plannedNotices, resolutionNotices, type PlannedNotice } from './notices';

/**
 * The state of one run of a journey workflow, with no Temporal calls in it: the machine snapshot,
 * the audit trail, what has been seen and sent, and the side effects still to carry out.
 * The workflow file wires it to Temporal (handlers, timers, activities, continue-as-new).
 */

/** A side effect waiting to be carried out by an activity, keyed so it happens once. */
export type Job =
  | { id: string; kind: 'effect'; effect: JourneyEffect }
  | { id: string; kind: 'caseRecord'; record: CaseRecordEntry }
  | { id: string; kind: 'notice'; notice: PlannedNotice };

/** How much of the audit trail a run carries forward (the full trail is in the case record). */
export const CARRIED_TIMELINE = 200;
const CARRIED_REFUSED = 50;
const REMEMBERED_EVENT_IDS = 10_000;
/**
 * Events occurring a little in the future are clock skew; more is a mistake. Edition 1 allows 5
 * minutes; edition 2 the profile's `timing.clockSkewAllowanceMinutes` (R-TIM-1).
 */
const EDITION_1_FUTURE_TOLERANCE_MS = 5 * 60_000;

/** R-TIM-3: what an eventId was first used for, and the different event now sent under it. */
export interface EventConflict {
  eventId: string;
  earlier: { type: string; occurredAt: string };
  attempted: { type: string; occurredAt: string };
  /** the two differ only in occurredAt (e.g. a resend whose occurredAt the API defaulted to now) */
  onlyOccurredAtDiffers: boolean;
}

export type Verdict =
  | { kind: 'accept'; event: JourneyEvent }
  | { kind: 'duplicate'; eventId: string }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'refused'; event: JourneyEvent; reasons: Refusal[] }
  | { kind: 'conflict'; event: JourneyEvent; conflict: EventConflict; reasons: Refusal[] };

export class JourneyRun {
  snapshot: JourneySnapshot;
  timeline: TimelineEntry[];
  refused: RefusedEntry[];
  /**
   * Every eventId applied, with what it was used for (R-TIM-3); undefined for ids carried from a
   * run that kept no fingerprints (any resend of those is a duplicate, as it was).
   */
  readonly seenEventIds: Map<string, EventFingerprint | undefined>;
  readonly sentNotices: Set<string>;
  jobs: Job[];
  readonly runNumber: number;
  eventsApplied = 0;

  /**
   * `rulesVersion` is the rule book's edition this run may use: the workflow passes the current one
   * unless it is replaying a run started before that edition shipped (a `patched()` marker).
   */
  constructor(
    readonly input: JourneyWorkflowInput,
    now: string,
    rulesVersion: number = RULES_VERSION,
  ) {
    const carried = input.carried && migrateCarried(input.carried);
    if (carried) {
      const restored = carried.snapshot as JourneySnapshot;
      // A new run is judged by the newest edition it may use: nothing from before is replayed.
      if ((restored.context.rulesVersion ?? 1) < rulesVersion) {
        restored.context = { ...restored.context, rulesVersion };
      }
      // Restoring needs no start: entry actions do not run again.
      this.snapshot = createActor(journeyMachine, {
        snapshot: restored,
        input: { personId: input.personId, profile: input.profile, bankHolidays: [] },
      }).getSnapshot();
    } else {
      this.snapshot = createActor(journeyMachine, {
        input: {
          personId: input.personId,
          subject: input.subject,
          profile: input.profile,
          rulesVersion,
          // Pinned by the client in the input (part of history); the bundled table only as a fallback.
          bankHolidays: input.bankHolidays ?? bankHolidaysAround(now, input.extraBankHolidays),
        },
      }).getSnapshot();
    }
    this.timeline = carried?.timeline ?? [];
    this.refused = carried?.refused ?? [];
    const fingerprints = new Map(carried?.seenEventDigests ?? []);
    this.seenEventIds = new Map((carried?.seenEventIds ?? []).map((id) => [id, fingerprints.get(id)]));
    this.sentNotices = new Set(carried?.sentNotificationIds ?? []);
    this.jobs = (carried?.pendingJobs as Job[] | undefined) ?? [];
    this.runNumber = carried?.runNumber ?? 1;
  }

  get closed(): boolean {
    return this.snapshot.status !== 'active';
  }

  /** Judges an incoming event without changing anything (the Update validator's question). */
  judge(raw: unknown, now: string): Verdict {
    const parsed = parseJourneyEvent(raw);
    if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
    const event = parsed.event;
    const edition2 = rulesEdition(this.snapshot.context, 2);
    if (this.seenEventIds.has(event.eventId)) {
      const earlier = this.seenEventIds.get(event.eventId);
      // Edition 1: an id seen before is a duplicate, whatever it carries.
      if (!edition2 || earlier === undefined || earlier === fingerprintOf(event)) {
        return { kind: 'duplicate', eventId: event.eventId };
      }
      return conflictVerdict(event, earlier);
    }
    if (systemOnlyEvents.includes(event.type)) {
      return { kind: 'refused', event, reasons: [{ message: `${event.type} is raised by the system only` }] };
    }
    if (!edition2 && Date.parse(event.occurredAt) > Date.parse(now) + EDITION_1_FUTURE_TOLERANCE_MS) {
      return { kind: 'invalid', problems: [`occurredAt ${event.occurredAt} is in the future`] };
    }
    if (edition2) {
      const minutes = this.snapshot.context.profile.timing?.clockSkewAllowanceMinutes ?? 5;
      if (Date.parse(event.occurredAt) > Date.parse(now) + minutes * 60_000) {
        const reason: Refusal = {
          ruleId: 'R-TIM-1',
          message: `occurredAt ${event.occurredAt} is later than the moment it is recorded (${now}) by more than the allowance of ${minutes} minute${minutes === 1 ? '' : 's'} for clock skew: an event cannot be recorded before it happens`,
        };
        return { kind: 'refused', event, reasons: [reason] };
      }
    }
    const check = checkParsedEvent(this.snapshot, event);
    return check.allowed ? { kind: 'accept', event } : { kind: 'refused', event, reasons: check.reasons };
  }

  /** Applies an accepted event: the machine moves, effects are queued, the trail grows. */
  apply(event: JourneyEvent, via: TimelineEntry['via'], recordedAt: string): TimelineEntry {
    const before = this.snapshot;
    const [after, actions] = transition(journeyMachine, before, event);
    this.snapshot = after;
    this.seenEventIds.set(event.eventId, fingerprintOf(event));
    this.eventsApplied++;
    if (rulesEdition(after.context, 2)) this.queueResolutions(before.context, after.context, recordedAt);
    const entry: TimelineEntry = {
      eventId: event.eventId,
      type: event.type,
      actor: event.actor,
      occurredAt: event.occurredAt,
      recordedAt,
      ruleIds: ruleIdsFor(before.context, event),
      from: stageLabel(before),
      to: stageLabel(after),
      via,
    };
    this.timeline.push(entry);
    this.jobs.push({
      id: `case:${event.eventId}`,
      kind: 'caseRecord',
      record: { recordId: event.eventId, personId: this.input.personId, kind: 'event', entry },
    });
    for (const action of actions as { type: string; params?: unknown }[]) {
      // Emitted effects come back from the pure transition as 'xstate.emit' actions.
      if (action.type === 'xstate.emit') {
        const effect = (action.params as { event: JourneyEffect }).event;
        this.jobs.push({ id: effectId(effect), kind: 'effect', effect });
      }
    }
    return entry;
  }

  recordRefusal(raw: unknown, reasons: Refusal[], recordedAt: string): void {
    const candidate = raw as { eventId?: unknown; type?: unknown } | null;
    this.refused.push({
      eventId: typeof candidate?.eventId === 'string' ? candidate.eventId : undefined,
      type: typeof candidate?.type === 'string' ? candidate.type : undefined,
      recordedAt,
      via: 'signal',
      reasons,
    });
    if (this.refused.length > CARRIED_REFUSED * 2) this.refused = this.refused.slice(-CARRIED_REFUSED);
  }

  /** DEADLINE_REACHED for every deadline whose time has come, in order. */
  reachDueDeadlines(now: string): void {
    for (;;) {
      const deadline = nextDeadlineToFire(this.snapshot.context);
      if (!deadline || Date.parse(firesAt(deadline)) > Date.parse(now)) return;
      const event: JourneyEvent = {
        type: 'DEADLINE_REACHED',
        eventId: `deadline:${deadline.id}`,
        // It happened when the deadline was reached, even if the timer fired a moment later.
        occurredAt: firesAt(deadline),
        actor: { userId: 'care-journeys', role: 'system' },
        deadlineId: deadline.id,
      };
      if (!checkParsedEvent(this.snapshot, event).allowed) return; // cannot happen while status is 'due'
      this.apply(event, 'timer', now);
    }
  }

  /** Queues every reminder and escalation whose time has come and that has not gone out. */
  queueDueNotices(now: string): void {
    for (const notice of plannedNotices(this.snapshot.context)) {
      if (this.sentNotices.has(notice.id) || Date.parse(notice.at) > Date.parse(now)) continue;
      this.sentNotices.add(notice.id);
      this.jobs.push({ id: `notice:${notice.id}`, kind: 'notice', notice });
    }
  }

  /**
   * R-TIM-2: the managers an escalation already reached are told it has been resolved, once, when
   * an event closes the deadline (met by its real date, met late or cancelled).
   */
  private queueResolutions(
    before: JourneySnapshot['context'],
    after: JourneySnapshot['context'],
    recordedAt: string,
  ): void {
    const escalated = (deadlineId: string) => {
      const prefix = escalationIdPrefix(deadlineId);
      for (const id of this.sentNotices) if (id.startsWith(prefix)) return true;
      return false;
    };
    for (const notice of resolutionNotices(before, after, escalated, recordedAt)) {
      if (this.sentNotices.has(notice.id)) continue;
      this.sentNotices.add(notice.id);
      this.jobs.push({ id: `notice:${notice.id}`, kind: 'notice', notice });
    }
  }

  /** The next instant something must happen: a deadline to reach or a notice to send. */
  nextWakeAt(): number | undefined {
    const times: number[] = [];
    const deadline = nextDeadlineToFire(this.snapshot.context);
    if (deadline) times.push(Date.parse(firesAt(deadline)));
    for (const notice of plannedNotices(this.snapshot.context)) {
      if (!this.sentNotices.has(notice.id)) times.push(Date.parse(notice.at));
    }
    return times.length ? Math.min(...times) : undefined;
  }

  completeJob(id: string): void {
    this.jobs = this.jobs.filter((job) => job.id !== id);
  }

  view(): JourneyView {
    return describeJourney(this.snapshot);
  }

  /** What an Update returns (and history keeps): the view without the why-nots. */
  outline(): JourneyOutline {
    return outlineJourney(this.snapshot);
  }

  lastEventAt(): string | undefined {
    return this.timeline.at(-1)?.occurredAt;
  }

  /** What continue-as-new carries. The snapshot's bank holidays are re-pinned here, and only here. */
  carry(now: string): CarriedJourney {
    const persisted = journeyMachine.getPersistedSnapshot(this.snapshot) as unknown as {
      context: { bankHolidays: string[] };
    };
    persisted.context.bankHolidays = bankHolidaysAround(now, this.input.extraBankHolidays);
    return {
      snapshot: persisted,
      timeline: this.timeline.slice(-CARRIED_TIMELINE),
      refused: this.refused.slice(-CARRIED_REFUSED),
      seenEventIds: [...this.seenEventIds.keys()].slice(-REMEMBERED_EVENT_IDS),
      seenEventDigests: [...this.seenEventIds]
        .slice(-REMEMBERED_EVENT_IDS)
        .filter((entry): entry is [string, EventFingerprint] => entry[1] !== undefined),
      sentNotificationIds: [...this.sentNotices].slice(-REMEMBERED_EVENT_IDS),
      pendingJobs: this.jobs,
      runNumber: this.runNumber + 1,
      snapshotVersion: SNAPSHOT_VERSION,
    };
  }
}

/** R-TIM-3: a different event under an eventId already used, refused naming both. */
function conflictVerdict(event: JourneyEvent, earlierFingerprint: EventFingerprint): Verdict {
  const earlier = partsOf(earlierFingerprint);
  const now = partsOf(fingerprintOf(event));
  const conflict: EventConflict = {
    eventId: event.eventId,
    earlier: { type: earlier.type, occurredAt: earlier.occurredAt },
    attempted: { type: event.type, occurredAt: event.occurredAt },
    onlyOccurredAtDiffers:
      earlier.type === now.type && earlier.payload === now.payload && earlier.occurredAt !== now.occurredAt,
  };
  const difference =
    earlier.type !== event.type
      ? `${event.type} at ${event.occurredAt}`
      : earlier.payload === now.payload
        ? `${event.type} at ${event.occurredAt}, not ${earlier.occurredAt}`
        : `${event.type} at ${event.occurredAt} with different details`;
  const message = `eventId ${event.eventId} was already used for ${earlier.type} at ${earlier.occurredAt}; this is a different event (${difference}): send it with an eventId of its own`;
  return { kind: 'conflict', event, conflict, reasons: [{ ruleId: 'R-TIM-3', message }] };
}

function stageLabel(snapshot: JourneySnapshot): string {
  const step = stepOf(snapshot);
  return step ? `${stageOf(snapshot)}.${step}` : stageOf(snapshot);
}

function effectId(effect: JourneyEffect): string {
  return effect.type === 'sendLetter' ? `letter:${effect.letterId}` : `${effect.type}:${effect.requestId}`;
}
