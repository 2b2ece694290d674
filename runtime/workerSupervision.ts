import type { Worker } from '@temporalio/worker';

/**
 * Keeps the start command's journey worker running beside the API and the case-event store.
 *
 * Temporal's `Worker.run()` rejects when the worker fails for good: its workflow thread died (out
 * of memory, ERR_WORKER_OUT_OF_MEMORY), Core refused a completion, or a shutdown hung past its
 * limit. The worker is then finished and cannot be run again, but nothing else is: the
 * NativeConnection lets go of it, the case-event store is untouched, and the API can go on
 * answering (lists from the store, /livez; /readyz says the worker is down). So instead of stopping
 * the whole process, a new worker is made (by `create`: the start command's makes it on the same
 * connection, from the same workflow bundle) after 1 s, 2 s, 4 s, … up to 30 s, at most
 * `maxRestarts` times in a row; a worker that stayed up `stableAfterMs` starts the count afresh.
 * When the restarts are used up, `onGiveUp` is told, and the start command stops everything and
 * exits 1 so that systemd or another supervisor can take over.
 *
 * Journeys lose nothing meanwhile: their state is Temporal's. A workflow task or activity the dead
 * worker held is retried by the next worker once its timeout passes, and an event sent while no
 * worker runs waits for one (the API answers 503 after its own time limit).
 */

/** What is asked of a worker; Temporal's Worker has it all. */
export type SupervisedWorker = Pick<Worker, 'run' | 'shutdown' | 'getState'>;

export interface WorkerSupervisionOptions {
  /** A new worker, ready to run (not yet running). A failure here counts as a failed restart. */
  create(): Promise<SupervisedWorker>;
  /** Restarts in a row before giving up (CARE_WORKER_RESTARTS); 0: give up at the first failure. */
  maxRestarts: number;
  /** A worker that ran this long counts as healthy: its failure starts the count afresh. Default 60 s. */
  stableAfterMs?: number;
  /** The wait before restart `attempt` (1, 2, …). Default 1 s, 2 s, 4 s, … up to 30 s. */
  delayMs?(attempt: number): number;
  /** Whether the process is stopping: a failure then is not restarted (default: never). */
  isStopping?(): boolean;
  /** The restarts are used up: stop everything (the start command exits 1). */
  onGiveUp(reason: string): void;
  /** The worker stopped without failing and without stop() (Temporal's own shutdown signals). */
  onStopped(): void;
  log: { info(message: string): void; error(message: string): void };
}

export interface WorkerSupervision {
  /**
   * Temporal's state of the worker now running (RUNNING, DRAINING, …), RESTARTING between a
   * failure and the next worker, or FAILED once the restarts are used up. /healthz and /readyz
   * report the worker down unless RUNNING.
   */
  state(): string;
  /** How many times a failed worker has been replaced since the start. */
  restarts(): number;
  /** Shuts the worker down and waits for it; nothing is restarted after this. Safe to call twice. */
  stop(): Promise<void>;
}

const defaultDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** (attempt - 1));

const describe = (err: unknown) =>
  err instanceof Error
    ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (cause: ${err.cause.message})` : ''}`
    : String(err);

/**
 * Makes the first worker (a failure here is the caller's: start-up fails as before), runs it, and
 * from then on replaces it whenever its run() rejects.
 */
export async function superviseWorker(options: WorkerSupervisionOptions): Promise<WorkerSupervision> {
  const { maxRestarts, log } = options;
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  const delayMs = options.delayMs ?? defaultDelayMs;
  let stopped = false;
  let restarts = 0;
  let state: 'supervised' | 'RESTARTING' | 'FAILED' = 'supervised';
  let current: { worker: SupervisedWorker; run: Promise<void>; settled: boolean } | undefined;
  // the wait before a restart, cut short by stop()
  let wake: (() => void) | undefined;
  let restarting: Promise<void> | undefined;

  const halted = () => stopped || (options.isStopping?.() ?? false);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** Runs `worker`, and on its failure replaces it (`inARow`: restarts already made in a row). */
  const run = (worker: SupervisedWorker, inARow: number) => {
    const startedAt = Date.now();
    const running = worker.run();
    const entry = { worker, run: running, settled: false };
    current = entry;
    state = 'supervised';
    running.then(
      () => {
        entry.settled = true;
        if (!halted()) options.onStopped();
      },
      (err: unknown) => {
        entry.settled = true;
        if (halted()) {
          log.error(`the journey worker failed while stopping: ${describe(err)}`);
          return;
        }
        const ranMs = Date.now() - startedAt;
        log.error(
          `the journey worker failed after ${Math.round(ranMs / 1000)} s: ${describe(err)}; the API and the case-event store carry on`,
        );
        const attempt = ranMs >= stableAfterMs ? 1 : inARow + 1;
        restarting = restart(attempt).finally(() => (restarting = undefined));
      },
    );
  };

  const restart = async (firstAttempt: number) => {
    state = 'RESTARTING';
    for (let attempt = firstAttempt; !halted(); attempt++) {
      if (attempt > maxRestarts) {
        state = 'FAILED';
        const reason =
          maxRestarts === 0
            ? 'the journey worker failed (CARE_WORKER_RESTARTS=0: no restarts)'
            : `the journey worker failed and ${maxRestarts} restart${maxRestarts === 1 ? '' : 's'} in a row did not keep it up`;
        log.error(`${reason}; exiting 1 so a supervisor can restart care-journeys`);
        options.onGiveUp(reason);
        return;
      }
      const delay = delayMs(attempt);
      log.error(`restarting the journey worker in ${delay / 1000} s (restart ${attempt} of ${maxRestarts})…`);
      await sleep(delay);
      if (halted()) return;
      let worker: SupervisedWorker;
      try {
        worker = await options.create();
      } catch (err) {
        log.error(`restart ${attempt} of the journey worker failed: ${describe(err)}`);
        continue;
      }
      if (halted()) {
        // made, never to poll: run and stop it at once, so its connection lets go of it
        const abandoned = worker.run();
        worker.shutdown();
        await abandoned.catch(() => undefined);
        return;
      }
      restarts += 1;
      run(worker, attempt);
      log.info(
        `the journey worker is back (restart ${attempt} of ${maxRestarts}); journeys it held carry on once their tasks time out`,
      );
      return;
    }
  };

  run(await options.create(), 0);

  return {
    state: () => (state === 'supervised' ? (current?.worker.getState() ?? 'RESTARTING') : state),
    restarts: () => restarts,
    async stop() {
      stopped = true;
      wake?.();
      await restarting;
      // a worker that already failed has nothing left to stop (its failure was reported then)
      if (!current || current.settled) return;
      const { worker, run: running } = current;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined); // reported where it settles, above
    },
  };
}
