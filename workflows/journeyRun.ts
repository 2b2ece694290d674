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
  isSystemOnly,
  type JourneyEffect,
  type JourneyEvent,
  type JourneySnapshot,
  type ParsedEvent,
  type JourneyOutline,
  type JourneyView,
  type Refusal,
  type RefusedEntry,
  type TimelineEntry,
} from '../machines';
import { bankHolidaysAround } from '../machines/calendar';
import { timelineBudget } from '../machines/describeJourney';
import { RULES_VERSION, rulesEdition } from '../machines/journeyContext';
import {
  CARRIED_BOOKKEEPING_CHARS,
  CARRIED_IDS_CHARS,
  CARRIED_REFUSAL_MESSAGE_CHARS,
  CARRIED_REFUSAL_REASONS,
  CARRIED_STATE_BUDGET_CHARS,
  thousands,
} from '../machines/limits';
import { stepOf } from '../machines/stages';
import type { Deadline } from '../machines/types';
import type { CaseRecordEntry } from '../activities/caseRecord';
import { caseStateOf } from './caseState';
import type { CarriedJourney, JourneyWorkflowInput } from './definitions';
import { migrateCarried, SNAPSHOT_VERSION } from './migrations';
import { fingerprintOf, partsOf, type EventFingerprint } from './eventDigest';
import { escalationIdPrefix, plannedNotices, resolutionNotices, type PlannedNotice } from './notices';
import { journeyNumberOf, journeyRecordId } from './journeyNumber';
import { compactedSnapshot, noticesStillRelevant } from './carriedState';
import { receiptOf, type EventReceipt } from './eventReceipt';
import { wakeSpreadOf, type WakeSpread } from './wakeSpread';

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
/** Each journey's own schemas parse a handful of events: not worth compiling (events.ts). */
const inTheWorkflow = { jitless: true } as const;

/* eslint-disable-next-line no-control-regex -- control characters are what it blanks */
const controlCharacters = /[\u0000-\u001f\u007f]/g;
/** `value` with every control character in its strings made a space (the same value if it has none). */
function blankControlCharacters(value: unknown): unknown {
  if (typeof value === 'string') {
    const blanked = value.replace(controlCharacters, ' ');
    return blanked === value ? value : blanked;
  }
  if (Array.isArray(value)) {
    const items = value.map(blankControlCharacters);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, blankControlCharacters(v)] as const);
    return entries.some(([k, v]) => v !== (value as Record<string, unknown>)[k])
      ? Object.fromEntries(entries)
      : value;
  }
  return value;
}

/** R-TIM-3: what an eventId was first used for, and the different event now sent under it. */
export interface EventConflict {
  eventId: string;
  earlier: { type: string; occurredAt: string };
  attempted: { type: string; occurredAt: string };
  /** the two differ only in occurredAt (e.g. a resend whose occurredAt the API defaulted to now) */
  onlyOccurredAtDiffers: boolean;
}

/**
 * What a run of the patch 'national-scale-costs' does differently (off for runs started before it,
 * which the workflow replays as they ran): carry bounded state at continue-as-new
 * (workflows/carriedState.ts) and spread its wake-ups (workflows/wakeSpread.ts).
 */
export interface RunScale {
  boundedCarry?: boolean;
  spreadWakeUps?: boolean;
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
  /** Which of the person's journeys this is (R-REF-4): 1 unless a later one. */
  readonly journeyNumber: number;
  eventsApplied = 0;
  private refusalsHere = { eventsApplied: -1, count: 0 };
  /** the last event's occurredAt as carried, for a run that carried no timeline */
  private readonly carriedLastEventAt: string | undefined;
  /** [run number, events applied] of the earlier runs whose end is known (CarriedJourney.runEnds) */
  readonly runEnds: [number, number][];
  private readonly boundedCarry: boolean;
  /** this person's wake-up offsets, where wake-ups are spread */
  private readonly spread: WakeSpread | undefined;

