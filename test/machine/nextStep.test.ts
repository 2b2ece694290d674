/**
 * Issue 11 point 3, the next step: for every open deadline, the stage's limit and a wait on someone
 * outside, the event that would meet it (the machine's), who must send it (worker → team → the
 * profile's duty worker) and by when; "allowed now" leads with what is due. Point 4: the indicative
 * budget in the view, dated by the event that caused it.
 */
import { describeJourney } from '../../machines/describeJourney';
import { eventsNow } from '../../machines/checkEvent';
import type { JourneyEvent } from '../../machines/events';
import { eventEndingWait, eventMeetingDeadline, noticeRecipient, ownerOf } from '../../machines/nextStep';
import {
  defaultUnallocatedCases,
  derbyshire,
  lancashire,
  policyProfiles,
} from '../../machines/policyProfile';
import { policyProfileSchema } from '../../machines/policyProfileSchema';
import { deadlineKinds, type DeadlineKind, type NextStep } from '../../machines/types';
import type { CarriedJourney } from '../../workflows/definitions';
import { migrateCarried, SNAPSHOT_VERSION } from '../../workflows/migrations';
import {
  completePlan,
  ev,
  interimSupportStarted,
  manager,
  pathToActivation,
  referral,
  review,
  reviewWith,
  system,
} from '../support/journeyEvents';
import {
  accept,
  journeyThrough,
  newJourney,
  onlyDeadline,
  run,
  step as machineStep,
  ROAD_START,
  roadDay,
  type Snapshot,
} from './journeyHarness';

const at = roadDay;
const minuteBefore = (iso: string) => new Date(Date.parse(iso) - 60_000).toISOString();
const stepsOf = (snapshot: Snapshot) => describeJourney(snapshot).nextSteps;
const deadlineStep = (snapshot: Snapshot, kind: DeadlineKind): NextStep => {
  const deadline = onlyDeadline(snapshot, kind, 'due');
  const found = stepsOf(snapshot).filter((s) => s.deadlineId === deadline.id);
  expect(found).toHaveLength(1);
  return found[0] as NextStep;
};

/** The emergency road up to interim services in place (R-EMG-1's clock running), unallocated unless said. */
function emergency(allocated = false): Snapshot {
  return run(newJourney(), [
    referral(at(0)),
    ...(allocated ? [ev('WORKER_ALLOCATED', at(0, 11), { team: 'north', workerId: 'worker.ann' })] : []),
    ev('TRIAGED', at(0, 12), { route: 'emergencyInterimSupport', reason: 'no one to provide care tonight' }),
    interimSupportStarted(at(0, 13)),
  ]).snapshot;
}

const live = () => journeyThrough('SERVICES_ACTIVATED');
const afterFirstReview = () => accept(live(), review(at(30)));
/** A year on (services no longer a few months old, R-REV-5): the next review 12 months off, a check at 6 (R-REV-4). */
const establishedReview = () => accept(afterFirstReview(), review(at(200)));
const requested = () =>
  accept(live(), ev('UNSCHEDULED_REVIEW_REQUESTED', at(12), { trigger: 'concern', details: 'a fall' }));
const reassessing = () => accept(live(), review(at(30), 'reassessment'));
const appealed = () =>
  accept(
    live(),
    ev('APPEAL_RAISED', at(12), { appealId: 'apl-1', about: 'personalBudget', grounds: 'too little' }),
  );
/** R-DPM-1: finance flags a live direct payment, and is contacted before the review (R-REV-7). */
const flagged = () =>
  run(journeyThrough('SERVICES_ACTIVATED', { directPayment: true }), [
    ev('DIRECT_PAYMENT_VARIATION_FLAGGED', at(12), {
      balance: 4100,
      kind: 'significantVariation',
      details: 'balance growing',
    }),
    ev('DIRECT_PAYMENT_FINANCE_CONTACTED', at(13), { concerns: true }),
  ]).snapshot;
