import type { JourneyEvent } from '../machines/events';
import { pathToActivation } from '../test/support/journeyEvents';
import { ApiDriver, pool, type JourneyDetail } from './drive';
import type { Stack } from './stack';

/**
 * Fault 2: the Temporal dev server is killed (SIGKILL) and started again on the same SQLite file,
 * while the worker and the API keep running. Some journeys have a timer due while the server is
 * down: services started 72 hours before it, so their informal review (R-REV-1, 72 hours after
 * services start) falls due during the outage. After the restart every journey must answer with
 * the stage and deadlines it had, and each of those timers must fire (the deadline flagged overdue
 * by the journey's own DEADLINE_REACHED).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ServerRestartResult {
  journeys: number;
  /** journeys answering with the same stage and the same deadlines (id, kind, due) as before */
  intact: number;
  /** deadlines across all journeys before the kill, and found again after */
  deadlinesBefore: number;
  deadlinesIntact: number;
  timersDueInOutage: number;
  timersResumed: number;
  /** how long the server was down, and how long after the restart every timer had fired */
  downSeconds: number;
  resumedWithinSeconds: number;
  problems: string[];
}

/** A road whose services start 72 hours before `dueAt`, so the informal review falls due then. */
export function roadWithInformalReviewAt(dueAtMs: number): JourneyEvent[] {
  const activatedAt = dueAtMs - 72 * HOUR;
  return pathToActivation(new Date(activatedAt - 9 * DAY).toISOString());
}

const key = (d: JourneyDetail) =>
  JSON.stringify({
    stage: d.view.stage,
    deadlines: d.view.deadlines.map((x) => [x.id, x.kind, x.dueAt]).sort(),
  });

export async function runServerRestart(
  stack: Stack,
  options: {
    /** journeys already on the server (e.g. the burst's) that must come back as they were */
    existing: string[];
    timerJourneys: number;
    label: string;
    log?: (line: string) => void;
  },
): Promise<ServerRestartResult> {
  const log = options.log ?? (() => undefined);
  const driver = new ApiDriver(stack.apiUrl, stack.token);
  const problems: string[] = [];
  // Due 45 s from now: time to drive them and kill the server before it is due.
  const dueAtMs = Date.now() + 45_000;
  const timed = Array.from({ length: options.timerJourneys }, (_, i) => `T-${options.label}-${i + 1}`);
  await pool(timed, 4, (personId) => driver.drive(personId, roadWithInformalReviewAt(dueAtMs)));
  if (driver.stats.refused.length) problems.push(`refused: ${JSON.stringify(driver.stats.refused)}`);

  const everyone = [...options.existing, ...timed];
  const before = new Map<string, JourneyDetail>();
  await pool(everyone, 4, async (p) => void before.set(p, await driver.detail(p)));
  let timersDueInOutage = 0;
  for (const p of timed) {
    const review = before.get(p)!.view.deadlines.find((d) => d.kind === 'informalReview');
    if (review?.status === 'due' && Date.parse(review.dueAt) === dueAtMs) timersDueInOutage++;
    else problems.push(`${p}: informal review not due at the outage: ${JSON.stringify(review)}`);
  }
  if (Date.now() > dueAtMs - 5_000)
    problems.push('driving took too long: the timers were due before the kill');

  await stack.killServer();
  const downAt = Date.now();
  // Down until 15 s after the timers were due.
  await new Promise((r) => setTimeout(r, Math.max(5_000, dueAtMs + 15_000 - Date.now())));
  await stack.startServer();
  const upAt = Date.now();
  log(`dev server down for ${Math.round((upAt - downAt) / 1000)} s; the timers fell due while it was down`);
  if (stack.worker()?.child.exitCode !== null) {
    problems.push('the worker exited while the server was down; started again');
    await stack.startWorker();
  }

  let intact = 0;
  let deadlinesBefore = 0;
  let deadlinesIntact = 0;
  await pool(everyone, 4, async (p) => {
    const after = await driver.detail(p, 120_000);
    const was = before.get(p)!;
    deadlinesBefore += was.view.deadlines.length;
    const now = new Set(after.view.deadlines.map((d) => `${d.id}|${d.kind}|${d.dueAt}`));
    deadlinesIntact += was.view.deadlines.filter((d) => now.has(`${d.id}|${d.kind}|${d.dueAt}`)).length;
    const kept = was.view.deadlines.every((d) => now.has(`${d.id}|${d.kind}|${d.dueAt}`));
    if (kept && after.view.stage === was.view.stage) intact++;
    else problems.push(`${p}: changed across the restart: ${key(was)} -> ${key(after)}`);
  });

  const resumed = new Set<string>();
  const giveUpAt = Date.now() + 120_000;
  while (resumed.size < timed.length && Date.now() < giveUpAt) {
    await pool(
      timed.filter((p) => !resumed.has(p)),
      4,
      async (p) => {
        const detail = await driver.detail(p);
        const review = detail.view.deadlines.find((d) => d.kind === 'informalReview');
        const reached = detail.timeline.some((e) => e.type === 'DEADLINE_REACHED' && e.via === 'timer');
        if (review?.status === 'overdue' && reached) resumed.add(p);
      },
    );
    if (resumed.size < timed.length) await new Promise((r) => setTimeout(r, 1_000));
  }
  const resumedWithinSeconds = Math.round((Date.now() - upAt) / 1000);
  for (const p of timed) if (!resumed.has(p)) problems.push(`${p}: its timer did not fire after the restart`);
  return {
    journeys: everyone.length,
    intact,
    deadlinesBefore,
    deadlinesIntact,
    timersDueInOutage,
    timersResumed: resumed.size,
    downSeconds: Math.round((upAt - downAt) / 1000),
    resumedWithinSeconds,
    problems,
  };
}
