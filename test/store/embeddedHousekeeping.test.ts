import { openEmbeddedDatabase } from '../../store/database';
import { eventually } from '../support/eventually';

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: the embedded store
 * vacuums on its own schedule, or every journey's row would keep a dead copy per event that
 * changed it and the tables would only grow.
 */
it('the embedded store vacuums on its own: dead rows left by updates are reclaimed and the space reused', async () => {
  const db = await openEmbeddedDatabase(undefined, { firstVacuumAfterMs: 500, vacuumEveryMs: 500 });
  try {
    await db.exec(
      'CREATE TABLE j (id int PRIMARY KEY, team text, pad text); CREATE INDEX j_team ON j (team);',
    );
    await db.query("INSERT INTO j SELECT g, 'north', md5(g::text) FROM generate_series(1, 2000) g");
    const size = async () =>
      Number((await db.query<{ s: string }>("SELECT pg_total_relation_size('j') AS s")).rows[0]?.s);
    // an indexed column changes, as a journey's team or next deadline does: no in-page (HOT) reuse
    const churn = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) await db.query(`UPDATE j SET team = 'team-${i}'`);
    };
    await churn(5);
    await eventually(async () => {
      const { rows } = await db.query<{ vacuum_count: string; n_dead_tup: string }>(
        "SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'j'",
      );
      expect(Number(rows[0]?.vacuum_count)).toBeGreaterThan(0);
      expect(Number(rows[0]?.n_dead_tup)).toBe(0);
    }, 20_000);
    // the reclaimed space is used again: more of the same churn, vacuumed between, barely grows it
    const before = await size();
    for (let i = 0; i < 3; i++) {
      await churn(1);
      await db.vacuum();
    }
    expect(await size()).toBeLessThan(before * 1.2);
  } finally {
    await db.close();
  }
}, 60_000);
