import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { CaseEventStore } from '../../store/caseEventStore';
import { openEmbeddedDatabase, openServerDatabase, type StoreDatabase } from '../../store/database';
import { migrate } from '../../store/migrate';
import { postgresEnv } from '../support/postgresServer';

/**
 * The case-event store's tests run every query against both backends: the embedded store (PGlite,
 * on files in a temporary folder) and the real PostgreSQL server the global setup started.
 */
export const backends = ['embedded', 'server'] as const;
export type Backend = (typeof backends)[number];

export interface TestStore {
  backend: Backend;
  db: StoreDatabase;
  store: CaseEventStore;
  /** the connection string (server) or folder (embedded) it lives in */
  where: string;
  close(): Promise<void>;
}

let counter = 0;

/** The server the global setup started; fails (never skips) when there is none, saying why. */
export function serverUrl(): string {
  const url = process.env[postgresEnv.url];
  if (!url) {
    throw new Error(
      `no PostgreSQL server for the store tests: ${process.env[postgresEnv.error] ?? 'the global setup did not start one'}`,
    );
  }
  return url;
}

/** A fresh, empty database on the server; dropped by the returned function. */
export async function freshServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = serverUrl();
  const name = `care_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new Client({ connectionString: base });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

export async function openTestStore(
  backend: Backend,
  options: { poolSize?: number } = {},
): Promise<TestStore> {
  if (backend === 'embedded') {
    const dir = mkdtempSync(path.join(tmpdir(), 'care-store-test-'));
    const where = path.join(dir, 'case-store');
    const db = await openEmbeddedDatabase(where);
    await migrate(db);
    return {
      backend,
      db,
      store: new CaseEventStore(db),
      where,
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, drop } = await freshServerDatabase();
  const db = await openServerDatabase({ connectionString: url, poolSize: options.poolSize ?? 5 });
  await migrate(db);
  return {
    backend,
    db,
    store: new CaseEventStore(db),
    where: url,
    async close() {
      await db.close();
      await drop();
    },
  };
}