const temporarySupport = () =>
  accept(
    live(),
    ev('TEMPORARY_SUPPORT_ARRANGED', at(12), {
      supportId: 'tmp-1',
      reason: 'personal assistant ill',
      services: ['agency care'],
    }),
  );
/** R-REV-14: the only service is a piece of simple equipment, to be confirmed as suiting the person. */
const equipmentOnly = () =>
  run(
    newJourney(),
    pathToActivation('2026-03-02T10:00:00.000Z').map((e) =>
      e.type === 'SERVICES_ACTIVATED'
        ? { ...e, equipmentOnly: { items: [{ item: 'perching stool', kind: 'simpleOneOff' as const }] } }
        : e,
    ),
  ).snapshot;
/** R-CMP-1: the budget refused while a complaint about it is considered; the council arranges services. */
const budgetRefused = () =>
  run(live(), [
    ev('COMPLAINT_RAISED', at(12), { complaintId: 'cmp-1', about: 'budget', details: 'too little' }),
    ev('BUDGET_COMPLAINT_INTERIM_CHOICE', at(12, 11), {
      complaintId: 'cmp-1',
      choice: 'councilArrangesServices',
    }),
  ]).snapshot;

/**
 * For each kind of obligation: a journey with it open, and the event that meets it, built at an
 * instant (a well-formed payload: the next step names the type, the caller fills the fields).
 */
const scenarios: [DeadlineKind, () => Snapshot, (occurredAt: string) => JourneyEvent][] = [
  ['emergencyAssessmentStart', () => emergency(true), (t) => ev('ASSESSMENT_STARTED', t, {})],
  ['informalReview', live, (t) => ev('INFORMAL_REVIEW_COMPLETED', t, {})],
  ['firstReview', live, (t) => reviewWith(t)],
  ['annualReview', afterFirstReview, (t) => reviewWith(t)],
  ['monitoringCheck', establishedReview, (t) => ev('MONITORING_CHECK_COMPLETED', t, { concerns: false })],
  ['unscheduledReview', requested, (t) => reviewWith(t)],
  [
    'reassessment',
    reassessing,
    (t) =>
      ev('REASSESSMENT_COMPLETED', t, {
        outcome: 'continue',
        reasons: 'needs unchanged',
        unmetEligibleNeeds: [],
        informalSupport: 'some',
        thirdPartySources: [],
      }),
  ],
  [
    'appealDecision',
    appealed,
    (t) => ev('APPEAL_DECIDED', t, { appealId: 'apl-1', outcome: 'notUpheld', reasons: 'costed right' }),
  ],
  ['directPaymentVariation', flagged, (t) => reviewWith(t, { directPaymentOutcome: 'continue' })],
  ['temporarySupport', temporarySupport, (t) => ev('TEMPORARY_SUPPORT_ENDED', t, { supportId: 'tmp-1' })],
  [
    'equipmentConfirmation',
    equipmentOnly,
    (t) => ev('EQUIPMENT_CONFIRMED', t, { suitable: true, closeJourney: false }),
  ],
  [
    'servicesArrangedInstead',
    budgetRefused,
    (t) => ev('BUDGET_COMPLAINT_SERVICES_ARRANGED', t, { complaintId: 'cmp-1', services: ['home care'] }),
  ],
];

