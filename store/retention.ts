import type { ReadableCopies } from '../activities/outboxCopies';
import type { StoreDatabase } from './database';

/**
 * Retention (issue 12): the council's records retention schedule says how long a person's record is
 * kept after their journey closed; this removes the records past it. The software never decides
 * that period and never removes anything by itself: a records manager runs `care store forget`
 * with the cut-off, sees first what would go (a dry run), and each person removed leaves a line in
 * the destruction log (`forgotten`, migration 0004) with no content of the record.
 */

/** The tables that hold a person's record, each removed whole for a forgotten person. */
const recordTables = [
  'case_records',
  'refusals',
  'deadline_history',
  'deadlines',
  'notices',
  'letters',
  // the person record (issue 26): every version, then the current one
  'person_record_versions',
  'person_records',
  'journeys',
] as const;

export interface ForgetOptions {
  /** journeys closed before this instant are removed */
  closedBefore: Date;
  /** who runs it (the API's caller) */
  by: string;
  /** true: say what would be removed, remove nothing */
  dryRun: boolean;
  /** at most this many people in one run (the rest in the next); default 500 */
  limit?: number;
  /** the record's readable copies kept beside the store (the outbox), removed with it */
  copies?: ReadableCopies;
}

export interface ForgottenPerson {
  personId: string;
  closedAt: string;
  /** rows of the person's record, by table (those removed, or that a dry run would remove) */
  removed: Record<(typeof recordTables)[number], number>;
  /** files of the record's readable copies (the outbox's), removed or that a dry run would remove */
  copiesRemoved: number;
}

export interface ForgetResult {
  closedBefore: string;
  dryRun: boolean;
  people: ForgottenPerson[];
  /** more journeys closed before the cut-off than `limit`: run it again */
  more: boolean;
}

const iso = (value: unknown) => new Date(String(value)).toISOString();

export async function forgetClosedBefore(db: StoreDatabase, options: ForgetOptions): Promise<ForgetResult> {
  const limit = options.limit ?? 500;
  const closedBefore = options.closedBefore.toISOString();
  const { rows } = await db.query<{ person_id: string; closed_at: unknown }>(
    `SELECT person_id, closed_at FROM journeys WHERE closed AND closed_at < $1
     ORDER BY closed_at, person_id LIMIT $2`,
    [closedBefore, limit + 1],
  );
  const people: ForgottenPerson[] = [];
  for (const row of rows.slice(0, limit)) {
    // The readable copies first, found by the ids the record still holds: should anything stop
    // between the two, the next run finds the person again and finishes (removing is idempotent).
    const copiesRemoved = options.copies
      ? await options.copies.remove(await idsOf(db, row.person_id), options.dryRun)
      : 0;
    // one person at a time, in one transaction: removed whole and logged, or not at all
    const person = await db.transaction(async (tx) => {
      const removed = {} as ForgottenPerson['removed'];
      for (const table of recordTables) {
        const sql = options.dryRun
          ? `SELECT count(*) AS n FROM ${table} WHERE person_id = $1`
          : `DELETE FROM ${table} WHERE person_id = $1`;
        const answer = await tx.query<{ n: string | number }>(sql, [row.person_id]);
        removed[table] = options.dryRun ? Number(answer.rows[0]?.n ?? 0) : answer.rowCount;
      }
      if (!options.dryRun) {
        await tx.query(
          `INSERT INTO forgotten (person_id, closed_at, forgotten_by, closed_before, removed)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            row.person_id,
            iso(row.closed_at),
            options.by,
            closedBefore,
            JSON.stringify({ ...removed, readableCopies: copiesRemoved }),
          ],
        );
      }
      return { personId: row.person_id, closedAt: iso(row.closed_at), removed, copiesRemoved };
    });
    people.push(person);
  }
  return { closedBefore, dryRun: options.dryRun, people, more: rows.length > limit };
}

/** The ids a person's readable copies are filed under. */
async function idsOf(db: StoreDatabase, personId: string) {
  const letters = await db.query<{ letter_id: string }>(
    'SELECT letter_id FROM letters WHERE person_id = $1',
    [personId],
  );
  const notices = await db.query<{ notification_id: string }>(
    'SELECT notification_id FROM notices WHERE person_id = $1',
    [personId],
  );
  return {
    personId,
    letterIds: letters.rows.map((r) => r.letter_id),
    notificationIds: notices.rows.map((r) => r.notification_id),
  };
}

/** The destruction log's latest line for a person, if their record was removed. */
export async function forgottenPerson(
  db: StoreDatabase,
  personId: string,
): Promise<{ personId: string; closedAt: string; forgottenAt: string; forgottenBy: string } | undefined> {
  const { rows } = await db.query<{
    person_id: string;
    closed_at: unknown;
    forgotten_at: unknown;
    forgotten_by: string;
  }>(
    'SELECT person_id, closed_at, forgotten_at, forgotten_by FROM forgotten WHERE person_id = $1 ORDER BY seq DESC LIMIT 1',
    [personId],
  );
  const row = rows[0];
  return row
    ? {
        personId: row.person_id,
        closedAt: iso(row.closed_at),
        forgottenAt: iso(row.forgotten_at),
        forgottenBy: row.forgotten_by,
      }
    : undefined;
}