  /**
   * `rulesVersion` is the rule book's edition this run may use: the workflow passes the current one
   * unless it is replaying a run started before that edition shipped (a `patched()` marker).
   */
  constructor(
    readonly input: JourneyWorkflowInput,
    now: string,
    rulesVersion: number = RULES_VERSION,
    scale: RunScale = {},
  ) {
    this.boundedCarry = scale.boundedCarry ?? false;
    this.spread = scale.spreadWakeUps ? wakeSpreadOf(input.personId) : undefined;
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
          journeyNumber: input.journeyNumber,
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
    this.journeyNumber = journeyNumberOf(input);
    this.carriedLastEventAt = carried?.lastEventAt;
    this.runEnds = carried?.runEnds ?? [];
  }

  /** A case-record entry's id and journey mark: a later journey's never takes an earlier one's id. */
  private recordKey(id: string): { recordId: string; journeyNumber?: number } {
    return this.journeyNumber > 1
      ? { recordId: journeyRecordId(this.journeyNumber, id), journeyNumber: this.journeyNumber }
      : { recordId: id };
  }

  get closed(): boolean {
    return this.snapshot.status !== 'active';
  }

  /**
   * Judges an incoming event without changing anything (the Update validator's question).
   * `from` is 'system' only for the journey's own system events (the RAS's answer): everything
   * else that arrives is from outside, and may not raise a system-only event.
   *
   * Never throws: whatever goes wrong while judging (a malformed payload, a guard or the calendar
   * throwing on a date it cannot count from) is a refusal, so no workflow task fails because of
   * an event's content (issue 10).
   */
  judge(raw: unknown, now: string, from: 'outside' | 'system' = 'outside'): Verdict {
    try {
      return this.judgeOrThrow(raw, now, from);
    } catch (err) {
      const problem = `the event could not be judged: ${messageOf(err)}`;
      const parsed = safely(() => this.parse(raw));
      return parsed?.ok
        ? { kind: 'refused', event: parsed.event, reasons: [{ message: problem }] }
        : { kind: 'invalid', problems: [problem] };
    }
  }

  /**
   * Parses as the API's edge does. Control characters have been refused at the edge since rules
   * edition 5; a journey judged by an earlier edition may hold events with them that its history
   * accepted, so those are read with them blanked rather than refused, and replay as they ran.
   */
  private parse(raw: unknown): ParsedEvent {
    const parsed = parseJourneyEvent(raw, inTheWorkflow);
    if (parsed.ok || rulesEdition(this.snapshot.context, 5)) return parsed;
    const blanked = blankControlCharacters(raw);
    return blanked === raw ? parsed : parseJourneyEvent(blanked, inTheWorkflow);
  }

