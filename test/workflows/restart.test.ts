import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { englandAndWalesBankHolidays, englandAndWalesCalendar } from '../../machines/calendar';
import { journeyWorkflowId, newJourneyInput, recordEventSignal } from '../../workflows/definitions';
import { eventually } from '../support/eventually';
import { ev, interimSupportStarted, pathToActivation, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createDevServerEnv } from '../support/temporal';

/**
 * A worker stopped and started again — a deployment, a crash — on a real dev server, which (unlike
 * the time-skipping test server) reroutes a journey's tasks from the old worker's sticky queue.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
beforeAll(async () => {
  env = await createDevServerEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

const DAY = 86_400_000;
const serverNow = async () => new Date().toISOString();
const past = (days: number) => new Date(Date.now() - days * DAY).toISOString();

it('a worker stopped and restarted mid-journey loses no accepted event and sends no second letter', async () => {
  const events = pathToActivation(past(10)); // services start yesterday: nothing falls due meanwhile
  const signOff = events.findIndex((e) => e.type === 'PLAN_SIGNED_OFF');
  await kit.startJourney('restart');
  await kit.sendAll('restart', events.slice(0, signOff + 1));
  // up to sign-off: the eligibility decision, the indicative budget (edition 4) and the plan copy
  const lettersSent = () =>
    kit
      .outbox('letters')
      .filter((l) => l.name.startsWith('restart_'))
      .map((l) => /_([A-Za-z]+)~[0-9a-f]+\.txt$/.exec(l.name)?.[1] ?? l.name)
      .sort();
  const expectedLetters = ['decisionLetter', 'indicativeBudgetLetter', 'planCopy'];
  await eventually(() => expect(lettersSent()).toEqual(expectedLetters));

  await kit.stopWorker();
  // accepted while no worker runs: a signal is durable in history
  await env.client.workflow
    .getHandle(journeyWorkflowId('restart'))
    .signal(recordEventSignal, events[signOff + 1]!);
  await kit.startWorker(); // a new worker: nothing cached, the journey is replayed from history

  await kit.sendAll('restart', events.slice(signOff + 2));
  const { timeline } = await kit.timeline('restart');
  // every event once, in order; the indicative budget is the one the journey's RAS call produced
  expect(timeline.map((e) => e.eventId)).toEqual(
    events.map((e) =>
      e.type === 'INDICATIVE_BUDGET_CALCULATED'
        ? expect.stringMatching(/^restart:assessment_completed-\d+:ras:result$/)
        : e.eventId,
    ),
  );
  expect((await kit.view('restart')).stage).toBe('liveSupport');
  await eventually(() =>
    expect(kit.outbox(`case-record/restart`).map((r) => r.name)).toHaveLength(events.length),
  );
  expect(lettersSent()).toEqual(expectedLetters);
});

it('JOURNEY.md §Time: a deadline already set does not move when the bank-holiday data changes', async () => {
  // A journey started with an extra one-off holiday computes its deadline with it …
  const at = await serverNow();
  const input = newJourneyInput('pinned', 'person', kit.config, new Date(at));
  const bundled = englandAndWalesCalendar();
  const oneOff = bundled.addWorkingDays(bundled.londonDateOf(at), 1);
  const withOneOff = englandAndWalesCalendar([...input.bankHolidays!, oneOff]);
  expect(withOneOff.workingDaysAfter(at, 3)).not.toBe(bundled.workingDaysAfter(at, 3));
  await env.client.workflow.start('journeyWorkflow', {
    workflowId: journeyWorkflowId('pinned'),
    taskQueue: kit.config.temporal.taskQueue,
    args: [{ ...input, bankHolidays: [...input.bankHolidays!, oneOff].sort() }],
  });
  await kit.sendAll('pinned', [
    referral(at),
    ev('TRIAGED', at, { route: 'emergencyInterimSupport', reason: 'emergency' }),
    interimSupportStarted(at, ['emergency home care']),
  ]);
  const set = (await kit.view('pinned')).deadlines[0]!;
  expect(set.dueAt).toBe(withOneOff.workingDaysAfter(at, 3));
  // … and a worker whose bundled data lacks that day (this one) replays it to the same instant:
  await kit.stopWorker();
  await kit.startWorker();
  await kit.send(
    'pinned',
    ev('WORKER_ALLOCATED', await serverNow(), { team: 'north', workerId: 'worker.ann' }),
  );
  expect((await kit.view('pinned')).deadlines[0]!.dueAt).toBe(set.dueAt);
  expect(englandAndWalesBankHolidays).not.toContain(oneOff);
  await kit.handle('pinned').terminate('test over');
});
