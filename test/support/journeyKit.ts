import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ActivityDependencies } from '../../activities';
import { caseRecordFolder } from '../../activities/caseRecord';
import type { JourneyEvent } from '../../machines/events';
import { loadConfig, type CareConfig } from '../../temporal.config';
import {
  applyEventUpdate,
  describeQuery,
  journeyWorkflowId,
  newJourneyInput,
  timelineQuery,
  type ApplyEventResult,
} from '../../workflows/definitions';
import { createJourneyWorker } from '../../worker/createWorker';
import { testPayloadKeySettings } from './testPayloadKeys';
import { workflowBundle } from './workflowBundle';
import { eventually } from './eventually';
import { hasIndicativeBudget, isRasResult } from './journeyEvents';
import { skipTo } from './timeTravel';

let queues = 0;

/**
 * A worker on its own task queue with its own outbox folder, and helpers to drive journeys:
 * what every workflow test needs, against a real Temporal server.
 */
export async function journeyKit(
  env: TestWorkflowEnvironment,
  settings: Record<string, string> = {},
  /** a client of the kit's own instead of the env's, e.g. one with other payload keys (issue 14) */
  options: { client?: Client } = {},
) {
  const client = options.client ?? env.client;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-journeys-test-'));
  const config: CareConfig = loadConfig({
    // the env's client's keys (test/support/temporal.ts), unless settings name others
    ...testPayloadKeySettings,
    ...process.env,
    TEMPORAL_TASK_QUEUE: `journeys-test-${process.pid}-${++queues}`,
    CARE_DATA_DIR: dataDir,
    ...settings,
  });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  const kit = {
    config,
    client,
    outboxDir: config.outboxDir,
    /** Starts the kit's worker; `activities` replaces any of the default side effects (a fake port). */
    async startWorker(activities?: Partial<Omit<ActivityDependencies, 'outboxDir'>>) {
      worker = await createJourneyWorker({
        connection: env.nativeConnection,
        config,
        workflowBundle: workflowBundle(),
        activities,
      });
      running = worker.run();
    },
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    /** Starts an empty journey (awaiting its referral), as the API's update-with-start does. */
    async startJourney(personId: string, subject: 'person' | 'carer' = 'person') {
      return client.workflow.start('journeyWorkflow', {
        workflowId: journeyWorkflowId(personId),
        taskQueue: config.temporal.taskQueue,
        args: [newJourneyInput(personId, subject, config)],
      });
    },
    handle: (personId: string) => client.workflow.getHandle(journeyWorkflowId(personId)),
    send: (personId: string, event: JourneyEvent): Promise<ApplyEventResult> =>
      client.workflow
        .getHandle(journeyWorkflowId(personId))
        .executeUpdate(applyEventUpdate, { args: [event] }),
    async sendAll(personId: string, events: JourneyEvent[]) {
      for (const event of events) {
        if (isRasResult(event)) {
          // (No jest `expect`: record-histories uses this kit outside jest.)
          await eventually(async () => {
            if (!hasIndicativeBudget(await kit.view(personId)))
              throw new Error(`${personId}: the journey has not had its indicative budget from the RAS`);
          });
          continue;
        }
        await kit.send(personId, event).catch((err: Error & { cause?: Error }) => {
          throw new Error(`${event.type} (${event.eventId}) refused: ${err.cause?.message ?? err.message}`);
        });
      }
    },
    /**
     * Sends each event when it happens: the server's clock is skipped forward to its occurredAt
     * first (time-skipping server only), so nothing is entered late or ahead of the clock.
     */
    async sendOnTime(personId: string, events: JourneyEvent[]) {
      for (const event of events) {
        await skipTo(env, event.occurredAt);
        await kit.sendAll(personId, [event]);
      }
    },
    view: (personId: string) => client.workflow.getHandle(journeyWorkflowId(personId)).query(describeQuery),
    timeline: (personId: string) =>
      client.workflow.getHandle(journeyWorkflowId(personId)).query(timelineQuery),
    /**
     * The items in one outbox folder (letters, notifications, escalations, case-record/<person>,
     * where <person> is the person id: the kit finds the person's folder).
     */
    outbox(folder: string): { name: string; text: string }[] {
      const person = folder.match(/^case-record\/(.+)$/s)?.[1];
      const dir = path.join(config.outboxDir, person === undefined ? folder : caseRecordFolder(person));
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .sort()
        .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
    },
    async teardown() {
      await kit.stopWorker();
    },
  };
  return kit;
}
export type JourneyKit = Awaited<ReturnType<typeof journeyKit>>;