  private judgeOrThrow(raw: unknown, now: string, from: 'outside' | 'system'): Verdict {
    const parsed = this.parse(raw);
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
    if (from !== 'system' && isSystemOnly(event.type, this.snapshot.context.rulesVersion ?? 1)) {
      return { kind: 'refused', event, reasons: [systemOnlyRefusal(event.type)] };
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
          field: 'occurredAt',
          accepted: `${now} or earlier, with its offset (leave occurredAt out for now)`,
        };
        return { kind: 'refused', event, reasons: [reason] };
      }
    }
    const check = checkParsedEvent(this.snapshot, event);
    if (!check.allowed) return { kind: 'refused', event, reasons: check.reasons };
    // The pure transition, tried: an event the machine cannot apply is refused here, not in apply().
    const [after] = transition(journeyMachine, this.snapshot, event);
    // Edition 3: the state continue-as-new carries has a budget (machines/limits.ts). A journey the
    // event closes carries nothing, so closing is always possible.
    if (rulesEdition(this.snapshot.context, 3) && after.status === 'active') {
      const size = this.carriedSizeWith(after, now);
      if (size > CARRIED_STATE_BUDGET_CHARS) {
        const message = `${event.type} would make the journey's carried state ${thousands(size)} characters, over its budget of ${thousands(CARRIED_STATE_BUDGET_CHARS)} (the state must stay well under Temporal's 2 MB payload limit to continue as new): send less text, or record the detail in the case record and refer to it`;
        return { kind: 'refused', event, reasons: [{ message }] };
      }
    }
    return { kind: 'accept', event };
  }

  /** The JSON length of what `carry()` would return with this machine snapshot. */
  carriedSizeWith(snapshot: JourneySnapshot, now: string): number {
    return JSON.stringify(this.carriedWith(snapshot, now)).length;
  }

  /**
   * Applies an accepted event: the machine moves, effects are queued, the trail grows. Never
   * throws: should the machine fail on it after all, nothing changes, the event is put on the
   * refused trail with why, and the answer is undefined.
   */
  apply(event: JourneyEvent, via: TimelineEntry['via'], recordedAt: string): TimelineEntry | undefined {
    const result = this.tryApply(event, via, recordedAt);
    if (result.ok) return result.entry;
    this.recordRefusal(
      event,
      result.reasons,
      recordedAt,
      via === 'signal' ? 'signal' : via === 'update' ? 'update' : 'system',
    );
    return undefined;
  }

  /** `apply`, answering why not instead of recording it. */
  tryApply(
    event: JourneyEvent,
    via: TimelineEntry['via'],
    recordedAt: string,
  ): { ok: true; entry: TimelineEntry } | { ok: false; reasons: Refusal[] } {
    const before = this.snapshot;
    let after: JourneySnapshot;
    let actions: unknown[];
    let ruleIds: string[];
    try {
      [after, actions] = transition(journeyMachine, before, event);
      ruleIds = ruleIdsFor(before.context, event);
    } catch (err) {
      return { ok: false, reasons: [{ message: `${event.type} could not be applied: ${messageOf(err)}` }] };
    }
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
      ruleIds,
      from: stageLabel(before),
      to: stageLabel(after),
      via,
      // issue 11: the budget's amount, basis and date on its own entry (and so the case record)
      ...timelineBudget(event, after.context),
    };
    this.timeline.push(entry);
    // Issue 12: the journey after the event goes with its entry, for the case-event store's row.
    const state = safely(() =>
      caseStateOf(before, after, {
        runNumber: this.runNumber,
        eventsApplied: this.eventsApplied,
        lastEventAt: entry.occurredAt,
      }),
    );
    this.jobs.push({
      id: `case:${event.eventId}`,
      kind: 'caseRecord',
      record: {
        ...this.recordKey(event.eventId),
        personId: this.input.personId,
        kind: 'event',
        entry,
        ...(state ? { state } : {}),
        // Issue 15: the event itself, for a case record that keeps every field (an input field, no new command).
        event,
      },
    });
    for (const action of actions as { type: string; params?: unknown }[]) {
      // Emitted effects come back from the pure transition as 'xstate.emit' actions.
      if (action.type === 'xstate.emit') {
        const effect = (action.params as { event: JourneyEffect }).event;
        this.jobs.push({ id: effectId(effect), kind: 'effect', effect });
      }
    }
    return { ok: true, entry };
  }

  /** Puts an event the journey did not apply on the refused trail (kept short: limits.ts). */
  recordRefusal(
    raw: unknown,
    reasons: Refusal[],
    recordedAt: string,
    via: RefusedEntry['via'] = 'signal',
  ): RefusedEntry {
    const candidate = raw as { eventId?: unknown; type?: unknown } | null;
    const entry: RefusedEntry = shortened({
      eventId: typeof candidate?.eventId === 'string' ? candidate.eventId : undefined,
      type: typeof candidate?.type === 'string' ? candidate.type : undefined,
      recordedAt,
      via,
      reasons,
    });
    this.refused.push(entry);
    if (this.refused.length > CARRIED_REFUSED * 2) this.refused = this.refused.slice(-CARRIED_REFUSED);
    // Edition 4 (issue 12): a refused signal goes on the case record too, so every refusal is kept.
    if (via === 'signal' && rulesEdition(this.snapshot.context, 4)) {
      const what = entry.eventId ?? entry.type ?? 'unreadable';
      // Edition 5: named by where in the journey it was refused, not when, so a workflow task run
      // again after a crash names it the same and the store keeps one (the attempt Temporal kept).
      const key = this.recordKey(
        rulesEdition(this.snapshot.context, 5)
          ? `refused:r${this.runNumber}:${this.eventsApplied}.${this.nextRefusalHere()}:${what}`
          : `refused:${entry.recordedAt}:${what}`,
      );
      let recordId = key.recordId;
      for (let n = 2; this.jobs.some((job) => job.id === `case:${recordId}`); n++)
        recordId = `${recordId}:${n}`;
      this.jobs.push({
        id: `case:${recordId}`,
        kind: 'caseRecord',
        record: {
          ...key,
          recordId,
          personId: this.input.personId,
          kind: 'eventRefused',
          entry: { ...entry },
        },
      });
    }
    return entry;
  }

  /** Signals refused since the last event was applied: 1 for the first. */
  private nextRefusalHere(): number {
    if (this.refusalsHere.eventsApplied !== this.eventsApplied)
      this.refusalsHere = { eventsApplied: this.eventsApplied, count: 0 };
    return ++this.refusalsHere.count;
  }

  /**
   * A system event the journey could not apply (the RAS's answer after the stage moved on, or one
   * the rules refuse) is recorded, never dropped: on the refused trail and, for edition-3 journeys,
   * on the case record too.
   */
  recordSystemRefusal(event: JourneyEvent, reasons: Refusal[], recordedAt: string): void {
    const refused = this.recordRefusal(event, reasons, recordedAt, 'system');
    if (!rulesEdition(this.snapshot.context, 3)) return;
    const { recordId, ...mark } = this.recordKey(`refused:${event.eventId}`);
    if (this.jobs.some((job) => job.id === `case:${recordId}`)) return;
    this.jobs.push({
      id: `case:${recordId}`,
      kind: 'caseRecord',
      record: {
        recordId,
        ...mark,
        personId: this.input.personId,
        kind: 'systemEventRefused',
        entry: { ...refused, actor: event.actor, occurredAt: event.occurredAt, event: { ...event } },
      },
    });
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
      if (this.sentNotices.has(notice.id) || this.noticeWakeAt(notice) > Date.parse(now)) continue;
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
    if (this.spread) {
      // Every deadline still to reach, each moved by its own rule (an effective date is not moved).
      for (const d of this.snapshot.context.deadlines)
        if (d.status === 'due') times.push(this.deadlineWakeAt(d));
    } else {
      const deadline = nextDeadlineToFire(this.snapshot.context);
      if (deadline) times.push(Date.parse(firesAt(deadline)));
    }
    for (const notice of plannedNotices(this.snapshot.context)) {
      if (!this.sentNotices.has(notice.id)) times.push(this.noticeWakeAt(notice));
    }
    return times.length ? Math.min(...times) : undefined;
  }

  /**
   * When the journey wakes to reach a deadline: when it fires, an obligation's overdue flag up to
   * the window after it where wake-ups are spread (workflows/wakeSpread.ts). Reaching it is exact
   * whenever the journey wakes: DEADLINE_REACHED is dated by the deadline, not by the wake-up.
   */
  deadlineWakeAt(deadline: Deadline): number {
    const at = Date.parse(firesAt(deadline));
    return this.spread && deadline.effect === 'obligation' ? at + this.spread.afterMs : at;
  }

  /**
   * When a notice goes: a reminder up to the window before its time, an escalation up to the window
   * after. Not an escalation due from the moment its deadline was set (a clock imported already
   * overdue escalates at the import, workflows/notices.ts): that is no instant a caseload shares.
   */
  noticeWakeAt(notice: PlannedNotice): number {
    const at = Date.parse(notice.at);
    if (!this.spread) return at;
    if (notice.kind === 'reminder') return at - this.spread.beforeMs;
    if (notice.kind === 'escalation' && at > Date.parse(notice.deadline.startedFrom))
      return at + this.spread.afterMs;
    return at;
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
    return this.timeline.at(-1)?.occurredAt ?? this.carriedLastEventAt;
  }

  /**
   * What an Update answers since 'national-scale-costs' (and history keeps with every event): the
   * receipt, under 1 KB (workflows/eventReceipt.ts); `from` is where an applied event found the journey.
   */
  receipt(status: EventReceipt['status'], eventId: string, from?: string): EventReceipt {
    return receiptOf(this.snapshot, {
      status,
      eventId,
      ...(from !== undefined ? { from } : {}),
      stage: stageLabel(this.snapshot),
      version: {
        journeyNumber: this.journeyNumber,
        runNumber: this.runNumber,
        eventsApplied: this.eventsApplied,
      },
    });
  }

  /** What continue-as-new carries. The snapshot's bank holidays are re-pinned here, and only here. */
  carry(now: string): CarriedJourney {
    const carried = this.carriedWith(this.snapshot, now);
    (carried.snapshot as { context: { bankHolidays: string[] } }).context.bankHolidays = bankHolidaysAround(
      now,
      this.input.extraBankHolidays,
    );
    return carried;
  }

  /**
   * What continue-as-new carries with this snapshot (its bank holidays as they are). The journey's
   * bookkeeping — event ids with their R-TIM-3 fingerprints, notice ids — is kept to the newest that
   * fit in CARRIED_BOOKKEEPING_CHARS, so it can never use up the state budget however long the
   * journey runs; the refused trail is kept short (`shortened`).
   */
  private carriedWith(snapshot: JourneySnapshot, now: string): CarriedJourney {
    if (this.boundedCarry) return boundedCarry(this, snapshot, now);
    const persisted = journeyMachine.getPersistedSnapshot(snapshot) as unknown as {
      context: { bankHolidays: string[] };
    };
    const seen = newestWithin(
      [...this.seenEventIds].slice(-REMEMBERED_EVENT_IDS),
      // the id twice (in seenEventIds and in its digest pair), its fingerprint and the JSON around them
      ([id, fingerprint]) => 2 * id.length + (fingerprint?.length ?? 0) + 12,
      Math.floor(CARRIED_BOOKKEEPING_CHARS * 0.8),
    );
    const notices = newestWithin(
      [...this.sentNotices].slice(-REMEMBERED_EVENT_IDS),
      (id) => id.length + 3,
      Math.floor(CARRIED_BOOKKEEPING_CHARS * 0.2),
    );
    return {
      snapshot: persisted,
      timeline: this.timeline.slice(-CARRIED_TIMELINE),
      refused: this.refused.slice(-CARRIED_REFUSED).map(shortened),
      seenEventIds: seen.map(([id]) => id),
      seenEventDigests: seen.filter((entry): entry is [string, EventFingerprint] => entry[1] !== undefined),
      sentNotificationIds: notices,
      pendingJobs: this.jobs,
      runNumber: this.runNumber + 1,
      snapshotVersion: SNAPSHOT_VERSION,
    };
  }
}

