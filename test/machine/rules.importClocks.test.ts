/**
 * R-IMP-1: a person imported mid-journey gets exactly the clocks a journey that had lived through
 * the same facts would have — the 72-hour informal review while services are younger than it, a
 * monitoring check or review already due overdue at once (not dropped), R-REV-5's six months after
 * a review of a young service or a new direct payment. Each case is set beside the journey that
 * lived it where one can be built; every instant is explicit (nothing depends on today's date).
 */
import { createHash } from 'node:crypto';
import { initialTransition } from 'xstate';
import { describeJourney } from '../../machines/describeJourney';
import type { EventOf } from '../../machines/events';
import {
  importColumnNames,
  importEvent,
  importEventId,
  importTemplate,
  parseImportRow,
} from '../../machines/importRow';
import { journeyMachine } from '../../machines/journeyMachine';
import { lancashire } from '../../machines/policyProfile';
import type { Deadline } from '../../machines/types';
import { directPaymentPlan, ev, pathToActivation, reviewWith } from '../support/journeyEvents';
import { integration, reachClocks } from './importedFromLived';
import {
  accept,
  deadlinesOf,
  expectRefused,
  journeyInput,
  newJourney,
  onlyDeadline,
  run,
  type Snapshot,
} from './journeyHarness';

/** The import runs on Monday 2 March 2026 at 08:00 (GMT). */
const IMPORT_AT = '2026-03-02T08:00:00.000Z';

type ImportPayload = Partial<
  Omit<EventOf<'JOURNEY_IMPORTED'>, 'type' | 'eventId' | 'occurredAt' | 'actor' | 'source'>
>;

let row = 1;
/** A person at live support with a council-managed budget, with these facts. */
function live(facts: ImportPayload, at = IMPORT_AT) {
  row += 1;
  return ev(
    'JOURNEY_IMPORTED',
    at,
    {
      source: { file: 'caseload.csv', row, system: 'Mosaic' },
      subject: 'person',
      complaints: [],
      safeguarding: [],
      stage: 'liveSupport',
      team: 'north',
      workerId: 'worker.ann',
      personalBudget: 9360,
      budgetManagement: ['councilManaged'],
      ...facts,
    } as Omit<EventOf<'JOURNEY_IMPORTED'>, 'type' | 'eventId' | 'occurredAt' | 'actor'>,
    { actor: integration, eventId: `import-clocks-${row}` },
  );
}

/** A journey judged by edition 4: its history replays as it was accepted. */
const edition4Journey = (): Snapshot =>
  initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 4 })[0];

