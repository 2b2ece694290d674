import { randomBytes } from 'node:crypto';
import { Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { careDataConverter, failureConverterPath, payloadCodecFor } from '../../runtime/dataConverter';
import { loadConfig } from '../../temporal.config';
import { journeyWorkflowId, newJourneyInput } from '../../workflows/definitions';
import { REFUSED_PAYLOAD_FAILURE_TYPE } from '../../workflows/refusedPayload';
import { startApiHarness, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';

/**
 * Nothing on the host can act as staff by going round the API (docs/securing-temporal.md): a plain
 * Temporal client, without the project's codec, can reach the dev server's port, but what it
 * sends a journey is plaintext, and the worker's codec refuses it. A signal carrying an event is
 * dropped, an Update is rejected, a start fails; the journey is unchanged and never stuck; the
 * same event sent with the codec (as the API sends it) is applied.
 *
 * Terminating or cancelling a journey needs no payload, so no codec can refuse it: only the
 * server can, by mTLS and its authorizer (docs/securing-temporal.md); out of scope here.
 */

jest.setTimeout(120_000);

const personId = 'P-forged-1';
const workflowId = journeyWorkflowId(personId);
const at = workingDaysAgo(2);
/** an event the journey would accept now, claiming a manager who never sent it */
const forged = ev(
  'TRIAGED',
  at,
  { route: 'assessment', reason: 'recorded around the API' },
  { actor: { userId: 'someone.else', role: 'manager' }, eventId: 'forged-triage' },
);

let h: ApiHarness;
/** a client of the same server, with no codec: what anyone on the machine can run */
let plain: Client;
/**
 * The same, sending plaintext, but able to read the answers (which are encrypted): for the test
 * to see why it was refused. Anyone on the machine has only `plain`.
 */
let plainThatReads: Client;

beforeAll(async () => {
  h = await startApiHarness();
  const namespace = h.env.namespace ?? 'default';
  plain = new Client({ connection: h.env.connection, namespace });
  const codec = payloadCodecFor(h.config);
  plainThatReads = new Client({
    connection: h.env.connection,
    namespace,
    dataConverter: {
      payloadCodecs: [{ encode: async (payloads) => payloads, decode: (payloads) => codec.decode(payloads) }],
      failureConverterPath,
    },
  });
  await h.drive(personId, [
    referral(at, 'R-forged-1'),
    ev('UNIVERSAL_OFFER_GIVEN', at, { informationAndAdvice: ['leaflet'], signposting: [], prevention: [] }),
    ev('WORKER_ALLOCATED', at, { team: 'north', workerId: 'worker.ann' }),
  ]);
});
afterAll(async () => h?.stop());

const EventType = temporal.api.enums.v1.EventType;
async function history(id = workflowId) {
  const { events } = await h.env.client.workflow.getHandle(id).fetchHistory();
  return events ?? [];
}
const typesOf = (events: Awaited<ReturnType<typeof history>>) =>
  events.map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));

/** The journey as the API shows it: its stage, its timeline and its refused trail. */
async function journeyState() {
  const detail = await h.call('GET', `/journeys/${personId}`, { role: 'auditor' });
  expect(detail.status).toBe(200);
  const { view, timeline, refused } = detail.body as {
    view: { stage: string; allocatedWorker?: string };
    timeline: { eventId: string; actor: { userId: string } }[];
    refused?: unknown[];
  };
  // the refused trail straight from the journey too, in case the API leaves it out
  const trail = await h.env.client.workflow.getHandle(workflowId).query<{ refused: unknown[] }>('timeline');
  return { stage: view.stage, timeline, refused: refused ?? [], trail: trail.refused };
}