describe('every open deadline has a next step: the event the machine allows when it is due', () => {
  it('names an event for every kind of obligation, and none for dates that take effect by themselves', () => {
    const effective: DeadlineKind[] = ['servicesEnd', 'directPaymentAgreementEnd', 'fundingAfterMove'];
    expect(Object.keys(eventMeetingDeadline).sort()).toEqual(
      deadlineKinds.filter((k) => !effective.includes(k)).sort(),
    );
    expect(scenarios.map(([kind]) => kind).sort()).toEqual(Object.keys(eventMeetingDeadline).sort());
  });

  it.each(scenarios)(
    '%s: the step names the event, allowed now, due by the deadline; sent then, it meets it',
    (kind, journey, meet) => {
      const snapshot = journey();
      const deadline = onlyDeadline(snapshot, kind, 'due');
      const step = deadlineStep(snapshot, kind);
      expect(step).toMatchObject({
        because: 'deadline',
        ruleId: deadline.ruleId,
        what: deadline.description,
        event: eventMeetingDeadline[kind],
        allowedNow: true,
        dueBy: deadline.dueAt,
      });
      expect(step.overdueSince).toBeUndefined();
      // The machine agrees: the event is allowed now, and sent when it is due it meets the deadline.
      expect(eventsNow(snapshot).allowed).toContain(step.event);
      const event = meet(minuteBefore(deadline.dueAt));
      expect(event.type).toBe(step.event);
      const met = accept(snapshot, event);
      expect(met.context.deadlines.find((d) => d.id === deadline.id)?.status).toBe('met');
      expect(stepsOf(met).some((s) => s.deadlineId === deadline.id)).toBe(false);
    },
  );

  it('R-EMG-1 overdue: the step stays, says since when, and the event still meets it (late)', () => {
    const snapshot = emergency(true);
    const deadline = onlyDeadline(snapshot, 'emergencyAssessmentStart');
    const overdue = accept(
      snapshot,
      ev('DEADLINE_REACHED', deadline.overdueAt, { deadlineId: deadline.id }, { actor: system }),
    );
    const step = stepsOf(overdue).find((s) => s.deadlineId === deadline.id);
    expect(step).toMatchObject({
      event: 'ASSESSMENT_STARTED',
      allowedNow: true,
      overdueSince: deadline.overdueAt,
    });
    const late = accept(overdue, ev('ASSESSMENT_STARTED', at(9), {}));
    expect(late.context.deadlines.find((d) => d.id === deadline.id)?.status).toBe('metLate');
  });

  it('R-TRF-1: a date that takes effect (funding after a move) is no one’s step; the reviews still due are', () => {
    const moved = accept(
      live(),
      ev('MOVED_AWAY', at(20), {
        moveDate: '2026-03-25',
        receivingCouncil: 'Nottinghamshire',
        consentToShareRecords: true,
      }),
    );
    const funding = onlyDeadline(moved, 'fundingAfterMove', 'due');
    const steps = stepsOf(moved).filter((s) => s.because === 'deadline');
    expect(steps.map((s) => s.deadlineId)).not.toContain(funding.id);
    // R-REV-6: the services are live until the funding ends, so their reviews are still someone's step.
    expect(steps.map((s) => [s.event, s.allowedNow])).toEqual([
      ['INFORMAL_REVIEW_COMPLETED', true],
      ['REVIEW_COMPLETED', true],
    ]);
  });

  it('a closed journey has no next steps', () => {
    const closed = accept(live(), ev('JOURNEY_WITHDRAWN', at(20), { reason: 'moved in with family' }));
    expect(describeJourney(closed).nextSteps).toEqual([]);
  });
});

describe('who must do it: the allocated worker, else the team, else the profile’s duty worker', () => {
  it('an allocated case: the worker, in their team', () => {
    expect(deadlineStep(emergency(true), 'emergencyAssessmentStart').owner).toEqual({
      kind: 'worker',
      id: 'worker.ann',
      team: 'north',
    });
  });

  it('a team without a worker: the team', () => {
    const context = { ...emergency(true).context, allocatedWorker: undefined };
    expect(ownerOf(context)).toEqual({ kind: 'team', id: 'north', team: 'north' });
    expect(noticeRecipient(context, 'reminder')).toBe('team:north');
    expect(noticeRecipient(context, 'escalation')).toBe('manager:north');
  });

  it('an unallocated case: the duty worker of the duty team the profile names (not "duty-manager")', () => {
    const snapshot = emergency(false);
    expect(deadlineStep(snapshot, 'emergencyAssessmentStart').owner).toEqual({
      kind: 'dutyWorker',
      id: 'duty-worker.derbyshire',
      team: 'derbyshire-duty',
    });
    expect(noticeRecipient(snapshot.context, 'escalation')).toBe('duty-worker.derbyshire');
    expect(noticeRecipient(snapshot.context, 'reminder')).toBe('duty-worker.derbyshire');
    const lancs = run(newJourney({ profile: lancashire }), [referral(at(0))]).snapshot;
    expect(stepsOf(lancs)[0]?.owner).toEqual({
      kind: 'dutyWorker',
      id: 'duty-worker.lancashire',
      team: 'lancashire-duty',
    });
  });

  it('a snapshot carried from before the setting (not yet migrated) gets its council’s shipped duty worker', () => {
    const { unallocatedCases: _u, ...older } = derbyshire;
    const context = { ...emergency(false).context, profile: older as typeof derbyshire };
    expect(ownerOf(context)).toMatchObject({ id: 'duty-worker.derbyshire' });
    const rutland = { ...context, profile: { ...older, council: 'Rutland' } as typeof derbyshire };
    expect(ownerOf(rutland)).toMatchObject({ id: defaultUnallocatedCases.dutyWorker });
  });
});

