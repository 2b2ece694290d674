import { createHash, randomUUID } from 'node:crypto';
import type { CaseRecord, CaseRecordEntry, CaseState } from '../activities/caseRecord';
import type { DeadlineNotice } from '../activities/notifications';
import type { SendLetter } from '../machines/effects';
import type { Deadline, RefusedEntry, Refusal, TimelineEntry } from '../machines/types';
import type { Queryable, StoreDatabase } from './database';

/**
 * The case-event store (issue 12): PostgreSQL tables (store/migrations/) holding every accepted
 * event, every refusal, every deadline and its life, the letters and notices sent, and one
 * current-state row per journey. It is the default case-record adapter of the journey's
 * activities, so everything in it was written by an activity, idempotently: a retried activity
 * writes nothing twice (unique keys, ON CONFLICT DO NOTHING), and a different entry under an id
 * already used is an error (as the outbox's), never an overwrite.
 */

/** An id already used in the store for a different entry: retrying will not make it go in. */
export class CaseStoreConflictError extends Error {
  override name = 'CaseStoreConflictError';
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(
      `case-event store: ${table} already holds a different entry with id ${JSON.stringify(id)}; ` +
        'not overwritten, the new one was not recorded',
    );
  }
}

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
const iso = (value: unknown): string | undefined =>
  value === null || value === undefined
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : new Date(String(value)).toISOString();

/** Deadline statuses as the steps of its life (deadline_history.what). */
const lifeOf: Record<Deadline['status'], string> = {
  due: 'set',
  overdue: 'overdue',
  met: 'met',
  metLate: 'metLate',
  cancelled: 'cancelled',
  takenEffect: 'takenEffect',
};

/** Open deadlines in the state: the next one due, and what is overdue (as the search attributes have them). */
export function urgencyOf(deadlines: Deadline[]): {
  nextDeadline: Deadline | undefined;
  overdueSince: string | undefined;
  overdueKinds: string[];
} {
  const next = deadlines
    .filter((d) => d.status === 'due' && d.effect === 'obligation')
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  const overdue = deadlines.filter((d) => d.status === 'overdue');
  const since = overdue.length ? Math.min(...overdue.map((d) => Date.parse(d.overdueAt))) : undefined;
  return {
    nextDeadline: next,
    overdueSince: since === undefined ? undefined : new Date(since).toISOString(),
    overdueKinds: [...new Set(overdue.map((d) => d.kind))].sort(),
  };
}

/** The current-state row, as read back. */
export interface JourneyStateRow {
  personId: string;
  subject: CaseState['subject'];
  council: string | undefined;
  stage: string;
  step: string | undefined;
  stageEnteredAt: string | undefined;
  team: string | undefined;
  worker: string | undefined;
  closed: boolean;
  closure: CaseState['closure'];
  nextDeadlineAt: string | undefined;
  nextDeadlineKind: string | undefined;
  overdueSince: string | undefined;
  overdueKinds: string[];
  waitingOn: string | undefined;
  stageStuckAfter: string | undefined;
  waitingStuckAfter: string | undefined;
  concerns: CaseState['concerns'];
  lastEventAt: string | undefined;
  /** which of the person's journeys the row is of (R-REF-4): the newest, 1 for a first */
  journeyNumber: number;
  runNumber: number;
  eventsApplied: number;
  state: CaseState;
}

export const journeyColumns = `person_id, subject, council, stage, step, stage_entered_at, team, worker, closed,
  closure, next_deadline_at, next_deadline_kind, overdue_since, overdue_kinds, waiting_on, stage_stuck_after,
  waiting_stuck_after, open_complaints, safeguarding_open, in_hospital, advocacy, last_event_at, run_number,
  events_applied, state, journey_number`;