/** The open clocks as the rule reads them: kind, when due, when overdue, and whether overdue yet. */
const clocks = (snapshot: Snapshot) =>
  snapshot.context.deadlines
    .filter((d) => d.status === 'due' || d.status === 'overdue')
    .map((d: Deadline) => ({ kind: d.kind, dueAt: d.dueAt, overdueAt: d.overdueAt, status: d.status }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.dueAt.localeCompare(b.dueAt));

/** The ordinary road, services activated at `activatedAt` (the road's events a day apart before it). */
function livedFrom(activatedAt: string): Snapshot {
  const start = new Date(Date.parse(activatedAt) - 9 * 86_400_000).toISOString();
  return run(newJourney(), pathToActivation(start)).snapshot;
}

describe('R-IMP-1: the 72-hour informal review (R-REV-1)', () => {
  it('R-IMP-1: services begun a day before the import get the 72-hour informal review, exactly as a journey activated that day has it', () => {
    // Services began on Sunday 1 March 2026 (London midnight, GMT): a day before the import.
    const lived = livedFrom('2026-03-01T00:00:00.000Z');
    const firstReviewAgreedFor = lived.context.firstReviewAgreedFor;
    const imported = accept(
      newJourney(),
      live({ servicesStartedOn: '2026-03-01', nextReviewOn: firstReviewAgreedFor }),
    );
    expect(onlyDeadline(imported, 'informalReview')).toMatchObject({
      status: 'due',
      ruleId: 'R-REV-1',
      dueAt: '2026-03-04T00:00:00.000Z',
    });
    expect(clocks(imported)).toEqual(clocks(lived));
    // and it is met as on any journey
    const held = accept(imported, ev('INFORMAL_REVIEW_COMPLETED', '2026-03-03T10:00:00.000Z', {}));
    expect(onlyDeadline(held, 'informalReview').status).toBe('met');
  });

  it('R-IMP-1: services older than the 72 hours get none unless the row says it is still to be held (then overdue at once); no says held', () => {
    const older = accept(newJourney(), live({ servicesStartedOn: '2026-02-26' }));
    expect(deadlinesOf(older, 'informalReview')).toEqual([]);
    const notHeld = accept(newJourney(), live({ servicesStartedOn: '2026-02-26', informalReview72h: true }));
    expect(onlyDeadline(notHeld, 'informalReview')).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: IMPORT_AT,
      dueAt: '2026-03-01T00:00:00.000Z',
    });
    const held = accept(newJourney(), live({ servicesStartedOn: '2026-03-01', informalReview72h: false }));
    expect(deadlinesOf(held, 'informalReview')).toEqual([]);
  });

  it('R-IMP-1: where the profile holds no informal review by default (Lancashire), an import has none unless the row asks', () => {
    const fresh = newJourney({ profile: lancashire });
    const imported = accept(fresh, live({ servicesStartedOn: '2026-03-01', policyProfile: 'Lancashire' }));
    expect(deadlinesOf(imported, 'informalReview')).toEqual([]);
    const asked = accept(fresh, live({ servicesStartedOn: '2026-03-01', informalReview72h: true }));
    expect(onlyDeadline(asked, 'informalReview').status).toBe('due');
  });

  it('R-IMP-1: a journey judged by edition 4 is imported as it was (no informal review), so its history replays unchanged', () => {
    const imported = accept(edition4Journey(), live({ servicesStartedOn: '2026-03-01' }));
    expect(deadlinesOf(imported, 'informalReview')).toEqual([]);
  });
});

describe('R-IMP-1: a clock that fell due before the import is overdue at once, not dropped (R-REV-4)', () => {
  // The last review on Monday 1 September 2025, the next agreed for 1 September 2026: the R-REV-4
  // monitoring check fell due at the end of 1 March 2026, the day before the import.
  const reviewed = {
    servicesStartedOn: '2024-05-13',
    lastReview: { on: '2025-09-01', reviewType: 'formal' as const },
    nextReviewOn: '2026-09-01',
  };

  it('R-IMP-1: a monitoring check due before the import and not made is overdue at once, listed first, and met late by the check', () => {
    const imported = accept(newJourney(), live(reviewed));
    expect(onlyDeadline(imported, 'monitoringCheck')).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: IMPORT_AT,
      ruleId: 'R-REV-4',
      dueAt: '2026-03-02T00:00:00.000Z',
    });
    expect(describeJourney(imported).nextSteps[0]).toMatchObject({
      because: 'deadline',
      event: 'MONITORING_CHECK_COMPLETED',
      overdueSince: IMPORT_AT,
      allowedNow: true,
    });
    const checked = accept(
      imported,
      ev('MONITORING_CHECK_COMPLETED', '2026-03-03T10:00:00.000Z', { concerns: false }),
    );
    expect(onlyDeadline(checked, 'monitoringCheck').status).toBe('metLate');
  });

  it('R-IMP-1: the same clocks as the journey that lived it: reviewed on 1 September, the check never made', () => {
    const reviewed = run(livedFrom('2025-01-06T09:00:00.000Z'), [
      ev('INFORMAL_REVIEW_COMPLETED', '2025-01-07T10:00:00.000Z', {}),
      reviewWith('2025-02-17T10:00:00.000Z', { nextReviewOn: '2025-08-15' }),
      reviewWith('2025-09-01T10:00:00.000Z', { nextReviewOn: '2026-09-01' }),
    ]).snapshot;
    // the journey's timers up to the moment of the import: the check falls overdue
    const lived = reachClocks(reviewed, IMPORT_AT);
    expect(onlyDeadline(lived, 'monitoringCheck').status).toBe('overdue');
    const imported = accept(
      newJourney(),
      live({
        servicesStartedOn: '2025-01-06',
        lastReview: { on: '2025-09-01', reviewType: 'formal' },
        nextReviewOn: '2026-09-01',
      }),
    );
    expect(clocks(imported)).toEqual(clocks(lived));
  });

  it('R-IMP-1: a check the row records as made (even ahead of its day) is not set again; one made before the last review does not count', () => {
    const made = accept(newJourney(), live({ ...reviewed, lastMonitoringCheckOn: '2026-02-20' }));
    expect(deadlinesOf(made, 'monitoringCheck')).toEqual([]);
    expect(onlyDeadline(made, 'annualReview').status).toBe('due');
    const refusals = expectRefused(
      newJourney(),
      live({ ...reviewed, lastMonitoringCheckOn: '2025-08-01' }),
      'R-REV-4',
    );
    expect(refusals.map((r) => r.field)).toContain('lastMonitoringCheckOn');
  });

  it('R-IMP-1: a review already due is overdue at once too, and edition 4 still drops the check whose day had passed', () => {
    const overdue = accept(
      newJourney(),
      live({
        lastReview: { on: '2025-02-03', reviewType: 'formal' },
        nextReviewOn: '2026-02-03',
        servicesStartedOn: '2024-05-13',
      }),
    );
    expect(onlyDeadline(overdue, 'annualReview')).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: IMPORT_AT,
    });
    expect(onlyDeadline(overdue, 'monitoringCheck')).toMatchObject({
      status: 'overdue',
      dueAt: '2025-08-03T23:00:00.000Z',
    });
    const replayed = accept(edition4Journey(), live(reviewed));
    expect(deadlinesOf(replayed, 'monitoringCheck')).toEqual([]);
  });
});

