import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import {
  AllocatedWorker,
  JourneyStage,
  NextDeadlineAt,
  NextDeadlineKind,
  OverdueKinds,
  OverdueSince,
  PersonId,
  StageStuckAfterEpoch,
  Team,
  TechnicalIssue,
  WaitingOn,
  WaitingStuckAfterEpoch,
} from '../../workflows/searchAttributes';
import {
  byUrgency,
  decodeCursor,
  filtersFingerprint,
  journeyFiltersSchema,
  journeyListQuery,
  journeyRow,
  pageOf,
  quote,
  stuckReasons,
  summariseOverdue,
  TemporalReportedProblems,
} from '../../api/visibility';
import { eventLeavingStage } from '../../machines/nextStep';
import { lancashire } from '../../machines/policyProfile';

/** The pure half of the lists: queries, reasons, order, pages and the report (no server needed). */

const asOf = new Date('2026-03-10T12:00:00Z');
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const record = (workflowId: string, pairs: SearchAttributePair[]) => ({
  workflowId,
  typedSearchAttributes: new TypedSearchAttributes(pairs),
});

describe('visibility queries', () => {
  const base = "WorkflowType = 'journeyWorkflow' AND ExecutionStatus = 'Running'";

  it('selects open journeys, with one clause per filter', () => {
    expect(journeyListQuery({}, asOf)).toBe(base);
    expect(
      journeyListQuery(
        { stage: 'planning', team: 'north', worker: 'ann', overdue: true, kind: 'firstReview' },
        asOf,
      ),
    ).toBe(
      `${base} AND JourneyStage = 'planning' AND Team = 'north' AND AllocatedWorker = 'ann' AND OverdueSince IS NOT NULL AND OverdueKinds = 'firstReview'`,
    );
    expect(journeyListQuery({ overdue: false }, asOf)).toBe(`${base} AND OverdueSince IS NULL`);
  });

  it('expresses each kind of stuck on the search attributes, compared with asOf', () => {
    const now = epoch(asOf.toISOString());
    expect(journeyListQuery({ stuck: 'overdue' }, asOf)).toBe(`${base} AND OverdueSince IS NOT NULL`);
    expect(journeyListQuery({ stuck: 'stage' }, asOf)).toBe(`${base} AND StageStuckAfterEpoch < ${now}`);
    expect(journeyListQuery({ stuck: 'waiting' }, asOf)).toBe(`${base} AND WaitingStuckAfterEpoch < ${now}`);
    expect(journeyListQuery({ stuck: 'technical' }, asOf)).toBe(
      `${base} AND (TechnicalIssue IS NOT NULL OR TemporalReportedProblems IS NOT NULL)`,
    );
    expect(journeyListQuery({ stuck: 'any' }, asOf)).toBe(
      `${base} AND (OverdueSince IS NOT NULL OR StageStuckAfterEpoch < ${now} OR WaitingStuckAfterEpoch < ${now} OR (TechnicalIssue IS NOT NULL OR TemporalReportedProblems IS NOT NULL))`,
    );
  });

  it('escapes quotes, and the filter schema refuses what cannot be escaped', () => {
    expect(quote("o'brien")).toBe("'o''brien'");
    expect(journeyListQuery({ team: "x' OR 'a' = 'a" }, asOf)).toBe(
      `${base} AND Team = 'x'' OR ''a'' = ''a'`,
    );
    const refused = journeyFiltersSchema.safeParse({ team: 'a\\b', worker: 'line\nbreak' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['team', 'worker']);
  });
});

describe('rows and reasons', () => {
  it('names every kind of stuck that holds, in words', () => {
    const attributes = new TypedSearchAttributes([
      { key: OverdueSince, value: new Date('2026-03-05T00:00:00Z') },
      { key: OverdueKinds, value: ['firstReview', 'monitoringCheck'] },
      { key: JourneyStage, value: 'planning' },
      { key: StageStuckAfterEpoch, value: epoch('2026-03-01T00:00:00Z') },
      { key: WaitingOn, value: 'directPaymentAgreement' },
      { key: WaitingStuckAfterEpoch, value: epoch('2026-03-09T00:00:00Z') },
      { key: TechnicalIssue, value: 'sendLetter' },
      { key: TemporalReportedProblems, value: ['category=WorkflowTaskFailed'] },
    ]);
    expect(stuckReasons(attributes, asOf)).toEqual([
      { kind: 'overdue', why: 'firstReview, monitoringCheck overdue since 5 Mar 2026 (5 days)' },
      { kind: 'stage', why: 'in planning longer than the policy profile allows (since 1 Mar 2026)' },
      {
        kind: 'waiting',
        why: 'waiting on directPaymentAgreement longer than the policy profile allows (since 9 Mar 2026)',
      },
      { kind: 'technical', why: 'keeps failing: sendLetter' },
      { kind: 'technical', why: 'Temporal reports: category=WorkflowTaskFailed' },
    ]);
  });

  it('is not stuck before the limits pass', () => {
    const attributes = new TypedSearchAttributes([
      { key: StageStuckAfterEpoch, value: epoch('2026-03-11T00:00:00Z') },
      { key: WaitingStuckAfterEpoch, value: epoch('2026-03-12T00:00:00Z') },
    ]);
    expect(stuckReasons(attributes, asOf)).toEqual([]);
  });

  it('makes a row from the search attributes, with the stage in words', () => {
    const { row } = journeyRow(
      record('journey-P1', [
        { key: PersonId, value: 'P1' },
        { key: JourneyStage, value: 'planning' },
        { key: Team, value: 'north' },
        { key: AllocatedWorker, value: 'ann' },
      ]),
      asOf,
    );
    expect(row).toMatchObject({
      personId: 'P1',
      stage: 'planning',
      stageInWords: 'Care and support planning',
      team: 'north',
      worker: 'ann',
      overdueKinds: [],
      stuck: [],
    });
    expect(journeyRow(record('journey-P2', []), asOf).row.personId).toBe('P2');
  });
});

describe('each row’s one next step, from its search attributes (issue 11)', () => {
  const row = (pairs: SearchAttributePair[], profile = lancashire) =>
    journeyRow(record('journey-P1', [{ key: PersonId, value: 'P1' }, ...pairs]), asOf, profile).row;

  it('an overdue deadline first: the event that meets it, the worker, since when; overdue', () => {
    expect(
      row([
        { key: JourneyStage, value: 'liveSupport' },
        { key: Team, value: 'north' },
        { key: AllocatedWorker, value: 'ann' },
        { key: OverdueSince, value: new Date('2026-03-05T00:00:00Z') },
        { key: OverdueKinds, value: ['firstReview'] },
        { key: NextDeadlineAt, value: new Date('2026-03-11T00:00:00Z') },
        { key: NextDeadlineKind, value: 'monitoringCheck' },
      ]).nextStep,
    ).toEqual({
      because: 'deadline',
      what: 'firstReview overdue',
      event: 'REVIEW_COMPLETED',
      owner: { kind: 'worker', id: 'ann', team: 'north' },
      dueBy: '2026-03-05T00:00:00.000Z',
      overdue: true,
    });
  });

  it('else the soonest of the next deadline, the stage limit and the wait; an unallocated case is the profile’s duty worker’s', () => {
    const step = row([
      { key: JourneyStage, value: 'triage' },
      { key: StageStuckAfterEpoch, value: epoch('2026-03-09T10:00:00Z') },
    ]).nextStep;
    expect(step).toEqual({
      because: 'stageLimit',
      what: "move on from triage within the policy profile's limit",
      event: 'TRIAGED',
      owner: { kind: 'dutyWorker', id: 'duty-worker.lancashire', team: 'lancashire-duty' },
      dueBy: '2026-03-09T10:00:00.000Z',
      // its limit has passed
      overdue: true,
    });
    const setUp = row([
      { key: JourneyStage, value: 'setUp' },
      { key: Team, value: 'north' },
      { key: AllocatedWorker, value: 'ann' },
      { key: StageStuckAfterEpoch, value: epoch('2026-03-20T00:00:00Z') },
      { key: WaitingOn, value: 'directPaymentAgreement' },
      { key: WaitingStuckAfterEpoch, value: epoch('2026-03-15T00:00:00Z') },
    ]).nextStep;
    expect(setUp).toMatchObject({
      because: 'waiting',
      event: 'DIRECT_PAYMENT_AGREEMENT_SIGNED',
      dueBy: '2026-03-15T00:00:00.000Z',
      overdue: false,
    });
    const due = row([
      { key: JourneyStage, value: 'liveSupport' },
      { key: AllocatedWorker, value: 'ann' },
      { key: NextDeadlineAt, value: new Date('2026-03-11T00:00:00Z') },
      { key: NextDeadlineKind, value: 'informalReview' },
    ]).nextStep;
    expect(due).toMatchObject({ event: 'INFORMAL_REVIEW_COMPLETED', dueBy: '2026-03-11T00:00:00.000Z' });
  });

  it('the stage’s event is the machine’s: a step-only limit (interim services being set up) reads that step', () => {
    expect(eventLeavingStage('interimSupport', lancashire.stuckAfterDays.stage)).toBe(
      'INTERIM_SUPPORT_STARTED',
    );
    expect(eventLeavingStage('assessment', lancashire.stuckAfterDays.stage)).toBe('ASSESSMENT_COMPLETED');
    expect(eventLeavingStage('planning', lancashire.stuckAfterDays.stage)).toBe('PLAN_SIGNED_OFF');
    expect(eventLeavingStage('endingServices', lancashire.stuckAfterDays.stage)).toBe(
      'SERVICE_END_LETTER_POSTED',
    );
    expect(eventLeavingStage('noSuchStage')).toBeUndefined();
  });

  it('a row with nothing due has no next step', () => {
    expect(row([{ key: JourneyStage, value: 'liveSupport' }]).nextStep).toBeUndefined();
  });
});

describe('order, pages and the report', () => {
  const rows = [
    record('journey-soon', [{ key: NextDeadlineAt, value: new Date('2026-03-11T00:00:00Z') }]),
    record('journey-none', []),
    record('journey-old', [
      { key: OverdueSince, value: new Date('2026-01-01T00:00:00Z') },
      { key: OverdueKinds, value: ['annualReview'] },
      { key: Team, value: 'north' },
    ]),
    record('journey-recent', [
      { key: OverdueSince, value: new Date('2026-03-01T00:00:00Z') },
      { key: OverdueKinds, value: ['annualReview', 'firstReview'] },
    ]),
    record('journey-later', [{ key: NextDeadlineAt, value: new Date('2026-04-01T00:00:00Z') }]),
  ].map((r) => journeyRow(r, asOf));

  it('puts the longest overdue first, then the soonest deadline, then the rest', () => {
    expect([...rows].sort(byUrgency).map((r) => r.row.personId)).toEqual([
      'old',
      'recent',
      'soon',
      'later',
      'none',
    ]);
  });

  it('pages with a cursor tied to the filters', () => {
    const sorted = [...rows].sort(byUrgency);
    const filters = { team: 'north' };
    const first = pageOf(sorted, 0, 2, { asOf: 1, filters: filtersFingerprint(filters) });
    expect(first.rows.map((r) => r.personId)).toEqual(['old', 'recent']);
    expect(first.total).toBe(5);
    const cursor = decodeCursor(first.nextCursor!, filters);
    expect(cursor).toEqual({ offset: 2, asOf: 1, filters: filtersFingerprint(filters) });
    expect(pageOf(sorted, 4, 2, { asOf: 1, filters: '' }).nextCursor).toBeUndefined();
    expect(() => decodeCursor(first.nextCursor!, { team: 'south' })).toThrow('different filters');
    expect(() => decodeCursor('not a cursor', filters)).toThrow('invalid cursor');
  });

  it('counts overdue journeys per team and kind, with the oldest of each', () => {
    const report = summariseOverdue(rows, asOf);
    expect(report.totalOverdue).toBe(2);
    // most overdue first; equal counts: the team with the older case first
    expect(report.byTeam).toEqual([
      { team: 'north', count: 1, oldest: expect.objectContaining({ personId: 'old', team: 'north' }) },
      { team: '(no team)', count: 1, oldest: expect.objectContaining({ personId: 'recent' }) },
    ]);
    expect(report.byKind).toEqual([
      { kind: 'annualReview', count: 2, oldest: expect.objectContaining({ personId: 'old' }) },
      { kind: 'firstReview', count: 1, oldest: expect.objectContaining({ personId: 'recent' }) },
    ]);
  });
});
