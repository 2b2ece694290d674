import { createRequire } from 'node:module';
import type { Worker as ThreadWorker, WorkerOptions as ThreadOptions } from 'node:worker_threads';

/**
 * A test-only seam for a real fatal failure of the real journey worker. Loaded into a start command
 * a test spawns, and nowhere else:
 *
 *   node --import tsx --import ./test/support/workflowThreadFault.ts runtime/start.ts   (with an IPC channel)
 *
 * It notes every workflow thread Temporal's worker starts (the SDK's `workflow-worker-thread`, where
 * the journeys' code runs) and, on the IPC message "kill-workflow-threads", terminates them: what
 * an out-of-memory error in that thread does (ERR_WORKER_OUT_OF_MEMORY, seen with a large caseload
 * import). The worker's next workflow activation then fails with Temporal's UnexpectedError and its
 * run() rejects, just as in production. Nothing in the production code can switch this on: it is
 * code loaded from test/, never a setting.
 */

const threads = createRequire(__filename)('node:worker_threads') as typeof import('node:worker_threads');
const OriginalWorker = threads.Worker;
const workflowThreads = new Set<ThreadWorker>();

class RecordingWorker extends OriginalWorker {
  constructor(filename: string | URL, options?: ThreadOptions) {
    super(filename, options);
    if (String(filename).includes('workflow-worker-thread')) {
      workflowThreads.add(this);
      this.once('exit', () => workflowThreads.delete(this));
    }
  }
}
// the SDK reads `require('node:worker_threads').Worker` when it starts a thread
(threads as { Worker: typeof OriginalWorker }).Worker = RecordingWorker;

process.on('message', (message: unknown) => {
  if (message !== 'kill-workflow-threads') return;
  const victims = [...workflowThreads];
  void Promise.all(victims.map((thread) => thread.terminate())).then(() =>
    process.send?.({ killedWorkflowThreads: victims.length }),
  );
});
// the channel must not keep the start command alive once it means to exit
process.channel?.unref();
