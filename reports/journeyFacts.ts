import type { CaseState } from '../activities/caseRecord';
import type { LetterKind, LetterRecipient } from '../machines/effects';
import type { Deadline, TimelineEntry } from '../machines/types';
import { deadlineOf } from '../store/caseEventStore';
import type { Queryable } from '../store/database';

/**
 * What the case-event store (issue 12) knows of each journey, gathered for the statutory reports:
 * its accepted events in the order applied (type, the real date `occurredAt`, when it was recorded,
 * the stage before and after, and the deadlines the event met), the letters it sent (their data
 * carry the decision's eligible needs, the signed-off plan, the review's outcome, the end letter's
 * dates), its deadlines, and its current-state row.
 *
 * A case-record entry is the timeline entry, the journey's state after it and (since issue 15) the
 * event itself (`record.event`), which `payload` carries. Entries written before then have no event:
 * for them the reports use what the letters and stages tell, and report the rest as missing.
 */

export interface EventFact {
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  /** stage labels before and after (`indicativeBudget.calculated`: stage, then step) */
  from: string;
  to: string;
  via: TimelineEntry['via'];
  /** the deadlines this event met (or met late), by kind */
  met: Deadline[];
  /** the event's own fields, only where the case record carries them */
  payload?: Record<string, unknown>;
}

export interface LetterFact {
  letterId: string;
  letter: LetterKind;
  /** the event that sent it (the letter id is `<person>:<event>:<letter>`) */
  eventId: string;
  data: Record<string, unknown>;
  person?: LetterRecipient;
}

export interface JourneyFacts {
  personId: string;
  subject: CaseState['subject'];
  council: string | undefined;
  team: string | undefined;
  closed: boolean;
  closure: CaseState['closure'];
  events: EventFact[];
  letters: LetterFact[];
  deadlines: Deadline[];
  /** a carer's journey: the person they care for (whose assessment offered it, R-CAR-1) */
  caresFor?: string;
}

/** The stage of a stage label (`indicativeBudget.calculated` → `indicativeBudget`). */
export const stageOfLabel = (label: string): string => label.split('.')[0] ?? label;

/** The letter `kind` an event sent, if the store has it. */
export function letterOf(facts: JourneyFacts, eventId: string, kind: LetterKind): LetterFact | undefined {
  return facts.letters.find((l) => l.eventId === eventId && l.letter === kind);
}

/**
 * Every journey in the store with at least one accepted event on or before `upTo` (an instant),
 * by person id. Four queries over the whole store, so a year of 10,000 journeys is read at once.
 */
export async function loadJourneyFacts(db: Queryable, upTo: string): Promise<JourneyFacts[]> {
  const [journeys, records, letters, deadlines] = await Promise.all([
    db.query<{
      person_id: string;
      subject: CaseState['subject'];
      council: string | null;
      team: string | null;
      closed: boolean;
      closure: CaseState['closure'] | null;
    }>('SELECT person_id, subject, council, team, closed, closure FROM journeys ORDER BY person_id'),
    // only the parts the reports read: the timeline entry, the deadlines after it, the event if carried
    db.query<{
      person_id: string;
      entry: TimelineEntry;
      deadlines: Deadline[] | null;
      event: Record<string, unknown> | null;
    }>(
      `SELECT person_id, entry->'entry' AS entry, entry->'state'->'deadlines' AS deadlines, entry->'event' AS event
       FROM case_records WHERE kind = 'event' AND occurred_at <= $1
       ORDER BY person_id, journey_number, run_number NULLS LAST, events_applied NULLS LAST, recorded_at, record_id`,
      [upTo],
    ),
    db.query<{ person_id: string; letter_id: string; letter: LetterKind; entry: Record<string, unknown> }>(
      'SELECT person_id, letter_id, letter, entry FROM letters ORDER BY person_id, letter_id',
    ),
    db.query('SELECT * FROM deadlines ORDER BY person_id, due_at, deadline_id'),
  ]);
  const byPerson = new Map<string, JourneyFacts>();
  for (const r of journeys.rows) {
    byPerson.set(r.person_id, {
      personId: r.person_id,
      subject: r.subject,
      council: r.council ?? undefined,
      team: r.team ?? undefined,
      closed: r.closed === true,
      closure: r.closure ?? undefined,
      events: [],
      letters: [],
      deadlines: [],
    });
  }
  for (const { person_id, entry, deadlines: after, event } of records.rows) {
    const facts = byPerson.get(person_id);
    if (!facts) continue;
    facts.events.push({
      eventId: entry.eventId,
      type: entry.type,
      occurredAt: entry.occurredAt,
      recordedAt: entry.recordedAt,
      from: entry.from,
      to: entry.to,
      via: entry.via,
      met: (after ?? []).filter(
        (d) => (d.status === 'met' || d.status === 'metLate') && d.closedAt === entry.occurredAt,
      ),
      ...(event ? { payload: event } : {}),
    });
  }
  for (const r of letters.rows) {
    const facts = byPerson.get(r.person_id);
    if (!facts) continue;
    const prefix = `${r.person_id}:`;
    const suffix = `:${r.letter}`;
    const eventId =
      r.letter_id.startsWith(prefix) && r.letter_id.endsWith(suffix)
        ? r.letter_id.slice(prefix.length, -suffix.length)
        : r.letter_id;
    facts.letters.push({
      letterId: r.letter_id,
      letter: r.letter,
      eventId,
      data: (r.entry.data as Record<string, unknown> | undefined) ?? {},
      ...(r.entry.person ? { person: r.entry.person as LetterRecipient } : {}),
    });
  }
  for (const r of deadlines.rows) byPerson.get(String(r.person_id))?.deadlines.push(deadlineOf(r));

  // R-CAR-1: a carer's journey opens with a referral whose id is `<cared-for>:<offer event>:carer:referral`.
  const carerReferrals = new Map<string, string>();
  for (const facts of byPerson.values()) {
    for (const e of facts.events) {
      if (e.type === 'CARER_ASSESSMENT_OFFERED')
        carerReferrals.set(`${facts.personId}:${e.eventId}:carer:referral`, facts.personId);
    }
  }
  const result: JourneyFacts[] = [];
  for (const facts of byPerson.values()) {
    if (!facts.events.length) continue;
    if (facts.subject === 'carer') {
      const caresFor = carerReferrals.get(facts.events[0]!.eventId);
      if (caresFor) facts.caresFor = caresFor;
    }
    result.push(facts);
  }
  // by code point, not the database's collation: the same order (and file) on every backend
  return result.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
}
