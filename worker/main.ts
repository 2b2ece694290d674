import { connectWorkerConnection } from '../runtime/connection';
import { openCaseEventStore } from '../store';
import { loadConfig } from '../temporal.config';
import { createJourneyWorker } from './createWorker';

/**
 * The worker as a process of its own (`npm run worker`), for running several workers against a
 * council's cluster. `npm start` runs the same worker in-process beside the API.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await connectWorkerConnection(config);
  const { store, db } = await openCaseEventStore(config.database);
  const worker = await createJourneyWorker({ connection, config, store });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `care-journeys worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"; case-event store: ${db.kind} (${db.where})`,
  );
  await worker.run();
  await connection.close();
  await db.close();
}

main().catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
