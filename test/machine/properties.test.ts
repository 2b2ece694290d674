/**
 * Property-based tests (fast-check): random sequences of well-formed events — wrong-stage events,
 * duplicate ids, dates anywhere in a few years, any actor — sent to the journey machine, often after
 * a random stretch of the ordinary road so that later stages are reached too.
 */
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { checkEvent, type JourneySnapshot } from '../../machines/checkEvent';
import { describeJourney } from '../../machines/describeJourney';
import { parseJourneyEvent, purchaseCategories, type JourneyEvent, type Plan } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyshire, lancashire } from '../../machines/policyProfile';
import { openDeadlines } from '../../machines/deadlines';
import { stageOf } from '../../machines/stages';
import { stageLimitDays } from '../../machines/stuckLimits';
import {
  completePlan,
  ev,
  manager,
  noIndicators,
  pathToActivation,
  practitioner,
  reviewNotice,
  system,
} from '../support/journeyEvents';
import { journeyInput } from './journeyHarness';

type Snapshot = JourneySnapshot;
/** An event, or how to make one from the journey as it is (DEADLINE_REACHED names a real deadline). */
type Recipe = JourneyEvent | ((snapshot: Snapshot) => JourneyEvent);

// ---- Arbitraries: every event type, well-formed, built on the test builders ----------------------

const instant = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2029-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const localDate = instant.map((i) => i.slice(0, 10));
const actor = fc.constantFrom(
  practitioner,
  manager,
  system,
  { userId: 'cms', role: 'integration' as const },
  {
    userId: 'audit',
    role: 'auditor' as const,
  },
);
const eventId = fc.constantFrom('e-1', 'e-2', 'e-3', 'e-4', 'e-5'); // duplicates on purpose
const id = (prefix: string) => fc.constantFrom(`${prefix}-1`, `${prefix}-2`, `${prefix}-3`);
const words = fc.constantFrom('help at home', 'personal care', 'a note', 'Falls prevention');
const needs = fc.array(
  fc.record({
    need: fc.constantFrom('personal care', 'social participation', 'housework'),
    points: fc.nat(120),
  }),
  { maxLength: 3 },
);
const money = fc.constantFrom(0, 8_000, 9_360, 25_000, 30_000);
const indicators = fc.record({
  serviceOnlyFewMonthsOld: fc.boolean(),
  needsLikelyToChange: fc.boolean(),
  newProviderWithoutTrackRecord: fc.boolean(),
  severalProvidersToCoordinate: fc.boolean(),
});
const plan: fc.Arbitrary<Plan> = fc.oneof(
  fc.constant(completePlan()),
  fc
    .constantFrom(...(Object.keys(completePlan()) as (keyof Plan)[]).filter((k) => k !== 'budgetManagement'))
    .map((k) => completePlan({ [k]: undefined })),
  fc
    .record({ category: fc.constantFrom(...purchaseCategories), exceptional: fc.boolean() })
    .map(({ category, exceptional }) =>
      completePlan({
        budgetManagement: ['directPayment'],
        directPayment: {
          needsMet: ['personal care'],
          amount: 180,
          frequency: 'weekly',
          purchases: [
            {
              description: 'purchase',
              category,
              exceptional: exceptional ? { reason: 'exceptional' } : undefined,
              shortStay:
                category === 'shortStayResidential'
                  ? { lengthWeeks: 2, weeksSincePreviousStay: 6 }
                  : undefined,
            },
          ],
        },
      }),
    ),
);

function event<T extends JourneyEvent['type']>(type: T, payload: fc.Arbitrary<Parameters<typeof ev<T>>[2]>) {
  return fc
    .tuple(instant, payload, actor, eventId)
    .map(([occurredAt, p, who, eid]): Recipe => ev(type, occurredAt, p, { actor: who, eventId: eid }));
}

/**
 * An instant `days` after the latest thing the journey records (its activation, last review or
 * reassessment, last referral): events that follow on in time, so that the later roads — reviews,
 * reassessments, their outcomes — are reached as well as refused.
 */
function after(snapshot: Snapshot, days: number): string {
  const { context } = snapshot;
  const times = [
    context.activatedAt,
    context.reviews.at(-1)?.at,
    context.reassessment?.completedAt,
    context.directPayment.financeContactedAt,
    context.referrals.at(-1)?.recordedAt,
  ]
    .filter((t): t is string => !!t)
    .map((t) => Date.parse(t));
  return new Date(Math.max(Date.parse('2026-03-02T10:00:00Z'), ...times) + days * 86_400_000).toISOString();
}

