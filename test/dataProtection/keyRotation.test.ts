import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decode as utf8Decode } from '@temporalio/common/lib/encoding';
import { careDataConverter } from '../../runtime/dataConverter';
import { EncryptionCodec, KEY_ID_METADATA } from '../../runtime/payloadCodec';
import { loadConfig } from '../../temporal.config';
import { journeyWorkflowId } from '../../workflows/definitions';
import { pathToActivation } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createDevServerEnv } from '../support/temporal';

/**
 * Key rotation without downtime (issue 14): a journey started under key A carries on — accepts
 * events, its view answers — once the worker and the client restart with key B current and A
 * still listed; from then on its new payloads are under B. On the dev server: a query after a
 * worker restart waits forever on the time-skipping test server.
 */

jest.setTimeout(120_000);

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const onlyA = {
  CARE_PAYLOAD_KEYS: `rotation-a:${keyA.toString('base64')}`,
  CARE_PAYLOAD_KEY_CURRENT: 'rotation-a',
};
const bothBCurrent = {
  CARE_PAYLOAD_KEYS: `rotation-a:${keyA.toString('base64')},rotation-b:${keyB.toString('base64')}`,
  CARE_PAYLOAD_KEY_CURRENT: 'rotation-b',
};

let env: TestWorkflowEnvironment;
let before: JourneyKit | undefined;
let after: JourneyKit | undefined;
let clientAfter: Client | undefined;

beforeAll(async () => {
  env = await createDevServerEnv({ settings: onlyA });
});
afterAll(async () => {
  await before?.teardown();
  await after?.teardown();
  await env?.teardown();
});

/** The key id of each event the journey accepted (its Update's input), in order. */
async function keyIdsOfAcceptedEvents(personId: string): Promise<string[]> {
  const { events } = await env.client.workflow.getHandle(journeyWorkflowId(personId)).fetchHistory();
  return events!
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0])
    .filter((p) => p !== undefined && p !== null)
    .map((p) => utf8Decode(p.metadata![KEY_ID_METADATA]!));
}

it('a journey started under key A carries on after a restart with key B current and A still listed', async () => {
  const personId = 'rotation-1';
  const road = pathToActivation(new Date(Date.now() - 12 * 86_400_000).toISOString());
  const split = 4;

  // Before: the worker and the client know key A only.
  before = await journeyKit(env, onlyA);
  await before.startWorker();
  await before.startJourney(personId);
  await before.sendAll(personId, road.slice(0, split));
  const stageBefore = (await before.view(personId)).stage;
  await before.stopWorker();

  // The restart: key B made current, A kept; same task queue, a new client and worker.
  const settings = { ...bothBCurrent, TEMPORAL_TASK_QUEUE: before.config.temporal.taskQueue };
  clientAfter = new Client({
    connection: env.connection,
    namespace: env.namespace ?? 'default',
    dataConverter: careDataConverter(loadConfig({ ...process.env, ...settings })),
  });
  after = await journeyKit(env, settings, { client: clientAfter });
  await after.startWorker();
  // its view answers (the new worker replays the history written under A) …
  expect((await after.view(personId)).stage).toBe(stageBefore);
  // … and it accepts the rest of the road
  await after.sendAll(personId, road.slice(split, split + 3));
  const view = await after.view(personId);
  expect(view.personId).toBe(personId);
  expect((await after.timeline(personId)).timeline).toHaveLength(split + 3);

  const keyIds = await keyIdsOfAcceptedEvents(personId);
  expect(keyIds).toEqual([...Array(split).fill('rotation-a'), ...Array(3).fill('rotation-b')]);

  // Dropping A too early would leave the journey unreadable, with the reason said.
  const { events } = await clientAfter.workflow.getHandle(journeyWorkflowId(personId)).fetchHistory();
  const first = events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  await expect(
    new EncryptionCodec([{ id: 'rotation-b', key: keyB }], 'rotation-b').decode([first]),
  ).rejects.toThrow(
    /encrypted under key "rotation-a", which is not among the configured payload keys \(rotation-b\)/,
  );
});
