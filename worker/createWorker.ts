import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import type { CareConfig } from '../temporal.config';

/**
 * The journey worker: the bundled journey workflow and the activities behind their ports. The
 * start command runs it in-process; a council may run it as its own process (worker/main.ts).
 */
export async function createJourneyWorker(options: {
  connection: NativeConnection;
  config: CareConfig;
  /** a pre-built bundle (tests bundle once per run); otherwise workflows/ is bundled now */
  workflowBundle?: { codePath: string };
  /** replace any of the default side effects (letters, notifications, case record, RAS, payments) */
  activities?: Partial<Omit<ActivityDependencies, 'outboxDir'>>;
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
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ outboxDir: config.outboxDir, ...options.activities }),
    ...options.tuning,
  });
}