/** Reviews, finance contacts and reassessments in time order, with every outcome. */
const followOn: fc.Arbitrary<Recipe>[] = [
  fc
    .record({
      days: fc.integer({ min: 1, max: 400 }),
      outcome: fc.constantFrom('noChange', 'planRevised', 'reassessment', 'servicesToEnd' as const),
    })
    .map(
      ({ days, outcome }): Recipe =>
        (snapshot) =>
          ev('REVIEW_COMPLETED', after(snapshot, days), {
            reviewType: 'formal',
            outcome,
            eligibilityRedetermined: true,
            contingencyPlanReviewed: true,
            indicators: noIndicators,
            notice: reviewNotice(after(snapshot, days)),
            ...(outcome === 'planRevised' ? { revisedPlan: completePlan() } : {}),
          }),
    ),
  fc.integer({ min: 0, max: 3 }).map(
    (days): Recipe =>
      (snapshot) =>
        ev('DIRECT_PAYMENT_FINANCE_CONTACTED', after(snapshot, days), { concerns: false }),
  ),
  fc
    .record({
      days: fc.integer({ min: 1, max: 60 }),
      outcome: fc.constantFrom('continue', 'endServices' as const),
    })
    .map(
      ({ days, outcome }): Recipe =>
        (snapshot) =>
          ev('REASSESSMENT_COMPLETED', after(snapshot, days), {
            outcome,
            reasons: 'reassessed',
            unmetEligibleNeeds: [],
            informalSupport: 'some',
            thirdPartySources: ['GP letter'],
          }),
    ),
];

