/**
 * R-IMP-1 as a property (fast-check): random journeys down the ordinary road into live support, then
 * random live-support events in time order — the informal review, reviews (face to face or by
 * telephone, next review agreed, decided by indicators or left to the rules, a direct payment
 * brought in or taken out), agreements signed, monitoring checks, finance contacts — with the
 * journey's timers fired as the workflow fires them (council-managed or direct payment; Derbyshire,
 * Lancashire, Derby City). At a random moment
 * after activation the person's facts are imported as a new journey (importedFromLived.ts builds the
 * JOURNEY_IMPORTED event from the lived journey's record), and the two are compared: open deadlines
 * (kind, due, overdue, whether overdue yet), next steps and stuck limits.
 *
 * They are equal, but for these documented exceptions, each asserted exactly where it applies:
 */
import fc from 'fast-check';
import { initialTransition } from 'xstate';
import { checkEvent } from '../../machines/checkEvent';
import { calendarOf, firesAt, isOpen } from '../../machines/deadlines';
import { describeJourney } from '../../machines/describeJourney';
import type { JourneyEvent } from '../../machines/events';
import { planUsesDirectPayment } from '../../machines/journeyContext';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyCity, derbyshire, lancashire, type PolicyProfile } from '../../machines/policyProfile';
import { stageOf } from '../../machines/stages';
import { stageLimitDays } from '../../machines/stuckLimits';
import type { Deadline, NextStep } from '../../machines/types';
import {
  completePlan,
  directPaymentPlan,
  ev,
  noIndicators,
  pathToActivation,
  reviewNotice,
  reviewWith,
} from '../support/journeyEvents';
import { importedAt, reachClocks, sendIfAllowed } from './importedFromLived';
import { journeyInput, run, type Snapshot } from './journeyHarness';

export const exceptions = {
  /**
   * By the hour: a row gives days, not hours. The 72 hours of R-REV-1 run from the start of the
   * London day services began, and the wait on a direct payment agreement brought in at a review
   * (R-ACT-1, the profile's stuck limit) from the start of that review's day. The imported informal
   * review is due up to a day sooner than the lived one (never later), and so may already be
   * overdue where the lived one is still due; it is set exactly when the lived one is open. The
   * wait's limit falls up to a day sooner likewise.
   */
  byTheHour: 'by the hour',
  /**
   * Overdue since the import: a clock already past is flagged overdue by the import itself (one
   * escalation then, workflows/notices.ts), where the lived journey flagged it when its timer
   * fired. Both are overdue; the step's overdueSince is the import's moment.
   */
  overdueSinceTheImport: 'overdue since the import',
  /**
   * R-REV-7 is a condition, not a clock, and no column carries it: whether the direct payment
   * finance team was contacted since the last review. The imported journey asks for the contact
   * again before a direct payment review (one contact more, never one fewer).
   */
  financeContactAskedAgain: 'R-REV-7 finance contact asked again',
  /**
   * A direct payment brought in at a review and taken out again at a later one: at that later
   * review the lived journey still counts R-REV-5's few months from when the direct payment was
   * brought in (the arrangement it reviewed was young), where a row carries only the arrangement
   * now in place. So where the later review left the next one to the rules, the lived one set R-REV-5's
   * months and the import sets the services' own interval; the next review's cycle (the review and
   * its monitoring checks) differs, and only it. An agreed next review date, as a case system
   * exports it, carries the lived date across.
   */
  directPaymentTakenOut: 'direct payment taken out again',
} as const;

type Exception = keyof typeof exceptions;

// ---- Random live support --------------------------------------------------------------------

type Move =
  | { kind: 'informalReview'; hours: number }
  | {
      kind: 'review';
      days: number;
      outcome: 'noChange' | 'planRevised';
      form: 'formal' | 'telephone';
      next: 'rules' | 'indicators' | 'agreed';
      months: number;
      /** a plan revised to a direct payment (brought in at the review, R-REV-5), or to council-managed */
      toDirectPayment: boolean;
    }
  | { kind: 'monitoringCheck'; days: number }
  | { kind: 'agreementSigned'; days: number }
  | { kind: 'financeContact'; days: number }
  | { kind: 'time'; days: number };

