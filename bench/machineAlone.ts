import { performance } from 'node:perf_hooks';
import { initialTransition, transition } from 'xstate';
import { bankHolidaysAround } from '../machines/calendar';
import {
  checkParsedEvent,
  derbyshire,
  journeyMachine,
  parseJourneyEvent,
  type JourneySnapshot,
} from '../machines';
import type { JourneyEvent } from '../machines/events';
import { isRasResult, pathToActivation } from '../test/support/journeyEvents';
import { JourneyRun } from '../workflows/journeyRun';
import { changedPairs, searchAttributeValues } from '../workflows/searchAttributeValues';
import { COMPLETE_BEFORE_DUE_MS, completionOf, DAY_MS, nextReviewCycleDeadline } from './scenario';
import { round } from './stats';

/**
 * Part 1: the machine alone, no Temporal. How many transitions a second the pure machine makes,
 * how many events a second the workflow's own per-event work handles (judge, as the Update
 * validator does and its handler reuses; apply; the receipt it returns; deadlines, notices and
 * search attributes), and how big
 * the persisted snapshot (and what continue-as-new carries) is as a journey ages.
 */

const YEAR_MS = 365.25 * DAY_MS;
/** Since edition 3 (R-IB-2) only the journey's own RAS answer may raise INDICATIVE_BUDGET_CALCULATED. */
const from = (event: JourneyEvent) => (isRasResult(event) ? 'system' : 'outside');
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export interface MachineAloneResult {
  eventsInTenYearRoad: number;
  pureTransitions: { transitions: number; seconds: number; perSecond: number; microsPerTransition: number };
  workflowEventSteps: { events: number; seconds: number; perSecond: number; microsPerEvent: number };
  persistedSnapshotBytes: Record<string, number>;
  /** what one continue-as-new carries (input of the next run), after 10 years: bounded since 'national-scale-costs' */
  carriedBytesAfterTenYears: number;
  /** the same as runs started before 'national-scale-costs' carry it (timeline, refused trail, every id and deadline) */
  carriedBytesAfterTenYearsUnbounded?: number;
  /** what every applyEvent Update returns (and history keeps): the receipt since 'national-scale-costs' */
  updateResultBytes: number;
  /** the journey outline, which runs started before 'national-scale-costs' return (the describe query's now) */
  outlineBytes?: number;
  deadlinesInContextAfterTenYears: number;
}

interface Road {
  events: JourneyEvent[];
  checkpoints: { label: string; afterEvents: number }[];
}

/** Referral to activation, then every review-cycle obligation met two days early, for 10 years. */
function tenYearRoad(startMs: number): Road {
  const start = new Date(startMs).toISOString();
  let snapshot = newSnapshot(start);
  const events: JourneyEvent[] = [];
  const checkpoints: Road['checkpoints'] = [];
  const take = (raw: JourneyEvent) => {
    const parsed = parseJourneyEvent(raw);
    if (!parsed.ok) throw new Error(`bench event ${raw.type} is malformed: ${parsed.problems.join('; ')}`);
    const check = checkParsedEvent(snapshot, parsed.event);
    if (!check.allowed) {
      throw new Error(`${raw.type} refused: ${check.reasons.map((r) => r.message).join('; ')}`);
    }
    snapshot = transition(journeyMachine, snapshot, parsed.event)[0];
    events.push(parsed.event);
  };
  for (const event of pathToActivation(start)) take(event);
  checkpoints.push({ label: 'activated', afterEvents: events.length });
  let year = 1;
  for (;;) {
    const due = nextReviewCycleDeadline(snapshot.context.deadlines);
    if (!due) break;
    const at = Date.parse(due.dueAt) - COMPLETE_BEFORE_DUE_MS;
    if (at > startMs + 10 * YEAR_MS) break;
    while (at > startMs + year * YEAR_MS) {
      checkpoints.push({ label: `year${year}`, afterEvents: events.length });
      year++;
    }
    take(completionOf(due.kind, new Date(at).toISOString()));
    if (due.kind === 'firstReview') checkpoints.push({ label: 'firstReview', afterEvents: events.length });
  }
  checkpoints.push({ label: 'year10', afterEvents: events.length });
  return { events, checkpoints };
}

function newSnapshot(now: string): JourneySnapshot {
  return initialTransition(journeyMachine, {
    personId: 'bench-person',
    subject: 'person',
    profile: derbyshire,
    bankHolidays: bankHolidaysAround(now),
  })[0];
}

