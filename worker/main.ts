import { connectWorkerConnection } from '../runtime/connection';
import { loadConfig } from '../temporal.config';
import { createJourneyWorker } from './createWorker';

/**
 * The worker as a process of its own (`npm run worker`), for running several workers against a
 * council's cluster. `npm start` runs the same worker in-process beside the API.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await connectWorkerConnection(config);
  const worker = await createJourneyWorker({ connection, config });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `care-journeys worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"`,
  );
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
