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
    await this.record(record);
  }

  /**
   * Writes one case-record entry as the journey's latest attempt at it. The journey writes its
   * entries inside the workflow task that applied them, before Temporal has committed that task;
   * if the worker or the server dies before the commit, the task runs again, and what it writes
   * then is what Temporal keeps. So an entry is superseded, never refused, by a later attempt:
   *
   * - the same id with other content, recorded (workflow time) later: replaces it;
   * - an event entry at the same place in the journey (journey, run, count of events applied) or
   *   after it in the same run, recorded earlier: withdrawn, with what it set (its refusal, its
   *   deadlines' life, the current-state row it moved), since the task that wrote it never committed;
   * - an entry from an earlier attempt than the one already there: ignored ('stale').
   *
   * The same id with other content and no later attempt to tell them apart is still a conflict.
   */
  async record(record: CaseRecordEntry): Promise<RecordOutcome> {
    const digest = digestOf(record);
    return this.db.transaction(async (tx) => {
      // one writer a person at a time, so two attempts never judge each other half-written
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`case-record:${record.personId}`]);
      const recordedAt = recordedAtOf(record);
      const position = positionOf(record);
      const existing = (
        await tx.query<{ digest: string; recorded_at: Date | string | null }>(
          'SELECT digest, recorded_at FROM case_records WHERE person_id = $1 AND record_id = $2 FOR UPDATE',
          [record.personId, record.recordId],
        )
      ).rows[0];
      if (existing?.digest === digest) return { outcome: 'same', withdrawn: [] };
      const withdrawn: string[] = [];
      if (existing) {
        const order = attemptOrder(recordedAt, existing.recorded_at);
        if (order === 0)
          throw new CaseStoreConflictError('case_records', `${record.personId}/${record.recordId}`);
        if (order < 0) return { outcome: 'stale', withdrawn: [] };
        withdrawn.push(record.recordId);
      }
      if (position) {
        const { rows } = await tx.query<{
          record_id: string;
          recorded_at: Date | string | null;
          events_applied: number;
        }>(
          `SELECT record_id, recorded_at, events_applied FROM case_records
           WHERE person_id = $1 AND kind = 'event' AND journey_number = $2 AND run_number = $3
             AND events_applied >= $4 AND record_id <> $5`,
          [
            record.personId,
            position.journeyNumber,
            position.runNumber,
            position.eventsApplied,
            record.recordId,
          ],
        );
        for (const row of rows) {
          const order = attemptOrder(recordedAt, row.recorded_at);
          // a later attempt already holds this place: this write is from one Temporal did not keep
          if (order < 0 && Number(row.events_applied) === position.eventsApplied)
            return { outcome: 'stale', withdrawn: [] };
          if (order > 0) withdrawn.push(row.record_id);
        }
      }
      const from = withdrawn.length ? await this.withdraw(tx, record.personId, withdrawn) : undefined;
      const entry = record.entry as Partial<TimelineEntry>;
      const isEvent = record.kind === 'event';
      await tx.query(
        `INSERT INTO case_records (person_id, record_id, kind, event_type, occurred_at, recorded_at, entry, digest, run_number, events_applied, journey_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          record.personId,
          record.recordId,
          record.kind,
          isEvent ? (entry.type ?? null) : null,
          isEvent ? (entry.occurredAt ?? null) : null,
          recordedAt ?? null,
          JSON.stringify(record),
          digest,
          record.state?.runNumber ?? null,
          record.state?.eventsApplied ?? null,
          record.journeyNumber ?? record.state?.journeyNumber ?? 1,
        ],
      );
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
      const earliest = [from, position]
        .filter((p): p is Position => p !== undefined)
        .sort(comparePositions)[0];
      if (withdrawn.length && earliest) await this.restoreState(tx, record.personId, earliest);
      else if (record.state) await this.putState(tx, record.personId, record.state, record.recordId);
      return { outcome: withdrawn.length ? 'superseded' : 'new', withdrawn };
    });
  }

  /**
   * The check's side of superseding: event entries past the place the journey itself says it has
   * reached (`reached`, in the same journey), written before `writtenBefore` (so no workflow task
   * that could still commit them is running), are withdrawn as entries Temporal never committed,
   * and the row and deadlines put back as the entries that stand left them. Returns their ids.
   */
  async withdrawBeyond(
    personId: string,
    reached: Position,
    writtenBefore: string,
    options: { dryRun?: boolean } = {},
  ): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`case-record:${personId}`]);
      const { rows } = await tx.query<{ record_id: string }>(
        `SELECT record_id FROM case_records
         WHERE person_id = $1 AND kind = 'event' AND journey_number = $2
           AND (run_number, events_applied) > ($3, $4) AND recorded_at < $5
         ORDER BY run_number, events_applied`,
        [personId, reached.journeyNumber, reached.runNumber, reached.eventsApplied, writtenBefore],
      );
      const ids = rows.map((r) => r.record_id);
      if (!ids.length || options.dryRun) return ids;
      const from = await this.withdraw(tx, personId, ids);
      if (from) await this.restoreState(tx, personId, from);
      return ids;
    });
  }

  /**
   * Removes entries Temporal never committed, and everything they set: their refusals, their
   * deadlines' life, and the deadlines as they left them (from the earliest place withdrawn on, in
   * its run). Returns that place, from which restoreState puts back the state that stands.
   */
  /** The ids of a person's event entries in one of their journeys. */
  async eventRecordIds(personId: string, journeyNumber: number): Promise<string[]> {
    const { rows } = await this.db.query<{ record_id: string }>(
      "SELECT record_id FROM case_records WHERE person_id = $1 AND kind = 'event' AND journey_number = $2",
      [personId, journeyNumber],
    );
    return rows.map((r) => r.record_id);
  }

  /** Everyone whose journey the store holds as open. */
  async openJourneyPeople(): Promise<string[]> {
    const { rows } = await this.db.query<{ person_id: string }>(
      'SELECT person_id FROM journeys WHERE NOT closed ORDER BY person_id',
    );
    return rows.map((r) => r.person_id);
  }

  async withdraw(tx: Queryable, personId: string, recordIds: string[]): Promise<Position | undefined> {
    const { rows } = await tx.query<{ journey_number: number; run_number: number; events_applied: number }>(
      `SELECT journey_number, run_number, events_applied FROM case_records
       WHERE person_id = $1 AND record_id = ANY($2) AND run_number IS NOT NULL AND events_applied IS NOT NULL`,
      [personId, recordIds],
    );
    const places = rows
      .map((r) => ({
        journeyNumber: Number(r.journey_number),
        runNumber: Number(r.run_number),
        eventsApplied: Number(r.events_applied),
      }))
      .sort(comparePositions);
    await tx.query('DELETE FROM case_records WHERE person_id = $1 AND record_id = ANY($2)', [
      personId,
      recordIds,
    ]);
    await tx.query('DELETE FROM refusals WHERE person_id = $1 AND refusal_id = ANY($2)', [
      personId,
      recordIds,
    ]);
    // a deadline's life names the entry that said so in its detail (a notice's, in its source)
    await tx.query(
      "DELETE FROM deadline_history WHERE person_id = $1 AND (detail->>'source' = ANY($2) OR source = ANY($2))",
      [personId, recordIds],
    );
    const from = places[0];
    if (from) {
      await tx.query(
        `DELETE FROM deadlines WHERE person_id = $1
           AND (journey_number, run_number, events_applied) >= ($2, $3, $4)`,
        [personId, from.journeyNumber, from.runNumber, from.eventsApplied],
      );
    }
    return from;
  }

  /**
   * Puts back the current-state row and the deadlines from `from` on: from the last entry before
   * it, then each entry at or after it in order, so every deadline ends as the last entry that
   * changed it left it. With no entry left, the person has no row (a rebuild from the journey
   * writes one).
   */
  async restoreState(tx: Queryable, personId: string, from: Position): Promise<void> {
    const columns = 'record_id, entry, journey_number, run_number, events_applied';
    const params = [personId, from.journeyNumber, from.runNumber, from.eventsApplied];
    const before = await tx.query<{ record_id: string; entry: CaseRecordEntry }>(
      `SELECT ${columns} FROM case_records WHERE person_id = $1 AND kind = 'event' AND events_applied IS NOT NULL
         AND (journey_number, run_number, events_applied) < ($2, $3, $4)
       ORDER BY journey_number DESC, run_number DESC, events_applied DESC LIMIT 1`,
      params,
    );
    const after = await tx.query<{ record_id: string; entry: CaseRecordEntry }>(
      `SELECT ${columns} FROM case_records WHERE person_id = $1 AND kind = 'event' AND events_applied IS NOT NULL
         AND (journey_number, run_number, events_applied) >= ($2, $3, $4)
       ORDER BY journey_number, run_number, events_applied`,
      params,
    );
    const standing = [...before.rows, ...after.rows].filter((r) => r.entry.state);
    if (!standing.length) {
      await tx.query('DELETE FROM journeys WHERE person_id = $1', [personId]);
      return;
    }
    for (const row of standing) await this.putState(tx, personId, row.entry.state!, row.record_id, true);
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

/** What writing an entry did (CaseEventStore.record). */
export interface RecordOutcome {
  /** new; same (a retry: nothing written); superseded (an earlier attempt's entries withdrawn); stale (ignored) */
  outcome: 'new' | 'same' | 'superseded' | 'stale';
  /** the ids of the entries withdrawn, as an uncommitted attempt's */
  withdrawn: string[];
}

/** A place in a person's journeys: which journey, which run, and how many events it had applied. */
export interface Position {
  journeyNumber: number;
  runNumber: number;
  eventsApplied: number;
}

export const comparePositions = (a: Position, b: Position) =>
  a.journeyNumber - b.journeyNumber || a.runNumber - b.runNumber || a.eventsApplied - b.eventsApplied;

/** An event entry's place (entries queued before the state went with them have none). */
export function positionOf(record: CaseRecordEntry): Position | undefined {
  if (record.kind !== 'event' || !record.state) return undefined;
  return {
    journeyNumber: record.journeyNumber ?? record.state.journeyNumber ?? 1,
    runNumber: record.state.runNumber,
    eventsApplied: record.state.eventsApplied,
  };
}

/** When the workflow task that wrote the entry ran (workflow time), if the entry says. */
function recordedAtOf(record: CaseRecordEntry): string | undefined {
  const at = (record.entry as { recordedAt?: unknown }).recordedAt;
  return typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : undefined;
}

/**
 * Which of two attempts came later, by the workflow time of the task that wrote each: a task run
 * again after a crash starts later than the one that died. 0 when either is unknown or they tie.
 */
function attemptOrder(incoming: string | undefined, existing: Date | string | null): number {
  if (incoming === undefined || existing === null) return 0;
  return Math.sign(Date.parse(incoming) - new Date(existing).getTime());
}

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