export function journeyStateRow(r: Record<string, unknown>): JourneyStateRow {
  const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  return {
    personId: String(r.person_id),
    subject: r.subject as CaseState['subject'],
    council: text(r.council),
    stage: String(r.stage),
    step: text(r.step),
    stageEnteredAt: iso(r.stage_entered_at),
    team: text(r.team),
    worker: text(r.worker),
    closed: r.closed === true,
    closure: (r.closure ?? undefined) as CaseState['closure'],
    nextDeadlineAt: iso(r.next_deadline_at),
    nextDeadlineKind: text(r.next_deadline_kind),
    overdueSince: iso(r.overdue_since),
    overdueKinds: (r.overdue_kinds as string[] | null) ?? [],
    waitingOn: text(r.waiting_on),
    stageStuckAfter: iso(r.stage_stuck_after),
    waitingStuckAfter: iso(r.waiting_stuck_after),
    concerns: {
      openComplaints: Number(r.open_complaints ?? 0),
      safeguardingOpen: r.safeguarding_open === true,
      inHospital: r.in_hospital === true,
      advocacy: (text(r.advocacy) ?? 'notNeeded') as CaseState['concerns']['advocacy'],
    },
    lastEventAt: iso(r.last_event_at),
    journeyNumber: Number(r.journey_number ?? 1),
    runNumber: Number(r.run_number),
    eventsApplied: Number(r.events_applied),
    state: r.state as CaseState,
  };
}

/** A person's whole record, as the store has it. */
export interface PersonRecord {
  journey: JourneyStateRow | undefined;
  timeline: TimelineEntry[];
  refused: RefusedEntry[];
  deadlines: Deadline[];
  deadlineHistory: { deadlineId: string; what: string; at: string; source: string }[];
  notices: { notificationId: string; deadlineId: string; kind: string; sentTo: string; sentAt: string }[];
  letters: { letterId: string; letter: string; ruleId: string; recipients: string[]; sentAt: string }[];
  /** every case-record entry, in the order written */
  entries: CaseRecordEntry[];
}

export class CaseEventStore implements CaseRecord {
  constructor(readonly db: StoreDatabase) {}

  /** Inserts once; false when exactly this was there; CaseStoreConflictError when something else was. */
  private async insertOnce(
    tx: Queryable,
    table: string,
    id: string,
    insert: string,
    params: unknown[],
    existing: string,
    existingParams: unknown[],
    digest: string,
  ): Promise<boolean> {
    const { rowCount } = await tx.query(insert, params);
    if (rowCount > 0) return true;
    const { rows } = await tx.query<{ digest: string }>(existing, existingParams);
    if (rows[0]?.digest === digest) return false;
    throw new CaseStoreConflictError(table, id);
  }

