import {
  superviseWorker,
  type SupervisedWorker,
  type WorkerSupervisionOptions,
} from '../../runtime/workerSupervision';
import { eventually } from '../support/eventually';

/**
 * The restart policy on its own: when a run fails, when the count starts afresh, when it gives up,
 * and that stop() ends it. The workers here are stand-ins with Temporal's Worker's run/shutdown/
 * getState; the real worker failing inside the real start command is test/e2e/workerRestart.test.ts.
 */

class StandIn implements SupervisedWorker {
  state: ReturnType<SupervisedWorker['getState']> = 'INITIALIZED';
  private settle?: { resolve: () => void; reject: (err: Error) => void };
  run(): Promise<void> {
    this.state = 'RUNNING';
    return new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
  }
  shutdown(): void {
    this.state = 'STOPPED';
    this.settle?.resolve();
  }
  getState() {
    return this.state;
  }
  /** what Worker.run() does on a fatal error */
  fail(message = 'Received request after worker thread exited'): void {
    this.state = 'FAILED';
    const err = new Error(message);
    err.name = 'UnexpectedError';
    this.settle?.reject(err);
  }
  /** Temporal's own shutdown (a signal the runtime caught), not asked for by stop() */
  stopByItself(): void {
    this.shutdown();
  }
}

function harness(overrides: Partial<WorkerSupervisionOptions> = {}) {
  const made: StandIn[] = [];
  const logged: string[] = [];
  const gaveUp: string[] = [];
  let stoppedByItself = 0;
  const failCreates = { count: 0 };
  const options: WorkerSupervisionOptions = {
    async create() {
      if (failCreates.count > 0) {
        failCreates.count -= 1;
        throw new Error('the namespace cannot be reached');
      }
      const worker = new StandIn();
      made.push(worker);
      return worker;
    },
    maxRestarts: 3,
    stableAfterMs: 60_000,
    delayMs: () => 20,
    onGiveUp: (reason) => gaveUp.push(reason),
    onStopped: () => (stoppedByItself += 1),
    log: { info: (m) => logged.push(m), error: (m) => logged.push(m) },
    ...overrides,
  };
  return { options, made, logged, gaveUp, failCreates, stoppedByItself: () => stoppedByItself };
}

it('replaces a worker whose run() rejects, and reports RESTARTING until the new one runs', async () => {
  const { options, made, logged } = harness({ delayMs: () => 300 });
  const supervision = await superviseWorker(options);
  expect(supervision.state()).toBe('RUNNING');
  made[0]!.fail();
  await eventually(() => expect(supervision.state()).toBe('RESTARTING'), 1_000);
  expect(made).toHaveLength(1); // not before the wait
  await eventually(() => expect(made).toHaveLength(2));
  expect(supervision.state()).toBe('RUNNING');
  expect(supervision.restarts()).toBe(1);
  expect(logged).toEqual([
    expect.stringMatching(
      /^the journey worker failed after 0 s: UnexpectedError: Received request after worker thread exited; the API and the case-event store carry on$/,
    ),
    'restarting the journey worker in 0.3 s (restart 1 of 3)…',
    expect.stringMatching(/^the journey worker is back \(restart 1 of 3\)/),
  ]);
  await supervision.stop();
  expect(made[1]!.getState()).toBe('STOPPED');
});

it('waits longer each time, and gives up after maxRestarts failures in a row', async () => {
  const delays: number[] = [];
  const { options, made, gaveUp, logged } = harness({
    maxRestarts: 2,
    delayMs: (attempt) => {
      delays.push(attempt);
      return 10 * attempt;
    },
  });
  const supervision = await superviseWorker(options);
  made[0]!.fail();
  await eventually(() => expect(made).toHaveLength(2));
  made[1]!.fail();
  await eventually(() => expect(made).toHaveLength(3));
  made[2]!.fail();
  await eventually(() => expect(gaveUp).toHaveLength(1));
  expect(delays).toEqual([1, 2]);
  expect(gaveUp[0]).toBe('the journey worker failed and 2 restarts in a row did not keep it up');
  expect(supervision.state()).toBe('FAILED');
  expect(made).toHaveLength(3);
  expect(logged.at(-1)).toBe(
    'the journey worker failed and 2 restarts in a row did not keep it up; exiting 1 so a supervisor can restart care-journeys',
  );
  await supervision.stop(); // nothing left to stop
});

it('with maxRestarts 0 gives up at the first failure', async () => {
  const { options, made, gaveUp } = harness({ maxRestarts: 0 });
  await superviseWorker(options);
  made[0]!.fail();
  await eventually(() =>
    expect(gaveUp).toEqual(['the journey worker failed (CARE_WORKER_RESTARTS=0: no restarts)']),
  );
  expect(made).toHaveLength(1);
});

it('starts the count afresh after a worker that stayed up stableAfterMs', async () => {
  const { options, made, gaveUp } = harness({ maxRestarts: 1, stableAfterMs: 200 });
  const supervision = await superviseWorker(options);
  made[0]!.fail();
  await eventually(() => expect(made).toHaveLength(2));
  await new Promise((resolve) => setTimeout(resolve, 250)); // the new worker is now stable
  made[1]!.fail();
  await eventually(() => expect(made).toHaveLength(3));
  expect(gaveUp).toEqual([]);
  expect(supervision.restarts()).toBe(2);
  made[2]!.fail(); // at once: a second failure in a row, past maxRestarts 1
  await eventually(() => expect(gaveUp).toHaveLength(1));
});

it('counts a worker that cannot be made as a failed restart and tries again', async () => {
  const { options, made, failCreates, logged } = harness();
  const supervision = await superviseWorker(options);
  failCreates.count = 1;
  made[0]!.fail();
  await eventually(() => expect(made).toHaveLength(2));
  expect(logged).toContain('restart 1 of the journey worker failed: Error: the namespace cannot be reached');
  expect(logged).toContain('restarting the journey worker in 0.02 s (restart 2 of 3)…');
  expect(supervision.state()).toBe('RUNNING');
  await supervision.stop();
});

it('stop() during the wait restarts nothing; a failure while the process stops is not restarted', async () => {
  const first = harness({ delayMs: () => 10_000 });
  const supervision = await superviseWorker(first.options);
  first.made[0]!.fail();
  await eventually(() => expect(supervision.state()).toBe('RESTARTING'));
  const began = Date.now();
  await supervision.stop();
  expect(Date.now() - began).toBeLessThan(1_000);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(first.made).toHaveLength(1);

  let stopping = false;
  const second = harness({ isStopping: () => stopping });
  await superviseWorker(second.options);
  stopping = true;
  second.made[0]!.fail();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(second.made).toHaveLength(1);
  expect(second.logged).toEqual([
    'the journey worker failed while stopping: UnexpectedError: Received request after worker thread exited',
  ]);
});

it('a worker Temporal stopped by itself is handed to onStopped, not restarted', async () => {
  const { options, made, stoppedByItself } = harness();
  await superviseWorker(options);
  made[0]!.stopByItself();
  await eventually(() => expect(stoppedByItself()).toBe(1));
  expect(made).toHaveLength(1);
});

it('a first worker that cannot be made fails the start, as before', async () => {
  const { options, failCreates } = harness();
  failCreates.count = 1;
  await expect(superviseWorker(options)).rejects.toThrow('the namespace cannot be reached');
});
