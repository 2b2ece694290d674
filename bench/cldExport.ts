/**
 * Bench (issue 15): the CLD export and the timeliness report for a year of 10,000 journeys in the
 * case-event store. Not part of the default `npm run bench` parts (it needs no Temporal): run it
 * with `BENCH_PARTS=cld npm run bench`, or alone with `npx tsx bench/cldExport.ts`.
 *
 * Four journey shapes are driven through the workflow's own JourneyRun (the machine judging every
 * event, timers reached as they fall due), written to the store as the worker's activities write
 * them, then copied in SQL to make up the population (BENCH_CLD_JOURNEYS, default 10,000). The
 * export of the whole year is then timed (BENCH_CLD_ROUNDS, default 3). Embedded store (PGlite) by
 * default; BENCH_DATABASE_URL runs it against a PostgreSQL server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JourneyEvent } from '../machines/events';
import { policyProfiles } from '../machines/policyProfile';
import { exportCld } from '../reports/cld/export';
import { timelinessReport } from '../reports/timeliness/measures';
import { CaseEventStore } from '../store/caseEventStore';
import { openEmbeddedDatabase, openServerDatabase, type StoreDatabase } from '../store/database';
import { migrate } from '../store/migrate';
import { ev, interimSupportStarted, pathToActivation, referral, review } from '../test/support/journeyEvents';
import { newJourneyInput } from '../workflows/definitions';
import { JourneyRun } from '../workflows/journeyRun';

const DAY = 86_400_000;
const yearStart = Date.parse('2026-01-05T10:00:00.000Z');
const at = (day: number, hours = 0) => new Date(yearStart + day * DAY + hours * 3_600_000).toISOString();

/** The four shapes of a year, each starting on `day`. */
export function shapes(day: number): [string, JourneyEvent[]][] {
  const ordinary = pathToActivation(at(day));
  ordinary.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(day + 11), {}),
    review(at(day + 50)),
    review(at(day + 300)),
  );
  const direct = pathToActivation(at(day + 1), { directPayment: true });
  direct.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(day + 12), {}),
    // R-REV-7: the direct-payment finance team is contacted before the review
    ev('DIRECT_PAYMENT_FINANCE_CONTACTED', at(day + 51), { concerns: false }),
    review(at(day + 52)),
  );
  const emergency = [
    referral(at(day + 2), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', at(day + 2, 1), { team: 'south', workerId: 'bea' }),
    ev('TRIAGED', at(day + 2, 2), { route: 'emergencyInterimSupport', reason: 'Carer admitted to hospital' }),
    interimSupportStarted(at(day + 2, 3)),
    ev('ASSESSMENT_STARTED', at(day + 3), {}),
  ];
  const advice = [
    referral(at(day + 3)),
    ev('UNIVERSAL_OFFER_GIVEN', at(day + 3, 1), {
      informationAndAdvice: ['Leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(day + 4), { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
  ];
  return [
    ['tpl-ordinary', ordinary],
    ['tpl-direct', direct],
    ['tpl-emergency', emergency],
    ['tpl-advice', advice],
  ];
}

/** One journey as its workflow would record it: the case-record entries and the letters. */
export async function record(store: CaseEventStore, personId: string, events: JourneyEvent[]): Promise<void> {
  const first = events[0]!.occurredAt;
  const config = { policyProfile: policyProfiles.derbyshire, extraBankHolidays: [] };
  const run = new JourneyRun(newJourneyInput(personId, 'person', config, new Date(first)), first);
  const flush = async () => {
    for (const job of run.jobs) {
      if (job.kind === 'caseRecord') await store.recordCaseEvent(job.record);
      if (job.kind === 'effect' && job.effect.type === 'sendLetter') await store.recordLetterSent(job.effect);
    }
    run.jobs = [];
  };
  for (const event of events) {
    run.reachDueDeadlines(event.occurredAt);
    await flush();
    const system = event.actor.role === 'system';
    const verdict = run.judge(event, event.occurredAt, system ? 'system' : 'outside');
    if (verdict.kind !== 'accept')
      throw new Error(`${personId}: ${event.type} refused: ${JSON.stringify(verdict)}`);
    run.apply(verdict.event, system ? 'system' : 'update', event.occurredAt);
    await flush();
  }
  run.reachDueDeadlines(at(360));
  await flush();
}

/** Copies the template journeys `copies` times each, in SQL (person ids `<template>~<n>`, n from `first`). */
export async function copyTemplates(
  db: StoreDatabase,
  templates: string[],
  copies: number,
  first = 1,
): Promise<void> {
  const newId = `person_id || '~' || n`;
  const from = `generate_series(${first}, ${first + copies - 1}) AS n WHERE person_id = ANY($1::text[])`;
  await db.query(
    `INSERT INTO case_records (person_id, record_id, kind, event_type, occurred_at, recorded_at, entry, digest, run_number, events_applied)
     SELECT ${newId}, record_id, kind, event_type, occurred_at, recorded_at, entry, digest, run_number, events_applied FROM case_records, ${from}`,
    [templates],
  );
  await db.query(
    `INSERT INTO letters (letter_id, person_id, letter, rule_id, recipients, entry, digest)
     SELECT ${newId} || substr(letter_id, length(person_id) + 1), ${newId}, letter, rule_id, recipients, entry, digest FROM letters, ${from}`,
    [templates],
  );
  await db.query(
    `INSERT INTO deadlines (person_id, deadline_id, kind, rule_id, description, effect, status, started_from, due_at,
       overdue_at, closed_at, flagged_overdue_at, recorded_late, run_number, events_applied)
     SELECT ${newId}, deadline_id, kind, rule_id, description, effect, status, started_from, due_at, overdue_at, closed_at,
       flagged_overdue_at, recorded_late, run_number, events_applied FROM deadlines, ${from}`,
    [templates],
  );
  await db.query(
    `INSERT INTO journeys (person_id, subject, council, stage, step, stage_entered_at, team, worker, closed, closure,
       next_deadline_at, next_deadline_kind, overdue_since, overdue_kinds, waiting_on, stage_stuck_after, waiting_stuck_after,
       open_complaints, safeguarding_open, in_hospital, advocacy, last_event_at, run_number, events_applied, state)
     SELECT ${newId}, subject, council, stage, step, stage_entered_at, team, worker, closed, closure, next_deadline_at,
       next_deadline_kind, overdue_since, overdue_kinds, waiting_on, stage_stuck_after, waiting_stuck_after, open_complaints,
       safeguarding_open, in_hospital, advocacy, last_event_at, run_number, events_applied, state FROM journeys, ${from}`,
    [templates],
  );
  for (const table of ['case_records', 'letters', 'deadlines', 'journeys'])
    await db.query(`DELETE FROM ${table} WHERE person_id = ANY($1::text[])`, [templates]);
}

export interface CldExportBench {
  journeys: number;
  rows: number;
  problems: number;
  exportMs: { runs: number[]; median: number };
  timelinessMs: { runs: number[]; median: number };
  backend: 'embedded' | 'server';
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runCldExportBench(
  options: { journeys?: number; rounds?: number; log?: (line: string) => void } = {},
): Promise<CldExportBench> {
  const log = options.log ?? ((line: string) => console.log(line));
  const journeys = options.journeys ?? Number(process.env.BENCH_CLD_JOURNEYS ?? 10_000);
  const rounds = options.rounds ?? Number(process.env.BENCH_CLD_ROUNDS ?? 3);
  const url = process.env.BENCH_DATABASE_URL;
  const dir = url ? undefined : mkdtempSync(path.join(tmpdir(), 'care-bench-cld-'));
  const db = url
    ? await openServerDatabase({ connectionString: url, poolSize: 4 })
    : await openEmbeddedDatabase(path.join(dir!, 'case-store'));
  try {
    await migrate(db);
    const store = new CaseEventStore(db);
    const templates = shapes(0);
    for (const [id, events] of templates) await record(store, id, events);
    const copies = Math.ceil(journeys / templates.length);
    const t0 = performance.now();
    await copyTemplates(
      db,
      templates.map(([id]) => id),
      copies,
    );
    log(
      `  ${copies * templates.length} journeys in the store (copied in ${Math.round(performance.now() - t0)} ms)`,
    );
    const period = { from: '2026-01-01', to: '2026-12-31' };
    const exportRuns: number[] = [];
    const timelinessRuns: number[] = [];
    let rows = 0;
    let problems = 0;
    for (let i = 0; i < rounds; i++) {
      const a = performance.now();
      const exported = await exportCld(db, period);
      exportRuns.push(Math.round(performance.now() - a));
      rows = exported.summary.rows;
      problems = exported.summary.problems;
      const b = performance.now();
      await timelinessReport(db, period, { profile: policyProfiles.derbyshire });
      timelinessRuns.push(Math.round(performance.now() - b));
    }
    const result: CldExportBench = {
      journeys: copies * templates.length,
      rows,
      problems,
      exportMs: { runs: exportRuns, median: medianOf(exportRuns) },
      timelinessMs: { runs: timelinessRuns, median: medianOf(timelinessRuns) },
      backend: db.kind,
    };
    log(
      `  CLD export of the year: ${result.rows} rows (${result.problems} problems) in ${result.exportMs.median} ms ` +
        `(median of ${rounds}); timeliness report ${result.timelinessMs.median} ms; ${result.backend} store`,
    );
    return result;
  } finally {
    await db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCldExportBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