  async recordCaseEvent(record: CaseRecordEntry): Promise<void> {
    const digest = digestOf(record);
    await this.db.transaction(async (tx) => {
      const entry = record.entry as Partial<TimelineEntry>;
      const isEvent = record.kind === 'event';
      const fresh = await this.insertOnce(
        tx,
        'case_records',
        `${record.personId}/${record.recordId}`,
        `INSERT INTO case_records (person_id, record_id, kind, event_type, occurred_at, recorded_at, entry, digest, run_number, events_applied, journey_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [
          record.personId,
          record.recordId,
          record.kind,
          isEvent ? (entry.type ?? null) : null,
          isEvent ? (entry.occurredAt ?? null) : null,
          typeof entry.recordedAt === 'string' ? entry.recordedAt : null,
          JSON.stringify(record),
          digest,
          record.state?.runNumber ?? null,
          record.state?.eventsApplied ?? null,
          record.journeyNumber ?? record.state?.journeyNumber ?? 1,
        ],
        'SELECT digest FROM case_records WHERE person_id = $1 AND record_id = $2',
        [record.personId, record.recordId],
        digest,
      );
      if (!fresh) return; // a retried activity: everything below was written with it the first time
      if (record.kind === 'systemEventRefused' || record.kind === 'eventRefused') {
        const refused = record.entry as Partial<RefusedEntry>;
        await insertRefusal(tx, record.personId, record.recordId, {
          eventId: refused.eventId,
          type: refused.type,
          via: refused.via ?? (record.kind === 'eventRefused' ? 'signal' : 'system'),
          recordedAt: refused.recordedAt ?? new Date().toISOString(),
          reasons: refused.reasons ?? [],
          entry: record.entry,
        });
      }
      if (record.state) await this.putState(tx, record.personId, record.state, record.recordId);
    });
  }

  /**
   * The current-state row and the deadlines from a state, moving only forward: a state from an
   * older entry (journey, run, events applied) than the row's changes nothing; a later journey's
   * state replaces an earlier journey's row whatever their runs (R-REF-4: a journey opened after
   * the person's earlier one closed starts again at run 1). `source` names what said so.
   */
  async putState(
    tx: Queryable,
    personId: string,
    state: CaseState,
    source: string,
    force = false,
  ): Promise<void> {
    const { nextDeadline, overdueSince, overdueKinds } = urgencyOf(state.deadlines.filter(isOpenDeadline));
    const journeyNumber = state.journeyNumber ?? 1;
    const newer = force
      ? ''
      : 'WHERE (journeys.journey_number, journeys.run_number, journeys.events_applied) < (EXCLUDED.journey_number, EXCLUDED.run_number, EXCLUDED.events_applied)';
    await tx.query(
      `INSERT INTO journeys (${journeyColumns}, closed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $27, $26, now())
       ON CONFLICT (person_id) DO UPDATE SET
         subject = EXCLUDED.subject, council = EXCLUDED.council, stage = EXCLUDED.stage, step = EXCLUDED.step,
         stage_entered_at = EXCLUDED.stage_entered_at, team = EXCLUDED.team, worker = EXCLUDED.worker,
         closed = EXCLUDED.closed, closure = EXCLUDED.closure, next_deadline_at = EXCLUDED.next_deadline_at,
         next_deadline_kind = EXCLUDED.next_deadline_kind, overdue_since = EXCLUDED.overdue_since,
         overdue_kinds = EXCLUDED.overdue_kinds, waiting_on = EXCLUDED.waiting_on,
         stage_stuck_after = EXCLUDED.stage_stuck_after, waiting_stuck_after = EXCLUDED.waiting_stuck_after,
         open_complaints = EXCLUDED.open_complaints, safeguarding_open = EXCLUDED.safeguarding_open,
         in_hospital = EXCLUDED.in_hospital, advocacy = EXCLUDED.advocacy, last_event_at = EXCLUDED.last_event_at,
         run_number = EXCLUDED.run_number, events_applied = EXCLUDED.events_applied, state = EXCLUDED.state,
         journey_number = EXCLUDED.journey_number, closed_at = EXCLUDED.closed_at, updated_at = now()
       ${newer}`,
      [
        personId,
        state.subject,
        state.council,
        state.stage,
        state.step ?? null,
        state.stageEnteredAt ?? null,
        state.team ?? null,
        state.worker ?? null,
        state.closed,
        state.closure ? JSON.stringify(state.closure) : null,
        nextDeadline?.dueAt ?? null,
        nextDeadline?.kind ?? null,
        overdueSince ?? null,
        overdueKinds,
        state.waitingOn?.party ?? null,
        state.stageStuckAfter ?? null,
        state.waitingStuckAfter ?? null,
        state.concerns.openComplaints,
        state.concerns.safeguardingOpen,
        state.concerns.inHospital,
        state.concerns.advocacy,
        state.lastEventAt ?? null,
        state.runNumber,
        state.eventsApplied,
        JSON.stringify(state),
        // when it closed, as an instant: what a retention run (store/retention.ts) looks for
        state.closed && state.closure?.at ? state.closure.at : null,
        journeyNumber,
      ],
    );
    for (const d of state.deadlines) {
      await tx.query(
        `INSERT INTO deadlines (person_id, deadline_id, kind, rule_id, description, effect, status, started_from, due_at,
           overdue_at, closed_at, flagged_overdue_at, recorded_late, run_number, events_applied, journey_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (person_id, deadline_id) DO UPDATE SET
           kind = EXCLUDED.kind, rule_id = EXCLUDED.rule_id, description = EXCLUDED.description, effect = EXCLUDED.effect,
           status = EXCLUDED.status, started_from = EXCLUDED.started_from, due_at = EXCLUDED.due_at,
           overdue_at = EXCLUDED.overdue_at, closed_at = EXCLUDED.closed_at,
           flagged_overdue_at = EXCLUDED.flagged_overdue_at, recorded_late = EXCLUDED.recorded_late,
           run_number = EXCLUDED.run_number, events_applied = EXCLUDED.events_applied,
           journey_number = EXCLUDED.journey_number, updated_at = now()
         ${force ? '' : 'WHERE (deadlines.journey_number, deadlines.run_number, deadlines.events_applied) < (EXCLUDED.journey_number, EXCLUDED.run_number, EXCLUDED.events_applied)'}`,
        [
          personId,
          d.id,
          d.kind,
          d.ruleId,
          d.description,
          d.effect,
          d.status,
          d.startedFrom,
          d.dueAt,
          d.overdueAt,
          d.closedAt ?? null,
          d.flaggedOverdueAt ?? null,
          d.recordedLate === true,
          state.runNumber,
          state.eventsApplied,
          journeyNumber,
        ],
      );
      // Its life: set when first seen, then each status it reaches, once each.
      await addLife(tx, personId, d.id, 'set', d.startedFrom, 'set', { dueAt: d.dueAt, source });
      if (d.flaggedOverdueAt || d.status === 'overdue') {
        await addLife(tx, personId, d.id, 'overdue', d.flaggedOverdueAt ?? d.overdueAt, 'overdue', {
          source,
        });
      }
      if (d.status !== 'due' && d.status !== 'overdue') {
        const what = lifeOf[d.status];
        await addLife(tx, personId, d.id, what, d.closedAt ?? d.overdueAt, what, {
          source,
          ...(d.recordedLate ? { recordedLate: true } : {}),
        });
      }
    }
  }

  async recordNoticeSent(notice: DeadlineNotice): Promise<void> {
    const digest = digestOf(notice);
    const kind = notice.resolution
      ? 'resolution'
      : notice.escalation !== undefined
        ? 'escalation'
        : 'reminder';
    await this.db.transaction(async (tx) => {
      const fresh = await this.insertOnce(
        tx,
        'notices',
        notice.notificationId,
        `INSERT INTO notices (notification_id, person_id, deadline_id, kind, sent_to, team, escalation, entry, digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          notice.notificationId,
          notice.personId,
          notice.deadline.id,
          kind,
          notice.to,
          notice.team ?? null,
          notice.escalation ?? null,
          JSON.stringify(notice),
          digest,
        ],
        'SELECT digest FROM notices WHERE notification_id = $1',
        [notice.notificationId],
        digest,
      );
      if (!fresh) return;
      const what = { reminder: 'reminded', escalation: 'escalated', resolution: 'resolved' }[kind];
      await addLife(
        tx,
        notice.personId,
        notice.deadline.id,
        what,
        new Date().toISOString(),
        notice.notificationId,
        {
          to: notice.to,
          ...(notice.escalation !== undefined ? { escalation: notice.escalation } : {}),
        },
      );
    });
  }

  async recordLetterSent(letter: SendLetter): Promise<void> {
    const digest = digestOf(letter);
    await this.db.transaction(async (tx) => {
      await this.insertOnce(
        tx,
        'letters',
        letter.letterId,
        `INSERT INTO letters (letter_id, person_id, letter, rule_id, recipients, entry, digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          letter.letterId,
          letter.personId,
          letter.letter,
          letter.ruleId,
          letter.recipients,
          JSON.stringify(letter),
          digest,
        ],
        'SELECT digest FROM letters WHERE letter_id = $1',
        [letter.letterId],
        digest,
      );
    });
  }

  /** An event an Update refused (the API was told 409): never in Temporal's history, so kept here. */
  async recordUpdateRefusal(
    personId: string,
    refusal: { eventId?: string; type?: string; reasons: Refusal[]; recordedAt: string },
  ): Promise<void> {
    await insertRefusal(this.db, personId, `update:${refusal.recordedAt}:${randomUUID()}`, {
      ...refusal,
      via: 'update',
      entry: refusal,
    });
  }

  async journey(personId: string): Promise<JourneyStateRow | undefined> {
    const { rows } = await this.db.query(`SELECT ${journeyColumns} FROM journeys WHERE person_id = $1`, [
      personId,
    ]);
    return rows[0] ? journeyStateRow(rows[0]) : undefined;
  }

  /** Everything the store holds about one person, oldest first. */
  async personRecord(personId: string): Promise<PersonRecord> {
    const [journey, entries, refusals, deadlines, history, notices, letters] = await Promise.all([
      this.journey(personId),
      this.db.query<{ entry: CaseRecordEntry }>(
        `SELECT entry FROM case_records WHERE person_id = $1
         ORDER BY journey_number, run_number NULLS LAST, events_applied NULLS LAST, recorded_at, stored_at, record_id`,
        [personId],
      ),
      this.db.query<{
        entry: Record<string, unknown>;
        event_id: string | null;
        event_type: string | null;
        via: string;
        recorded_at: Date;
        reasons: Refusal[];
      }>(
        'SELECT event_id, event_type, via, recorded_at, reasons, entry FROM refusals WHERE person_id = $1 ORDER BY recorded_at, refusal_id',
        [personId],
      ),
      this.db.query('SELECT * FROM deadlines WHERE person_id = $1 ORDER BY due_at, deadline_id', [personId]),
      this.db.query<{ deadline_id: string; what: string; at: Date; source: string }>(
        'SELECT deadline_id, what, at, source FROM deadline_history WHERE person_id = $1 ORDER BY at, deadline_id, what',
        [personId],
      ),
      this.db.query<{
        notification_id: string;
        deadline_id: string;
        kind: string;
        sent_to: string;
        sent_at: Date;
      }>(
        'SELECT notification_id, deadline_id, kind, sent_to, sent_at FROM notices WHERE person_id = $1 ORDER BY sent_at, notification_id',
        [personId],
      ),
      this.db.query<{
        letter_id: string;
        letter: string;
        rule_id: string;
        recipients: string[];
        sent_at: Date;
      }>(
        'SELECT letter_id, letter, rule_id, recipients, sent_at FROM letters WHERE person_id = $1 ORDER BY sent_at, letter_id',
        [personId],
      ),
    ]);
    const all = entries.rows.map((r) => r.entry);
    return {
      journey,
      entries: all,
      timeline: all.filter((e) => e.kind === 'event').map((e) => e.entry as TimelineEntry),
      refused: refusals.rows.map((r) => ({
        eventId: r.event_id ?? undefined,
        type: r.event_type ?? undefined,
        recordedAt: iso(r.recorded_at)!,
        via: r.via as RefusedEntry['via'],
        reasons: r.reasons,
      })),
      deadlines: deadlines.rows.map(deadlineOf),
      deadlineHistory: history.rows.map((r) => ({
        deadlineId: r.deadline_id,
        what: r.what,
        at: iso(r.at)!,
        source: r.source,
      })),
      notices: notices.rows.map((r) => ({
        notificationId: r.notification_id,
        deadlineId: r.deadline_id,
        kind: r.kind,
        sentTo: r.sent_to,
        sentAt: iso(r.sent_at)!,
      })),
      letters: letters.rows.map((r) => ({
        letterId: r.letter_id,
        letter: r.letter,
        ruleId: r.rule_id,
        recipients: r.recipients,
        sentAt: iso(r.sent_at)!,
      })),
    };
  }
}

const isOpenDeadline = (d: Deadline) => d.status === 'due' || d.status === 'overdue';

export function deadlineOf(r: Record<string, unknown>): Deadline {
  return {
    id: String(r.deadline_id),
    kind: r.kind as Deadline['kind'],
    ruleId: String(r.rule_id),
    description: String(r.description),
    dueAt: iso(r.due_at)!,
    overdueAt: iso(r.overdue_at)!,
    startedFrom: iso(r.started_from)!,
    effect: r.effect as Deadline['effect'],
    status: r.status as Deadline['status'],
    ...(r.closed_at ? { closedAt: iso(r.closed_at) } : {}),
    ...(r.flagged_overdue_at ? { flaggedOverdueAt: iso(r.flagged_overdue_at) } : {}),
    ...(r.recorded_late ? { recordedLate: true } : {}),
  };
}

async function addLife(
  tx: Queryable,
  personId: string,
  deadlineId: string,
  what: string,
  at: string,
  source: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    `INSERT INTO deadline_history (person_id, deadline_id, what, at, source, detail)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [personId, deadlineId, what, at, source, JSON.stringify(detail)],
  );
}

async function insertRefusal(
  tx: Queryable,
  personId: string,
  refusalId: string,
  r: {
    eventId?: string;
    type?: string;
    via: string;
    recordedAt: string;
    reasons: Refusal[];
    entry: unknown;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO refusals (person_id, refusal_id, event_id, event_type, via, recorded_at, reasons, entry)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [
      personId,
      refusalId,
      r.eventId ?? null,
      r.type ?? null,
      r.via,
      r.recordedAt,
      JSON.stringify(r.reasons),
      JSON.stringify(r.entry),
    ],
  );
}
