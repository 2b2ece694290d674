/**
 * Bench (issues 12 and 13): the operations lists from the case-event store, the worktray page over
 * it, and today's visibility-based list as the baseline, in one run. Not a default part: run it with
 * `BENCH_PARTS=store npm run bench` (or `store,worktray`; either runs both, they share the fill).
 *
 * Filling the store: the four journey shapes of bench/cldExport.ts are driven through the
 * workflow's own JourneyRun and written by the store's own write path (recordCaseEvent,
 * recordLetterSent); they are then copied in bulk SQL into the same tables (copyTemplates) to make
 * up 10,000 and then 50,000 journeys, and their teams spread over four, so a team filter selects a
 * quarter. The write path itself is not what is timed.
 *
 * Timed, each BENCH_STORE_CALLS times (default 30), p50/p95: the stuck list (first page of 50,
 * then with a team filter), the overdue report (overdueCounts), one journey's whole record
 * (personRecord); and, at 13,336 journeys (10,002 of them open), GET /worktray signed in, through
 * the API with the pages (registerPages via buildApi's extend, the test harness), which reads the
 * store. Each call is made once untimed first; calls run one after another.
 *
 * Baseline in the same run: on the harness's dev server, BENCH_VISIBILITY_JOURNEYS (default 10,000)
 * journey workflows are started on a task queue no worker polls, each with its search attributes
 * set at start (the cheapest way to put rows in visibility; no workflow code runs), then the list
 * is timed as the API does it today: journeyListQuery + JourneyClient.list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { JourneyClient } from '../api/journeyClient';
import { journeyListQuery } from '../api/visibility';
import { registerPages } from '../pages';
import { CaseEventStore } from '../store/caseEventStore';
import { openEmbeddedDatabase, type StoreDatabase } from '../store/database';
import { listJourneys, overdueCounts } from '../store/lists';
import { migrate } from '../store/migrate';
import { startApiHarness, testTokens } from '../test/api/apiHarness';
import { journeyWorkflowType } from '../workflows/definitions';
import { JourneyStage, OverdueKinds, OverdueSince, PersonId, Team } from '../workflows/searchAttributes';
import { copyTemplates, record, shapes } from './cldExport';
import { prepareApiHarness } from './harnessSetup';

export interface Timing {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface StoreListsBench {
  backend: 'embedded';
  fill: string;
  sizes: {
    journeys: number;
    open: number;
    fillMs: number;
    stuckFirstPage: Timing & { total: number };
    stuckTeamFirstPage: Timing & { total: number };
    overdueReport: Timing & { totalOverdue: number };
    personRecord: Timing & { entries: number };
  }[];
  worktray: (Timing & { openJourneys: number; status: number; bytes: number }) | undefined;
  visibility: {
    journeys: number;
    startMs: number;
    stuck: Timing & { rows: number };
    team: Timing & { rows: number };
  };
}

const teams = ['north', 'south', 'east', 'west'];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Runs `call` once untimed, then `calls` times one after another. */
async function time<T>(calls: number, call: () => Promise<T>): Promise<Timing & { last: T }> {
  let last = await call();
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    last = await call();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { calls, p50Ms: r(quantile(ms, 0.5)), p95Ms: r(quantile(ms, 0.95)), maxMs: r(ms.at(-1)!), last };
}

const strip = <T extends { last: unknown }>({ last: _last, ...rest }: T) => rest;

/** Adds `count` journeys: the four shapes recorded by the store, then copied from copy number `first`. */
async function fill(db: StoreDatabase, store: CaseEventStore, count: number, first: number): Promise<number> {
  const templates = shapes(0);
  for (const [id, events] of templates) await record(store, id, events);
  const copies = Math.ceil(count / templates.length);
  await copyTemplates(
    db,
    templates.map(([id]) => id),
    copies,
    first,
  );
  await db.query(
    `UPDATE journeys SET team = (ARRAY['${teams.join("','")}'])[1 + abs(hashtext(person_id)) % 4] WHERE team IS NOT NULL`,
  );
  await db.query('ANALYZE');
  return copies;
}

async function signIn(app: FastifyInstance) {
  let cookie = '';
  const keep = (setCookie: string | string[] | undefined) => {
    const firstCookie = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (firstCookie) cookie = firstCookie.split(';')[0]!;
  };
  const page = await app.inject({ method: 'GET', url: '/sign-in' });
  keep(page.headers['set-cookie']);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const answer = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: csrf,
      token: testTokens.manager.token,
      next: '/worktray',
    }).toString(),
  });
  if (answer.statusCode !== 303) throw new Error(`sign-in answered ${answer.statusCode}`);
  keep(answer.headers['set-cookie']);
  return (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
}

