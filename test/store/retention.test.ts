import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caseRecordFolder, outboxCaseRecord } from '../../activities/caseRecord';
import { LETTER_DOCUMENTS } from '../../activities/letters';
import { Outbox, outboxName } from '../../activities/outbox';
import { outboxCopies } from '../../activities/outboxCopies';
import { outboxNotifier, type DeadlineNotice } from '../../activities/notifications';
import type { SendLetter } from '../../machines/effects';
import type { JourneyEvent } from '../../machines/events';
import { forgetClosedBefore, forgottenPerson } from '../../store/retention';
import { ev, referral } from '../support/journeyEvents';
import { emergencyEvents, entriesOf } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * Retention (issue 12): the records of journeys closed before the council's cut-off are removed
 * whole, each person written in the destruction log; a dry run removes nothing; open journeys and
 * journeys closed after the cut-off are untouched; the record of who looked stays.
 */

/** Information and advice only: the journey closes at the triage (R-TRI). */
const adviceOnly = (at: string) => [
  referral(at),
  ev('UNIVERSAL_OFFER_GIVEN', at, { informationAndAdvice: ['Leaflet'], signposting: [], prevention: [] }),
  ev('TRIAGED', at, { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
];

const rowsOf = async (t: TestStore, personId: string) => {
  const counts: Record<string, number> = {};
  for (const table of ['case_records', 'deadlines', 'letters', 'journeys', 'access_log']) {
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table} WHERE person_id = $1`,
      [personId],
    );
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
};

describe.each(backends)('retention (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
    const people: [string, JourneyEvent[]][] = [
      ['ret-old', adviceOnly('2016-03-01T10:00:00+00:00')],
      // closed on the cut-off's own day, in summer time: after the day began in London
      ['ret-edge', adviceOnly('2018-06-01T00:30:00+01:00')],
      ['ret-recent', adviceOnly('2025-03-01T10:00:00Z')],
      ['ret-open', emergencyEvents('2016-03-02T12:00:00.000Z')],
    ];
    for (const [personId, events] of people) {
      for (const entry of entriesOf(personId, events).entries) await t.store.recordCaseEvent(entry);
    }
    await t.db.query(
      `INSERT INTO access_log (person_id, at, user_id, role, via, action, route, status)
       VALUES ('ret-old', '2016-03-02T09:00:00Z', 'ann', 'practitioner', 'token', 'read', 'GET /journeys/:personId', 200)`,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a dry run says who would go and removes nothing', async () => {
    const before = await rowsOf(t, 'ret-old');
    const answer = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-05-31T23:00:00.000Z'), // 1 June 2018 began in London
      by: 'records.manager',
      dryRun: true,
    });
    expect(answer.people.map((p) => p.personId)).toEqual(['ret-old']);
    expect(answer.people[0]?.removed).toMatchObject({ journeys: 1, case_records: before.case_records });
    expect(before.case_records).toBeGreaterThan(0);
    expect(await rowsOf(t, 'ret-old')).toEqual(before);
    expect(await forgottenPerson(t.db, 'ret-old')).toBeUndefined();
  });

  it('removes the whole record of journeys closed before the cut-off, and logs each, keeping who looked', async () => {
    const answer = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-06-01T00:00:00.000Z'), // after ret-edge closed (23:30 UTC the day before)
      by: 'records.manager',
      dryRun: false,
      limit: 1,
    });
    // one at a time: the oldest first, and it says there are more
    expect(answer.people.map((p) => p.personId)).toEqual(['ret-old']);
    expect(answer.more).toBe(true);
    const again = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-06-01T00:00:00.000Z'),
      by: 'records.manager',
      dryRun: false,
    });
    expect(again).toMatchObject({
      more: false,
      people: [{ personId: 'ret-edge', closedAt: '2018-05-31T23:30:00.000Z' }],
    });
    for (const personId of ['ret-old', 'ret-edge']) {
      const left = await rowsOf(t, personId);
      expect({ personId, ...left, access_log: 0 }).toEqual({
        personId,
        case_records: 0,
        deadlines: 0,
        letters: 0,
        journeys: 0,
        access_log: 0,
      });
      expect(await forgottenPerson(t.db, personId)).toMatchObject({
        personId,
        forgottenBy: 'records.manager',
      });
    }
    expect((await rowsOf(t, 'ret-old')).access_log).toBe(1);
    // the open journey (older than the cut-off) and the recent closure are untouched
    expect((await t.store.journey('ret-open'))?.closed).toBe(false);
    expect((await t.store.journey('ret-recent'))?.closed).toBe(true);
    expect((await t.store.personRecord('ret-recent')).timeline.length).toBeGreaterThan(0);
  });
});

describe('retention of the readable copies beside the store (the outbox)', () => {
  let t: TestStore;
  let outbox: Outbox;
  // two people whose ids share a prefix (a person id may hold ':'): neither's files match the other's
  const people = ['ret-copy', 'ret-copy:1'] as const;
  const letterOf = (personId: string): SendLetter => ({
    type: 'sendLetter',
    letterId: `${personId}:evt-1:decisionLetter`,
    letter: 'decisionLetter',
    personId,
    recipients: ['person'],
    ruleId: 'R-ASM-5',
    data: {},
  });
  const noticeOf = (personId: string): DeadlineNotice => ({
    notificationId: `${personId}:deadline-1:reminder`,
    personId,
    deadline: {
      id: 'deadline-1',
      description: 'Review',
      ruleId: 'R-REV-1',
      dueAt: '2016-04-01T00:00:00.000Z',
      overdueAt: '2016-04-01T00:00:00.000Z',
    } as unknown as DeadlineNotice['deadline'],
    to: 'ann',
    team: 'north',
  });
  const filesOf = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
          .sort()
      : [];

  beforeAll(async () => {
    t = await openTestStore('embedded');
    outbox = new Outbox(mkdtempSync(path.join(tmpdir(), 'care-retention-outbox-')));
    for (const personId of people) {
      for (const entry of entriesOf(personId, adviceOnly('2016-03-01T10:00:00+00:00')).entries) {
        await t.store.recordCaseEvent(entry);
        await outboxCaseRecord(outbox).recordCaseEvent(entry);
      }
      // what the default adapters write for a letter and a reminder, and what the store records of them
      const letter = letterOf(personId);
      await outbox.writeOnce('letters', letter.letterId, 'Dear …');
      await outbox.writeOnceFile(LETTER_DOCUMENTS, letter.letterId, 'pdf', Buffer.from('%PDF-1.7'));
      await t.store.recordLetterSent(letter);
      await outboxNotifier(outbox).notifyPractitioner(noticeOf(personId));
      await t.store.recordNoticeSent(noticeOf(personId));
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(outbox.root, { recursive: true, force: true });
  });

  it('counts them in a dry run, removes them with the record, and leaves everyone else’s', async () => {
    const everything = filesOf(outbox.root);
    const cut = { closedBefore: new Date('2017-01-01T00:00:00Z'), by: 'records.manager', limit: 1 };
    const dry = await forgetClosedBefore(t.db, { ...cut, dryRun: true, copies: outboxCopies(outbox) });
    const first = dry.people[0]!;
    // the case record's entries, the letter and its PDF, the reminder
    expect(first.copiesRemoved).toBe(first.removed.case_records + 3);
    expect(filesOf(outbox.root)).toEqual(everything);

    const done = await forgetClosedBefore(t.db, { ...cut, dryRun: false, copies: outboxCopies(outbox) });
    expect(done.people).toEqual([{ ...first }]);
    const gone = done.people[0]!.personId;
    const kept = people.find((p) => p !== gone)!;
    const left = filesOf(outbox.root);
    expect(everything.length - left.length).toBe(first.copiesRemoved);
    // exactly the forgotten person's files went: their case-record folder, letter, PDF and reminder
    const theirs = [
      caseRecordFolder(gone),
      outboxName(letterOf(gone).letterId),
      outboxName(noticeOf(gone).notificationId),
    ];
    expect(left).toEqual(everything.filter((f) => !theirs.some((name) => f.includes(name))));
    expect(filesOf(path.join(outbox.root, caseRecordFolder(kept))).length).toBe(
      (await rowsOf(t, kept)).case_records,
    );
    expect(left.some((f) => f.includes(outboxName(letterOf(kept).letterId)))).toBe(true);
    expect(left.some((f) => f.includes(outboxName(letterOf(gone).letterId)))).toBe(false);
    expect(left.some((f) => f.includes(outboxName(noticeOf(gone).notificationId)))).toBe(false);
    expect(existsSync(path.join(outbox.root, caseRecordFolder(gone)))).toBe(false);
    // the destruction log counts them, still with none of the content
    const { rows } = await t.db.query<{ removed: Record<string, number> }>(
      'SELECT removed FROM forgotten WHERE person_id = $1',
      [gone],
    );
    expect(rows[0]?.removed).toMatchObject({ readableCopies: first.copiesRemoved });
  });
});