describe('the stage’s limit and a wait on someone outside: the event that moves the case on', () => {
  it('R-REF-2 triage (7 days in the profile): TRIAGED, by the duty worker, 7 days after the referral', () => {
    const triage = run(newJourney(), [referral(at(0))]).snapshot;
    expect(stepsOf(triage)).toEqual([
      expect.objectContaining({
        because: 'stageLimit',
        event: 'TRIAGED',
        allowedNow: true,
        owner: expect.objectContaining({ kind: 'dutyWorker' }),
        dueBy: new Date(Date.parse(at(0)) + 7 * 86_400_000).toISOString(),
      }),
    ]);
  });

  it('R-PLN-5 planning: the event that leaves the stage, and — not allowed yet — what the machine says must come first', () => {
    const planning = journeyThrough('PLANNING_STARTED');
    const view = describeJourney(planning);
    const step = view.nextSteps.find((s) => s.because === 'stageLimit');
    expect(step).toMatchObject({ event: 'PLAN_SIGNED_OFF', allowedNow: false });
    expect(step?.notYetBecause).toEqual(
      view.notAllowedNow.find((n) => n.type === 'PLAN_SIGNED_OFF')?.reasons,
    );
    expect(step?.notYetBecause?.length).toBeGreaterThan(0);
    expect(step?.dueBy).toBe(
      new Date(Date.parse(planning.context.stageEnteredAt!) + 28 * 86_400_000).toISOString(),
    );
    // Once the plan is in and validated, the same step is allowed.
    const ready = run(planning, [ev('PLAN_SUBMITTED', at(6), { plan: completePlan() })]).snapshot;
    expect(describeJourney(ready).nextSteps.find((s) => s.because === 'stageLimit')).toMatchObject({
      event: 'PLAN_SIGNED_OFF',
      allowedNow: eventsNow(ready).allowed.includes('PLAN_SIGNED_OFF'),
    });
  });

  it('R-IB-2 waiting for the RAS: its own answer is the step, the system’s to give; then sharing it, the worker’s', () => {
    const calculating = journeyThrough('ASSESSMENT_COMPLETED');
    expect(stepsOf(calculating).find((s) => s.because === 'stageLimit')).toMatchObject({
      event: 'INDICATIVE_BUDGET_CALCULATED',
      allowedNow: true,
      owner: { kind: 'system', id: 'resource-allocation-system' },
    });
    const calculated = journeyThrough('INDICATIVE_BUDGET_CALCULATED');
    expect(stepsOf(calculated).find((s) => s.because === 'stageLimit')).toMatchObject({
      event: 'INDICATIVE_BUDGET_SHARED',
      allowedNow: true,
      owner: { kind: 'worker', id: 'worker.ann' },
    });
    const shared = journeyThrough('INDICATIVE_BUDGET_SHARED');
    expect(stepsOf(shared).find((s) => s.because === 'stageLimit')?.event).toBe('PLANNING_STARTED');
  });

  it('R-ASM-2 waiting on an advocate (10 days): ADVOCATE_ARRANGED; arranged, the step is gone', () => {
    const assessing = journeyThrough('ASSESSMENT_STARTED');
    const waiting = accept(
      assessing,
      ev('INVOLVEMENT_DIFFICULTY_ASSESSED', at(2, 12), {
        substantialDifficulty: true,
        appropriatePersonAvailable: false,
      }),
    );
    const step = stepsOf(waiting).find((s) => s.because === 'waiting');
    expect(step).toMatchObject({
      event: eventEndingWait.advocate,
      allowedNow: true,
      dueBy: new Date(Date.parse(at(2, 12)) + 10 * 86_400_000).toISOString(),
    });
    const arranged = accept(waiting, ev('ADVOCATE_ARRANGED', at(3), { advocateId: 'advocate-1' }));
    expect(stepsOf(arranged).some((s) => s.because === 'waiting')).toBe(false);
  });

  it('R-ACT-1 waiting on the direct payment agreement (14 days): signing it is the step; activation must wait for it', () => {
    const setUp = journeyThrough('PLAN_SIGNED_OFF', { directPayment: true });
    const steps = stepsOf(setUp);
    expect(steps.find((s) => s.because === 'waiting')).toMatchObject({
      event: 'DIRECT_PAYMENT_AGREEMENT_SIGNED',
      allowedNow: true,
      dueBy: new Date(Date.parse(setUp.context.stageEnteredAt!) + 14 * 86_400_000).toISOString(),
    });
    expect(steps.find((s) => s.because === 'stageLimit')).toMatchObject({
      event: 'SERVICES_ACTIVATED',
      allowedNow: false,
    });
    // soonest due first
    expect(steps.map((s) => Date.parse(s.dueBy))).toEqual(
      [...steps.map((s) => Date.parse(s.dueBy))].sort((a, b) => a - b),
    );
  });
});

