import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { eventually } from '../support/eventually';
import { freePort } from '../support/freePort';

/**
 * The start command end to end, as a person uses it: `tsx runtime/start.ts` brings up the dev
 * server (SQLite under a data folder), the worker and the API; a referral and a triage go in over
 * HTTP; bad requests get a 4xx naming the problem and leave no trace in the journey's history;
 * after Ctrl-C and a second start the journey is still there. The dev server is supervised: killed
 * with SIGKILL it is started again (the API answering 503 at once meanwhile), or, with no restarts
 * left, the start command exits 1.
 */

const root = path.resolve(__dirname, '..', '..');
const token = 'dev-practitioner-token';

/** Whether anything accepts a connection on this port of this machine. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'runtime/start.ts'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

let ports: { api: number; temporal: number; ui: number };
let env: NodeJS.ProcessEnv;
let running: Started | undefined;

beforeAll(async () => {
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  env = {
    ...process.env,
    CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-journeys-e2e-')),
    CARE_API_PORT: String(ports.api),
    TEMPORAL_DEV_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_TASK_QUEUE: 'care-journeys-e2e',
  };
  delete env.TEMPORAL_ADDRESS;
});
afterAll(async () => {
  if (running && running.child.exitCode === null) await stop(running);
});

const api = (pathname: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${ports.api}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

interface Answer {
  error?: string;
  problems?: { field: string; message: string; accepted?: string }[];
  reasons?: { ruleId?: string; message: string }[];
  view?: { stage: string };
  timeline?: { eventId: string }[];
}
const answer = async (response: Response) => (await response.json()) as Answer;

async function waitUntilUp(started: Started): Promise<void> {
  await eventually(async () => {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    const health = await fetch(`http://127.0.0.1:${ports.api}/healthz`);
    expect(health.status).toBe(200);
  }, 90_000);
}

async function settledHistoryEventTypes(personId: string): Promise<string[]> {
  return eventually(async () => {
    const first = await historyEventTypes(personId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await historyEventTypes(personId);
    // settled: the last workflow task completed and left nothing in flight. After it come only what
    // that task itself recorded: the Update it answered and the markers of its local activity
    // (the case record, written inside the task)
    const afterLastTask = again.slice(again.lastIndexOf('EVENT_TYPE_WORKFLOW_TASK_COMPLETED') + 1);
    expect(again).toContain('EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
    expect(
      afterLastTask.filter(
        (type) =>
          ![
            'EVENT_TYPE_MARKER_RECORDED',
            'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
            'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
          ].includes(type),
      ),
    ).toEqual([]);
    expect(again).toEqual(first);
    return again;
  });
}

async function historyEventTypes(personId: string): Promise<string[]> {
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  try {
    const client = new Client({ connection });
    const history = await client.workflow.getHandle(`journey-${personId}`).fetchHistory();
    return (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '');
  } finally {
    await connection.close();
  }
}

it('starts, takes a referral and a triage over HTTP, refuses bad input without trace, and survives a restart', async () => {
  running = start(env);
  await waitUntilUp(running);
  expect(running.output()).toContain(`http://127.0.0.1:${ports.api}/docs`);
  // The Web UI has no sign-in: off unless CARE_TEMPORAL_UI=1, so nothing answers on its port.
  expect(await listening(ports.ui)).toBe(false);
  expect(await listening(ports.temporal)).toBe(true); // the check is real
  expect(running.output()).toMatch(/Temporal Web UI\s+off \(CARE_TEMPORAL_UI=1 turns it on/);
  expect(running.output()).not.toContain('WARNING: the Temporal Web UI is on');

  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  const referral = await api('/referrals', {
    method: 'POST',
    body: JSON.stringify({
      personId: 'P-E2E',
      referralId: 'R-1',
      receivedDate: occurredAt.slice(0, 10),
      source: 'gp',
      urgency: 'routine',
      summary: 'Struggling at home after a fall',
      occurredAt,
    }),
  });
  expect(referral.status).toBe(201);
  const send = (body: unknown) =>
    api('/journeys/P-E2E/events', { method: 'POST', body: JSON.stringify(body) });
  expect(
    (
      await send({
        type: 'UNIVERSAL_OFFER_GIVEN',
        eventId: 'e-offer',
        occurredAt,
        informationAndAdvice: ['falls prevention'],
      })
    ).status,
  ).toBe(200);
  // The journey's own work after the event (its case record, letters) settles first: a workflow
  // task completed last, and nothing more for a moment.
  const historyBefore = await settledHistoryEventTypes('P-E2E');

  // malformed JSON, a missing field, an unknown type, and an event not allowed now
  const malformed = await api('/journeys/P-E2E/events', { method: 'POST', body: '{"type": "TRIAGED",' });
  expect(malformed.status).toBe(400);
  expect((await answer(malformed)).error).toMatch(/JSON/i);
  const missing = await send({ type: 'TRIAGED', eventId: 'e-missing', occurredAt, route: 'assessment' });
  expect(missing.status).toBe(400);
  expect((await answer(missing)).problems).toEqual([
    { field: 'reason', message: 'is required', accepted: 'a string' },
  ]);
  const unknown = await send({ type: 'TELEPORTED', eventId: 'e-unknown', occurredAt });
  expect(unknown.status).toBe(400);
  expect((await answer(unknown)).problems).toEqual([
    expect.objectContaining({
      field: 'type',
      message: expect.stringMatching(/^unknown event type "TELEPORTED"; /),
    }),
  ]);
  const notNow = await send({
    type: 'PLANNING_STARTED',
    eventId: 'e-not-now',
    occurredAt,
    preparedBy: 'worker',
  });
  expect(notNow.status).toBe(409);
  // the unmet rule first (R-IB-3), then where the journey is
  const notNowReasons = (await answer(notNow)).reasons ?? [];
  expect(notNowReasons[0]).toMatchObject({ ruleId: 'R-IB-3' });
  expect(notNowReasons.at(-1)?.message).toContain('not allowed while the journey is at stage');
  expect(await historyEventTypes('P-E2E')).toEqual(historyBefore);

  const triage = await send({
    type: 'TRIAGED',
    eventId: 'e-triage',
    occurredAt,
    route: 'assessment',
    reason: 'needs an assessment',
  });
  expect(triage.status).toBe(200);
  expect((await answer(triage)).view?.stage).toBe('assessment');

  expect(await stop(running)).toBe(0);
  // the second start with the Web UI asked for: it answers, on this machine, with a warning said
  running = start({ ...env, CARE_TEMPORAL_UI: '1' });
  await waitUntilUp(running);
  await eventually(async () => expect(await listening(ports.ui)).toBe(true));
  expect(running.output()).toContain(
    `WARNING: the Temporal Web UI is on (CARE_TEMPORAL_UI=1) at http://127.0.0.1:${ports.ui}`,
  );
  const after = await api('/journeys/P-E2E');
  expect(after.status).toBe(200);
  const detail = await answer(after);
  expect(detail.view?.stage).toBe('assessment');
  expect(detail.timeline?.map((e) => e.eventId)).toEqual(['referral-R-1', 'e-offer', 'e-triage']);
  expect(await stop(running)).toBe(0);
}, 240_000);

/** The pid the start command printed for its dev server (the latest one, after a restart). */
function devServerPid(started: Started): number {
  const pids = [...started.output().matchAll(/the Temporal dev server (?:is up|is back) \(pid (\d+)/g)];
  const pid = Number(pids.at(-1)?.[1]);
  if (!pid) throw new Error(`no dev server pid in the output:\n${started.output()}`);
  return pid;
}

it('restarts a dev server killed with SIGKILL: meanwhile the API answers 503 at once; then every journey is there', async () => {
  running = start(env);
  await waitUntilUp(running);
  const pid = devServerPid(running);
  process.kill(pid, 'SIGKILL');

  // while it is down (or coming back), calls answer 503 quickly, with a clear message and Retry-After
  const down = await eventually(async () => {
    const started = Date.now();
    const response = await api('/journeys/P-E2E');
    expect(response.status).toBe(503);
    return { elapsed: Date.now() - started, response, body: await answer(response) };
  }, 10_000);
  expect(down.elapsed).toBeLessThan(3_000);
  expect(down.body.error).toMatch(/Temporal is not (reachable|answering)/);
  expect(Number(down.response.headers.get('retry-after'))).toBeGreaterThan(0);

  await eventually(() => {
    expect(running!.output()).toMatch(
      /the Temporal dev server \(pid \d+\) was killed by SIGKILL unexpectedly/,
    );
    expect(running!.output()).toMatch(/the Temporal dev server is back \(pid \d+, restart 1 of 5\)/);
  }, 60_000);
  expect(devServerPid(running)).not.toBe(pid);
  await waitUntilUp(running);
  const detail = await eventually(async () => {
    const after = await api('/journeys/P-E2E');
    expect(after.status).toBe(200);
    return answer(after);
  }, 60_000);
  expect(detail.view?.stage).toBe('assessment');
  expect(detail.timeline?.map((e) => e.eventId)).toEqual(['referral-R-1', 'e-offer', 'e-triage']);
  // the worker reconnected: the journey judges events again (a resent event is a duplicate)
  const resent = await api('/journeys/P-E2E/events', {
    method: 'POST',
    body: JSON.stringify({
      type: 'UNIVERSAL_OFFER_GIVEN',
      eventId: 'e-offer',
      occurredAt: new Date(Date.now() - 120_000).toISOString(),
      informationAndAdvice: ['falls prevention'],
    }),
  });
  expect([200, 409]).toContain(resent.status);
  expect(await stop(running)).toBe(0);
}, 240_000);

it('with its restarts used up (CARE_DEV_SERVER_RESTARTS=0), exits 1 when the dev server dies, for an outside supervisor', async () => {
  running = start({ ...env, CARE_DEV_SERVER_RESTARTS: '0' });
  await waitUntilUp(running);
  const exited = new Promise<number | null>((resolve) =>
    running!.child.once('exit', (code) => resolve(code)),
  );
  process.kill(devServerPid(running), 'SIGKILL');
  expect(await exited).toBe(1);
  expect(running.output()).toMatch(/no restarts.*exiting 1 so a supervisor can restart care-journeys/);
}, 120_000);
