/**
 * Invariants of the roads where live services change, pause, move and end (JOURNEY.md as amended
 * on 2026-12-07), over random journeys that start with services live and then meet reviews,
 * reassessments, end letters, concerns, hospital stays, suspensions, moves and their own timers,
 * in time order:
 * - while any service is live, whatever the stage, a review is due and a review request is taken;
 * - services never end on their date while a review they triggered is undecided;
 * - every event that closes or suspends something being paid for instructs the payment arrangements;
 * - no date inside an event is earlier than the event it depends on.
 */
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { checkEvent, type JourneySnapshot } from '../../machines/checkEvent';
import { isOpen, nextDeadlineToFire, firesAt } from '../../machines/deadlines';
import type { JourneyEffect } from '../../machines/effects';
import { parseJourneyEvent, type JourneyEvent } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyshire, lancashire } from '../../machines/policyProfile';
import { stageOf } from '../../machines/stages';
import { completePlan, ev, pathToActivation, reviewWith, system } from '../support/journeyEvents';
import { journeyInput } from './journeyHarness';

type Snapshot = JourneySnapshot;
/** How to make the next event from the journey as it is and the time it has reached. */
type Recipe = (snapshot: Snapshot, now: number) => JourneyEvent;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms).slice(0, 10);
const days = (max: number) => fc.integer({ min: 0, max });

/** The stages in which services are live, once activated. */
const liveStages = new Set(['liveSupport', 'reassessment', 'endingServices', 'movedAway']);
const reviewClocks = new Set(['firstReview', 'annualReview', 'unscheduledReview', 'equipmentConfirmation']);
const servicesLive = (s: Snapshot) =>
  s.status === 'active' && s.context.activatedAt !== undefined && liveStages.has(stageOf(s));

const recipes: fc.Arbitrary<Recipe>[] = [
  fc
    .record({
      after: days(200),
      outcome: fc.constantFrom('noChange', 'planRevised', 'reassessment', 'servicesToEnd' as const),
    })
    .map(
      ({ after, outcome }): Recipe =>
        (_, now) =>
          reviewWith(iso(now + after * DAY), {
            outcome,
            shortNoticeReason: 'the person asked for it soon',
            ...(outcome === 'planRevised' ? { revisedPlan: completePlan() } : {}),
          }),
    ),
  days(3).map(
    (after): Recipe =>
      (_, now) =>
        ev('DIRECT_PAYMENT_FINANCE_CONTACTED', iso(now + after * DAY), { concerns: false }),
  ),
  fc.record({ after: days(40), outcome: fc.constantFrom('continue', 'endServices' as const) }).map(
    ({ after, outcome }): Recipe =>
      (_, now) =>
        ev('REASSESSMENT_COMPLETED', iso(now + after * DAY), {
          outcome,
          reasons: 'reassessed',
          unmetEligibleNeeds: [],
          informalSupport: 'some',
          thirdPartySources: ['GP letter'],
        }),
  ),
  days(10).map(
    (after): Recipe =>
      (_, now) =>
        ev('REASSESSMENT_COPY_PROVIDED', iso(now + after * DAY), { to: ['person-1'] }),
  ),
  // Posted on a date that may be before the copy went out, or before the letter was recorded.
  fc.record({ after: days(10), postedBefore: days(6) }).map(
    ({ after, postedBefore }): Recipe =>
      (_, now) =>
        ev('SERVICE_END_LETTER_POSTED', iso(now + after * DAY), {
          postedOn: dateOf(now + (after - postedBefore) * DAY),
          reasons: 'needs met by informal support',
          alternativesDiscussed: 'befriending service',
        }),
  ),
  fc
    .record({
      after: days(60),
      trigger: fc.constantFrom('personOrRepresentative', 'concern', 'providerAlert', 'informalSupportChange'),
    })
    .map(
      ({ after, trigger }): Recipe =>
        (_, now) =>
          ev('UNSCHEDULED_REVIEW_REQUESTED', iso(now + after * DAY), { trigger }),
    ),
  fc.record({ after: days(60), triggers: fc.boolean(), n: fc.nat(3) }).map(
    ({ after, triggers, n }): Recipe =>
      (_, now) =>
        ev('SAFEGUARDING_CONCERN_RAISED', iso(now + after * DAY), {
          concernId: `sg-${n}`,
          details: 'a concern',
          triggersUnscheduledReview: triggers,
        }),
  ),
  days(30).map(
    (after): Recipe =>
      (_, now) =>
        ev('HOSPITAL_ADMITTED', iso(now + after * DAY), {
          admittedOn: dateOf(now + after * DAY),
          hospital: 'Royal Derby',
        }),
  ),
  fc.record({ after: days(40), needsChanged: fc.boolean() }).map(
    ({ after, needsChanged }): Recipe =>
      (_, now) =>
        ev('HOSPITAL_DISCHARGED', iso(now + after * DAY), {
          dischargedOn: dateOf(now + after * DAY),
          dischargeProtocolFollowed: true,
          needsChanged,
        }),
  ),
  days(30).map(
    (after): Recipe =>
      (_, now) =>
        ev('DIRECT_PAYMENT_SUSPENDED', iso(now + after * DAY), { reason: 'a significant hospital stay' }),
  ),
  fc.record({ after: days(30), ahead: days(90), consent: fc.boolean() }).map(
    ({ after, ahead, consent }): Recipe =>
      (_, now) =>
        ev('MOVED_AWAY', iso(now + after * DAY), {
          moveDate: dateOf(now + (after + ahead) * DAY),
          receivingCouncil: 'Nottinghamshire',
          consentToShareRecords: consent,
        }),
  ),
  // The journey's own timer: the next deadline, reached when it fires.
  fc.constant<Recipe>((snapshot, now) => {
    const next = nextDeadlineToFire(snapshot.context);
    const at = next ? Math.max(now, Date.parse(firesAt(next))) : now + DAY;
    return ev('DEADLINE_REACHED', iso(at), { deadlineId: next?.id ?? 'none-1' }, { actor: system });
  }),
];