/** Waits until the journey has settled: its last workflow task completed, nothing after it. */
async function settled() {
  return eventually(async () => {
    const events = await history();
    const types = typesOf(events);
    expect(types.at(-1)).toMatch(/WORKFLOW_TASK_COMPLETED|MARKER_RECORDED|UPDATE_COMPLETED/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(typesOf(await history())).toEqual(types);
    return events;
  });
}

it('a signal carrying an event in plaintext is dropped: the journey does not change, and its task does not fail', async () => {
  const before = await journeyState();
  expect(before.stage).toBe('triage');
  const eventsBefore = await settled();

  await plain.workflow.getHandle(workflowId).signal('recordEvent', forged);

  // the server takes the signal (nothing stops it there) and the worker processes it …
  const events = await eventually(async () => {
    const all = await history();
    const signalled = all.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    expect(signalled).toBeGreaterThan(-1);
    expect(typesOf(all.slice(signalled))).toContain('EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
    return all;
  });
  const signalled = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  // … and it was plaintext (the test is real: what a plain client sends)
  const payload = events[signalled]!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
  expect(Buffer.from(payload.metadata![METADATA_ENCODING_KEY]!).toString()).toBe('json/plain');
  // the task that saw it completed with no command: no timer, activity, marker or upsert
  expect(typesOf(events.slice(signalled))).toEqual([
    'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
    'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
    'EVENT_TYPE_WORKFLOW_TASK_STARTED',
    'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
  ]);
  expect(events.slice(0, eventsBefore.length)).toEqual(eventsBefore);
  expect(typesOf(await settled())).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
  // not applied, and not even put on the refused trail (it would carry the sender's words)
  expect(await journeyState()).toEqual(before);
});

it('an Update carrying an event in plaintext is rejected, and leaves no trace in the history', async () => {
  const before = await journeyState();
  const eventsBefore = await settled();

  // the plain client gets a failure back, encrypted like every failure's message: it cannot read it
  await expect(
    plain.workflow.getHandle(workflowId).executeUpdate('applyEvent', { args: [forged] }),
  ).rejects.toThrow(/binary\/encrypted/);
  // what it says: refused for its payload, before the event was judged
  const refusal = await plainThatReads.workflow
    .getHandle(workflowId)
    .executeUpdate('applyEvent', { args: [forged] })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (refusal as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause.type).toBe(REFUSED_PAYLOAD_FAILURE_TYPE);
  expect(cause.message).toMatch(/^refused: a payload is not encrypted \(encoding "json\/plain"/);

  expect(await history()).toEqual(eventsBefore);
  expect(await journeyState()).toEqual(before);
});

it('an event encrypted under a key the journey does not hold (a retired or made-up one) is rejected too', async () => {
  const before = await journeyState();
  const eventsBefore = await settled();
  const otherKey = new Client({
    connection: h.env.connection,
    namespace: h.env.namespace ?? 'default',
    dataConverter: careDataConverter(
      loadConfig({ CARE_PAYLOAD_KEYS: `not-ours:${randomBytes(32).toString('base64')}` }),
    ),
  });
  // refused: the answer is a failure under the journey's key, which this sender cannot read either
  await expect(
    otherKey.workflow.getHandle(workflowId).executeUpdate('applyEvent', { args: [forged] }),
  ).rejects.toThrow(
    /encrypted under key "TEST-ONLY-not-secret", which is not among the configured payload keys \(not-ours\)/,
  );
  expect(await history()).toEqual(eventsBefore);
  expect(await journeyState()).toEqual(before);
});

it('a journey started in plaintext fails at once, having done nothing', async () => {
  const id = journeyWorkflowId('P-forged-start');
  await plain.workflow.start('journeyWorkflow', {
    workflowId: id,
    taskQueue: h.config.temporal.taskQueue,
    args: [newJourneyInput('P-forged-start', 'person', h.config)],
  });
  // the project's client reads why (the failure's message is encrypted for it)
  const failure = await h.env.client.workflow
    .getHandle(id)
    .result()
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe(REFUSED_PAYLOAD_FAILURE_TYPE);
  expect(cause.message).toMatch(/^refused: a payload is not encrypted \(encoding "json\/plain"/);
  expect(typesOf(await history(id))).toEqual([
    'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
    'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
    'EVENT_TYPE_WORKFLOW_TASK_STARTED',
    'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
    'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
  ]);
});

it('the same event sent with the codec, as the API sends it, is applied: the journey was never stuck', async () => {
  const applied = await h.env.client.workflow
    .getHandle(workflowId)
    .executeUpdate('applyEvent', { args: [forged] });
  expect(applied).toMatchObject({ status: 'applied', eventId: 'forged-triage' });
  const after = await journeyState();
  expect(after.stage).toBe('assessment');
  expect(after.timeline.map((t) => t.eventId)).toContain('forged-triage');
  expect(typesOf(await settled())).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
});
