import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { bearer, startApiHarness, type ApiHarness } from './apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { openTestStore, type TestStore } from '../store/storeKit';

/**
 * Bad input is refused at the edge, before anything reaches the journey or the case-event store:
 * - no id or text carries a control character (PostgreSQL's text cannot hold NUL: an event with one
 *   would be accepted and then never written to the store); long text keeps line breaks and tabs;
 *   the refusal names the field;
 * - a body over the limit gets 413 in the one error shape, the body read to its end first, so the
 *   client receives the answer instead of a reset connection; an overlong URL 414; headers over
 *   Node's limit 431, in the same shape.
 */

let t: TestStore;
let api: ApiHarness;
let base: { host: string; port: number };
const person = 'bad-input-1';

beforeAll(async () => {
  t = await openTestStore('embedded');
  api = await startApiHarness({ store: t.store });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  base = { host: '127.0.0.1', port: (api.app.server.address() as AddressInfo).port };
  await api.drive(person, [
    referral(new Date(Date.now() - 60_000).toISOString(), 'R-bad-1'),
    ev('WORKER_ALLOCATED', new Date(Date.now() - 30_000).toISOString(), { team: 'north', workerId: 'ann' }),
  ]);
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await t?.close();
});

const nulMessage = /^must not contain control characters such as NUL/;
const problemsOf = (body: Record<string, unknown>) => body.problems as { field: string; message: string }[];
const complaint = (eventId: string, details = 'Visits are late') => ({
  type: 'COMPLAINT_RAISED',
  eventId,
  complaintId: `complaint-${eventId.replace(/\p{Cc}/gu, '?')}`,
  about: 'service',
  details,
});
/** What the store holds for the person: the event ids of its timeline, as the case record wrote them. */
const storedEventIds = async (personId = person) =>
  (await t.store.personRecord(personId)).timeline.map((e) => e.eventId);

describe('control characters are refused at the edge, the field named, nothing stored', () => {
  it('a NUL in eventId: 400 naming eventId; the journey and the store never see it', async () => {
    // the referral and the allocation are written (the store is read where the journey wrote it)
    const before = await eventually(async () => {
      const ids = await storedEventIds();
      expect(ids).toHaveLength(2);
      return ids;
    });
    const answer = await api.call('POST', `/journeys/${person}/events`, { body: complaint('c-\u0000-1') });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer.body)).toEqual([
      {
        field: 'eventId',
        message: 'must not contain control characters such as NUL: it has NUL (U+0000) at character 3',
      },
    ]);
    expect(answer.body.error).toBe(
      'invalid event: eventId: must not contain control characters such as NUL: it has NUL (U+0000) at character 3',
    );
    const detail = await api.call('GET', `/journeys/${person}`);
    expect((detail.body.timeline as { eventId: string }[]).map((e) => e.eventId)).not.toContain('c-\u0000-1');
    expect(await storedEventIds()).toEqual(before);
  });

  it('a NUL in free text: 400 naming the field; line breaks and tabs in long text are kept', async () => {
    const refused = await api.call('POST', `/journeys/${person}/events`, {
      body: complaint('c-text-1', 'Visits\u0000are late'),
    });
    expect(refused.status).toBe(400);
    expect(problemsOf(refused.body)).toEqual([
      { field: 'details', message: expect.stringMatching(nulMessage) },
    ]);
    expect(problemsOf(refused.body)[0]!.message).toContain('(line breaks and tabs are fine)');

    const accepted = await api.call('POST', `/journeys/${person}/events`, {
      body: complaint('c-text-2', 'Visits are late:\r\n\tMonday\n\tTuesday'),
    });
    expect(accepted.status).toBe(200);
    await eventually(async () => expect(await storedEventIds()).toContain('c-text-2'));
    expect(await storedEventIds()).not.toContain('c-text-1');
  });

  it('ids and short text refuse every control character, a tab or line break too', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'WORKER_ALLOCATED', eventId: 'w-2', team: 'north', workerId: 'ann\tsmith' },
    });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer.body)).toEqual([
      {
        field: 'workerId',
        message: 'must not contain control characters such as NUL: it has a tab (U+0009) at character 4',
      },
    ]);
  });

  it('a NUL in the person id of a path: 400 naming personId, read or write', async () => {
    for (const [method, url, body] of [
      ['GET', '/journeys/bad%00input', undefined],
      ['POST', '/journeys/bad%00input/events', complaint('c-path-1')],
    ] as const) {
      const answer = await api.call(method, url, body ? { body } : {});
      expect([method, answer.status]).toEqual([method, 400]);
      expect(problemsOf(answer.body)).toEqual([
        {
          field: 'personId',
          message: 'must not contain control characters such as NUL: it has NUL (U+0000) at character 4',
        },
      ]);
    }
  });

  it('a referral with a NUL in personId or referralId: 400 naming it, no journey opened or stored', async () => {
    const { type: _type, actor: _actor, ...fields } = referral(new Date().toISOString(), 'R-nul-1');
    const byPerson = await api.call('POST', '/referrals', {
      body: { ...fields, personId: 'nul-ref\u00001' },
    });
    expect(byPerson.status).toBe(400);
    expect(problemsOf(byPerson.body)).toEqual([
      { field: 'personId', message: expect.stringMatching(nulMessage) },
    ]);

    const { eventId: _eventId, ...withoutEventId } = fields;
    const byReferral = await api.call('POST', '/referrals', {
      body: { ...withoutEventId, referralId: 'R-\u0000', personId: 'nul-ref-2' },
    });
    expect(byReferral.status).toBe(400);
    expect(problemsOf(byReferral.body)).toEqual([
      { field: 'referralId', message: expect.stringMatching(nulMessage) },
    ]);
    expect((await api.call('GET', '/journeys/nul-ref-2')).status).toBe(404);
    const { rows } = await t.db.query(`SELECT person_id FROM journeys WHERE person_id LIKE 'nul-ref%'`);
    expect(rows).toEqual([]);
  });

  it('an import: a NUL in a row’s personId refuses that row (its column named); one in the file name, the request', async () => {
    const row = (personId: string) => ({ row: 2, values: { personId, stage: 'assessment' } });
    const refusedRow = await api.call('POST', '/imports', {
      role: 'manager',
      body: { file: 'caseload.csv', mode: 'check', rows: [row('nul-import\u00001')] },
    });
    expect(refusedRow.status).toBe(200);
    expect(refusedRow.body.results).toEqual([
      expect.objectContaining({
        row: 2,
        outcome: 'refused',
        problems: [
          expect.objectContaining({ column: 'personId', message: expect.stringMatching(nulMessage) }),
        ],
      }),
    ]);
    const refusedFile = await api.call('POST', '/imports', {
      role: 'manager',
      body: { file: 'case\u0000load.csv', mode: 'check', rows: [row('nul-import-2')] },
    });
    expect(refusedFile.status).toBe(400);
    expect(problemsOf(refusedFile.body)).toEqual([
      { field: 'file', message: expect.stringMatching(nulMessage) },
    ]);
  });

  it('a NUL in an event’s type is a 400, and its access is still recorded (not a 503 for an unwritable entry)', async () => {
    const answer = await api.call('POST', `/journeys/${person}/events`, {
      body: { type: 'COMPLAINT\u0000RAISED', eventId: 'c-type-1' },
    });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer.body)).toEqual([expect.objectContaining({ field: 'type' })]);
    const access = await api.call('GET', `/journeys/${person}/access?limit=500`, { role: 'auditor' });
    const entries = access.body.entries as { route: string; status: number; eventType?: string }[];
    expect(entries.filter((e) => e.route === 'POST /journeys/:personId/events' && e.status === 400)).toEqual(
      expect.arrayContaining([expect.not.objectContaining({ eventType: expect.anything() })]),
    );
  });
});

