import { getHeapStatistics } from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import { outboxCaseRecord } from '../activities/caseRecord';
import { outboxLetters } from '../activities/letters';
import { Outbox } from '../activities/outbox';
import { storeCaseRecord, type CaseEventStore } from '../store';
import { careWorkerDataConverter } from '../runtime/dataConverter';
import { journeyBundlerOptions, journeyWorkflowsPath } from '../runtime/workflowBundle';
import type { CareConfig } from '../temporal.config';

/**
 * The journey worker: the bundled journey workflow and the activities behind their ports. The
 * start command runs it in-process; a council may run it as its own process (worker/main.ts).
 */
export async function createJourneyWorker(options: {
  connection: NativeConnection;
  config: CareConfig;
  /**
   * a pre-built bundle (tests bundle once per run; the start command once per process, for the
   * workers it makes again after a failure), made with runtime/workflowBundle.ts's
   * `journeyBundleOptions`; otherwise workflows/ is bundled now, with the same options
   */
  workflowBundle?: { codePath: string } | { code: string };
  /** replace any of the default side effects (letters, notifications, case record, RAS, payments) */
  activities?: Partial<Omit<ActivityDependencies, 'outboxDir'>>;
  /**
   * the case-event store (issue 12): the case record's default adapter when given (with the
   * readable copy in the outbox's case-record folder kept); without it, the outbox alone
   */
  store?: CaseEventStore;
  /** tuning, e.g. maxCachedWorkflows */
  tuning?: Pick<
    WorkerOptions,
    'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'
  >;
}): Promise<Worker> {
  const { connection, config } = options;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Payloads encrypted with the configured keys (issue 14). The codec runs here, outside the
    // workflow sandbox; the failure converter also runs inside it, so a pre-built workflowBundle
    // must be bundled with runtime/dataConverter.ts's workflowBundleDataConverter. A payload not
    // encrypted under a configured key reaches a workflow as a refused-payload marker, never an event.
    dataConverter: careWorkerDataConverter(config),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: journeyWorkflowsPath, bundlerOptions: journeyBundlerOptions }),
    activities: createActivities({
      outboxDir: config.outboxDir,
      // letters from the council's templates (if it has its own), signed off in its name
      letters: outboxLetters(new Outbox(config.outboxDir), {
        templatesDir: config.letters.templatesDir,
        council: config.policyProfile.council,
      }),
      ...(options.store
        ? { caseRecord: storeCaseRecord(options.store, outboxCaseRecord(new Outbox(config.outboxDir))) }
        : {}),
      ...options.activities,
    }),
    maxCachedWorkflows: defaultCachedJourneys(),
    ...options.tuning,
  });
}

/**
 * How many journeys the worker keeps in its cache by default: the SDK's own default allows about
 * 1.7 MB a workflow, and a cached journey takes more (bench/README.md: +2.5 MB above a bare
 * workflow), so a caseload import of thousands ran the workflow thread out of memory
 * (ERR_WORKER_OUT_OF_MEMORY at about 3,500 journeys). 4 MiB each, after 400 MiB for the rest; a
 * journey evicted from the cache is replayed from its history when it next wakes, so a smaller
 * cache costs time, never correctness.
 */
export function defaultCachedJourneys(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  const mib = heapLimitBytes / (1024 * 1024);
  return Math.max(10, Math.floor((mib - 400) / 4));
}