const move: fc.Arbitrary<Move> = fc.oneof(
  fc.record({ kind: fc.constant('informalReview' as const), hours: fc.integer({ min: 1, max: 120 }) }),
  fc.record({
    kind: fc.constant('review' as const),
    // often while the service is young (R-REV-2's weeks, R-REV-5's months), else any time
    days: fc.oneof(fc.integer({ min: 35, max: 70 }), fc.integer({ min: 1, max: 420 })),
    outcome: fc.constantFrom('noChange' as const, 'planRevised' as const),
    form: fc.constantFrom('formal' as const, 'formal' as const, 'telephone' as const),
    next: fc.constantFrom('rules' as const, 'indicators' as const, 'agreed' as const),
    months: fc.integer({ min: 3, max: 12 }),
    toDirectPayment: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('agreementSigned' as const), days: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('monitoringCheck' as const), days: fc.integer({ min: 1, max: 240 }) }),
  fc.record({ kind: fc.constant('financeContact' as const), days: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('time' as const), days: fc.integer({ min: 1, max: 200 }) }),
);

const script = fc.record({
  profile: fc.constantFrom<PolicyProfile>(derbyshire, lancashire, derbyCity),
  directPayment: fc.boolean(),
  /** when the road starts: services are activated nine days later, at any hour */
  startHours: fc.integer({ min: 0, max: 24 * 90 }),
  moves: fc.array(move, { maxLength: 16 }),
  /** how long after the last move the person is imported */
  importAfterHours: fc.oneof(
    fc.integer({ min: 0, max: 24 * 200 }),
    // past a monitoring check's day (R-REV-4), before the next review's
    fc.integer({ min: 24 * 183, max: 24 * 330 }),
  ),
});

const HOUR = 3_600_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const allTrue = {
  lowLevelNonPersonalCare: true,
  noCommunicationDifficulty: true,
  faceToFaceReviewInPreviousYear: true,
  ableToMonitorAndAskForFaceToFace: true,
  needsUnchanged: true,
};

/** The event a move makes at `now` (undefined: nothing to do). */
function eventOf(m: Move, lived: Snapshot, now: string): JourneyEvent | undefined {
  const calendar = calendarOf(lived.context);
  switch (m.kind) {
    case 'informalReview':
      return ev('INFORMAL_REVIEW_COMPLETED', plus(lived.context.activatedAt ?? now, m.hours * HOUR), {});
    case 'monitoringCheck':
      return ev('MONITORING_CHECK_COMPLETED', plus(now, m.days * 24 * HOUR), { concerns: false });
    case 'agreementSigned': {
      const at = plus(now, m.days * 24 * HOUR);
      return ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', at, { signedOn: calendar.londonDateOf(at) });
    }
    case 'financeContact':
      return ev('DIRECT_PAYMENT_FINANCE_CONTACTED', plus(now, m.days * 24 * HOUR), { concerns: false });
    case 'time':
      return undefined;
    case 'review': {
      const at = plus(now, m.days * 24 * HOUR);
      return reviewWith(at, {
        outcome: m.outcome,
        reviewType: m.form,
        ...(m.form === 'telephone' ? { telephoneConditions: allTrue } : {}),
        notice: reviewNotice(at),
        indicators: m.next === 'indicators' ? { ...noIndicators, needsLikelyToChange: true } : noIndicators,
        ...(m.next === 'agreed'
          ? { nextReviewOn: calendar.addCalendarMonths(calendar.londonDateOf(at), m.months) }
          : {}),
        ...(m.outcome === 'planRevised'
          ? { revisedPlan: m.toDirectPayment ? directPaymentPlan() : completePlan() }
          : {}),
      });
    }
  }
}

type ScriptValue = {
  profile: PolicyProfile;
  directPayment: boolean;
  startHours: number;
  moves: Move[];
  importAfterHours: number;
};

interface Lived {
  snapshot: Snapshot;
  /** the import moment */
  at: string;
  /** whether the last review stated its next review (a date, or indicators that decided it) */
  nextReviewStated: boolean;
}