describe("R-IMP-1: R-REV-5's six months for a young service or a new direct payment", () => {
  it('R-IMP-1: a six-week-old service reviewed gets its next review at six months, not twelve, as the lived review would set it', () => {
    // Services began on Monday 19 January 2026; the first review was on Friday 27 February.
    const lived = run(livedFrom('2026-01-19T09:00:00.000Z'), [
      ev('INFORMAL_REVIEW_COMPLETED', '2026-01-20T10:00:00.000Z', {}),
      reviewWith('2026-02-27T10:00:00.000Z'),
    ]).snapshot;
    const imported = accept(
      newJourney(),
      live({ servicesStartedOn: '2026-01-19', lastReview: { on: '2026-02-27', reviewType: 'formal' } }),
    );
    expect(onlyDeadline(imported, 'annualReview')).toMatchObject({
      status: 'due',
      dueAt: '2026-08-27T23:00:00.000Z',
    });
    expect(imported.context.reviews.at(-1)?.nextReviewOn).toBe('2026-08-27');
    expect(clocks(imported)).toEqual(clocks(lived));
    // a row agreeing twelve months is refused, as the lived review would have been
    const refusals = expectRefused(
      newJourney(),
      live({
        servicesStartedOn: '2026-01-19',
        lastReview: { on: '2026-02-27', reviewType: 'formal' },
        nextReviewOn: '2027-02-27',
      }),
      'R-REV-5',
    );
    expect(refusals.find((r) => r.ruleId === 'R-REV-5')).toMatchObject({
      field: 'nextReviewOn',
      accepted: '2026-08-27 or earlier',
    });
  });

  it('R-IMP-1: a direct payment brought in two months before the last review counts as new: six months, though the services are older, as on the lived journey', () => {
    // Council-managed services from Monday 6 January 2025; a direct payment brought in at the
    // review of Monday 1 December, its agreement signed on the 10th; reviewed again on 2 February.
    const lived = run(livedFrom('2025-01-06T09:00:00.000Z'), [
      ev('INFORMAL_REVIEW_COMPLETED', '2025-01-07T10:00:00.000Z', {}),
      reviewWith('2025-02-17T10:00:00.000Z', { nextReviewOn: '2025-08-15' }),
      reviewWith('2025-08-11T10:00:00.000Z', { nextReviewOn: '2026-02-11' }),
      reviewWith('2025-12-01T10:00:00.000Z', { outcome: 'planRevised', revisedPlan: directPaymentPlan() }),
      ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', '2025-12-10T10:00:00.000Z', { signedOn: '2025-12-10' }),
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-01-26T10:00:00.000Z', { concerns: false }),
      reviewWith('2026-02-02T10:00:00.000Z'),
    ]).snapshot;
    const facts = {
      servicesStartedOn: '2025-01-06',
      budgetManagement: ['directPayment' as const],
      directPaymentAgreement: { status: 'signed' as const, signedOn: '2025-12-10' },
      lastReview: { on: '2026-02-02', reviewType: 'formal' as const },
    };
    const imported = accept(newJourney(), live({ ...facts, directPaymentStartedOn: '2025-12-01' }));
    expect(imported.context.reviews.at(-1)?.nextReviewOn).toBe('2026-08-02');
    expect(lived.context.reviews.at(-1)?.nextReviewOn).toBe('2026-08-02');
    expect(clocks(imported)).toEqual(clocks(reachClocks(lived, IMPORT_AT)));
    // and from then on, as the lived journey: the next review, left to the rules, is six months on
    const finance = ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-03-03T10:00:00.000Z', { concerns: false });
    const nextReview = reviewWith('2026-03-05T10:00:00.000Z');
    const [after, livedAfter] = [imported, lived].map((s) => run(s, [finance, nextReview]).snapshot);
    expect(after?.context.reviews.at(-1)?.nextReviewOn).toBe('2026-09-05');
    expect(clocks(after as Snapshot)).toEqual(clocks(livedAfter as Snapshot));
    // without the direct payment's start, the services' age decides: twelve months, a check at six
    const settled = accept(newJourney(), live(facts));
    expect(settled.context.reviews.at(-1)?.nextReviewOn).toBe('2027-02-02');
    expect(deadlinesOf(settled, 'monitoringCheck')).toHaveLength(1);
    // a direct payment is not brought in before the services began (R-TIM-1)
    expectRefused(newJourney(), live({ ...facts, directPaymentStartedOn: '2024-12-02' }), 'R-TIM-1');
  });

  it('R-IMP-1: a direct payment brought in at a review and still awaiting its agreement is imported at live support, waited on from that day (R-ACT-1)', () => {
    const facts = {
      servicesStartedOn: '2025-01-06',
      budgetManagement: ['directPayment' as const],
      directPaymentAgreement: { status: 'awaited' as const },
      lastReview: { on: '2026-02-23', reviewType: 'formal' as const },
    };
    const imported = accept(newJourney(), live({ ...facts, directPaymentStartedOn: '2026-02-23' }));
    expect(describeJourney(imported)).toMatchObject({
      stage: 'liveSupport',
      waitingOn: { party: 'directPaymentAgreement', since: '2026-02-23T00:00:00.000Z' },
    });
    expect(imported.context.reviews.at(-1)?.nextReviewOn).toBe('2026-08-23');
    // without it, an awaited agreement belongs at set-up, as before
    expectRefused(newJourney(), live(facts), 'R-ACT-1');
  });

  it('R-IMP-1: a service over six months old at its last review keeps twelve months', () => {
    const imported = accept(
      newJourney(),
      live({ servicesStartedOn: '2025-01-06', lastReview: { on: '2025-09-01', reviewType: 'formal' } }),
    );
    expect(imported.context.reviews.at(-1)?.nextReviewOn).toBe('2026-09-01');
  });
});