const recipes: fc.Arbitrary<Recipe>[] = [
  ...followOn,
  event(
    'REFERRAL_RECEIVED',
    fc.record({
      referralId: id('ref'),
      receivedDate: localDate,
      source: fc.constantFrom('self', 'gp', 'hospital'),
      urgency: fc.constantFrom('routine', 'urgent', 'emergency'),
      summary: words,
      subject: fc.constantFrom('person', 'carer'),
    }),
  ),
  event(
    'UNIVERSAL_OFFER_GIVEN',
    fc.record({
      informationAndAdvice: fc.constant(['advice']),
      signposting: fc.constant([]),
      prevention: fc.constant([]),
    }),
  ),
  event(
    'TRIAGED',
    fc.record({
      route: fc.constantFrom(
        'informationAndAdvice',
        'shortTermSupport',
        'assessment',
        'emergencyInterimSupport',
      ),
      reason: words,
    }),
  ),
  event(
    'WORKER_ALLOCATED',
    fc.record({
      team: fc.constantFrom('north', 'south'),
      workerId: fc.constantFrom('worker.ann', 'worker.cat'),
    }),
  ),
  event(
    'ORDINARY_RESIDENCE_ESTABLISHED',
    fc.record({ council: fc.constantFrom('Derbyshire', 'Lancashire') }),
  ),
  event('SHORT_TERM_SUPPORT_ENDED', fc.record({ outcome: fc.constantFrom('needsMet', 'assessmentNeeded') })),
  event(
    'INTERIM_SUPPORT_STARTED',
    fc.record({
      services: fc.constant(['home care']),
      managerApproval: fc.option(fc.record({ managerId: id('manager') }), { nil: undefined }),
      caseNotesCompleted: fc.option(fc.boolean(), { nil: undefined }),
    }),
  ),
  event('ASSESSMENT_STARTED', fc.constant({})),
  event('CAPACITY_ASSESSED', fc.record({ decision: words, hasCapacity: fc.boolean() })),
  event(
    'INVOLVEMENT_DIFFICULTY_ASSESSED',
    fc.record({ substantialDifficulty: fc.boolean(), appropriatePersonAvailable: fc.boolean() }),
  ),
  event('ADVOCATE_ARRANGED', fc.record({ advocateId: id('advocate') })),
  event('CONSENT_RECORDED', fc.record({ consentGiven: fc.boolean() })),
  event('CARER_IDENTIFIED', fc.record({ carerId: id('carer') })),
  event('CARER_ASSESSMENT_OFFERED', fc.record({ carerId: id('carer'), accepted: fc.boolean() })),
  event('ASSESSMENT_PAUSED', fc.record({ reason: words })),
  event('ASSESSMENT_RESUMED', fc.constant({})),
  event(
    'ASSESSMENT_COMPLETED',
    fc.record({
      presentingNeeds: fc.constant(['washing']),
      eligibleNeeds: needs,
      ineligibleNeeds: fc.constant([]),
      unmetEligibleNeeds: needs,
      outcomes: fc.constant(['stay at home']),
      informalSupport: fc.constantFrom('none', 'some', 'substantial'),
      equipmentConsidered: fc.boolean(),
    }),
  ),
  event('INDICATIVE_BUDGET_CALCULATED', fc.record({ amount: money, basis: words })),
  event('INDICATIVE_BUDGET_SHARED', fc.record({ sharedWith: fc.constant(['person']), method: words })),
  event('PLANNING_STARTED', fc.record({ preparedBy: fc.constantFrom('person', 'advocate', 'worker') })),
  event('PLAN_SUBMITTED', fc.record({ plan })),
  event('PLAN_VALIDATED', fc.constant({})),
  event('DISPUTE_RAISED', fc.record({ reasons: fc.constant(['budget']) })),
  event(
    'PLAN_SIGNED_OFF',
    fc.tuple(money, fc.boolean(), fc.boolean(), fc.boolean()).map(([amount, person, withDispute, s117]) => ({
      finalBudget: amount,
      costing: { reasonableCost: amount, assessedContribution: 0, otherFunding: 0, s117Aftercare: s117 },
      mismatchReason: amount === 9_360 ? undefined : 'costed',
      agreedBy: { person, advocate: 'advocate-1', workerId: 'worker.ann' },
      copyTo: [],
      accessibleFormat: 'large print',
      withDispute: withDispute
        ? { reasons: ['budget'], directedToComplaints: true, supportMeanwhile: 'care continues' }
        : undefined,
    })),
  ),
  event('DIRECT_PAYMENT_AGREEMENT_SIGNED', fc.record({ signedOn: localDate })),
  event(
    'SERVICES_ACTIVATED',
    fc.record({
      firstReviewAgreedFor: localDate,
      informalReview72h: fc.option(fc.boolean(), { nil: undefined }),
    }),
  ),
  event('INFORMAL_REVIEW_COMPLETED', fc.constant({})),
  event('DIRECT_PAYMENT_FINANCE_CONTACTED', fc.record({ concerns: fc.boolean() })),
  event(
    'REVIEW_COMPLETED',
    fc.record({
      reviewType: fc.constantFrom('formal', 'lightTouch', 'telephone'),
      outcome: fc.constantFrom('noChange', 'planRevised', 'reassessment', 'servicesToEnd'),
      eligibilityRedetermined: fc.boolean(),
      contingencyPlanReviewed: fc.boolean(),
      indicators: fc.oneof(fc.constant(noIndicators), indicators),
      nextReviewOn: fc.option(localDate, { nil: undefined }),
      complexCase: fc.option(fc.constant({ agreedWithServiceManager: 'manager.bob' }), { nil: undefined }),
      revisedPlan: fc.option(plan, { nil: undefined }),
    }),
  ),
  event('MONITORING_CHECK_COMPLETED', fc.record({ concerns: fc.boolean() })),
  event(
    'UNSCHEDULED_REVIEW_REQUESTED',
    fc.record({
      trigger: fc.constantFrom('personOrRepresentative', 'concern', 'providerAlert', 'informalSupportChange'),
    }),
  ),
  event(
    'REASSESSMENT_COMPLETED',
    fc.record({
      outcome: fc.constantFrom('continue', 'revisePlan', 'endServices'),
      reasons: words,
      unmetEligibleNeeds: needs,
      informalSupport: fc.constantFrom('none', 'some', 'substantial'),
      thirdPartySources: fc.constant([]),
      nextReviewOn: fc.option(localDate, { nil: undefined }),
    }),
  ),
  event('REASSESSMENT_COPY_PROVIDED', fc.record({ to: fc.constant(['person-1']) })),
  event(
    'SERVICE_END_LETTER_POSTED',
    fc.record({
      postedOn: localDate,
      endDate: fc.option(localDate, { nil: undefined }),
      reasons: words,
      alternativesDiscussed: words,
    }),
  ),
  event(
    'DIRECT_PAYMENT_NOTICE_GIVEN',
    fc.record({
      by: fc.constantFrom('person', 'council'),
      reason: fc.constantFrom('personChoice', 'cannotManage', 'hospitalStay', 'breach', 'other'),
      noticeGivenOn: localDate,
    }),
  ),
  event('SURPLUS_RECOVERED', fc.record({ amount: money })),
  event(
    'MOVED_AWAY',
    fc.record({ moveDate: localDate, receivingCouncil: words, consentToShareRecords: fc.boolean() }),
  ),
  event('HOSPITAL_ADMITTED', fc.record({ admittedOn: localDate, hospital: words })),
  event(
    'HOSPITAL_DISCHARGED',
    fc.record({
      dischargedOn: localDate,
      dischargeProtocolFollowed: fc.boolean(),
      needsChanged: fc.boolean(),
    }),
  ),
  event('DIRECT_PAYMENT_SUSPENDED', fc.record({ reason: words })),
  event('PERSON_DIED', fc.record({ dateOfDeath: localDate })),
  event('JOURNEY_WITHDRAWN', fc.record({ reason: words })),
  event(
    'COMPLAINT_RAISED',
    fc.record({
      complaintId: id('complaint'),
      about: fc.constantFrom('budget', 'service', 'decision', 'other'),
      details: words,
    }),
  ),
  event(
    'BUDGET_COMPLAINT_INTERIM_CHOICE',
    fc.record({
      complaintId: id('complaint'),
      choice: fc.constantFrom('manageOnOfferedBudget', 'councilArrangesServices'),
    }),
  ),
  event('COMPLAINT_RESOLVED', fc.record({ complaintId: id('complaint'), outcome: words })),
  event(
    'SAFEGUARDING_CONCERN_RAISED',
    fc.record({ concernId: id('concern'), details: words, triggersUnscheduledReview: fc.boolean() }),
  ),
  event('SAFEGUARDING_CLOSED', fc.record({ concernId: id('concern'), outcome: words })),
  // A deadline the journey has (or one it has not), reached at a random time by a random actor.
  fc.tuple(fc.nat(), instant, actor, fc.boolean()).map(([n, at, who, real]): Recipe => (s: Snapshot) => {
    const deadlines = s.context.deadlines;
    const deadlineId =
      real && deadlines.length ? (deadlines[n % deadlines.length]?.id as string) : `firstReview-${n % 5}`;
    return ev('DEADLINE_REACHED', at, { deadlineId }, { actor: who });
  }),
];