/** Runs `pass` repeatedly for at least `minMs` (after a warm-up), counting what it returns. */
function timed(pass: () => number, minMs: number): { count: number; seconds: number } {
  const warmUntil = performance.now() + Math.min(500, minMs / 4);
  while (performance.now() < warmUntil) pass();
  let count = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) count += pass();
  return { count, seconds: (performance.now() - t0) / 1000 };
}

export function runMachineAlone(options: { minMs?: number } = {}): MachineAloneResult {
  const minMs = options.minMs ?? 3_000;
  const startMs = Date.parse('2026-01-05T10:00:00.000Z');
  const road = tenYearRoad(startMs);
  const first = new Date(startMs).toISOString();

  // Pure transitions: the machine's own cost per event.
  const pure = timed(() => {
    let snapshot = newSnapshot(first);
    for (const event of road.events) snapshot = transition(journeyMachine, snapshot, event)[0];
    return road.events.length;
  }, minMs);

  // What the workflow does per event, without Temporal.
  const input = { personId: 'bench-person', subject: 'person' as const, profile: derbyshire };
  // as the workflow runs it since 'national-scale-costs'
  const scale = { boundedCarry: true, spreadWakeUps: true };
  const stepped = timed(() => {
    const run = new JourneyRun(input, first, undefined, scale);
    const upserted = new Map<string, string>();
    for (const event of road.events) {
      const now = new Date(Date.parse(event.occurredAt) + 60_000).toISOString();
      // the Update validator (its handler reuses the verdict); the RAS answer is the journey's own
      const verdict = run.judge(event, now, from(event));
      if (verdict.kind !== 'accept') throw new Error(`${event.type} not accepted: ${verdict.kind}`);
      const entry = run.apply(verdict.event, 'update', now);
      run.receipt('applied', verdict.event.eventId, entry?.from); // the Update result
      run.reachDueDeadlines(now);
      run.queueDueNotices(now);
      run.nextWakeAt();
      changedPairs(
        searchAttributeValues(run.snapshot, { lastEventAt: run.lastEventAt(), technicalIssue: undefined }),
        upserted,
      );
      run.jobs = [];
    }
    return road.events.length;
  }, minMs);

  // Sizes as the journey ages.
  const sizes: Record<string, number> = {
    new: bytes(journeyMachine.getPersistedSnapshot(newSnapshot(first))),
  };
  const run = new JourneyRun(input, first, undefined, scale);
  const unbounded = new JourneyRun(input, first);
  let applied = 0;
  for (const checkpoint of road.checkpoints) {
    for (; applied < checkpoint.afterEvents; applied++) {
      const event = road.events[applied] as JourneyEvent;
      const now = new Date(Date.parse(event.occurredAt) + 60_000).toISOString();
      const verdict = run.judge(event, now, from(event));
      if (verdict.kind !== 'accept') throw new Error(`${event.type} not accepted: ${verdict.kind}`);
      run.apply(verdict.event, 'update', event.occurredAt);
      unbounded.apply(verdict.event, 'update', event.occurredAt);
      // carried out as the workflow does them (a run continues as new once its jobs are done)
      run.jobs = [];
      unbounded.jobs = [];
    }
    sizes[checkpoint.label] = bytes(journeyMachine.getPersistedSnapshot(run.snapshot));
  }
  const tenYearsOn = new Date(startMs + 10 * YEAR_MS).toISOString();
  return {
    eventsInTenYearRoad: road.events.length,
    pureTransitions: {
      transitions: pure.count,
      seconds: round(pure.seconds),
      perSecond: Math.round(pure.count / pure.seconds),
      microsPerTransition: round((pure.seconds * 1e6) / pure.count, 1),
    },
    workflowEventSteps: {
      events: stepped.count,
      seconds: round(stepped.seconds),
      perSecond: Math.round(stepped.count / stepped.seconds),
      microsPerEvent: round((stepped.seconds * 1e6) / stepped.count, 1),
    },
    persistedSnapshotBytes: sizes,
    carriedBytesAfterTenYears: bytes(run.carry(tenYearsOn)),
    carriedBytesAfterTenYearsUnbounded: bytes(unbounded.carry(tenYearsOn)),
    updateResultBytes: bytes(run.receipt('applied', road.events.at(-1)!.eventId)),
    outlineBytes: bytes({ status: 'applied', eventId: 'x', view: run.outline() }),
    deadlinesInContextAfterTenYears: run.snapshot.context.deadlines.length,
  };
}

if (require.main === module) {
  console.log(JSON.stringify(runMachineAlone({ minMs: 1_000 }), null, 2));
}