/** A raw HTTP/1.1 exchange: the request line and headers, then the body in 64 KiB pieces (each write awaited). */
function exchange(head: string, body: Buffer = Buffer.alloc(0)) {
  return new Promise<{ status: number; headers: string; body: string; writeError?: string }>((resolve) => {
    const socket: Socket = connect(base.port, base.host);
    let received = '';
    let writeError: string | undefined;
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (writeError ??= err.code ?? err.message));
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      resolve({
        status: Number(received.split(' ')[1]),
        headers: received.slice(0, split),
        body: received.slice(split + 4),
        ...(writeError ? { writeError } : {}),
      });
    });
    socket.on('connect', async () => {
      socket.write(head);
      for (let at = 0; at < body.length && !socket.destroyed; at += 65_536) {
        await new Promise<void>((done) => socket.write(body.subarray(at, at + 65_536), () => done()));
      }
    });
  });
}

describe('oversized and malformed requests, over a real connection', () => {
  it('a 10 MB body: the whole of it is sent, then 413 in the error shape (no reset connection)', async () => {
    const body = Buffer.from(JSON.stringify({ ...complaint('c-big-1'), details: 'x'.repeat(10_000_000) }));
    const answer = await exchange(
      `POST /journeys/${person}/events HTTP/1.1\r\nHost: care\r\nAuthorization: ${bearer('practitioner').authorization}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    expect(answer.writeError).toBeUndefined();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error:
        'the body is over the limit of 1,048,576 bytes (1,024 KB): send less; every text field and list has its own maximum (see /docs)',
    });
    expect(await storedEventIds()).not.toContain('c-big-1');
  });

  it('a 10 MB body without a token: 401 after the body, not a reset', async () => {
    const body = Buffer.alloc(10_000_000, 'x');
    const answer = await exchange(
      `POST /journeys/${person}/events HTTP/1.1\r\nHost: care\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    expect([answer.writeError, answer.status]).toEqual([undefined, 401]);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
  });

  it('headers over 16 KiB: 431 in the error shape', async () => {
    const response = await fetch(`http://${base.host}:${base.port}/livez`, {
      headers: { 'x-padding': 'a'.repeat(20_000) },
    });
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({
      error: expect.stringMatching(/^the request headers are over the limit of 16,384 bytes/),
    });
  });

  it('a header with a control character: 400 in the error shape', async () => {
    const answer = await exchange(`GET /livez HTTP/1.1\r\nHost: care\r\nUser-Agent: a\u0001b\r\n\r\n`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      error: expect.stringMatching(/^the request is not valid HTTP/),
    });
  });

  it('a URL over 8,192 characters, or a person id over 100: 414 in the error shape', async () => {
    const long = await fetch(`http://${base.host}:${base.port}/journeys?team=${'a'.repeat(9_000)}`, {
      headers: bearer('practitioner'),
    });
    expect(long.status).toBe(414);
    expect(await long.json()).toEqual({
      error: expect.stringMatching(/^the URL is 9,0\d\d characters, over the limit of 8,192/),
    });
    const param = await fetch(`http://${base.host}:${base.port}/journeys/${'P'.repeat(101)}`, {
      headers: bearer('practitioner'),
    });
    expect(param.status).toBe(414);
    expect(await param.json()).toEqual({
      error: expect.stringMatching(/^a path parameter is over its limit/),
    });
  });
});
