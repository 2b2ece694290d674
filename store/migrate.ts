import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Queryable, StoreDatabase } from './database';

/**
 * Schema migrations: the versioned SQL files in store/migrations/ (0001_….sql, 0002_….sql, …),
 * applied in name order at start-up by umzug, each once; which have run is kept in the table
 * care_schema_migrations. All pending files run in one transaction under an advisory lock, so two
 * processes starting at once against one server never both migrate, and a failing file leaves
 * the schema as it was. A file once shipped is never edited: a change is a new file.
 */

export const migrationsDir = path.join(__dirname, 'migrations');
/** pg_advisory_xact_lock key: "care" in ASCII. */
const MIGRATION_LOCK = 0x63617265;

/** umzug's record of what has run, in the store itself, through the same interface. */
function tableStorage(): UmzugStorage<Queryable> {
  return {
    async executed({ context }) {
      const { rows } = await context.query<{ name: string }>(
        'SELECT name FROM care_schema_migrations ORDER BY name',
      );
      return rows.map((r) => r.name);
    },
    async logMigration({ name, context }) {
      await context.query('INSERT INTO care_schema_migrations (name) VALUES ($1)', [name]);
    },
    async unlogMigration({ name, context }) {
      await context.query('DELETE FROM care_schema_migrations WHERE name = $1', [name]);
    },
  };
}

export function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/** Applies every migration not yet applied; answers the names applied now. */
export async function migrate(db: StoreDatabase): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS care_schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const umzug = new Umzug<Queryable>({
      migrations: migrationFiles().map((name) => ({
        name,
        up: ({ context }) => context.exec(readFileSync(path.join(migrationsDir, name), 'utf8')),
      })),
      context: tx,
      storage: tableStorage(),
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map((m) => m.name);
  });
}
