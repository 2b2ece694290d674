import { checkStore } from '../api/caseStore';
import { JourneyClient } from '../api/journeyClient';
import type { CaseEventStore } from '../store/caseEventStore';
import { burstJourneyEvents, EVENTS_PER_JOURNEY } from './burst';
import { ApiDriver, pool } from './drive';
import type { Stack } from './stack';
import { storeAgainstHistory, type StoreAgainstHistory } from './storeAgainstHistory';

/**
 * Fault 1b: the lasting record equals what Temporal committed after crashes in the middle of a
 * burst. The worker is faults/dyingWorker.ts, which dies just after the case record took a marked
 * event and before Temporal committed the task that applied it (the worst moment); it is started
 * again each time, and the dev server is killed and started again mid-burst too. With resends the
 * driver sends each event until the API answers; without, it gives up on an event that got no
 * answer (and the server is killed at every worker death, so the Updates in flight are lost). Then
 * `care store rebuild` (settled: nothing is in flight) and every journey's store record is compared
 * with its history.
 */

export const DIE_AFTER = '-dies-here$';

export interface CommitBurstResult {
  journeys: number;
  resend: boolean;
  accepted: number;
  givenUp: number;
  workerDeaths: number;
  serverKills: number;
  /** entries of events never accepted that the next event overtook or the rebuild removed */
  removedByRebuild: number;
  compared: StoreAgainstHistory;
  seconds: number;
}

export async function runCommitBurst(
  stack: Stack,
  store: CaseEventStore,
  options: { events: number; resend: boolean; label: string; log?: (line: string) => void },
): Promise<CommitBurstResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const journeys = Math.ceil(options.events / EVENTS_PER_JOURNEY);
  const people = Array.from({ length: journeys }, (_, i) => `FC-${options.label}-${i + 1}`);
  // Three journeys each have one event the worker dies after: early, half-way, late.
  const roads = new Map(
    people.map((p, i) => {
      const events = burstJourneyEvents(Date.now()).map((e) => ({ ...e, eventId: `${p}-${e.eventId}` }));
      const at = [3, 9, 15][i];
      if (at !== undefined) events[at] = { ...events[at]!, eventId: `${events[at]!.eventId}-dies-here` };
      return [p, events];
    }),
  );
  const driver = new ApiDriver(stack.apiUrl, stack.token, undefined, 180_000, options.resend);
  let done = false;
  let workerDeaths = 0;
  let serverKills = 0;
  // one restart at a time: the watcher's and the half-way kill's
  let restarting: Promise<void> = Promise.resolve();
  const restartServer = () =>
    (restarting = restarting.then(async () => {
      await stack.killServer();
      serverKills++;
      await stack.startServer();
    }));
  // Whenever the worker dies, start another (and, without resends, lose the server's Updates too).
  const watcher = (async () => {
    while (!done) {
      const worker = stack.worker();
      if (!worker) return;
      const exited = await Promise.race([worker.exited.then(() => true), sleep(200).then(() => false)]);
      if (!exited || done) continue;
      workerDeaths++;
      log(`the worker died before its task was committed (${workerDeaths})`);
      if (!options.resend) await restartServer();
      await stack.startWorker();
    }
  })();
  // And the server once, half-way.
  const serverKiller = (async () => {
    while (!done && driver.stats.accepted < options.events / 2) await sleep(50);
    if (done) return;
    log(`${driver.stats.accepted} events accepted: kill -9 the dev server`);
    await restartServer();
  })();
  await pool(people, 4, (p) => driver.drive(p, roads.get(p)!));
  done = true;
  await Promise.all([watcher, serverKiller]);
  if (!stack.worker() || stack.worker()!.child.exitCode !== null) await stack.startWorker();

  // Settle: every accepted event in the store (the journeys' own retries), then the rebuild.
  const settleUntil = Date.now() + 120_000;
  let compared = await storeAgainstHistory(store, stack.client, people);
  while (compared.missing > 0 && Date.now() < settleUntil) {
    await sleep(1_000);
    compared = await storeAgainstHistory(store, stack.client, people);
  }
  const journeysClient = new JourneyClient(stack.client, stack.config, { store });
  const rebuild = await checkStore(store, journeysClient, { rebuild: true, settledAfterMs: 0 });
  const removedByRebuild = rebuild.uncommitted
    .filter((u) => people.includes(u.personId))
    .reduce((n, u) => n + u.recordIds.length, 0);
  compared = await storeAgainstHistory(store, stack.client, people);
  return {
    journeys,
    resend: options.resend,
    accepted: driver.stats.accepted,
    givenUp: driver.stats.givenUp.length,
    workerDeaths,
    serverKills,
    removedByRebuild,
    compared,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