/** The road to an end of services (review, reassessment, copy, letter), so that endings are met often. */
const endingRoad: fc.Arbitrary<Recipe[]> = fc.constant([
  (_, now) => ev('DIRECT_PAYMENT_FINANCE_CONTACTED', iso(now + DAY), { concerns: false }),
  (_, now) => reviewWith(iso(now + DAY), { outcome: 'servicesToEnd', shortNoticeReason: 'asked for' }),
  (_, now) =>
    ev('REASSESSMENT_COMPLETED', iso(now + 5 * DAY), {
      outcome: 'endServices',
      reasons: 'needs met by the family',
      unmetEligibleNeeds: [],
      informalSupport: 'substantial',
      thirdPartySources: ['daughter'],
    }),
  (_, now) => ev('REASSESSMENT_COPY_PROVIDED', iso(now + 2 * DAY), { to: ['person-1'] }),
  (_, now) =>
    ev('SERVICE_END_LETTER_POSTED', iso(now + DAY), {
      postedOn: dateOf(now + DAY),
      reasons: 'needs met by informal support',
      alternativesDiscussed: 'befriending service',
    }),
]);

type Script = { profile: typeof derbyshire; directPayment: boolean; events: Recipe[] };
const scripts: fc.Arbitrary<Script> = fc.record({
  profile: fc.constantFrom(derbyshire, lancashire),
  directPayment: fc.boolean(),
  events: fc
    .array(
      fc.oneof(
        { arbitrary: fc.oneof(...recipes).map((r) => [r]), weight: 6 },
        { arbitrary: endingRoad, weight: 1 },
      ),
      {
        minLength: 5,
        maxLength: 25,
      },
    )
    .map((groups) => groups.flat()),
});

type Step = {
  before: Snapshot;
  event: JourneyEvent;
  accepted: boolean;
  after: Snapshot;
  effects: JourneyEffect[];
};

/** Plays the road to live services, then the script; events refused leave the journey and time as they were. */
function* play({ profile, directPayment, events }: Script): Generator<Step> {
  let snapshot = initialTransition(journeyMachine, journeyInput({ profile }))[0];
  let now = 0;
  const road = pathToActivation('2026-03-02T10:00:00.000Z', { directPayment });
  for (const recipe of [
    ...road.map(
      (e): Recipe =>
        () =>
          e,
    ),
    ...events,
  ]) {
    const parsed = parseJourneyEvent(recipe(snapshot, now));
    if (!parsed.ok) throw new Error(`generated a malformed event: ${parsed.problems.join('; ')}`);
    const event = parsed.event;
    const accepted = checkEvent(snapshot, event).allowed;
    const [after, actions] = transition(journeyMachine, snapshot, event);
    const effects = actions
      .filter((a) => (a.type as string) === 'xstate.emit')
      .map((a) => (a.params as unknown as { event: JourneyEffect }).event);
    yield { before: snapshot, event, accepted, after, effects };
    if (accepted) {
      snapshot = after;
      now = Math.max(now, Date.parse(event.occurredAt));
    }
  }
}

