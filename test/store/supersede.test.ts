import type { CaseRecordEntry } from '../../activities/caseRecord';
import { CaseStoreConflictError, type PersonRecord } from '../../store/caseEventStore';
import { ev } from '../support/journeyEvents';
import { emergencyEvents, entriesOf } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * The journey writes its case-record entries inside the workflow task that applied them, before
 * Temporal commits that task. A crash before the commit runs the task again: what the second
 * attempt writes is what Temporal kept, and the store must end exactly as if the first attempt had
 * never written anything.
 */

const interimAt = '2026-03-02T12:00:00.000Z';
const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** The record with the person's id taken out, to compare two people written the same way. */
function comparable(record: PersonRecord, personId: string) {
  const { journey, ...rest } = record;
  const text = JSON.stringify({
    ...rest,
    journey: journey && { ...journey, state: journey.state },
    // when a notice or row was written is the store's own clock, not the journey's
  }).replaceAll(personId, 'P');
  return JSON.parse(text) as unknown;
}

describe.each(backends)('an entry Temporal never committed (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the same event applied again after a crash replaces the first attempt, not refused as a conflict', async () => {
    const events = emergencyEvents(interimAt);
    const died = entriesOf('P-again', events).entries;
    // the task that applied the interim support ran again 20 seconds later, after the worker died
    const kept = entriesOf('P-again', events, {
      appliedAt: (e, i) => (i === events.length - 1 ? later(e.occurredAt, 20) : e.occurredAt),
    }).entries;
    for (const entry of died) await t.store.recordCaseEvent(entry);
    const last = kept.at(-1)!;
    expect(await t.store.record(last)).toEqual({ outcome: 'superseded', withdrawn: [last.recordId] });
    // a retry of the kept write changes nothing
    expect(await t.store.record(last)).toEqual({ outcome: 'same', withdrawn: [] });

    const record = await t.store.personRecord('P-again');
    expect(record.timeline.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(record.timeline.at(-1)!.recordedAt).toBe(later(interimAt, 20));
    for (const entry of kept) await t.store.recordCaseEvent(entry);
    expect((await t.store.personRecord('P-again')).entries).toEqual(kept);
  });

  it('events of a task that never committed, overtaken by what the journey did instead, leave no trace', async () => {
    // Committed: the referral. The task that died allocated the case to north and triaged it; the
    // client gave up, and the journey went on with an allocation to south, a triage and interim support.
    const [ref, , triage, interim] = emergencyEvents(interimAt);
    const diedEvents = [
      ref!,
      ev('WORKER_ALLOCATED', later(ref!.occurredAt, 60), { team: 'north', workerId: 'ann' }),
      { ...triage!, eventId: 'triage-that-died', occurredAt: later(ref!.occurredAt, 61) },
    ];
    const keptEvents = [
      ref!,
      ev('WORKER_ALLOCATED', later(ref!.occurredAt, 120), { team: 'south', workerId: 'bea' }),
      triage!,
      interim!,
    ];
    const died = entriesOf('P-overtaken', diedEvents).entries;
    const kept = entriesOf('P-overtaken', keptEvents).entries;
    for (const entry of died) await t.store.recordCaseEvent(entry);
    const outcome = await t.store.record(kept[1]!);
    expect(outcome.outcome).toBe('superseded');
    expect(outcome.withdrawn.sort()).toEqual([died[1]!.recordId, died[2]!.recordId].sort());
    for (const entry of kept.slice(2)) await t.store.recordCaseEvent(entry);

    // exactly what a person whose journey never had the failed task has
    const clean = entriesOf('P-clean', keptEvents).entries;
    for (const entry of clean) await t.store.recordCaseEvent(entry);
    const got = await t.store.personRecord('P-overtaken');
    expect(got.journey?.team).toBe('south');
    expect(got.timeline.map((e) => e.eventId)).not.toContain('triage-that-died');
    expect(comparable(got, 'P-overtaken')).toEqual(
      comparable(await t.store.personRecord('P-clean'), 'P-clean'),
    );
  });

  it('a write from an attempt Temporal did not keep, arriving after the kept one, is ignored', async () => {
    const events = emergencyEvents(interimAt, 'south', 'bea');
    const kept = entriesOf('P-stale', events, {
      appliedAt: (e, i) => (i === events.length - 1 ? later(e.occurredAt, 20) : e.occurredAt),
    }).entries;
    const died = entriesOf('P-stale', events).entries;
    for (const entry of kept) await t.store.recordCaseEvent(entry);
    expect(await t.store.record(died.at(-1)!)).toEqual({ outcome: 'stale', withdrawn: [] });
    expect((await t.store.personRecord('P-stale')).entries).toEqual(kept);
  });

  it('an entry written late by a retried activity keeps what came after it', async () => {
    // the in-task write failed; the entry went by an activity of its own, after the next event's
    const events = emergencyEvents(interimAt);
    const { entries } = entriesOf('P-late', events);
    const [a, b, c, d] = entries as [CaseRecordEntry, CaseRecordEntry, CaseRecordEntry, CaseRecordEntry];
    for (const entry of [a, b, d, c]) await t.store.recordCaseEvent(entry);
    const record = await t.store.personRecord('P-late');
    expect(record.entries).toEqual(entries);
    expect(record.journey?.eventsApplied).toBe(4);
  });

  it('the same id with other content from the same attempt is still a conflict', async () => {
    const { entries } = entriesOf('P-same-attempt', emergencyEvents(interimAt));
    await t.store.recordCaseEvent(entries[0]!);
    const other = { ...entries[0]!, entry: { ...entries[0]!.entry, type: 'SOMETHING_ELSE' } };
    await expect(t.store.record(other)).rejects.toBeInstanceOf(CaseStoreConflictError);
  });

  it('a signal refused again when its task runs again after a crash is kept once, as the kept attempt refused it', async () => {
    const events = emergencyEvents(interimAt);
    const refusalsOf = (refusedAt: string) => {
      const { run } = entriesOf('P-refused', events);
      for (const n of [1, 2]) {
        run.recordRefusal(
          { type: 'PLAN_SIGNED_OFF', eventId: `not-now-${n}` },
          [{ message: 'no plan to sign off' }],
          refusedAt,
        );
      }
      return run.jobs.flatMap((job) => (job.kind === 'caseRecord' ? [job.record] : []));
    };
    const died = refusalsOf(later(interimAt, 5));
    const kept = refusalsOf(later(interimAt, 25));
    expect(kept.map((r) => r.recordId)).toEqual(died.map((r) => r.recordId));
    expect(new Set(kept.map((r) => r.recordId)).size).toBe(2);
    for (const entry of [...entriesOf('P-refused', events).entries, ...died, ...kept])
      await t.store.recordCaseEvent(entry);
    const record = await t.store.personRecord('P-refused');
    expect(record.refused.map((r) => [r.eventId, r.recordedAt])).toEqual([
      ['not-now-1', later(interimAt, 25)],
      ['not-now-2', later(interimAt, 25)],
    ]);
  });

  it('the check withdraws entries past where the journey says it is, once no task could still commit them', async () => {
    const events = emergencyEvents(interimAt);
    const { entries } = entriesOf('P-beyond', events);
    for (const entry of entries) await t.store.recordCaseEvent(entry);
    const clean = entriesOf('P-beyond-clean', events.slice(0, 3)).entries;
    for (const entry of clean) await t.store.recordCaseEvent(entry);
    const reached = { journeyNumber: 1, runNumber: 1, eventsApplied: 3 };
    // written after the cut-off: a task that may yet commit, left alone
    expect(await t.store.withdrawBeyond('P-beyond', reached, later(interimAt, -1))).toEqual([]);
    expect(await t.store.withdrawBeyond('P-beyond', reached, later(interimAt, 120))).toEqual([
      entries[3]!.recordId,
    ]);
    const got = await t.store.personRecord('P-beyond');
    expect(got.journey?.eventsApplied).toBe(3);
    expect(comparable(got, 'P-beyond')).toEqual(
      comparable(await t.store.personRecord('P-beyond-clean'), 'P-beyond-clean'),
    );
  });
});
