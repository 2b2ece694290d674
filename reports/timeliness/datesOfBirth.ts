import type { Queryable } from '../../store/database';

/**
 * Each person's date of birth, from the person record (store/personRecord.ts, migration 0007): the
 * plain `date_of_birth` column it keeps for search, so nothing sealed is opened. For DHSC's
 * waiting-times method, which counts only people aged 25 or over. An aggregate report reads no
 * one's record as a case, so (like the lists) it is not in the access log. Undefined where the
 * store has no person records at all (a store not migrated to 0007).
 */
export async function datesOfBirth(db: Queryable): Promise<Map<string, string> | undefined> {
  try {
    const { rows } = await db.query<{ person_id: string; born: string }>(
      `SELECT person_id, to_char(date_of_birth, 'YYYY-MM-DD') AS born
       FROM person_records WHERE date_of_birth IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.person_id, r.born]));
  } catch (err) {
    // 42P01: undefined table
    if ((err as { code?: string }).code === '42P01') return undefined;
    throw err;
  }
}