const runs = { numRuns: 300 };

describe('every road holds: invariants while live services change, pause, move and end', () => {
  it('R-REV-6 / R-REV-12: while any service is live, in any stage, a review is due and a review request is taken', () => {
    const stagesSeen = new Set<string>();
    fc.assert(
      fc.property(scripts, (script) => {
        for (const { after, accepted, event } of play(script)) {
          if (!accepted || !servicesLive(after)) continue;
          stagesSeen.add(stageOf(after));
          expect([
            stageOf(after),
            after.context.deadlines.some((d) => isOpen(d) && reviewClocks.has(d.kind)),
          ]).toEqual([stageOf(after), true]);
          const request = ev('UNSCHEDULED_REVIEW_REQUESTED', event.occurredAt, { trigger: 'concern' });
          expect([stageOf(after), checkEvent(after, request).allowed]).toEqual([stageOf(after), true]);
          // …and the review itself can be held: at once, or once its finance team is contacted (R-REV-7).
          const held = reviewWith(event.occurredAt, {
            outcome: stageOf(after) === 'endingServices' ? 'servicesToEnd' : 'noChange',
            shortNoticeReason: 'a concern',
          });
          const check = checkEvent(after, held);
          if (!check.allowed) {
            expect([stageOf(after), check.reasons.map((r) => r.ruleId)]).toEqual([
              stageOf(after),
              ['R-REV-7'],
            ]);
            const contact = ev('DIRECT_PAYMENT_FINANCE_CONTACTED', event.occurredAt, { concerns: false });
            expect([stageOf(after), checkEvent(after, contact).allowed]).toEqual([stageOf(after), true]);
          }
        }
      }),
      runs,
    );
    expect([...stagesSeen]).toEqual(expect.arrayContaining([...liveStages]));
  });

  it('R-REV-6: services never end on their date while a review they triggered is undecided', () => {
    let endings = 0;
    fc.assert(
      fc.property(scripts, (script) => {
        for (const { before, after, accepted, event } of play(script)) {
          if (!accepted || after.status !== 'done' || after.context.closure?.reason !== 'servicesEnded')
            continue;
          endings++;
          const undecided = before.context.deadlines.some((d) => d.kind === 'unscheduledReview' && isOpen(d));
          // Only the review that decides on it may end services while it is open.
          if (undecided) expect(event.type).toBe('REVIEW_COMPLETED');
        }
      }),
      runs,
    );
    expect(endings).toBeGreaterThan(5);
  });

  it('R-END-5 / R-END-4 / R-HSP-1: what closes or suspends something being paid for instructs the payment arrangements', () => {
    let seen = 0;
    fc.assert(
      fc.property(scripts, (script) => {
        for (const { before, after, accepted, event, effects } of play(script)) {
          if (!accepted) continue;
          const paid = before.context.activatedAt !== undefined && before.status === 'active';
          const closes = after.status === 'done';
          const suspends = event.type === 'DIRECT_PAYMENT_SUSPENDED';
          if (!paid || !(closes || suspends)) continue;
          seen++;
          expect([event.type, effects.some((e) => e.type === 'instructPayments')]).toEqual([
            event.type,
            true,
          ]);
        }
      }),
      runs,
    );
    expect(seen).toBeGreaterThan(5);
  });

  it('R-TIM-1: no date inside an accepted event is earlier than the event it depends on', () => {
    fc.assert(
      fc.property(scripts, (script) => {
        for (const { before, accepted, event } of play(script)) {
          if (!accepted) continue;
          if (event.type === 'SERVICE_END_LETTER_POSTED') {
            const copy = before.context.reassessment?.copyProvidedAt;
            expect(copy).toBeDefined();
            expect(event.postedOn >= (copy ?? '').slice(0, 10)).toBe(true);
          }
          if (event.type === 'HOSPITAL_DISCHARGED') {
            const admitted = before.context.hospital?.admittedOn;
            if (admitted) expect(event.dischargedOn >= admitted).toBe(true);
          }
        }
      }),
      runs,
    );
  });
});
