import { performance } from 'node:perf_hooks';
import { OVERDUE_SPREAD_MS, REMINDER_SPREAD_MS } from '../workflows/wakeSpread';
import { byMinute, importedCaseload, type ImportedWakeUps } from '../test/support/importedCaseload';
import { round } from './stats';

/**
 * Part `storm` (issue 29, opt-in): a council's caseload imported at once, BENCH_STORM_PEOPLE
 * (10,000) people in live support whose annual reviews all fall due on one day, each row read as
 * `care import` reads it and judged and applied by the journey's own JourneyRun (pure, no
 * Temporal: test/support/importedCaseload.ts). When does each journey wake for the review's
 * reminder and for its overdue flag? With the spread ('national-scale-costs',
 * workflows/wakeSpread.ts), over a window; without it (runs started before it), all at one instant.
 * The timers themselves are held to the same instants in test/workflows/clocks.test.ts.
 */

export interface WakeStormResult {
  people: number;
  reviewsDueOn: string;
  seconds: number;
  withoutSpread: { people: number; distinctOverdueWakes: number; distinctReminderWakes: number };
  overdue: WakeSpreadSummary;
  reminder: WakeSpreadSummary;
}

export interface WakeSpreadSummary {
  windowMinutes: number;
  /** the instant itself (the deadline's or the reminder's time): exact, the same for everyone */
  instant: string;
  firstWake: string;
  lastWake: string;
  distinctMinutes: number;
  busiestMinute: { minute: string; wakeUps: number };
  quietestMinute: number;
  busiestSecond: number;
  /** wake-ups on the wrong side of the instant: an overdue flag before it, a reminder after it */
  wrongSide: number;
}

function summary(
  people: ImportedWakeUps[],
  instantOf: (p: ImportedWakeUps) => number,
  wakeOf: (p: ImportedWakeUps) => number,
  windowMs: number,
  wrongSide: (wake: number, instant: number) => boolean,
): WakeSpreadSummary {
  const wakes = people.map(wakeOf);
  const minutes = byMinute(wakes);
  const seconds = new Map<number, number>();
  for (const t of wakes) seconds.set(Math.floor(t / 1000), (seconds.get(Math.floor(t / 1000)) ?? 0) + 1);
  return {
    windowMinutes: windowMs / 60_000,
    instant: new Date(instantOf(people[0]!)).toISOString(),
    firstWake: new Date(Math.min(...wakes)).toISOString(),
    lastWake: new Date(Math.max(...wakes)).toISOString(),
    distinctMinutes: minutes.length,
    busiestMinute: { minute: minutes[0]![0], wakeUps: minutes[0]![1] },
    quietestMinute: minutes.at(-1)![1],
    busiestSecond: Math.max(...seconds.values()),
    wrongSide: people.filter((p) => wrongSide(wakeOf(p), instantOf(p))).length,
  };
}

export function runWakeStorm(options: { log: (line: string) => void }): WakeStormResult {
  const people = Number(process.env.BENCH_STORM_PEOPLE ?? 10_000);
  const importedAt = '2027-03-01T09:00:00.000Z';
  const reviewsDueOn = '2027-06-15';
  const t = performance.now();
  const spread = importedCaseload({ people, importedAt, reviewsDueOn, spreadWakeUps: true, prefix: 'storm' });
  const exact = importedCaseload({
    people: 200,
    importedAt,
    reviewsDueOn,
    spreadWakeUps: false,
    prefix: 'storm',
  });
  const result: WakeStormResult = {
    people,
    reviewsDueOn,
    seconds: round((performance.now() - t) / 1000, 1),
    withoutSpread: {
      people: exact.length,
      distinctOverdueWakes: new Set(exact.map((p) => p.overdueWake)).size,
      distinctReminderWakes: new Set(exact.map((p) => p.reminderWake)).size,
    },
    overdue: summary(
      spread,
      (p) => p.overdueAt,
      (p) => p.overdueWake,
      OVERDUE_SPREAD_MS,
      (wake, instant) => wake < instant || wake >= instant + OVERDUE_SPREAD_MS,
    ),
    reminder: summary(
      spread,
      (p) => p.reminderAt,
      (p) => p.reminderWake,
      REMINDER_SPREAD_MS,
      (wake, instant) => wake > instant || wake <= instant - REMINDER_SPREAD_MS,
    ),
  };
  const o = result.overdue;
  const r = result.reminder;
  options.log(
    `  ${people} imported, reviews due ${reviewsDueOn}: overdue flags ${o.firstWake} … ${o.lastWake} over ${o.distinctMinutes} minutes ` +
      `(busiest ${o.busiestMinute.wakeUps}, quietest ${o.quietestMinute}, busiest second ${o.busiestSecond}); ` +
      `reminders ${r.firstWake} … ${r.lastWake} over ${r.distinctMinutes} minutes (busiest ${r.busiestMinute.wakeUps}); ` +
      `wrong side of the instant: ${o.wrongSide + r.wrongSide}; without the spread ${result.withoutSpread.people} journeys wake at ` +
      `${result.withoutSpread.distinctOverdueWakes} instant(s)`,
  );
  return result;
}