/** The lived journey at the import moment, or undefined where it has left live support. */
function live(s: ScriptValue): Lived | undefined {
  const start = plus('2026-03-02T00:00:00.000Z', s.startHours * HOUR);
  let snapshot = run(
    initialTransition(journeyMachine, journeyInput({ profile: s.profile }))[0],
    pathToActivation(start, { directPayment: s.directPayment }),
  ).snapshot;
  let now = snapshot.context.activatedAt as string;
  let nextReviewStated = false;
  for (const m of s.moves) {
    if (m.kind === 'time') {
      now = plus(now, m.days * 24 * HOUR);
      continue;
    }
    const event = eventOf(m, snapshot, now);
    if (!event || Date.parse(event.occurredAt) < Date.parse(now)) continue;
    const after = sendIfAllowed(snapshot, event);
    if (!after) continue;
    snapshot = after;
    now = event.occurredAt;
    if (m.kind === 'review') nextReviewStated = m.next !== 'rules';
  }
  const at = plus(now, s.importAfterHours * HOUR);
  snapshot = reachClocks(snapshot, at);
  if (snapshot.status !== 'active' || stageOf(snapshot) !== 'liveSupport') return undefined;
  return { snapshot, at, nextReviewStated };
}

// ---- The comparison -------------------------------------------------------------------------

const openOf = (snapshot: Snapshot, kind?: Deadline['kind']) =>
  snapshot.context.deadlines.filter((d) => isOpen(d) && (kind === undefined || d.kind === kind));

