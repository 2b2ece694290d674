import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { connectWorkerConnection } from '../runtime/connection';
import { temporalTarget } from '../runtime/temporalTarget';
import { careDataConverter } from '../runtime/dataConverter';
import { loadConfig } from '../temporal.config';
import { createJourneyWorker } from '../worker/createWorker';

/**
 * One benchmark worker in a process of its own, so its memory is its own: the journey worker
 * (createJourneyWorker, the real one) or the floor's worker, with the same tuning. Started by
 * bench/endToEnd.ts with `node --import tsx --expose-gc bench/workerProcess.ts '<json>'`; talks
 * over IPC: parent sends 'measure' and 'stop'; child answers 'ready', 'memory', 'stopped'.
 */

export interface WorkerProcessSpec {
  kind: 'ours' | 'floor';
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  dataDir: string;
  tuning: {
    maxCachedWorkflows: number;
    maxConcurrentWorkflowTaskExecutions: number;
    maxConcurrentActivityTaskExecutions: number;
  };
}

export interface WorkerSample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** this process's CPU time so far, user + system, in ms */
  cpuMs: number;
}

export type ToWorker = { type: 'measure' } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; sample: WorkerSample }
  | { type: 'memory'; sample: WorkerSample }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

const send = (message: FromWorker) => process.send?.(message);

async function sample(): Promise<WorkerSample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 250));
  gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as WorkerProcessSpec;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig({
    ...process.env,
    TEMPORAL_NAMESPACE: spec.namespace,
    TEMPORAL_TASK_QUEUE: spec.taskQueue,
    CARE_DATA_DIR: spec.dataDir,
  });
  // a cluster (TEMPORAL_ADDRESS, bench/run.ts) with its TLS / API key; else the bench's dev server
  const connection =
    temporalTarget(process.env).kind === 'cluster'
      ? await connectWorkerConnection(config)
      : await NativeConnection.connect({ address: spec.address });
  const worker =
    spec.kind === 'ours'
      ? await createJourneyWorker({
          connection,
          config,
          workflowBundle: { codePath: spec.bundlePath },
          tuning: spec.tuning,
        })
      : await Worker.create({
          connection,
          namespace: spec.namespace,
          taskQueue: spec.taskQueue,
          workflowBundle: { codePath: spec.bundlePath },
          // the same encrypted payloads as ours (issue 14): the floor pays what production pays
          dataConverter: careDataConverter(config),
          ...spec.tuning,
        });
  const running = worker.run();
  process.on('message', (message: ToWorker) => {
    if (message.type === 'measure') void sample().then((s) => send({ type: 'memory', sample: s }));
    if (message.type === 'stop') worker.shutdown();
  });
  // Wait until the worker polls before reporting the baseline.
  while (worker.getState() !== 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 50));
  send({ type: 'ready', sample: await sample() });
  await running;
  await connection.close();
  send({ type: 'stopped' });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