/** The ordinary road's own events, so they turn up in any order among the random ones. */
const road = [
  ...pathToActivation('2026-03-02T10:00:00.000Z'),
  ...pathToActivation('2026-03-02T10:00:00.000Z', { directPayment: true }),
];
const anyEvent = fc.oneof(...recipes, fc.constantFrom(...road));

type Script = { profile: typeof derbyshire; directPayment: boolean; roadLength: number; events: Recipe[] };

/** A random stretch of the ordinary road first (often none), then random events. */
const journeyScript: fc.Arbitrary<Script> = fc.record({
  profile: fc.constantFrom(derbyshire, lancashire),
  directPayment: fc.boolean(),
  roadLength: fc.nat({ max: 15 }),
  events: fc.array(anyEvent, { maxLength: 40 }),
});

/** The whole ordinary road first (services activated), then random events. */
const fromLiveSupport: fc.Arbitrary<Script> = journeyScript.map((script) => ({ ...script, roadLength: 99 }));

function* play({ profile, directPayment, roadLength, events }: Script) {
  const start = pathToActivation('2026-03-02T10:00:00.000Z', { directPayment }).slice(0, roadLength);
  let snapshot = initialTransition(journeyMachine, journeyInput({ profile }))[0];
  for (const recipe of [...start, ...events]) {
    const raw = typeof recipe === 'function' ? recipe(snapshot) : recipe;
    const parsed = parseJourneyEvent(raw);
    if (!parsed.ok) throw new Error(`generated a malformed ${raw.type}: ${parsed.problems.join('; ')}`);
    const [next, actions] = transition(journeyMachine, snapshot, parsed.event);
    yield { before: snapshot, event: parsed.event, after: next, actions };
    snapshot = next;
  }
}

const runs = { numRuns: 250 };

