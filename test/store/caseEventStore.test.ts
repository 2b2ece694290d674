import { CaseStoreConflictError } from '../../store/caseEventStore';
import { overdueCounts } from '../../store/lists';
import { migrate, migrationFiles } from '../../store/migrate';
import { ev } from '../support/journeyEvents';
import { emergencyEvents, entriesOf } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * What the case-event store holds (issue 12 point 2), against the embedded store and a real
 * PostgreSQL server alike: entries as the journey's workflow makes them, written once however
 * often an activity is retried, a different entry under a used id refused, the current-state row
 * moving only forward, every deadline with its life, refusals, notices and letters.
 */

describe.each(backends)('the case-event store (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('migrates once: a second start applies nothing', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const { rows } = await t.db.query<{ name: string }>('SELECT name FROM care_schema_migrations');
    expect(rows.map((r) => r.name).sort()).toEqual(migrationFiles());
    expect(migrationFiles()).toContain('0002_overdue_report_indexes.sql');
  });

  it("counts the overdue report per team and per kind, each with its oldest case, in the lists' order", async () => {
    // [person, team, overdue since, next deadline, kinds, closed]
    const rows: [string, string | null, string | null, string | null, string[], boolean][] = [
      [
        'od-n1',
        'north',
        '2026-02-01T09:00:00Z',
        '2026-03-01T09:00:00Z',
        ['review', 'emergencyAssessmentStart'],
        false,
      ],
      // as old as od-n1: the sooner next deadline goes first
      ['od-n2', 'north', '2026-02-01T09:00:00Z', '2026-02-20T09:00:00Z', ['review'], false],
      ['od-s1', 'south', '2026-02-10T09:00:00Z', null, ['assessmentStart'], false],
      // no team yet: counted under none
      ['od-u1', null, '2026-01-15T09:00:00Z', null, ['emergencyAssessmentStart'], false],
      // older, but closed or not overdue: not in the report
      ['od-closed', 'north', '2025-01-01T09:00:00Z', null, ['review'], true],
      ['od-fine', 'south', null, '2026-01-01T09:00:00Z', [], false],
    ];
    for (const [personId, team, overdueSince, next, kinds, closed] of rows) {
      await t.db.query(
        `INSERT INTO journeys (person_id, subject, stage, team, closed, overdue_since, next_deadline_at, overdue_kinds, run_number, events_applied, state)
         VALUES ($1, 'person', 'review', $2, $3, $4, $5, $6, 1, 1, '{}')`,
        [personId, team, closed, overdueSince, next, kinds],
      );
    }
    const counts = await overdueCounts(t.db);
    const summary = {
      total: counts.totalOverdue,
      teams: counts.byTeam.map((g) => [g.team, g.count, g.oldest.personId]),
      kinds: counts.byKind.map((g) => [g.kind, g.count, g.oldest.personId]),
    };
    expect(summary).toEqual({
      total: 4,
      teams: [
        ['north', 2, 'od-n2'],
        ['south', 1, 'od-s1'],
        [undefined, 1, 'od-u1'],
      ],
      kinds: [
        ['assessmentStart', 1, 'od-s1'],
        ['emergencyAssessmentStart', 2, 'od-u1'],
        ['review', 2, 'od-n2'],
      ],
    });
    expect(counts.byTeam[0]?.oldest).toMatchObject({ team: 'north', overdueKinds: ['review'] });
    await t.db.query("DELETE FROM journeys WHERE person_id LIKE 'od-%'");
  });

  it('writes each accepted event once, however often it is sent, in the order applied', async () => {
    const { entries } = entriesOf('P-once', emergencyEvents('2026-03-02T12:00:00.000Z'));
    for (const entry of entries) await t.store.recordCaseEvent(entry);
    // a retried activity, and all of them again out of order
    for (const entry of [...entries].reverse()) await t.store.recordCaseEvent(entry);
    const record = await t.store.personRecord('P-once');
    expect(record.timeline.map((e) => e.type)).toEqual([
      'REFERRAL_RECEIVED',
      'WORKER_ALLOCATED',
      'TRIAGED',
      'INTERIM_SUPPORT_STARTED',
    ]);
    const { rows } = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM case_records WHERE person_id = 'P-once'",
    );
    expect(Number(rows[0]?.n)).toBe(4);
  });

  it('refuses a different entry under an id already used, and keeps the first', async () => {
    const { entries } = entriesOf('P-conflict', emergencyEvents('2026-03-02T12:00:00.000Z'));
    const first = entries[0]!;
    await t.store.recordCaseEvent(first);
    const other = { ...first, entry: { ...first.entry, type: 'SOMETHING_ELSE' } };
    await expect(t.store.recordCaseEvent(other)).rejects.toBeInstanceOf(CaseStoreConflictError);
    await expect(t.store.recordCaseEvent(other)).rejects.toThrow(
      /case_records already holds a different entry with id "P-conflict\/.+"; not overwritten/,
    );
    const record = await t.store.personRecord('P-conflict');
    expect(record.timeline.map((e) => e.type)).toEqual(['REFERRAL_RECEIVED']);
  });

  it('keeps the current state as the last applied event left it, even when entries arrive out of order', async () => {
    const { entries } = entriesOf('P-state', emergencyEvents('2026-03-02T12:00:00.000Z', 'south', 'bea'));
    // the last first: an older entry retried afterwards must not take the row back
    for (const entry of [...entries].reverse()) await t.store.recordCaseEvent(entry);
    const row = await t.store.journey('P-state');
    expect(row).toMatchObject({
      stage: 'interimSupport',
      team: 'south',
      worker: 'bea',
      closed: false,
      nextDeadlineKind: 'emergencyAssessmentStart',
      overdueKinds: [],
      runNumber: 1,
      eventsApplied: 4,
    });
    expect(row?.nextDeadlineAt).toBe(entries.at(-1)!.state!.deadlines[0]!.dueAt);
  });

  it('keeps every deadline with its life: set, overdue, met late', async () => {
    const interimAt = '2026-03-02T12:00:00.000Z';
    // The assessment had to begin within 3 working days: reached a week later, then started.
    const { entries, run } = entriesOf('P-life', emergencyEvents(interimAt), {
      reachDeadlinesAt: '2026-03-09T12:00:00.000Z',
    });
    for (const entry of entries) await t.store.recordCaseEvent(entry);
    let row = await t.store.journey('P-life');
    expect(row?.overdueKinds).toEqual(['emergencyAssessmentStart']);
    expect(row?.overdueSince).toBeDefined();
    const started = ev('ASSESSMENT_STARTED', '2026-03-10T09:00:00.000Z', {});
    run.apply(started, 'update', started.occurredAt);
    for (const job of run.jobs) if (job.kind === 'caseRecord') await t.store.recordCaseEvent(job.record);
    row = await t.store.journey('P-life');
    expect(row?.overdueKinds).toEqual([]);
    expect(row?.overdueSince).toBeUndefined();
    const record = await t.store.personRecord('P-life');
    expect(record.deadlines).toEqual([
      expect.objectContaining({ kind: 'emergencyAssessmentStart', status: 'metLate' }),
    ]);
    expect(record.deadlineHistory.map((h) => h.what)).toEqual(['set', 'overdue', 'metLate']);
  });

  it('keeps refusals, notices and letters, each once', async () => {
    const refusal = {
      recordId: 'refused:2026-03-03T10:00:00.000Z:e-9',
      personId: 'P-sent',
      kind: 'eventRefused' as const,
      entry: {
        eventId: 'e-9',
        type: 'PLAN_SUBMITTED',
        recordedAt: '2026-03-03T10:00:00.000Z',
        via: 'signal',
        reasons: [{ message: 'PLAN_SUBMITTED is not allowed in triage' }],
      },
    };
    await t.store.recordCaseEvent(refusal);
    await t.store.recordCaseEvent(refusal);
    await t.store.recordUpdateRefusal('P-sent', {
      eventId: 'e-10',
      type: 'PLAN_SIGNED_OFF',
      reasons: [{ ruleId: 'R-SGN-1', message: 'needs a manager' }],
      recordedAt: '2026-03-03T11:00:00.000Z',
    });
    const { entries } = entriesOf('P-sent', emergencyEvents('2026-03-02T12:00:00.000Z'));
    const deadline = entries.at(-1)!.state!.deadlines[0]!;
    const notice = {
      notificationId: `P-sent:${deadline.id}:reminder`,
      personId: 'P-sent',
      deadline,
      to: 'ann',
      team: 'north',
    };
    await t.store.recordNoticeSent(notice);
    await t.store.recordNoticeSent(notice);
    await expect(t.store.recordNoticeSent({ ...notice, to: 'someone else' })).rejects.toBeInstanceOf(
      CaseStoreConflictError,
    );
    const letter = {
      type: 'sendLetter' as const,
      letterId: 'P-sent:e-4:fullerAssessmentNotice',
      letter: 'fullerAssessmentNotice' as const,
      personId: 'P-sent',
      recipients: ['person'],
      ruleId: 'R-EMG-1',
      data: {},
    };
    await t.store.recordLetterSent(letter);
    await t.store.recordLetterSent(letter);
    const record = await t.store.personRecord('P-sent');
    expect(record.refused).toEqual([
      expect.objectContaining({ eventId: 'e-9', via: 'signal' }),
      expect.objectContaining({
        eventId: 'e-10',
        via: 'update',
        reasons: [expect.objectContaining({ ruleId: 'R-SGN-1' })],
      }),
    ]);
    expect(record.notices).toEqual([expect.objectContaining({ kind: 'reminder', sentTo: 'ann' })]);
    expect(record.deadlineHistory.map((h) => h.what)).toEqual(['reminded']);
    expect(record.letters).toEqual([
      expect.objectContaining({ letter: 'fullerAssessmentNotice', recipients: ['person'] }),
    ]);
  });
});