describe('"allowed now" leads with what is due', () => {
  it('R-EMG-1: ASSESSMENT_STARTED comes first, among the same set of events', () => {
    const snapshot = emergency(true);
    const view = describeJourney(snapshot);
    expect(view.allowedEvents[0]).toBe('ASSESSMENT_STARTED');
    expect([...view.allowedEvents].sort()).toEqual([...eventsNow(snapshot).allowed].sort());
  });

  it('live support: the deadlines’ events first, soonest due first (informal review before the first review)', () => {
    const view = describeJourney(live());
    expect(view.allowedEvents.slice(0, 2)).toEqual(['INFORMAL_REVIEW_COMPLETED', 'REVIEW_COMPLETED']);
    expect(view.allowedEvents).toHaveLength(new Set(view.allowedEvents).size);
  });
});

describe('the indicative budget in the view (R-IB-2, R-IB-3)', () => {
  it('amount, basis and when calculated; when shared; a manager’s override with who and why', () => {
    expect(describeJourney(journeyThrough('ASSESSMENT_COMPLETED')).indicativeBudget).toBeUndefined();
    const calculated = journeyThrough('INDICATIVE_BUDGET_CALCULATED');
    expect(describeJourney(calculated).indicativeBudget).toEqual({
      amount: 9360,
      basis: '78 points × £120',
      calculatedAt: at(3),
    });
    const overridden = accept(
      calculated,
      ev(
        'INDICATIVE_BUDGET_OVERRIDDEN',
        at(3, 13),
        { amount: 10_400, reason: 'the RAS has no figure for waking night care' },
        { actor: manager },
      ),
    );
    expect(describeJourney(overridden).indicativeBudget).toMatchObject({
      amount: 10_400,
      calculatedAt: at(3, 13),
      overridden: {
        by: manager.userId,
        reason: 'the RAS has no figure for waking night care',
        replacedAmount: 9360,
      },
    });
    const shared = journeyThrough('INDICATIVE_BUDGET_SHARED');
    expect(describeJourney(shared).indicativeBudget?.sharedAt).toBe(at(4));
  });

  it('R-IB-3: the RAS request carries the occurredAt of the assessment that asked for it, so a back-dated decision dates the budget back, before its sharing', () => {
    // The eligibility decision is entered days late, back-dated to when it was made.
    const road = pathToActivation(ROAD_START);
    const completedIndex = road.findIndex((e) => e.type === 'ASSESSMENT_COMPLETED');
    const before = run(newJourney(), road.slice(0, completedIndex)).snapshot;
    const backdated = { ...road[completedIndex]!, occurredAt: at(3) };
    const { snapshot: asked, effects } = machineStep(before, backdated);
    const request = effects.find((e) => e.type === 'calculateIndicativeBudget');
    expect(request).toMatchObject({ requestedAt: at(3) });
    // The journey's RAS answer, dated by the request (as the edition-4 workflow dates it) …
    const answered = accept(
      asked,
      ev(
        'INDICATIVE_BUDGET_CALCULATED',
        (request as { requestedAt: string }).requestedAt,
        { amount: 9360, basis: '78 points × £120' },
        { actor: system },
      ),
    );
    // … lets the practitioner record the sharing at its real, earlier-than-now time.
    const shared = accept(
      answered,
      ev('INDICATIVE_BUDGET_SHARED', at(3, 15), { sharedWith: ['person'], method: 'letter' }),
    );
    const budget = describeJourney(shared).indicativeBudget!;
    expect(budget.calculatedAt).toBe(at(3));
    expect(Date.parse(budget.calculatedAt)).toBeLessThanOrEqual(Date.parse(budget.sharedAt!));
  });
});