/**
 * The bounded carry ('national-scale-costs'): the snapshot without closed deadlines and old
 * reviews, the event ids (with their R-TIM-3 fingerprints) that fit in CARRIED_IDS_CHARS — always
 * those of case-record entries still to be written — the notices of open deadlines, no timeline and
 * no refused trail (the case-event store has both whole), the last event's time, and where each
 * earlier run ended. Under 16 KB for a journey of any age (test/workflows/scale.test.ts).
 */
function boundedCarry(run: JourneyRun, snapshot: JourneySnapshot, now: string): CarriedJourney {
  const persisted = compactedSnapshot(
    journeyMachine.getPersistedSnapshot(snapshot) as unknown as {
      context: Pick<JourneySnapshot['context'], 'deadlines' | 'reviews'> & { bankHolidays: string[] };
    },
    now,
  );
  // an event's case-record job is `case:<eventId>` (tryApply)
  const pending = new Set(
    run.jobs.flatMap((job) => (job.kind === 'caseRecord' ? [job.id.slice('case:'.length)] : [])),
  );
  const idsOf = (entries: [string, EventFingerprint | undefined][]) => entries.map(([id]) => id);
  const all = [...run.seenEventIds];
  const mustKeep = all.filter(([id]) => pending.has(id));
  const newest = newestWithin(
    all.filter(([id]) => !pending.has(id)),
    ([id, fingerprint]) => 2 * id.length + (fingerprint?.length ?? 0) + 12,
    CARRIED_IDS_CHARS,
  );
  const keptIds = new Set(idsOf([...newest, ...mustKeep]));
  const seen = all.filter(([id]) => keptIds.has(id));
  const open = new Set(
    persisted.context.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue').map((d) => d.id),
  );
  const pendingNotices = new Set(run.jobs.flatMap((job) => (job.kind === 'notice' ? [job.notice.id] : [])));
  const lastEventAt = run.lastEventAt();
  return {
    snapshot: persisted,
    timeline: [],
    refused: [],
    ...(lastEventAt ? { lastEventAt } : {}),
    seenEventIds: seen.map(([id]) => id),
    seenEventDigests: seen.filter((entry): entry is [string, EventFingerprint] => entry[1] !== undefined),
    sentNotificationIds: noticesStillRelevant(run.sentNotices, open, pendingNotices),
    pendingJobs: run.jobs,
    runNumber: run.runNumber + 1,
    runEnds: [...run.runEnds, [run.runNumber, run.eventsApplied]],
    snapshotVersion: SNAPSHOT_VERSION,
  };
}