describe('properties of the journey machine under random events', () => {
  it('never throws: transition, checkEvent and describeJourney handle every well-formed event in any state', () => {
    fc.assert(
      fc.property(journeyScript, (script) => {
        for (const { before, event, after } of play(script)) {
          checkEvent(before, event);
          describeJourney(after);
        }
      }),
      runs,
    );
  });

  it('an event checkEvent refuses changes nothing when sent anyway (same state, same context, no effects)', () => {
    fc.assert(
      fc.property(journeyScript, (script) => {
        for (const { before, event, after, actions } of play(script)) {
          const check = checkEvent(before, event);
          if (check.allowed) continue;
          expect(check.reasons.length).toBeGreaterThan(0);
          expect(after.value).toEqual(before.value);
          expect(after.context).toEqual(before.context);
          expect(actions.filter((a) => (a.type as string) === 'xstate.emit')).toEqual([]);
        }
      }),
      runs,
    );
  });

  it('checkEvent agrees with the machine: an allowed event is one snapshot.can accepts, and the machine takes it', () => {
    let allowedSeen = 0;
    fc.assert(
      fc.property(journeyScript, (script) => {
        for (const { before, event, after } of play(script)) {
          const check = checkEvent(before, event);
          if (check.allowed) {
            allowedSeen++;
            expect(before.can(event)).toBe(true);
            expect(after).not.toBe(before); // a transition was taken: a new snapshot
          } else if (before.status === 'active') {
            expect(before.can(event)).toBe(false);
          }
        }
      }),
      runs,
    );
    expect(allowedSeen).toBeGreaterThan(500); // the scripts do get somewhere
  });

  it('R-PB-1 / R-ACT-1 / R-DTH-1: invariants hold after every event', () => {
    const stagesSeen = new Set<string>();
    fc.assert(
      fc.property(journeyScript, (script) => {
        for (const { after } of play(script)) {
          const { context } = after;
          stagesSeen.add(stageOf(after));
          // One main stage at a time.
          if (after.status === 'active') {
            const stage = (after.value as { open: { stage: unknown } }).open.stage;
            expect(typeof stage === 'string' || Object.keys(stage as object).length === 1).toBe(true);
          }
          // A closed journey leaves nothing pending (R-DTH-1, R-EMG-2).
          if (after.status === 'done') {
            expect(context.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue')).toEqual([]);
            if (context.interimSupport) expect(context.interimSupport.endedAt).toBeDefined();
          }
          // Deadlines: unique ids, numbered in order, never overdue before due.
          expect(new Set(context.deadlines.map((d) => d.id)).size).toBe(context.deadlines.length);
          expect(context.deadlineSeq).toBe(context.deadlines.length + 1);
          for (const d of context.deadlines)
            expect(Date.parse(d.overdueAt)).toBeGreaterThanOrEqual(Date.parse(d.dueAt));
          // R-PB-1: a personal budget exists only once signed off; services only after sign-off (R-ACT-1).
          if (context.personalBudget !== undefined)
            expect(context.signOff?.finalBudget).toBe(context.personalBudget);
          if (context.activatedAt !== undefined) expect(context.signOff).toBeDefined();
        }
      }),
      runs,
    );
    // The random scripts reach the later stages, not just triage.
    expect([...stagesSeen]).toEqual(
      expect.arrayContaining(['triage', 'assessment', 'planning', 'setUp', 'liveSupport', 'closed']),
    );
  });

  it('R-REV-12 / R-EMG-3: live services always have a review due, and an open stage always a clock or a stuck limit', () => {
    const reviewKinds = new Set(['firstReview', 'annualReview', 'unscheduledReview']);
    let liveSeen = 0;
    fc.assert(
      // Half the scripts start from services activated, so live support is always well explored.
      fc.property(fc.oneof(journeyScript, fromLiveSupport), (script) => {
        for (const { after } of play(script)) {
          if (after.status !== 'active' || stageOf(after) === 'awaitingReferral') continue;
          const open = openDeadlines(after.context);
          expect(open.length > 0 || stageLimitDays(after) !== undefined).toBe(true);
          if (after.context.activatedAt !== undefined && stageOf(after) !== 'movedAway') {
            liveSeen++;
            expect(open.some((d) => reviewKinds.has(d.kind))).toBe(true);
          }
        }
      }),
      runs,
    );
    expect(liveSeen).toBeGreaterThan(100); // the scripts do reach live services
  });
});
