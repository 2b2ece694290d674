import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually';
import { freePort } from '../support/freePort';

/**
 * The start command with no settings but its ports and data folder (the embedded dev server, the
 * embedded case-event store): its journey worker fails for real — its workflow thread is killed, as
 * an out-of-memory error kills it, through the test-only seam test/support/workflowThreadFault.ts —
 * and the start command makes a new worker while the API and the store stay up. Throughout, /livez
 * and the list of journeys answer 200, and /readyz says the worker is down; once the worker is
 * back, a journey accepts an event. With CARE_WORKER_RESTARTS=0 the start command exits 1 instead.
 */

const root = path.resolve(__dirname, '..', '..');
const token = 'dev-practitioner-token';
const seam = './test/support/workflowThreadFault.ts';

interface Started {
  child: ChildProcess;
  apiPort: number;
  dataDir: string;
  output(): string;
  exited: Promise<number | null>;
  /** kills the worker's workflow threads (the seam) and says how many there were */
  killWorkflowThreads(): Promise<number>;
}

async function start(settings: Record<string, string> = {}): Promise<Started> {
  const apiPort = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-journeys-worker-restart-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CARE_DATA_DIR: dataDir,
    CARE_API_PORT: String(apiPort),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: 'care-journeys-worker-restart',
    ...settings,
  };
  // the embedded default: no cluster, no PostgreSQL server, the restarts as shipped
  for (const name of ['TEMPORAL_ADDRESS', 'CARE_DATABASE_URL', 'CARE_WORKER_RESTARTS']) {
    if (!(name in settings)) delete env[name];
  }
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', seam, 'runtime/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    apiPort,
    dataDir,
    output: () => output,
    exited,
    killWorkflowThreads: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) =>
          resolve((message as { killedWorkflowThreads: number }).killedWorkflowThreads),
        );
        child.send('kill-workflow-threads');
      }),
  };
}

let running: Started | undefined;
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGINT');
    await running.exited;
  }
  running = undefined;
});

const call = (started: Started, pathname: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${started.apiPort}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

async function waitUntilUp(started: Started): Promise<void> {
  await eventually(async () => {
    if (started.child.exitCode !== null) throw new Error(`start exited early:\n${started.output()}`);
    expect((await fetch(`http://127.0.0.1:${started.apiPort}/healthz`)).status).toBe(200);
  }, 120_000);
}

const occurredAt = new Date(Date.now() - 60_000).toISOString();

async function openJourney(started: Started, personId: string): Promise<void> {
  const referral = await call(started, '/referrals', {
    method: 'POST',
    body: JSON.stringify({
      personId,
      referralId: 'R-1',
      receivedDate: occurredAt.slice(0, 10),
      source: 'gp',
      urgency: 'routine',
      summary: 'Struggling at home after a fall',
      occurredAt,
    }),
  });
  expect(referral.status).toBe(201);
}

/**
 * The worker's next workflow activation meets the dead thread: asking the journey anything (its
 * page's queries) is one. The answer itself does not matter here.
 */
const activate = (started: Started, personId: string) =>
  call(started, `/journeys/${personId}`).then(
    (response) => response.text(),
    () => undefined,
  );

interface Sample {
  livez: number;
  list: number;
  listed: string[];
  ready: number;
  worker: { state: string; error?: string };
}

it('a failed worker is replaced while the API and the embedded store keep answering; then the journey accepts an event', async () => {
  running = await start();
  const started = running;
  await waitUntilUp(started);
  await openJourney(started, 'P-WR-1');
  await eventually(async () => {
    const list = (await (await call(started, '/journeys')).json()) as { journeys: { personId: string }[] };
    expect(list.journeys.map((row) => row.personId)).toContain('P-WR-1');
  });

  // the API as a load balancer and a person see it, sampled until the worker is back
  const samples: Sample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [livez, list, ready] = await Promise.all([
        fetch(`http://127.0.0.1:${started.apiPort}/livez`),
        call(started, '/journeys'),
        fetch(`http://127.0.0.1:${started.apiPort}/readyz`),
      ]);
      const listBody = (await list.json()) as { journeys?: { personId: string }[] };
      const readyBody = (await ready.json()) as { checks: { worker: Sample['worker'] } };
      samples.push({
        livez: livez.status,
        list: list.status,
        listed: (listBody.journeys ?? []).map((row) => row.personId),
        ready: ready.status,
        worker: readyBody.checks.worker,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  expect(await started.killWorkflowThreads()).toBeGreaterThan(0);
  void activate(started, 'P-WR-1');
  await eventually(() => {
    expect(started.output()).toMatch(
      /the journey worker failed after \d+ s: UnexpectedError: .*worker thread exited.*; the API and the case-event store carry on/,
    );
    expect(started.output()).toMatch(/the journey worker is back \(restart 1 of 5\)/);
  }, 60_000);
  // sampled on until Temporal sees the new worker poll and /readyz is whole again
  await eventually(() => expect(samples.at(-1)?.ready).toBe(200), 60_000);
  sampling = false;
  await sampler;

  expect(started.child.exitCode).toBeNull();
  const down = samples.filter((s) => s.worker.error?.startsWith('the in-process worker is'));
  expect(down.length).toBeGreaterThan(0);
  expect(down.map((s) => s.ready)).toEqual(down.map(() => 503));
  // the process, the API and the store never went away: every sample answered, the journey listed
  expect(samples.map((s) => s.livez)).toEqual(samples.map(() => 200));
  expect(samples.map((s) => s.list)).toEqual(samples.map(() => 200));
  expect(samples.every((s) => s.listed.includes('P-WR-1'))).toBe(true);
  // one store, opened once, still this process's
  expect(started.output().match(/the case-event store is open/g)).toHaveLength(1);
  expect(readFileSync(path.join(started.dataDir, 'case-store.lock'), 'utf8').trim()).toBe(
    String(started.child.pid),
  );

  // the new worker runs the journey: it judges and accepts the next event
  const accepted = await eventually(async () => {
    const response = await call(started, '/journeys/P-WR-1/events', {
      method: 'POST',
      body: JSON.stringify({
        type: 'UNIVERSAL_OFFER_GIVEN',
        eventId: 'e-after-restart',
        occurredAt,
        informationAndAdvice: ['falls prevention'],
      }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { view: { stage: string } };
  }, 60_000);
  expect(accepted.view.stage).toBe('triage');
  const detail = (await (await call(started, '/journeys/P-WR-1')).json()) as {
    timeline: { eventId: string }[];
  };
  expect(detail.timeline.map((e) => e.eventId)).toEqual(['referral-R-1', 'e-after-restart']);

  started.child.kill('SIGINT');
  expect(await started.exited).toBe(0);
}, 240_000);

it('with CARE_WORKER_RESTARTS=0, a failed worker stops the start command with exit 1, for an outside supervisor', async () => {
  running = await start({ CARE_WORKER_RESTARTS: '0' });
  const started = running;
  await waitUntilUp(started);
  await openJourney(started, 'P-WR-2');
  expect(await started.killWorkflowThreads()).toBeGreaterThan(0);
  void activate(started, 'P-WR-2');
  expect(await started.exited).toBe(1);
  expect(started.output()).toMatch(
    /CARE_WORKER_RESTARTS=0: no restarts\); exiting 1 so a supervisor can restart care-journeys/,
  );
}, 180_000);