/** Open deadlines as the rule reads them (ids and the moment flagged are the journey's own). */
const clocksOf = (snapshot: Snapshot) =>
  openOf(snapshot)
    .filter((d) => d.kind !== 'informalReview')
    .map((d) => ({ kind: d.kind, dueAt: d.dueAt, overdueAt: d.overdueAt, status: d.status }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.dueAt.localeCompare(b.dueAt));

/**
 * Next steps as people read them. R-REV-7 as the only reason a direct payment review is not allowed
 * yet is read as allowed on both journeys, and said (`financeAsked`): exceptions.financeContactAskedAgain.
 */
function stepsOf(snapshot: Snapshot) {
  let financeAsked = false;
  const steps = describeJourney(snapshot)
    .nextSteps.map((step: NextStep) => {
      // exceptions.byTheHour: the informal review and the wait on an agreement, compared below
      const byTheHour = step.event === 'INFORMAL_REVIEW_COMPLETED' || step.because === 'waiting';
      const notYet = (step.notYetBecause ?? []).map((r) => r.ruleId ?? '-').sort();
      const askedForFinance =
        step.event === 'REVIEW_COMPLETED' &&
        !step.allowedNow &&
        planUsesDirectPayment(snapshot.context.plan) &&
        notYet.length > 0 &&
        notYet.every((id) => id === 'R-REV-7');
      if (askedForFinance) financeAsked = true;
      return {
        because: step.because,
        event: step.event,
        ruleId: step.ruleId,
        what: step.what,
        owner: step.owner,
        dueBy: byTheHour ? 'by the hour' : step.dueBy,
        // exceptions.overdueSinceTheImport: overdue on both, flagged at different moments
        overdue: byTheHour ? 'by the hour' : step.overdueSince !== undefined,
        allowedNow: askedForFinance ? true : step.allowedNow,
        notYet: askedForFinance ? '' : notYet.join(','),
      };
    })
    .sort((a, b) => `${a.dueBy}${a.event}${a.what}`.localeCompare(`${b.dueBy}${b.event}${b.what}`));
  return { steps, financeAsked };
}

/** What a comparison met: the cases R-IMP-1 names, and the exceptions that applied. */
interface Tally {
  seen: Set<Exception>;
  compared: number;
  withInformal: number;
  withChecks: number;
  withOverdueCheck: number;
  withReducedInterval: number;
  withNewDirectPayment: number;
  withAwaitedAgreement: number;
}

const newTally = (): Tally => ({
  seen: new Set(),
  compared: 0,
  withInformal: 0,
  withChecks: 0,
  withOverdueCheck: 0,
  withReducedInterval: 0,
  withNewDirectPayment: 0,
  withAwaitedAgreement: 0,
});

/** The lived journey of the script against its import: equal, but for the exceptions above. */
function compareImported(s: ScriptValue, tally: Tally): void {
  const { seen } = tally;
  const lived = live(s);
  if (!lived) return;
  const { snapshot: livedJourney, at } = lived;
  const event = importedAt(livedJourney, at, { nextReviewStated: lived.nextReviewStated });
  const fresh = initialTransition(journeyMachine, journeyInput({ profile: s.profile }))[0];
  // The same facts are always importable: a refusal here is a difference too.
  expect(checkEvent(fresh, event)).toEqual({ allowed: true });
  const imported = run(fresh, [event]).snapshot;
  tally.compared++;

  expect(stageOf(imported)).toBe(stageOf(livedJourney));
  // A direct payment in place, brought in at a review, is carried as such (R-REV-5, R-ACT-1).
  if (planUsesDirectPayment(livedJourney.context.plan))
    expect(Boolean(imported.context.directPayment.introducedAt)).toBe(
      Boolean(livedJourney.context.directPayment.introducedAt),
    );
  // exceptions.directPaymentTakenOut, exactly: why the next review differs, and by how much.
  const livedReview = livedJourney.context.reviews.at(-1);
  const importedReview = imported.context.reviews.at(-1);
  // (The review that took the direct payment out cleared `introducedAt`, so reviews after it count
  // from the services' own start again; only that review's own next date is the young one.)
  const takenOut =
    livedReview?.outcome === 'planRevised' &&
    !planUsesDirectPayment(livedJourney.context.plan) &&
    livedJourney.context.directPayment.introducedAt === undefined &&
    livedReview?.nextReviewOn !== importedReview?.nextReviewOn;
  if (takenOut && livedReview && importedReview) {
    seen.add('directPaymentTakenOut');
    const calendar = calendarOf(livedJourney.context);
    const reviewDay = calendar.londonDateOf(livedReview.at);
    const { reducedIntervalMonths, maxIntervalMonths } = s.profile.reviews;
    expect(lived.nextReviewStated).toBe(false);
    expect(livedReview.nextReviewOn).toBe(calendar.addCalendarMonths(reviewDay, reducedIntervalMonths));
    expect(importedReview.nextReviewOn).toBe(calendar.addCalendarMonths(reviewDay, maxIntervalMonths));
  }
  const cycle = (kind: string) => takenOut && (kind === 'annualReview' || kind === 'monitoringCheck');
  // Open deadlines: kind, due, overdue, and whether overdue yet.
  expect(clocksOf(imported).filter((c) => !cycle(c.kind))).toEqual(
    clocksOf(livedJourney).filter((c) => !cycle(c.kind)),
  );
  // exceptions.byTheHour, exactly: the informal review is set when the lived one is open, due at
  // the profile's hours from the start of the day services began, never later than the lived one.
  const [livedInformal] = openOf(livedJourney, 'informalReview');
  const importedInformal = openOf(imported, 'informalReview');
  expect(importedInformal.length).toBe(livedInformal ? 1 : 0);
  if (livedInformal && importedInformal[0]) {
    tally.withInformal++;
    const calendar = calendarOf(imported.context);
    const startOfDay = calendar.startOfLondonDay(
      calendar.londonDateOf(livedJourney.context.activatedAt as string),
    );
    const due = importedInformal[0].dueAt;
    expect(due).toBe(calendar.hoursAfter(startOfDay, s.profile.reviews.informalReviewHours));
    expect(Date.parse(due)).toBeLessThanOrEqual(Date.parse(livedInformal.dueAt));
    expect(Date.parse(livedInformal.dueAt) - Date.parse(due)).toBeLessThan(25 * HOUR);
    expect(importedInformal[0].status).toBe(
      Date.parse(firesAt(importedInformal[0])) <= Date.parse(at) ? 'overdue' : 'due',
    );
    if (due !== livedInformal.dueAt) seen.add('byTheHour');
  }
  // … and the wait on an agreement counts from the start of the day it began.
  const livedWait = describeJourney(livedJourney).waitingOn;
  const importedWait = describeJourney(imported).waitingOn;
  expect(importedWait?.party).toBe(livedWait?.party);
  if (livedWait && importedWait) {
    tally.withAwaitedAgreement++;
    const calendar = calendarOf(imported.context);
    expect(importedWait.since).toBe(calendar.startOfLondonDay(calendar.londonDateOf(livedWait.since)));
    if (importedWait.since !== livedWait.since) seen.add('byTheHour');
  }
  // Next steps, and the stuck limits (the stage's, and a wait on someone outside).
  const importedSteps = stepsOf(imported);
  const livedSteps = stepsOf(livedJourney);
  const outsideCycle = (step: { ruleId?: string }) =>
    !takenOut || (step.ruleId !== 'R-REV-3' && step.ruleId !== 'R-REV-4');
  expect(importedSteps.steps.filter(outsideCycle)).toEqual(livedSteps.steps.filter(outsideCycle));
  // The finance contact is asked again only ever on the imported side.
  if (livedSteps.financeAsked) expect(importedSteps.financeAsked).toBe(true);
  if (importedSteps.financeAsked && !livedSteps.financeAsked) seen.add('financeContactAskedAgain');
  if (openOf(imported).some((d) => d.status === 'overdue')) seen.add('overdueSinceTheImport');
  expect(stageLimitDays(imported)).toBe(stageLimitDays(livedJourney));

  if (openOf(livedJourney, 'monitoringCheck').length) tally.withChecks++;
  if (openOf(livedJourney, 'monitoringCheck').some((d) => d.status === 'overdue')) tally.withOverdueCheck++;
  if (livedJourney.context.directPayment.introducedAt) tally.withNewDirectPayment++;
  const review = livedJourney.context.reviews.at(-1);
  if (
    review &&
    !lived.nextReviewStated &&
    calendarOf(livedJourney.context).addCalendarMonths(
      calendarOf(livedJourney.context).londonDateOf(review.at),
      s.profile.reviews.reducedIntervalMonths,
    ) === review.nextReviewOn
  )
    tally.withReducedInterval++;
}

describe('R-IMP-1 as a property: imported equals lived', () => {
  it('R-IMP-1: an imported journey has exactly the clocks of one that lived the same facts', () => {
    const tally = newTally();
    fc.assert(
      fc.property(script, (s) => compareImported(s, tally)),
      { numRuns: 400 },
    );
    // The scripts reach the cases R-IMP-1 names, and the exceptions met on every road are met.
    expect(tally.compared).toBeGreaterThan(250);
    expect(tally.withInformal).toBeGreaterThan(20);
    expect(tally.withChecks).toBeGreaterThan(3);
    expect(tally.withOverdueCheck).toBeGreaterThan(2);
    expect(tally.withReducedInterval).toBeGreaterThan(5);
    expect(tally.withNewDirectPayment).toBeGreaterThan(5);
    expect(tally.withAwaitedAgreement).toBeGreaterThan(2);
    expect([...tally.seen]).toEqual(
      expect.arrayContaining(['byTheHour', 'overdueSinceTheImport', 'financeContactAskedAgain']),
    );
  });

  it('R-IMP-1: the rarer exception, on a journey built to show it: a direct payment brought in and taken out again', () => {
    // Services from 11 March 2026; a direct payment brought in at the review of 8 August and
    // taken out at the next, on 27 September: the services are then six months old, the direct
    // payment seven weeks.
    const review = (days: number, toDirectPayment: boolean): Move => ({
      kind: 'review',
      days,
      outcome: 'planRevised',
      form: 'formal',
      next: 'rules',
      months: 12,
      toDirectPayment,
    });
    const tally = newTally();
    compareImported(
      {
        profile: derbyshire,
        directPayment: false,
        startHours: 0,
        moves: [
          review(150, true),
          { kind: 'time', days: 20 },
          { kind: 'financeContact', days: 0 },
          review(30, false),
        ],
        importAfterHours: 0,
      },
      tally,
    );
    expect(tally.compared).toBe(1);
    expect([...tally.seen]).toContain('directPaymentTakenOut');
  });
});
