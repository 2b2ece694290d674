import { runBurst, LETTERS_PER_JOURNEY } from '../../faults/burst';
import { startStack, type Stack } from '../../faults/stack';

/**
 * The quick part of the fault suite (`npm run faults` runs 1,000 events and two kills): a real
 * worker process (`node --import tsx worker/main.ts`) is killed with SIGKILL during a burst of 80
 * events sent over HTTP to four journeys on a dev server, and started again. Every accepted event
 * must be in its journey's timeline once and on its case record, and each journey must have each
 * of its letters exactly once.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'jest' });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

it('a worker killed with SIGKILL mid-burst loses no accepted event and doubles no letter', async () => {
  const result = await runBurst(stack, { events: 80, killAt: [0.4], concurrency: 4, label: 'jest' });
  expect(result.workerKills).toBe(1);
  expect(result.refused).toEqual([]);
  expect(result.accepted).toBe(80);
  expect(result.present).toBe(80);
  expect(result.lost).toBe(0);
  expect(result.doubled).toBe(0);
  expect(result.unexpected).toBe(0);
  expect(result.caseRecordMissing).toBe(0);
  expect(result.lettersExpected).toBe(4 * LETTERS_PER_JOURNEY.length);
  expect(result.lettersMissing).toBe(0);
  expect(result.lettersDoubled).toBe(0);
  // Two worker starts (each bundles the workflow code: ~20 s on a loaded 2-core machine) and the burst.
}, 180_000);