describe('R-IMP-1: the facts the clocks need', () => {
  it("R-IMP-1: the last face-to-face review before a telephone one is recorded, so R-REV-11's previous-year condition reads it after the import", () => {
    const facts = {
      servicesStartedOn: '2023-04-03',
      lastReview: { on: '2025-09-15', reviewType: 'telephone' as const },
      nextReviewOn: '2026-03-16',
    };
    const withRecord = accept(newJourney(), live({ ...facts, lastFaceToFaceReviewOn: '2025-03-17' }));
    expect(withRecord.context.reviews.map((r) => [r.at, r.reviewType])).toEqual([
      ['2025-03-17T00:00:00.000Z', 'formal'],
      ['2025-09-14T23:00:00.000Z', 'telephone'],
    ]);
    const telephone = reviewWith('2026-03-10T10:00:00.000Z', {
      reviewType: 'telephone',
      telephoneConditions: {
        lowLevelNonPersonalCare: true,
        noCommunicationDifficulty: true,
        faceToFaceReviewInPreviousYear: true,
        ableToMonitorAndAskForFaceToFace: true,
        needsUnchanged: true,
      },
    });
    accept(withRecord, telephone);
    const without = accept(newJourney(), live(facts));
    expectRefused(without, telephone, 'R-REV-11');
  });

  it('R-IMP-1: each fact is refused where it cannot be, naming its field: not at live support, in the future, out of order', () => {
    const fields = (event: ReturnType<typeof live>) =>
      expectRefused(newJourney(), event, undefined).map((r) => r.field);
    expect(
      fields(
        live({
          stage: 'planning',
          personalBudget: undefined,
          budgetManagement: undefined,
          informalReview72h: true,
          lastMonitoringCheckOn: '2026-01-05',
        }),
      ),
    ).toEqual(expect.arrayContaining(['informalReview72h', 'lastMonitoringCheckOn']));
    const reviewed = {
      servicesStartedOn: '2024-05-13',
      lastReview: { on: '2025-09-01', reviewType: 'formal' as const },
    };
    expect(fields(live({ ...reviewed, lastMonitoringCheckOn: '2026-03-09' }))).toContain(
      'lastMonitoringCheckOn',
    );
    expect(fields(live({ ...reviewed, directPaymentStartedOn: '2025-01-06' }))).toContain('budgetManagement');
    expect(fields(live({ ...reviewed, lastFaceToFaceReviewOn: '2025-03-03' }))).toContain(
      'lastFaceToFaceReviewOn',
    );
  });
});

