import type { CaseRecordEntry } from '../../activities/caseRecord';
import { detailFromStore } from '../../api/caseStore';
import type { JourneyEvent } from '../../machines/events';
import { policyProfiles } from '../../machines/policyProfile';
import { loadMapping } from '../../reports/cld/config';
import { exportCld } from '../../reports/cld/export';
import { loadJourneyFacts, type JourneyFacts } from '../../reports/journeyFacts';
import { listJourneys, overdueCounts } from '../../store/lists';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';
import { ev } from '../support/journeyEvents';
import { emergencyEvents } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * R-REF-4 in the case-event store: a person's second journey (opened after the first closed)
 * starts again at run 1, yet its state replaces the first journey's row — journey number first,
 * then run and position — and the person's record keeps both journeys' entries, in order.
 */

const HOUR = 3_600_000;
const T1 = '2026-02-02T10:00:00.000Z';
const T2 = '2026-06-01T10:00:00.000Z';
const at = (base: string, hours: number) => new Date(Date.parse(base) + hours * HOUR).toISOString();

/** Entries as journey `journeyNumber`'s workflow queues them (its own JourneyRun), clocks reached at `until`. */
function journeyEntries(
  personId: string,
  journeyNumber: number,
  events: JourneyEvent[],
  until: string,
): CaseRecordEntry[] {
  const first = events[0]!.occurredAt;
  const config = { policyProfile: policyProfiles.derbyshire, extraBankHolidays: [] };
  const run = new JourneyRun(
    newJourneyInput(personId, 'person', config, new Date(first), journeyNumber),
    first,
  );
  const entries: CaseRecordEntry[] = [];
  const collect = () => {
    for (const job of run.jobs) if (job.kind === 'caseRecord') entries.push(job.record);
    run.jobs = [];
  };
  for (const event of events) {
    run.reachDueDeadlines(event.occurredAt);
    collect();
    const verdict = run.judge(event, event.occurredAt);
    if (verdict.kind !== 'accept') throw new Error(`${event.type} not accepted: ${JSON.stringify(verdict)}`);
    run.apply(verdict.event, 'update', event.occurredAt);
    collect();
  }
  run.reachDueDeadlines(until);
  collect();
  return entries;
}

/** As if the first journey had continued as new four times before it closed: its runs are ahead. */
const inRun = (entries: CaseRecordEntry[], runNumber: number) =>
  entries.map((e) => (e.state ? { ...e, state: { ...e.state, runNumber } } : e));

