import type { CaseRecord } from '../activities/caseRecord';
import type { CareConfig } from '../temporal.config';
import { CaseEventStore } from './caseEventStore';
import { openEmbeddedDatabase, openServerDatabase, type StoreDatabase } from './database';
import { migrate } from './migrate';
import { defaultStoreTimeoutMs, withTimeLimit, type TimeLimited } from './timeLimit';

export { CaseEventStore, CaseStoreConflictError, type RecordOutcome } from './caseEventStore';
export type { StoreDatabase } from './database';
export { StoreUnavailableError, isTimeLimited, type StoreObservation, type StorePing } from './timeLimit';
export { fileAccessLog, storeAccessLog, type AccessEntry, type AccessLog } from './accessLog';

/**
 * Opens the case-event store the configuration names — a PostgreSQL server (CARE_DATABASE_URL) or
 * the embedded one under the data directory — and brings its schema up to date (store/migrate.ts).
 * Every call after that has the time limit CARE_STORE_TIMEOUT_MS (store/timeLimit.ts); the
 * migrations, run once at start-up, do not (building an index on a large table may take longer).
 */
export async function openCaseEventStore(
  database: Pick<CareConfig['database'], 'url' | 'embeddedDir' | 'poolSize' | 'tls'> & { timeoutMs?: number },
): Promise<{ store: CaseEventStore; db: StoreDatabase & TimeLimited; migrated: string[] }> {
  const timeoutMs = database.timeoutMs ?? defaultStoreTimeoutMs;
  const raw = database.url
    ? await openServerDatabase({
        connectionString: database.url,
        poolSize: database.poolSize,
        connectTimeoutMs: timeoutMs,
        ...(database.tls === undefined ? {} : { ssl: database.tls }),
      })
    : await openEmbeddedDatabase(database.embeddedDir);
  try {
    const migrated = await migrate(raw);
    const db = withTimeLimit(raw, { timeoutMs });
    return { store: new CaseEventStore(db), db, migrated };
  } catch (err) {
    await raw.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The case-record port backed by the store; each entry is also written to `copy` (the outbox's
 * readable case-record folder) after the store has it, so people and existing tools can still
 * read it there. The store is the record: it is written first.
 */
export function storeCaseRecord(store: CaseEventStore, copy?: CaseRecord): CaseRecord {
  return {
    async recordCaseEvent(record) {
      const { outcome, withdrawn } = await store.record(record);
      // the copy follows the store: an entry from an attempt Temporal did not keep is not copied,
      // and the copies of entries it withdrew go with them
      if (outcome === 'stale') return;
      if (withdrawn.length) await copy?.withdrawCaseEvents?.(record.personId, withdrawn);
      await copy?.recordCaseEvent(record);
    },
    recordNoticeSent: (notice) => store.recordNoticeSent(notice),
    recordLetterSent: (letter) => store.recordLetterSent(letter),
  };
}
