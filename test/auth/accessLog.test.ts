import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../temporal.config';
import { fileAccessLog, storeAccessLog, type AccessEntry, type AccessLog } from '../../store/accessLog';
import { backends, openTestStore, type TestStore } from '../store/storeKit';

/**
 * The access log (issue 14 point 5) in the case-event store (embedded and a PostgreSQL server)
 * and as a JSON Lines file: entries read back as written, one person's only, in order, paged;
 * and nothing can change or remove an entry.
 */

const entry = (personId: string, n: number, extra: Partial<AccessEntry> = {}): AccessEntry => ({
  personId,
  at: new Date(Date.UTC(2026, 0, 1, 9, 0, n)).toISOString(),
  userId: `user.${n}`,
  role: 'practitioner',
  via: n % 2 ? 'oidc' : 'token',
  action: n % 3 ? 'read' : 'write',
  route: 'GET /journeys/:personId',
  status: 200,
  ip: '10.1.2.3',
  userAgent: 'Mozilla/5.0',
  ...extra,
});

async function readsBack(log: AccessLog) {
  await log.append([entry('P-1', 1), entry('P-2', 2), entry('P-1', 3, { eventType: 'TRIAGED' })]);
  await log.append([entry('P-1', 4, { userAgent: 'x'.repeat(2000) })]);
  const first = await log.read('P-1', { limit: 2 });
  expect(first.entries.map((e) => e.userId)).toEqual(['user.1', 'user.3']);
  expect(first.entries[1]).toMatchObject({
    eventType: 'TRIAGED',
    action: 'write',
    via: 'oidc',
    ip: '10.1.2.3',
  });
  expect(first.next).toBeDefined();
  const second = await log.read('P-1', { after: first.next!, limit: 2 });
  expect(second.entries.map((e) => e.userId)).toEqual(['user.4']);
  expect(second.entries[0]!.userAgent).toHaveLength(500);
  expect(second.next).toBeUndefined();
  expect((await log.read('P-2', { limit: 10 })).entries.map((e) => e.at)).toEqual([entry('P-2', 2).at]);
  expect((await log.read('P-3', { limit: 10 })).entries).toEqual([]);
}

describe.each(backends)('the access log in the case-event store (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
  }, 60_000);
  afterAll(async () => t?.close());

  it('reads back what was appended, one person at a time, in order, paged', () =>
    readsBack(storeAccessLog(t.db)));

  it.each([
    ['UPDATE', "UPDATE access_log SET user_id = 'someone.else'"],
    ['DELETE', 'DELETE FROM access_log'],
    ['TRUNCATE', 'TRUNCATE access_log'],
  ])('refuses %s: it is append-only', async (op, sql) => {
    await storeAccessLog(t.db).append([entry(`P-${op}`, 9)]);
    await expect(t.db.query(sql)).rejects.toThrow(`access_log is append-only: ${op} refused`);
    expect((await storeAccessLog(t.db).read(`P-${op}`, { limit: 10 })).entries).toHaveLength(1);
  });
});

describe('the access log as a JSON Lines file (an API without the store)', () => {
  it('reads back what was appended, and only ever appends', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'care-access-')), 'log', 'access-log.jsonl');
    const log = fileAccessLog(file);
    await readsBack(log);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!)).toMatchObject({ personId: 'P-1', userId: 'user.1' });
    // a second log over the same file (the API restarted) carries on after the last line
    await fileAccessLog(file).append([entry('P-1', 5)]);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect((await log.read('P-1', { limit: 10 })).entries.map((e) => e.userId)).toEqual([
      'user.1',
      'user.3',
      'user.4',
      'user.5',
    ]);
  });

  it('appends concurrent writes whole, one after another', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'care-access-')), 'access-log.jsonl');
    const log = fileAccessLog(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([entry('P-1', i)])));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(new Set(lines.map((l) => (JSON.parse(l) as AccessEntry).userId)).size).toBe(50);
  });
});

test('an answer whose access entry cannot be written is withheld (503): nobody looks unrecorded', async () => {
  const appended: AccessEntry[][] = [];
  const failing: AccessLog = {
    where: 'a log that cannot be written',
    append: async (entries) => {
      appended.push([...entries]);
      throw new Error('disk full');
    },
    read: async () => ({ entries: [], next: undefined }),
  };
  const app = await buildApi({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    config: loadConfig({ CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-access-')) }),
    accessLog: failing,
  });
  try {
    const answer = await app.inject({
      method: 'GET',
      url: '/journeys/P-1/access',
      headers: { authorization: 'Bearer dev-auditor-token-0000', 'user-agent': 'curl/8' },
    });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 503,
      body: {
        error:
          'the access log (a log that cannot be written) could not be written, so the answer is withheld: try again shortly',
      },
    });
    expect(appended).toEqual([
      [
        expect.objectContaining({
          personId: 'P-1',
          userId: 'dev.auditor',
          role: 'auditor',
          via: 'token',
          action: 'read',
          route: 'GET /journeys/:personId/access',
          status: 200,
          ip: '127.0.0.1',
          userAgent: 'curl/8',
        }),
      ],
    ]);
    // no caller, nothing read: nothing to record
    expect((await app.inject({ method: 'GET', url: '/journeys/P-1/access' })).statusCode).toBe(401);
    expect(appended).toHaveLength(1);
  } finally {
    await app.close();
  }
});