describe.each(backends)('R-REF-4: a later journey in the case-event store (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const personId = 'REREF-1';
  const firstJourney = inRun(
    journeyEntries(
      personId,
      1,
      [
        ...emergencyEvents(T1, 'west'),
        ev('JOURNEY_WITHDRAWN', at(T1, 2), { reason: 'No longer wants support' }),
      ],
      at(T1, 3),
    ),
    5,
  );
  // the second journey's emergency assessment clock (3 working days) long past: overdue
  const secondJourney = journeyEntries(personId, 2, emergencyEvents(T2, 'east'), at(T2, 24 * 14));

  it("R-REF-4: the second journey replaces the closed first journey's row though its run starts again at 1", async () => {
    for (const entry of firstJourney) await t.store.recordCaseEvent(entry);
    const closed = await t.store.journey(personId);
    expect(closed).toMatchObject({ closed: true, journeyNumber: 1, runNumber: 5 });
    expect(closed?.closure?.reason).toBe('withdrawn');

    for (const entry of secondJourney) await t.store.recordCaseEvent(entry);
    const row = await t.store.journey(personId);
    expect(row).toMatchObject({ closed: false, journeyNumber: 2, runNumber: 1, team: 'east' });
    expect(row?.overdueKinds).toEqual(['emergencyAssessmentStart']);

    // listed, and in the overdue counts
    const page = await listJourneys(t.db, { team: 'east' }, { asOf: new Date(T2), limit: 10 });
    expect(page.rows.map((r) => r.personId)).toEqual([personId]);
    const counts = await overdueCounts(t.db);
    expect(counts.byKind).toContainEqual(
      expect.objectContaining({ kind: 'emergencyAssessmentStart', count: 1 }),
    );
    expect(counts.byTeam.find((b) => b.team === 'east')?.oldest.personId).toBe(personId);
  });

  it('R-REF-4: a first-journey entry retried late never takes the row back from the second journey', async () => {
    await t.db.query('DELETE FROM case_records WHERE person_id = $1 AND record_id = $2', [
      personId,
      firstJourney.at(-1)!.recordId,
    ]);
    await t.store.recordCaseEvent(firstJourney.at(-1)!);
    expect(await t.store.journey(personId)).toMatchObject({ closed: false, journeyNumber: 2 });
  });

  it("R-REF-4: the person's record keeps both journeys' entries, the first journey's first, under distinct ids", async () => {
    const record = await t.store.personRecord(personId);
    const firstIds = firstJourney.map((e) => e.recordId);
    const secondIds = secondJourney.map((e) => e.recordId);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    // in order: every entry of the first journey, then every entry of the second
    const order = record.entries.map((e) => e.recordId);
    expect(order).toEqual([...firstIds, ...secondIds]);
    // both journeys' deadlines, each as it ended: the first's cancelled at the closure, the second's open
    const byId = new Map(record.deadlines.map((d) => [d.id, d]));
    const firstClock = [...byId.values()].find((d) => !d.id.startsWith('j2-'))!;
    const secondClock = [...byId.values()].find((d) => d.id.startsWith('j2-'))!;
    expect(firstClock).toMatchObject({ kind: 'emergencyAssessmentStart', status: 'cancelled' });
    expect(secondClock).toMatchObject({ kind: 'emergencyAssessmentStart', status: 'overdue' });
    const { rows } = await t.db.query<{ deadline_id: string; journey_number: number }>(
      'SELECT deadline_id, journey_number FROM deadlines WHERE person_id = $1 ORDER BY journey_number',
      [personId],
    );
    expect(rows.map((r) => [r.deadline_id, Number(r.journey_number)])).toEqual([
      [firstClock.id, 1],
      [secondClock.id, 2],
    ]);
  });

  it("R-REF-4: the statutory reports read each of the person's journeys apart, never one merged", async () => {
    const facts = (await loadJourneyFacts(t.db, at(T2, 24 * 30))).filter((f) => f.personId === personId);
    expect(facts.map((f) => [f.journeyNumber, f.team, f.closed, f.closure?.reason])).toEqual([
      [1, 'west', true, 'withdrawn'],
      [2, 'east', false, undefined],
    ]);
    const [first, second] = facts as [JourneyFacts, JourneyFacts];
    expect(first.events.map((e) => e.eventId)).toEqual(
      firstJourney.map((e) => (e.entry as { eventId: string }).eventId),
    );
    expect(second.events.map((e) => e.eventId)).toEqual(
      secondJourney.map((e) => (e.entry as { eventId: string }).eventId),
    );
    expect(first.deadlines.map((d) => d.status)).toEqual(['cancelled']);
    expect(second.deadlines.map((d) => [d.kind, d.status])).toEqual([
      ['emergencyAssessmentStart', 'overdue'],
    ]);
    // and the return references the later journey's events apart from the first's
    const { csv } = await exportCld(
      t.db,
      { from: '2026-01-01', to: '2026-12-31' },
      { mapping: loadMapping() },
    );
    const references = csv
      .split('\n')
      .filter((line) => line.includes(personId))
      .map((line) => /REREF-1(\/j2)?\/[^,"]+/.exec(line)?.[0]);
    expect(references.some((r) => r?.startsWith(`${personId}/j2/`))).toBe(true);
    expect(references.some((r) => r && !r.startsWith(`${personId}/j2/`))).toBe(true);
    expect(new Set(references).size).toBe(references.length);
  });

  it('R-REF-4: told from the store (Temporal has forgotten it), GET /journeys/{id} is the current journey alone', async () => {
    const record = await t.store.personRecord(personId);
    const detail = detailFromStore(personId, record);
    const secondEvents = secondJourney
      .filter((e) => e.kind === 'event')
      .map((e) => (e.entry as { eventId: string }).eventId);
    expect(detail.timeline.map((e) => e.eventId)).toEqual(secondEvents);
    expect(detail.view.closed).toBe(false);
    expect(detail.view.deadlines.map((d) => d.id).every((id) => id.startsWith('j2-'))).toBe(true);
    expect(detail.view.deadlines.length).toBeGreaterThan(0);
  });
});