describe('the profile names the duty team and worker (unallocatedCases), with its source', () => {
  it('each shipped profile names its own; a JSON profile written before the setting gets the placeholders', () => {
    for (const profile of Object.values(policyProfiles)) {
      expect(profile.unallocatedCases.dutyWorker).toMatch(/^duty-worker\./);
    }
    const { unallocatedCases: _u, ...older } = lancashire;
    expect(policyProfileSchema.parse(older).unallocatedCases).toEqual(defaultUnallocatedCases);
  });

  it('migration 4 fills it for running journeys from the shipped profile of the same council; an unknown council gets the placeholders', () => {
    expect(SNAPSHOT_VERSION).toBe(5);
    const carried = (council: string, extra: Record<string, unknown> = {}) =>
      ({
        snapshot: { context: { profile: { council, ...extra } } },
        timeline: [],
        refused: [],
        seenEventIds: [],
        sentNotificationIds: [],
        pendingJobs: [],
        runNumber: 2,
        snapshotVersion: 3,
      }) as CarriedJourney;
    const settingOf = (c: CarriedJourney) =>
      (migrateCarried(c).snapshot as { context: { profile: { unallocatedCases: unknown } } }).context.profile
        .unallocatedCases;
    expect(settingOf(carried('Derby City'))).toEqual(policyProfiles.derbyCity.unallocatedCases);
    expect(settingOf(carried('Rutland'))).toEqual(defaultUnallocatedCases);
    const own = { dutyTeam: 'rutland-intake', dutyWorker: 'jo.duty' };
    expect(settingOf(carried('Rutland', { unallocatedCases: own }))).toEqual(own);
  });

  it('R-REV-13: migration 5 fills the settings edition 5 reads from the shipped profile of the same council, keeping its own', () => {
    const carried = (reviews: Record<string, unknown>) =>
      ({
        snapshot: { context: { profile: { council: 'Lancashire', reviews } } },
        timeline: [],
        refused: [],
        seenEventIds: [],
        sentNotificationIds: [],
        pendingJobs: [],
        runNumber: 2,
        snapshotVersion: 4,
      }) as CarriedJourney;
    const reviewsOf = (c: CarriedJourney) =>
      (migrateCarried(c).snapshot as { context: { profile: { reviews: Record<string, unknown> } } }).context
        .profile.reviews;
    const filled = reviewsOf(carried({ maxIntervalMonths: 12 }));
    expect(filled.leastNoticeWorkingDays).toBe(lancashire.reviews.leastNoticeWorkingDays);
    expect(filled.maxIntervalMonths).toBe(12);
    expect(reviewsOf(carried({ leastNoticeWorkingDays: 15 })).leastNoticeWorkingDays).toBe(15);
  });
});
