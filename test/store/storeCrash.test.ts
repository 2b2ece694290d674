import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JourneyDetail } from '../../api/schemas';
import type { JourneyEvent } from '../../machines/events';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../store/database';
import { startApiHarness, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { openTestStore, type TestStore } from './storeKit';

/**
 * Issue 12 point 4: the store's connection is killed in the middle of a burst of events (the
 * embedded store's thread terminated, as a crash would, twice). The case-record activities fail,
 * Temporal retries them, the store opens again, and in the end every accepted event is written
 * exactly once.
 */

let t: TestStore;
let api: ApiHarness;
beforeAll(async () => {
  t = await openTestStore('embedded');
  api = await startApiHarness({ store: t.store });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await t?.close();
});

const at = (day: number, minute: number) =>
  new Date(Date.parse('2026-01-05T09:00:00.000Z') + day * 86_400_000 + minute * 60_000).toISOString();

/** A referral, allocation, consent and a run of complaints raised and resolved: 2 + 2n events. */
function burst(personId: string, complaints: number) {
  const events: JourneyEvent[] = [
    referral(at(0, 0)),
    ev('WORKER_ALLOCATED', at(0, 1), { team: 'north', workerId: 'ann' }),
  ];
  for (let i = 0; i < complaints; i++) {
    events.push(
      ev('COMPLAINT_RAISED', at(1 + i, 0), {
        complaintId: `${personId}-c${i}`,
        about: 'service',
        details: 'visits late',
      }),
      ev('COMPLAINT_RESOLVED', at(1 + i, 30), { complaintId: `${personId}-c${i}`, outcome: 'Apologised' }),
    );
  }
  return events;
}

/**
 * While the store is down the API answers 503 (the record of who looked cannot be written, so the
 * answer is withheld: issue 14): an integrator sends the same event again, and the event id makes
 * the second sending the same event, never a second one.
 */
async function sendAsAnIntegratorWould(personId: string, event: JourneyEvent) {
  const { actor: _actor, type, ...fields } = event;
  const isReferral = type === 'REFERRAL_RECEIVED';
  const [url, body] = isReferral
    ? ['/referrals', { ...fields, personId }]
    : [`/journeys/${personId}/events`, { type, ...fields }];
  for (let attempt = 1; ; attempt++) {
    const answer = await api.call('POST', url, { body });
    if (answer.status === 503 && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    expect({
      type,
      accepted: isReferral ? [200, 201].includes(answer.status) : answer.status === 200,
    }).toEqual({
      type,
      accepted: true,
    });
    return;
  }
}

it('every accepted event is written once, though the store was killed twice mid-burst', async () => {
  const people = ['crash-1', 'crash-2', 'crash-3', 'crash-4'];
  let sent = 0;
  const kills: number[] = [];
  const db = t.db as EmbeddedDatabase;
  await Promise.all(
    people.map(async (personId) => {
      for (const event of burst(personId, 4)) {
        await sendAsAnIntegratorWould(personId, event);
        sent++;
        // kill the store's connection at about a third and two thirds of the burst
        if ((sent === 13 || sent === 27) && !kills.includes(sent)) {
          kills.push(sent);
          await db.crash();
        }
      }
    }),
  );
  expect(kills).toEqual([13, 27]);
  for (const personId of people) {
    const detail = (await api.call('GET', `/journeys/${personId}`)).body as unknown as JourneyDetail;
    const accepted = detail.timeline.map((e) => e.eventId);
    expect(accepted).toHaveLength(10);
    await eventually(async () => {
      const { rows } = await t.db.query<{ record_id: string }>(
        "SELECT record_id FROM case_records WHERE person_id = $1 AND kind = 'event' ORDER BY events_applied",
        [personId],
      );
      expect(rows.map((r) => r.record_id)).toEqual(accepted);
    }, 60_000);
    const row = await t.store.journey(personId);
    expect(row).toMatchObject({ stage: 'triage', team: 'north', eventsApplied: 10 });
    expect(row?.concerns.openComplaints).toBe(0);
  }
}, 120_000);

it('a store that cannot be opened again after a crash fails that query, and the next one opens it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'care-store-reopen-'));
  const where = path.join(dir, 'case-store');
  const db = await openEmbeddedDatabase(where);
  try {
    await db.exec('CREATE TABLE kept (n int)');
    await db.query('INSERT INTO kept VALUES (1)');
    await db.crash();
    // the files are out of reach (a plain file where the folder was): opening fails
    renameSync(where, `${where}.away`);
    writeFileSync(where, 'not a database');
    await expect(db.query('SELECT n FROM kept')).rejects.toThrow(
      /could not be opened: (?!\[object Object\])/,
    );
    // back within reach: the next query opens them, rather than failing on the broken thread for ever
    rmSync(where);
    renameSync(`${where}.away`, where);
    expect((await db.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
