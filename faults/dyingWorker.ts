import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outboxCaseRecord, type CaseRecord } from '../activities/caseRecord';
import { Outbox } from '../activities/outbox';
import { connectWorkerConnection } from '../runtime/connection';
import { openCaseEventStore, storeCaseRecord } from '../store';
import { loadConfig } from '../temporal.config';
import { createJourneyWorker } from '../worker/createWorker';

/**
 * The worker (as worker/main.ts runs it) that dies at the worst moment, for the fault suite: just
 * after the case record has taken an entry whose event id matches CARE_FAULT_DIE_AFTER_RECORDING
 * (a regular expression), inside the workflow task that applied it and before Temporal has
 * committed that task. It dies once for each such entry (a file in CARE_DATA_DIR remembers), so the
 * next worker started from here carries on; with CARE_FAULT_DIE_TOGETHER=n it holds the first
 * n - 1 such entries and dies after the n-th, so several journeys lose a task at once. Never
 * started by anything but the fault suite.
 */

async function main(): Promise<void> {
  const config = loadConfig();
  const pattern = new RegExp(process.env.CARE_FAULT_DIE_AFTER_RECORDING ?? '(?!)');
  // how many matching entries to catch before dying (CARE_FAULT_DIE_TOGETHER, default 1)
  const together = Number(process.env.CARE_FAULT_DIE_TOGETHER ?? 1);
  let caught = 0;
  const connection = await connectWorkerConnection(config);
  const { store, db } = await openCaseEventStore(config.database);
  const kept = storeCaseRecord(store, outboxCaseRecord(new Outbox(config.outboxDir)));
  const caseRecord: CaseRecord = {
    ...kept,
    async recordCaseEvent(record) {
      await kept.recordCaseEvent(record);
      const eventId = (record.entry as { eventId?: unknown }).eventId;
      if (record.kind !== 'event' || typeof eventId !== 'string' || !pattern.test(eventId)) return;
      const marker = path.join(config.dataDir, `died-after-${encodeURIComponent(eventId)}`);
      if (existsSync(marker)) return;
      writeFileSync(marker, `${new Date().toISOString()}\n`);
      // Several journeys' tasks can be caught at once: each waits (well inside the in-task write's
      // 5 s limit) until the last of them has written, and then the process dies.
      caught++;
      if (caught < together) return new Promise<void>(() => undefined);
      console.log(`dying after recording ${eventId}, before its workflow task is committed`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
  const worker = await createJourneyWorker({ connection, config, store, activities: { caseRecord } });
  console.log(
    `care-journeys worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"; case-event store: ${db.kind} (${db.where}); dies after recording ${pattern}`,
  );
  await worker.run();
  await connection.close();
  await db.close();
}

main().catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
