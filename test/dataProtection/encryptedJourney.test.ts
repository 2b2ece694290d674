import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { CaseRecord, CaseRecordEntry } from '../../activities/caseRecord';
import { journeyWorkflowId } from '../../workflows/definitions';
import { loadConfig } from '../../temporal.config';
import { temporalCliPath } from '../../scripts/temporalBinaries';
import { historyToFile } from '../histories/historyFile';
import { startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { ev, referral } from '../support/journeyEvents';
import { eventually } from '../support/eventually';

/**
 * Issue 14's "done when": a referral and events carrying distinctive text go through the API to a
 * real dev server (its data in a SQLite file); the text is then nowhere in that file, nor in the
 * exported history (the SDK's and the Temporal CLI's), nor in the search attributes; yet the
 * journey reads back through the API, and the codec server decodes it (for the Web UI and the CLI).
 */

const run = promisify(execFile);
jest.setTimeout(120_000);

// distinctive, and never typed anywhere else
const marker = `Zyxwoq${randomBytes(4).toString('hex')}`;
const personId = 'P-dp-1';
const workflowId = journeyWorkflowId(personId);
/** an activity's failure quotes personal data too: the first case-record write fails, saying so */
let failedRecordId: string | undefined;
const recorded: CaseRecordEntry[] = [];
const caseRecord: CaseRecord = {
  async recordCaseEvent(entry) {
    if (!failedRecordId) {
      failedRecordId = entry.recordId;
      throw new Error(`case record unavailable while writing ${marker}-failure`);
    }
    recorded.push(entry);
  },
};

let h: ApiHarness;
let dbDir: string;
let apiUrl: string;
const cli = temporalCliPath(loadConfig());

beforeAll(async () => {
  dbDir = mkdtempSync(path.join(tmpdir(), 'care-dp-'));
  h = await startApiHarness({ dbFilename: path.join(dbDir, 'temporal.sqlite'), caseRecord });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const at = workingDaysAgo(2);
  await h.drive(personId, [
    referral(at, 'R-dp-1', {
      summary: `${marker}-summary: safeguarding concern, lives alone`,
      name: `Mrs ${marker}-name`,
      address: [`1 ${marker}-street`, 'Matlock'],
      postcode: 'DE4 3AG',
    }),
    ev('UNIVERSAL_OFFER_GIVEN', at, {
      informationAndAdvice: [`${marker}-advice leaflet`],
      signposting: [],
      prevention: [],
    }),
    ev('WORKER_ALLOCATED', at, { team: 'north', workerId: 'worker.ann' }),
    ev('TRIAGED', at, { route: 'assessment', reason: `${marker}-reason: needs help at home` }),
  ]);
  // the failed case-record write was retried (after a second) and went through
  await eventually(async () => expect(recorded.map((r) => r.recordId)).toContain(failedRecordId));
});
afterAll(async () => h?.stop());

/** Every file of the dev server's database (the SQLite file and its write-ahead log), as bytes. */
function databaseBytes(): Buffer {
  return Buffer.concat(readdirSync(dbDir).map((f) => readFileSync(path.join(dbDir, f))));
}

/** A JSON text and every base64 string in it decoded (payloads' data are base64 in exports). */
function withBase64Decoded(json: string): string {
  const decoded = [...json.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString('latin1'),
  );
  return [json, ...decoded].join('\n');
}

it('the journey reads back whole through the API', async () => {
  const detail = await h.call('GET', `/journeys/${personId}`, { role: 'auditor' });
  expect(detail.status).toBe(200);
  const { view, timeline } = detail.body as {
    view: { stage: string; allocatedWorker: string };
    timeline: { type: string }[];
  };
  expect(view).toMatchObject({ stage: 'assessment', allocatedWorker: 'worker.ann' });
  expect(timeline.map((t) => t.type)).toEqual([
    'REFERRAL_RECEIVED',
    'UNIVERSAL_OFFER_GIVEN',
    'WORKER_ALLOCATED',
    'TRIAGED',
  ]);
});

it("the dev server's SQLite file holds none of the text (though it holds the journey)", async () => {
  await eventually(async () => {
    const bytes = databaseBytes();
    // the search is real: the plaintext workflow id is there
    expect(bytes.includes(Buffer.from(workflowId))).toBe(true);
    expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });
  // the activity's failure happened and is stored, its message encrypted: on a retried activity,
  // or (the case record, a local activity since issue 16) on the marker of the failed attempt
  const { events } = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  const failures = events!.flatMap((e) => {
    const failure =
      e.activityTaskStartedEventAttributes?.lastFailure ?? e.markerRecordedEventAttributes?.failure;
    return failure ? [failure.message] : [];
  });
  expect(failures.length).toBeGreaterThan(0);
  expect(new Set(failures)).toEqual(new Set(['Encoded failure']));
});

it('the exported history holds none of the text: the SDK’s fetchHistory and `temporal workflow show`', async () => {
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  const exported = historyToFile(history);
  // the search is real: the payloads' metadata is there, base64 in the export
  expect(withBase64Decoded(exported)).toContain('binary/encrypted');
  expect(withBase64Decoded(exported)).not.toContain(marker);

  const { stdout } = await run(cli, [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
    '--address',
    h.env.address,
  ]);
  expect(withBase64Decoded(stdout)).toContain('binary/encrypted');
  expect(withBase64Decoded(stdout)).not.toContain(marker);
});

it('the search attributes and memo hold none of the text', async () => {
  const info = (await h.env.client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo;
  const asText = (fields: Record<string, { data?: Uint8Array | null }> | null | undefined) =>
    Object.entries(fields ?? {})
      .map(([name, payload]) => `${name}=${Buffer.from(payload.data ?? []).toString('latin1')}`)
      .join('\n');
  const attributes = asText(info?.searchAttributes?.indexedFields);
  // the search is real: the attributes are there in plaintext (they are never encrypted)
  expect(attributes).toContain(`PersonId="${personId}"`);
  expect(attributes).not.toContain(marker);
  expect(asText(info?.memo?.fields)).not.toContain(marker);
});

it('`temporal workflow show --codec-endpoint <API>/codec` with an auditor’s token shows it decoded', async () => {
  const { stdout } = await run(cli, [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
    '--address',
    h.env.address,
    '--codec-endpoint',
    `${apiUrl}/codec`,
    '--codec-auth',
    `Bearer ${testTokens.auditor.token}`,
  ]);
  const text = withBase64Decoded(stdout);
  expect(text).toContain(`${marker}-summary`);
  expect(text).toContain(`${marker}-failure`); // the failure's message, decoded too
});

describe('the codec server', () => {
  async function encryptedPayloads() {
    const { events } = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
    const update = events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!;
    const payloads =
      update.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
    return payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? []).toString('base64'),
    }));
  }
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${apiUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const as = (role: keyof typeof testTokens) => ({ authorization: `Bearer ${testTokens[role].token}` });

  it('decodes an event as Temporal stores it for an auditor or a manager, in the codec-server JSON', async () => {
    const payloads = await encryptedPayloads();
    expect(withBase64Decoded(JSON.stringify(payloads))).not.toContain(marker);
    for (const role of ['auditor', 'manager'] as const) {
      const answer = await post('/codec/decode', { payloads }, as(role));
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as {
        payloads: { metadata: Record<string, string>; data: string }[];
      };
      const decoded = body.payloads.map((p) => ({
        encoding: Buffer.from(p.metadata.encoding!, 'base64').toString(),
        value: JSON.parse(Buffer.from(p.data, 'base64').toString()),
      }));
      expect(decoded[0]).toMatchObject({ encoding: 'json/plain', value: { type: 'REFERRAL_RECEIVED' } });
      expect(JSON.stringify(decoded)).toContain(`${marker}-summary`);
    }
  });

  it('encodes for a manager what decodes back; the encoding is not the plaintext', async () => {
    const plain = [
      {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from(`"${marker}"`).toString('base64'),
      },
    ];
    const encoded = (await (await post('/codec/encode', { payloads: plain }, as('manager'))).json()) as {
      payloads: unknown[];
    };
    expect(withBase64Decoded(JSON.stringify(encoded))).not.toContain(marker);
    const back = await (await post('/codec/decode', encoded, as('auditor'))).json();
    expect(back).toEqual({ payloads: plain });
  });

  it('refuses callers without a token (401) and roles that may not decode or encode (403), saying who may', async () => {
    const payloads = await encryptedPayloads();
    const anonymous = await post('/codec/decode', { payloads });
    expect(anonymous.status).toBe(401);
    for (const role of ['practitioner', 'integration'] as const) {
      const answer = await post('/codec/decode', { payloads }, as(role));
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { error: string }).error).toMatch(/needs role auditor or manager/);
    }
    expect((await post('/codec/encode', { payloads }, as('auditor'))).status).toBe(403);
  });

  it('names the key when a payload is under one it does not hold, and an altered payload is refused', async () => {
    const [payload] = await encryptedPayloads();
    const unknown = {
      ...payload!,
      metadata: { ...payload!.metadata, 'encryption-key-id': Buffer.from('retired-2019').toString('base64') },
    };
    const answer = await post('/codec/decode', { payloads: [unknown] }, as('auditor'));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(
      /key "retired-2019", which is not among/,
    );
    const data = Buffer.from(payload!.data, 'base64');
    data[data.length - 1] = data[data.length - 1]! ^ 0xff;
    const altered = await post(
      '/codec/decode',
      { payloads: [{ ...payload!, data: data.toString('base64') }] },
      as('auditor'),
    );
    expect(altered.status).toBe(400);
  });

  it("answers the Web UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${apiUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ui = await preflight(`http://127.0.0.1:${h.config.devServer.uiPort}`);
    expect(ui.status).toBeLessThan(300);
    expect(ui.headers.get('access-control-allow-origin')).toBe(
      `http://127.0.0.1:${h.config.devServer.uiPort}`,
    );
    expect(ui.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
