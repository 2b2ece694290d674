/**
 * R-TIM-2 as a property (fast-check): random journeys whose clocks are reached by the timer and
 * then met — often by back-dated entries, dated before or after the deadline — or cancelled. Once
 * the journey has flagged a deadline overdue, no later event ever erases that record.
 */
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import type { JourneySnapshot } from '../../machines/checkEvent';
import { firesAt, isOpen, nextDeadlineToFire } from '../../machines/deadlines';
import { parseJourneyEvent, type JourneyEvent } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import type { Deadline } from '../../machines/types';
import {
  ev,
  interimSupportStarted,
  pathToActivation,
  referral,
  review,
  system,
} from '../support/journeyEvents';
import { journeyInput } from './journeyHarness';

type Snapshot = JourneySnapshot;
type Recipe = (snapshot: Snapshot) => JourneyEvent | undefined;

const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

/** Referral → emergency interim support (the R-EMG-1 clock), or the ordinary road to live support. */
const starts: Record<'emergency' | 'live', JourneyEvent[]> = {
  emergency: [
    referral('2026-03-02T09:00:00.000Z', 'R-1', { urgency: 'emergency' }),
    ev('TRIAGED', '2026-03-02T09:30:00.000Z', {
      route: 'emergencyInterimSupport',
      reason: 'no carer tonight',
    }),
    interimSupportStarted('2026-03-02T10:00:00.000Z', ['emergency home care']),
  ],
  live: pathToActivation('2026-03-02T10:00:00.000Z'),
};

/** The event that meets a deadline of this kind, at `occurredAt`. */
function meetingEvent(d: Deadline, occurredAt: string): JourneyEvent {
  switch (d.kind) {
    case 'emergencyAssessmentStart':
      return ev('ASSESSMENT_STARTED', occurredAt, {});
    case 'informalReview':
      return ev('INFORMAL_REVIEW_COMPLETED', occurredAt, {});
    case 'monitoringCheck':
      return ev('MONITORING_CHECK_COMPLETED', occurredAt, { concerns: false });
    default:
      return review(occurredAt);
  }
}

let seq = 0;
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  // The timer: the next deadline to fire is reached, when it fires.
  fc.constant((s: Snapshot) => {
    const next = nextDeadlineToFire(s.context);
    return next && ev('DEADLINE_REACHED', firesAt(next), { deadlineId: next.id }, { actor: system });
  }),
  // An open deadline met by an entry dated anywhere from its start to well after it fell overdue
  // (so back-dated before overdueAt, or really late).
  fc.tuple(fc.nat(), fc.double({ min: 0, max: 2, noNaN: true })).map(([n, fraction]) => (s: Snapshot) => {
    const open = s.context.deadlines.filter((d) => isOpen(d) && d.effect === 'obligation');
    const d = open[n % Math.max(open.length, 1)];
    if (!d) return undefined;
    const from = Date.parse(d.startedFrom);
    const span = Math.max(Date.parse(d.overdueAt) - from, HOUR);
    return meetingEvent(d, at(from + Math.round(fraction * span)));
  }),
  // The same, but a whole review whatever is open (it meets review kinds and cancels checks).
  fc.nat({ max: 24 * 400 }).map((hours) => (s: Snapshot) => {
    const from = s.context.activatedAt;
    return from ? review(at(Date.parse(from) + hours * HOUR)) : undefined;
  }),
  // Things that cancel every clock (a move, a death), recorded late and back-dated.
  fc.nat({ max: 24 * 120 }).map((hours) => (s: Snapshot) => {
    const from = Date.parse(s.context.referrals[0]?.recordedAt ?? '2026-03-02T09:00:00.000Z');
    const when = at(from + hours * HOUR);
    return ev('MOVED_AWAY', when, {
      moveDate: when.slice(0, 10),
      receivingCouncil: 'Sheffield',
      consentToShareRecords: true,
    });
  }),
  fc.nat({ max: 24 * 120 }).map((hours) => (s: Snapshot) => {
    const from = Date.parse(s.context.referrals[0]?.recordedAt ?? '2026-03-02T09:00:00.000Z');
    return ev('UNSCHEDULED_REVIEW_REQUESTED', at(from + hours * HOUR), { trigger: 'concern' });
  }),
);

const script = fc.record({
  start: fc.constantFrom<'emergency' | 'live'>('emergency', 'live'),
  events: fc.array(recipe, { minLength: 1, maxLength: 30 }),
});

function* play({ start, events }: { start: 'emergency' | 'live'; events: Recipe[] }) {
  let snapshot = initialTransition(journeyMachine, journeyInput())[0];
  const all: Recipe[] = [...starts[start].map((e) => () => e), ...events];
  for (const make of all) {
    const raw = make(snapshot);
    if (!raw) continue;
    const parsed = parseJourneyEvent({ ...raw, eventId: `${raw.eventId}-${++seq}` });
    if (!parsed.ok) throw new Error(`generated a malformed ${raw.type}: ${parsed.problems.join('; ')}`);
    snapshot = transition(journeyMachine, snapshot, parsed.event)[0];
    yield snapshot;
  }
}

describe('R-TIM-2 properties under random back-dated entries', () => {
  it('R-TIM-2: no back-dated event ever erases the record of a deadline having been flagged overdue', () => {
    let flagged = 0;
    let recordedLate = 0;
    fc.assert(
      fc.property(script, (s) => {
        const flaggedAt = new Map<string, string>();
        for (const snapshot of play(s)) {
          for (const d of snapshot.context.deadlines) {
            const known = flaggedAt.get(d.id);
            if (known !== undefined) {
              // Still overdue, or closed carrying when it was flagged.
              expect(d.status === 'overdue' || d.flaggedOverdueAt === known).toBe(true);
              expect(d.flaggedOverdueAt).toBe(known);
            } else if (d.status === 'overdue') {
              expect(d.flaggedOverdueAt).toBeDefined();
              flaggedAt.set(d.id, d.flaggedOverdueAt as string);
              flagged++;
            } else {
              // Never flagged: nothing says it was.
              expect(d.flaggedOverdueAt).toBeUndefined();
              expect(d.recordedLate).toBeUndefined();
            }
            // Met by the real date: met on or before overdueAt, met late after it.
            if (d.status === 'met')
              expect(Date.parse(d.closedAt!)).toBeLessThanOrEqual(Date.parse(d.overdueAt));
            if (d.status === 'metLate')
              expect(Date.parse(d.closedAt!)).toBeGreaterThan(Date.parse(d.overdueAt));
            // Recorded late: met by its real date after the journey had flagged it overdue.
            if (d.recordedLate) {
              expect(d.status).toBe('met');
              expect(flaggedAt.has(d.id)).toBe(true);
              recordedLate++;
            }
            if (d.status === 'met' && flaggedAt.has(d.id)) expect(d.recordedLate).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
    // The scripts do reach the interesting cases.
    expect(flagged).toBeGreaterThan(50);
    expect(recordedLate).toBeGreaterThan(10);
  });
});