export async function runStoreListsBench(
  options: { log?: (line: string) => void } = {},
): Promise<StoreListsBench> {
  const log = options.log ?? ((line: string) => console.log(line));
  const calls = Number(process.env.BENCH_STORE_CALLS ?? 30);
  const visibilityJourneys = Number(process.env.BENCH_VISIBILITY_JOURNEYS ?? 10_000);
  await prepareApiHarness();
  const dir = mkdtempSync(path.join(tmpdir(), 'care-bench-store-'));
  const db = await openEmbeddedDatabase(path.join(dir, 'case-store'));
  await migrate(db);
  const store = new CaseEventStore(db);
  const api = await startApiHarness({ store, extend: (config) => registerPages(config) });
  try {
    const asOf = new Date();
    const sizes: StoreListsBench['sizes'] = [];
    let worktray: StoreListsBench['worktray'];
    let copied = 0;
    // 10,000 and 50,000 journeys for the store's queries; in between, 13,336 (10,002 open: a quarter
    // of the shapes closes) for the worktray, which issue 13 sets over 10,000 open journeys.
    for (const target of [10_000, 13_336, 50_000]) {
      const t0 = performance.now();
      copied += await fill(db, store, target - copied * 4, copied + 1);
      const fillMs = Math.round(performance.now() - t0);
      const counts = await db.query<{ n: string | number; open: string | number }>(
        'SELECT count(*) AS n, count(*) FILTER (WHERE NOT closed) AS open FROM journeys',
      );
      const journeys = Number(counts.rows[0]!.n);
      const open = Number(counts.rows[0]!.open);
      log(`  store: ${journeys} journeys (${open} open), filled in ${fillMs} ms`);
      if (target === 13_336) {
        const get = await signIn(api.app);
        const page = await time(calls, async () => {
          const answer = await get('/worktray');
          if (answer.statusCode !== 200) throw new Error(`GET /worktray answered ${answer.statusCode}`);
          return answer;
        });
        worktray = {
          ...strip(page),
          openJourneys: open,
          status: page.last.statusCode,
          bytes: page.last.body.length,
        };
        log(
          `  GET /worktray over ${open} open journeys: p50 ${page.p50Ms} / p95 ${page.p95Ms} ms (${worktray.bytes} bytes)`,
        );
        continue;
      }
      const stuck = await time(calls, () => listJourneys(db, { stuck: 'any' }, { asOf, limit: 50 }));
      const stuckTeam = await time(calls, () =>
        listJourneys(db, { stuck: 'any', team: 'east' }, { asOf, limit: 50 }),
      );
      const overdue = await time(calls, () => overdueCounts(db));
      const person = await time(calls, () => store.personRecord('tpl-ordinary~1'));
      const size = {
        journeys,
        open,
        fillMs,
        stuckFirstPage: { ...strip(stuck), total: stuck.last.total },
        stuckTeamFirstPage: { ...strip(stuckTeam), total: stuckTeam.last.total },
        overdueReport: { ...strip(overdue), totalOverdue: overdue.last.totalOverdue },
        personRecord: { ...strip(person), entries: person.last.timeline.length },
      };
      sizes.push(size);
      log(
        `  at ${journeys}: stuck list p50 ${stuck.p50Ms} / p95 ${stuck.p95Ms} ms (${stuck.last.total} stuck); ` +
          `with team p50 ${stuckTeam.p50Ms} / p95 ${stuckTeam.p95Ms} ms; overdue report p50 ${overdue.p50Ms} / p95 ${overdue.p95Ms} ms; ` +
          `person record p50 ${person.p50Ms} / p95 ${person.p95Ms} ms`,
      );
    }

    // The baseline: visibility, as the API lists today.
    const taskQueue = `bench-no-worker-${process.pid}`;
    const t0 = performance.now();
    const inFlight = 40;
    for (let i = 0; i < visibilityJourneys; i += inFlight) {
      await Promise.all(
        Array.from({ length: Math.min(inFlight, visibilityJourneys - i) }, (_, k) => {
          const n = i + k;
          const overdue = n % 3 === 0;
          return api.env.client.workflow.start(journeyWorkflowType, {
            taskQueue,
            workflowId: `bench-visibility-${process.pid}-${n}`,
            args: [],
            typedSearchAttributes: [
              { key: PersonId, value: `bench-${n}` },
              { key: Team, value: teams[n % 4]! },
              { key: JourneyStage, value: 'assessment' },
              ...(overdue
                ? [
                    { key: OverdueSince, value: new Date(asOf.getTime() - 86_400_000) },
                    { key: OverdueKinds, value: ['assessment'] },
                  ]
                : []),
            ],
          });
        }),
      );
    }
    const startMs = Math.round(performance.now() - t0);
    const client = new JourneyClient(api.env.client, api.config);
    const stuckQuery = journeyListQuery({ stuck: 'any' }, asOf);
    const teamQuery = journeyListQuery({ stuck: 'any', team: 'east' }, asOf);
    // Visibility is eventually consistent: wait until every started journey is listed.
    for (let tries = 0; tries < 60; tries++) {
      const all = await client.list(journeyListQuery({}, asOf), asOf);
      if (all.length >= visibilityJourneys) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const vStuck = await time(calls, () => client.list(stuckQuery, asOf));
    const vTeam = await time(calls, () => client.list(teamQuery, asOf));
    const visibility = {
      journeys: visibilityJourneys,
      startMs,
      stuck: { ...strip(vStuck), rows: vStuck.last.length },
      team: { ...strip(vTeam), rows: vTeam.last.length },
    };
    log(
      `  visibility baseline, ${visibilityJourneys} journeys (started in ${startMs} ms): stuck list p50 ${vStuck.p50Ms} / p95 ${vStuck.p95Ms} ms ` +
        `(${vStuck.last.length} rows); with team p50 ${vTeam.p50Ms} / p95 ${vTeam.p95Ms} ms (${vTeam.last.length} rows)`,
    );
    return {
      backend: 'embedded',
      fill: 'four shapes through JourneyRun and the store write path (recordCaseEvent, recordLetterSent), then copied in bulk SQL',
      sizes,
      worktray,
      visibility,
    };
  } finally {
    await api.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runStoreListsBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
