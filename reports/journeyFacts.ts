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
  /**
   * Which of the person's journeys (R-REF-4): a referral after their journey closed opens another,
   * reported as a journey of its own (its own request, assessment and services), 1 for a first.
   */
  journeyNumber: number;
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
 * by person id, then journey. Four queries over the whole store, so a year of 10,000 journeys is read at once.
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
      journey_number: number;
    }>(
      'SELECT person_id, subject, council, team, closed, closure, journey_number FROM journeys ORDER BY person_id',
    ),
    // only the parts the reports read: the timeline entry, the deadlines after it, the event if carried
    db.query<{
      person_id: string;
      journey_number: number;
      entry: TimelineEntry;
      deadlines: Deadline[] | null;
      event: Record<string, unknown> | null;
      team: string | null;
      closed: string | null;
      closure: CaseState['closure'] | null;
    }>(
      `SELECT person_id, journey_number, entry->'entry' AS entry, entry->'state'->'deadlines' AS deadlines,
         entry->'event' AS event, entry->'state'->>'team' AS team, entry->'state'->>'closed' AS closed,
         entry->'state'->'closure' AS closure
       FROM case_records WHERE kind = 'event' AND occurred_at <= $1
       ORDER BY person_id, journey_number, run_number NULLS LAST, events_applied NULLS LAST, recorded_at, record_id`,
      [upTo],
    ),
    db.query<{ person_id: string; letter_id: string; letter: LetterKind; entry: Record<string, unknown> }>(
      'SELECT person_id, letter_id, letter, entry FROM letters ORDER BY person_id, letter_id',
    ),
    db.query('SELECT * FROM deadlines ORDER BY person_id, due_at, deadline_id'),
  ]);
  // One facts a journey: the current-state row is the person's newest journey's; an earlier one
  // (closed, or a later could not have opened) is as its last entry left it.
  const byJourney = new Map<string, JourneyFacts>();
  const key = (personId: string, journeyNumber: number) => `${personId}\u0000${journeyNumber}`;
  const rows = new Map(journeys.rows.map((r) => [r.person_id, r]));
  const newest = (personId: string) => Number(rows.get(personId)?.journey_number ?? 1);
  for (const r of journeys.rows) {
    byJourney.set(key(r.person_id, newest(r.person_id)), {
      personId: r.person_id,
      journeyNumber: newest(r.person_id),
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
  const journeyOf = (personId: string, journeyNumber: number): JourneyFacts | undefined => {
    const found = byJourney.get(key(personId, journeyNumber));
    if (found) return found;
    const row = rows.get(personId);
    if (!row) return undefined;
    const earlier: JourneyFacts = {
      personId,
      journeyNumber,
      subject: row.subject,
      council: row.council ?? undefined,
      team: undefined,
      closed: true,
      closure: undefined,
      events: [],
      letters: [],
      deadlines: [],
    };
    byJourney.set(key(personId, journeyNumber), earlier);
    return earlier;
  };
  for (const {
    person_id,
    journey_number,
    entry,
    deadlines: after,
    event,
    team,
    closed,
    closure,
  } of records.rows) {
    const journeyNumber = Number(journey_number ?? 1);
    const facts = journeyOf(person_id, journeyNumber);
    if (!facts) continue;
    if (journeyNumber < newest(person_id)) {
      facts.team = team ?? facts.team;
      facts.closed = closed === null ? facts.closed : closed === 'true';
      facts.closure = closure ?? facts.closure;
    }
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
  const journeysOf = (personId: string) =>
    [...byJourney.values()]
      .filter((f) => f.personId === personId)
      .sort((a, b) => a.journeyNumber - b.journeyNumber);
  for (const r of letters.rows) {
    const prefix = `${r.person_id}:`;
    const suffix = `:${r.letter}`;
    const eventId =
      r.letter_id.startsWith(prefix) && r.letter_id.endsWith(suffix)
        ? r.letter_id.slice(prefix.length, -suffix.length)
        : r.letter_id;
    // the journey whose event sent it (the newest, if none has it)
    const mine = journeysOf(r.person_id);
    const facts = mine.find((f) => f.events.some((e) => e.eventId === eventId)) ?? mine.at(-1);
    if (!facts) continue;
    facts.letters.push({
      letterId: r.letter_id,
      letter: r.letter,
      eventId,
      data: (r.entry.data as Record<string, unknown> | undefined) ?? {},
      ...(r.entry.person ? { person: r.entry.person as LetterRecipient } : {}),
    });
  }
  for (const r of deadlines.rows)
    journeyOf(String(r.person_id), Number(r.journey_number ?? 1))?.deadlines.push(deadlineOf(r));

  // R-CAR-1: a carer's journey opens with a referral whose id is `<cared-for>:<offer event>:carer:referral`.
  const carerReferrals = new Map<string, string>();
  for (const facts of byJourney.values()) {
    for (const e of facts.events) {
      if (e.type === 'CARER_ASSESSMENT_OFFERED')
        carerReferrals.set(`${facts.personId}:${e.eventId}:carer:referral`, facts.personId);
    }
  }
  const result: JourneyFacts[] = [];
  for (const facts of byJourney.values()) {
    if (!facts.events.length) continue;
    if (facts.subject === 'carer') {
      const caresFor = carerReferrals.get(facts.events[0]!.eventId);
      if (caresFor) facts.caresFor = caresFor;
    }
    result.push(facts);
  }
  // by code point, not the database's collation: the same order (and file) on every backend
  return result.sort((a, b) =>
    a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.journeyNumber - b.journeyNumber,
  );
}