/** The newest items (the end of the list) whose sizes add up to at most `budget`, in order. */
function newestWithin<T>(items: T[], sizeOf: (item: T) => number, budget: number): T[] {
  let used = 0;
  let start = items.length;
  while (start > 0) {
    const size = sizeOf(items[start - 1] as T);
    if (used + size > budget) break;
    used += size;
    start--;
  }
  return items.slice(start);
}

/** A refused entry cut to CARRIED_REFUSAL_REASONS reasons of at most CARRIED_REFUSAL_MESSAGE_CHARS. */
function shortened(entry: RefusedEntry): RefusedEntry {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const reasons = entry.reasons.slice(0, CARRIED_REFUSAL_REASONS).map((r) => ({
    ...r,
    message: cut(r.message, CARRIED_REFUSAL_MESSAGE_CHARS),
  }));
  if (entry.reasons.length > CARRIED_REFUSAL_REASONS) {
    reasons.push({ message: `and ${entry.reasons.length - CARRIED_REFUSAL_REASONS} more reasons` });
  }
  return {
    ...entry,
    eventId: entry.eventId === undefined ? undefined : cut(entry.eventId, 200),
    type: entry.type === undefined ? undefined : cut(entry.type, 100),
    reasons,
  };
}

function systemOnlyRefusal(type: string): Refusal {
  if (type === 'INDICATIVE_BUDGET_CALCULATED') {
    return {
      ruleId: 'R-IB-2',
      message:
        "INDICATIVE_BUDGET_CALCULATED is raised by the system only: the journey asks the council's Resource Allocation System itself once the assessment is complete; a manager may set another figure with INDICATIVE_BUDGET_OVERRIDDEN and a reason, where the council's policy profile allows it",
      field: 'type',
      accepted: 'INDICATIVE_BUDGET_OVERRIDDEN, by a manager with a reason, where the profile allows it',
    };
  }
  return { message: `${type} is raised by the system only` };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** R-TIM-3: a different event under an eventId already used, refused naming both. */
export function conflictVerdict(event: JourneyEvent, earlierFingerprint: EventFingerprint): Verdict {
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
