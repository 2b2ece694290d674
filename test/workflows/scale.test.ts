import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { completionOf, COMPLETE_BEFORE_DUE_MS, nextReviewCycleDeadline } from '../../bench/scenario';
import { journeyWorkflowId, type EventReceipt, type JourneyWorkflowInput } from '../../workflows/definitions';
import { RECEIPT_MAX_BYTES } from '../../workflows/eventReceipt';
import { pathToActivation } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { serverNow, skipTo } from '../support/timeTravel';

/**
 * What a journey costs at national scale, held for a ten-year journey on the time-skipping server
 * ('national-scale-costs'): what each continue-as-new carries stays under 16 KB however old the
 * journey, and every Update's result — kept in history with every event — under 1 KB, as the
 * worker encodes and encrypts them. The thirty-year bound and the decisions' sameness are held
 * purely in carriedState.test.ts.
 */

const YEAR_MS = 365.25 * 86_400_000;
const INPUT_BOUND = 16 * 1024;

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

const payloadBytes = (payload: Payload | null | undefined) =>
  (payload?.data?.length ?? 0) +
  Object.entries(payload?.metadata ?? {}).reduce((n, [k, v]) => n + k.length + (v?.length ?? 0), 0);

it('a ten-year journey: every continue-as-new input under 16 KB, every Update result under 1 KB', async () => {
  const personId = 'ten-years-at-scale';
  const start = await serverNow(env);
  const first = await kit.startJourney(personId);
  const receipts: EventReceipt[] = [];
  for (const event of pathToActivation(start)) {
    await skipTo(env, event.occurredAt);
    // the RAS's answer is the journey's own (sendAll waits for it)
    await kit.sendAll(personId, [event]);
  }
  const end = Date.parse(start) + 10 * YEAR_MS;
  for (;;) {
    const due = nextReviewCycleDeadline((await kit.view(personId)).deadlines);
    if (!due) throw new Error('no review or check open');
    const at = Date.parse(due.dueAt) - COMPLETE_BEFORE_DUE_MS;
    if (at > end) break;
    await skipTo(env, at);
    receipts.push((await kit.send(personId, completionOf(due.kind, await serverNow(env)))) as EventReceipt);
  }

  // Every answer was a receipt, not the outline, and small.
  // the informal and first reviews, then an annual review and a monitoring check a year
  expect(receipts.length).toBeGreaterThanOrEqual(20);
  for (const receipt of receipts) {
    expect(receipt).not.toHaveProperty('view');
    expect(JSON.stringify(receipt).length).toBeLessThan(RECEIPT_MAX_BYTES);
  }

  // The histories, run by run (following continue-as-new).
  const converter = kit.client.options.loadedDataConverter;
  const runs: { inputBytes: number; carriedChars: number; results: number[] }[] = [];
  let runId: string | undefined = first.firstExecutionRunId;
  while (runId) {
    const events: temporal.api.history.v1.IHistoryEvent[] =
      (await kit.client.workflow.getHandle(journeyWorkflowId(personId), runId).fetchHistory()).events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const input = await decodeFromPayloadsAtIndex<JourneyWorkflowInput>(converter, 0, started as Payload[]);
    runs.push({
      inputBytes: payloadBytes(started[0] as Payload),
      carriedChars: input.carried ? JSON.stringify(input.carried).length : 0,
      results: events
        .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0])
        .filter((p): p is NonNullable<typeof p> => !!p)
        .map((p) => payloadBytes(p as Payload)),
    });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  // continued as new at least every two years: four times or more in ten
  expect(runs.length).toBeGreaterThanOrEqual(5);
  for (const [i, run] of runs.entries()) {
    // as history keeps it: encrypted, with its metadata
    expect([i, run.inputBytes < INPUT_BOUND]).toEqual([i, true]);
    expect([i, run.carriedChars < INPUT_BOUND]).toEqual([i, true]);
    for (const bytes of run.results) expect([i, bytes < RECEIPT_MAX_BYTES]).toEqual([i, true]);
  }
  // (It grows by the event ids it remembers until they fill their budget, CARRIED_IDS_CHARS, and no
  // further: carriedState.test.ts holds the plateau over thirty years.)
  expect(runs.flatMap((r) => r.results).length).toBeGreaterThanOrEqual(receipts.length);
  await kit.handle(personId).terminate('test over');
}, 900_000);
