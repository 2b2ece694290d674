import { checkStore } from '../../api/caseStore';
import { JourneyClient } from '../../api/journeyClient';
import { ApiDriver } from '../../faults/drive';
import { startStack, type Stack } from '../../faults/stack';
import { storeAgainstHistory } from '../../faults/storeAgainstHistory';
import type { JourneyEvent } from '../../machines/events';
import { openCaseEventStore, type CaseEventStore, type StoreDatabase } from '../../store';
import { applyEventUpdate, journeyWorkflowId } from '../../workflows/definitions';
import { eventually } from '../support/eventually';
import { pathToActivation } from '../support/journeyEvents';
import { freshServerDatabase } from '../store/storeKit';

/**
 * The worst moment for a crash: the journey's workflow task has applied an event and written it
 * to the case-event store, and the worker dies before Temporal commits the task. A real worker
 * process (faults/dyingWorker.ts) dies exactly there, on a dev server, with the store on a real
 * PostgreSQL server so the test reads it while the workers come and go. Whether the event is sent
 * again or not, the store must end exactly as Temporal committed: no entry of an event the journey
 * never accepted, none from an attempt Temporal did not keep, no journey failing for ever.
 */

const DAY = 86_400_000;
let stack: Stack;
let drop: () => Promise<void>;
let store: CaseEventStore;
let db: StoreDatabase;

beforeAll(async () => {
  const fresh = await freshServerDatabase();
  drop = fresh.drop;
  stack = await startStack({
    label: 'commit',
    databaseUrl: fresh.url,
    workerEntry: 'faults/dyingWorker.ts',
    // two journeys lose a task at once each time
    workerEnv: { CARE_FAULT_DIE_AFTER_RECORDING: '^die-', CARE_FAULT_DIE_TOGETHER: '2' },
  });
  ({ store, db } = await openCaseEventStore({
    url: fresh.url,
    poolSize: 2,
    embeddedDir: '',
    tls: undefined,
  }));
}, 120_000);
afterAll(async () => {
  await db?.close();
  await stack?.stop();
  await drop?.();
});

/** The road to activation with its triage under another id; the events before it, and the rest. */
function road(personId: string, triageId: string): { before: JourneyEvent[]; triage: JourneyEvent } {
  const events = pathToActivation(new Date(Date.now() - 20 * DAY).toISOString()).map((e) => ({
    ...e,
    eventId: `${personId}-${e.eventId}`,
  }));
  const at = events.findIndex((e) => e.type === 'TRIAGED');
  return { before: events.slice(0, at), triage: { ...events[at]!, eventId: triageId } };
}

async function workerDied(): Promise<void> {
  const code = await stack.worker()!.exited;
  expect(code).toBe(-1); // SIGKILL: it died where it meant to
  expect(stack.worker()!.output()).toMatch(/dying after recording die-/);
}

it('sent again: the attempt Temporal kept replaces the one that died, and no journey keeps failing', async () => {
  const driver = new ApiDriver(stack.apiUrl, stack.token);
  const people = ['C-resent-1', 'C-resent-2'];
  const roads = people.map((p, i) => road(p, `die-resent-${i + 1}`));
  for (const [i, p] of people.entries()) await driver.drive(p, roads[i]!.before);
  const sends = people.map((p, i) => driver.send(p, roads[i]!.triage));
  await workerDied();
  await stack.startWorker();
  expect(await Promise.all(sends)).toEqual([true, true]);

  await eventually(async () => {
    const compared = await storeAgainstHistory(store, stack.client, people);
    expect(compared.problems).toEqual([]);
    expect(compared.equal).toBe(2);
  }, 60_000);
  for (const p of people) {
    const detail = await driver.detail(p);
    expect(detail.health.technicalIssue).toBeUndefined();
    expect(detail.timeline.filter((e) => e.eventId.startsWith('die-'))).toHaveLength(1);
  }
}, 240_000);

it('not sent again: what the journey never accepted leaves the store, by the next event or by the check', async () => {
  const driver = new ApiDriver(stack.apiUrl, stack.token);
  // A client that gives up: sent through Temporal directly and abandoned once the worker has died
  // (the API would wait and its Temporal client would send it again once the server is back).
  const abandon = new AbortController();
  const giveUpSending = (personId: string, event: JourneyEvent) =>
    stack.client.connection
      .withAbortSignal(abandon.signal, () =>
        stack.client.workflow.getHandle(journeyWorkflowId(personId)).executeUpdate(applyEventUpdate, {
          args: [event],
        }),
      )
      .then(
        () => true,
        () => false,
      );
  const [overtaken, checked] = ['C-dropped-1', 'C-dropped-2'];
  const roads = [road(overtaken!, 'die-dropped-1'), road(checked!, 'die-dropped-2')];
  await driver.drive(overtaken!, roads[0]!.before);
  await driver.drive(checked!, roads[1]!.before);
  const sends = [giveUpSending(overtaken!, roads[0]!.triage), giveUpSending(checked!, roads[1]!.triage)];
  await workerDied();
  abandon.abort();
  // The server goes too, before the task times out, and with it the Updates it had not committed;
  // the client gives up.
  await stack.killServer();
  await stack.startServer();
  await stack.startWorker();
  expect(await Promise.all(sends)).toEqual([false, false]);

  const before = await storeAgainstHistory(store, stack.client, [overtaken!, checked!]);
  expect(before.uncommitted).toBe(2);

  // One journey goes on: its next event (the triage sent anew) takes the place of the one it never accepted.
  expect(await driver.send(overtaken!, { ...roads[0]!.triage, eventId: 'triaged-anew' })).toBe(true);
  await eventually(async () => {
    expect((await storeAgainstHistory(store, stack.client, [overtaken!])).problems).toEqual([]);
  }, 60_000);

  // The other does not: the store check finds the entry and a rebuild removes it.
  const journeys = new JourneyClient(stack.client, stack.config, { store });
  const check = await checkStore(store, journeys, { rebuild: false, settledAfterMs: 0 });
  expect(check.uncommitted).toEqual([{ personId: checked, recordIds: ['die-dropped-2'] }]);
  const rebuild = await checkStore(store, journeys, { rebuild: true, settledAfterMs: 0 });
  expect(rebuild.uncommitted).toEqual([{ personId: checked, recordIds: ['die-dropped-2'] }]);
  const after = await storeAgainstHistory(store, stack.client, [overtaken!, checked!]);
  expect(after.problems).toEqual([]);
  expect(after.equal).toBe(2);
}, 300_000);