describe("R-IMP-1: the import file's columns", () => {
  const origin = { file: 'caseload.csv', row: 2, system: 'Mosaic' };
  const values = {
    personId: 'P-7',
    stage: 'liveSupport',
    personalBudget: '9360',
    budgetManagement: 'directPayment',
    servicesStartedOn: '2025-01-06',
    directPaymentAgreement: 'signed',
    directPaymentAgreementSignedOn: '2025-12-10',
    lastReviewOn: '2026-02-02',
    lastReviewType: 'telephone',
  };

  it("R-IMP-1: the clocks' facts are columns, carried into the event: informalReview72h, lastMonitoringCheckOn, directPaymentStartedOn, lastFaceToFaceReviewOn", () => {
    const parsedRow = parseImportRow({
      ...values,
      informalReview72h: 'No',
      lastMonitoringCheckOn: '2026-02-20',
      directPaymentStartedOn: '2025-12-01',
      lastFaceToFaceReviewOn: '2025-06-02',
    });
    if (!parsedRow.ok) throw new Error(JSON.stringify(parsedRow.problems));
    expect(importEvent(parsedRow.row, origin, IMPORT_AT, integration)).toMatchObject({
      informalReview72h: false,
      lastMonitoringCheckOn: '2026-02-20',
      directPaymentStartedOn: '2025-12-01',
      lastFaceToFaceReviewOn: '2025-06-02',
    });
    expect(importTemplate().header).toContain('lastMonitoringCheckOn');
    const wrong = parseImportRow({ ...values, informalReview72h: 'maybe' });
    expect(wrong.ok ? [] : wrong.problems.map((p) => p.column)).toEqual(['informalReview72h']);
  });

  it('R-IMP-1: a row that uses none of the new columns keeps the event id it always had (an import run again sends the same event)', () => {
    const parsedRow = parseImportRow(values);
    if (!parsedRow.ok) throw new Error(JSON.stringify(parsedRow.problems));
    // the id as it was computed before the new columns: every earlier column, in order
    const earlier = importColumnNames.filter(
      (c) =>
        ![
          'informalReview72h',
          'lastMonitoringCheckOn',
          'directPaymentStartedOn',
          'lastFaceToFaceReviewOn',
        ].includes(c),
    );
    const before = `import-${createHash('sha256')
      .update(JSON.stringify(earlier.map((c) => parsedRow.row[c] ?? null)))
      .digest('hex')
      .slice(0, 32)}`;
    expect(importEventId(parsedRow.row)).toBe(before);
    const withCheck = parseImportRow({ ...values, lastMonitoringCheckOn: '2026-02-20' });
    if (!withCheck.ok) throw new Error('refused');
    expect(importEventId(withCheck.row)).not.toBe(before);
  });
});
