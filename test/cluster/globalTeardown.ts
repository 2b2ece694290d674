import { stopPostgres } from '../support/postgresServer';

/** Stops the global setup's PostgreSQL server (the suite stops its own processes itself). */
export default async function globalTeardown(): Promise<void> {
  stopPostgres();
}
