import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import type { StoreCheck } from '../../api/caseStore';
import type { JourneyDetail, JourneyList, OverdueReport } from '../../api/schemas';
import { burstJourneyEvents, EVENTS_PER_JOURNEY, LETTERS_PER_JOURNEY } from '../../faults/burst';
import { DIE_AFTER, runCommitBurst, type CommitBurstResult } from '../../faults/commitBurst';
import { ApiDriver, newStats, outboxIds, pool } from '../../faults/drive';
import type { Stack } from '../../faults/stack';
import { storeAgainstHistory } from '../../faults/storeAgainstHistory';
import { eventDocs } from '../../machines/eventExamples';
import {
  atLeast,
  checkServerVersion,
  minimumServerVersion,
  parseServerVersion,
  refuseUnsupportedServer,
  serverFeatures,
} from '../../runtime/serverVersion';
import { searchAttributeTypes } from '../../runtime/searchAttributes';
import { journeySearchAttributes } from '../../workflows/searchAttributes';
import { workingDaysAgo } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { postgresEnv } from '../support/postgresServer';
import { namespace, startCluster, type ApiInstance, type Cluster, type Role } from './cluster';
import { npmRun, root, type RunningProcess } from './processes';
import { addRow, updateResults } from './results';
import type { BuiltServer } from './temporalServer';

/**
 * The cluster suite (`npm run test:cluster`; opt-in, never part of `npm test`): care-journeys as a
 * council runs it (docs/deployment.md) on a real Temporal server built from the Go module proxy,
 * with PostgreSQL persistence and SQL visibility, a namespace of its own, two `npm run worker` and
 * two `npm run api` processes sharing one case-event store. The README's walk over HTTP alternating
 * between the API instances; sign-in on one instance surviving a request to the other; a worker and
 * the server killed mid-burst; the worker dying between the case record's write and Temporal's
 * commit, with and without resends; then the store equal to every journey's history and the
 * store check clean. Sizes: CARE_CLUSTER_BURST_EVENTS (200), CARE_CLUSTER_COMMIT_EVENTS (100),
 * multiples of 20.
 */

const log = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const size = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0 || n % EVENTS_PER_JOURNEY !== 0)
    throw new Error(`${name} must be a positive multiple of ${EVENTS_PER_JOURNEY}`);
  return n;
};
const burstEvents = size('CARE_CLUSTER_BURST_EVENTS', 200);
const commitEvents = size('CARE_CLUSTER_COMMIT_EVENTS', 100);

let cluster: Cluster;
let A: ApiInstance;
let B: ApiInstance;
/** every journey the suite opened, for the closing comparison */
const people = new Set<string>();

beforeAll(async () => {
  const built = JSON.parse(process.env.CARE_CLUSTER_SERVER ?? 'null') as BuiltServer | null;
  const postgresUrl = process.env[postgresEnv.url];
  if (!built || !postgresUrl)
    throw new Error(
      'run through `npm run test:cluster` (its global setup builds the server and starts PostgreSQL)',
    );
  const started = Date.now();
  cluster = await startCluster({ built, postgresUrl, log });
  [A, B] = cluster.apis as [ApiInstance, ApiInstance];
  cluster.timings.installationUp = Math.round((Date.now() - started) / 100) / 10;
  const pg = new PgClient({ connectionString: postgresUrl });
  await pg.connect();
  const postgres =
    (await pg.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  await pg.end();
  updateResults((r) => {
    r.server = {
      version: built.version,
      reportedVersion: cluster.serverVersion,
      built: built.reused ? 'reused' : 'built',
      buildSeconds: built.build.buildSeconds,
      builtAt: built.build.builtAt,
      go: built.build.go,
      schemaVersions: cluster.schemaVersions,
    };
    r.postgres = `${postgres} (Debian's package; postgres12 plugin for persistence and SQL visibility)`;
    r.timings = cluster.timings;
  });
}, 1_200_000);

afterAll(async () => {
  await cluster?.stop();
  if (cluster) log(`logs kept in ${cluster.logDir}`);
}, 120_000);

/** One HTTP call to an API instance, as a role. */
async function call<T = Record<string, unknown>>(
  api: ApiInstance,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
  role: Role = 'practitioner',
): Promise<{ status: number; body: T & { error?: string } }> {
  const response = await fetch(`${api.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${cluster.tokens[role].token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T & { error?: string } };
}

/** A command as an operator types it in the project folder; its exit code and output. */
function command(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(args[0]!, args.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** `npm run care -- --api-url <instance> --token <role's> …` */
const care = (api: ApiInstance, role: Role, ...args: string[]) =>
  command(
    [
      'npm',
      'run',
      '--silent',
      'care',
      '--',
      '--api-url',
      api.url,
      '--token',
      cluster.tokens[role].token,
      ...args,
    ],
    process.env,
  );

/** The README's emergency case: interim support started 6 working days ago, so its assessment is overdue whatever today is. */
async function openOverdueEmergency(
  personId: string,
  first: ApiInstance,
  second: ApiInstance,
): Promise<void> {
  people.add(personId);
  const referredAt = workingDaysAgo(7);
  const referral = await call(first, 'POST', '/referrals', {
    personId,
    referralId: 'R-1',
    receivedDate: referredAt.slice(0, 10),
    source: 'gp',
    urgency: 'emergency',
    summary: 'Carer admitted to hospital',
    occurredAt: referredAt,
  });
  expect(referral.status).toBe(201);
  const triaged = await call(second, 'POST', `/journeys/${personId}/events`, {
    type: 'TRIAGED',
    eventId: 'e-1',
    occurredAt: workingDaysAgo(6),
    route: 'emergencyInterimSupport',
    reason: 'no one to provide care tonight',
  });
  expect(triaged.status).toBe(200);
  const interim = {
    type: 'INTERIM_SUPPORT_STARTED',
    eventId: 'e-2',
    occurredAt: new Date(Date.parse(workingDaysAgo(6)) + 3_600_000).toISOString(),
    services: ['emergency home care'],
    managerApproval: { managerId: 'manager.bob' },
    caseNotesCompleted: true,
  };
  expect((await call(first, 'POST', `/journeys/${personId}/events`, interim)).status).toBe(200);
}

describe('the installation', () => {
  it('the server built from the Go module proxy reports its version, at least the minimum, and start-up accepts it', async () => {
    const { built } = cluster;
    expect(cluster.serverVersion).toBe(built.version);
    expect(checkServerVersion(cluster.serverVersion)).toEqual({ ok: true });
    expect(
      atLeast(parseServerVersion(cluster.serverVersion)!, parseServerVersion(minimumServerVersion)!),
    ).toBe(true);
    await expect(
      refuseUnsupportedServer(cluster.connection, cluster.server.address),
    ).resolves.toBeUndefined();
    // 1.30 and later mark workflows whose tasks keep failing, so the lists' technical filter uses it
    expect(await serverFeatures(cluster.connection, namespace)).toEqual({
      version: built.version,
      reportedProblems: true,
    });
    // each API instance said, on start-up, which server it found, and warned of no gap
    for (const api of cluster.apis) {
      expect(api.process.output()).toContain(`Temporal server ${built.version}, namespace ${namespace}`);
      expect(api.process.output()).not.toContain('has no TemporalReportedProblems');
    }
    // PostgreSQL persistence and SQL visibility on PostgreSQL, as the server itself says
    const info = await cluster.connection.workflowService.getClusterInfo({});
    expect(info.persistenceStore).toBe('postgres12');
    expect(info.visibilityStore).toBe('postgres12');
    expect(info.serverVersion).toBe(built.version);
    expect(cluster.schemaVersions).toEqual({
      temporal: expect.stringMatching(/^\d+\.\d+$/),
      temporal_visibility: expect.stringMatching(/^\d+\.\d+$/),
    });
    addRow('server', {
      version: info.serverVersion ?? '?',
      persistence: info.persistenceStore ?? '?',
      visibility: info.visibilityStore ?? '?',
      'minimum needed': minimumServerVersion,
    });
  });

  it("has a namespace of the journeys' own with every search attribute, and setup:cluster run again adds nothing", async () => {
    expect(cluster.setupClusterOutput).toContain(
      `search attributes ready on ${cluster.server.address} namespace ${namespace}`,
    );
    for (const key of journeySearchAttributes)
      expect(cluster.setupClusterOutput).toContain(`registered on ${namespace}: ${key.name}`);
    const { customAttributes } = await cluster.connection.operatorService.listSearchAttributes({ namespace });
    const types = searchAttributeTypes();
    for (const key of journeySearchAttributes) expect(customAttributes?.[key.name]).toBe(types[key.name]);
    // the default namespace was never made: the journeys live only in theirs
    await expect(
      cluster.connection.workflowService.describeNamespace({ namespace: 'default' }),
    ).rejects.toThrow(/not found/i);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: cluster.server.address,
      TEMPORAL_NAMESPACE: namespace,
    };
    for (const name of Object.keys(env)) if (name.startsWith('CARE_')) delete env[name];
    const again = npmRun('setup:cluster', {
      name: 'setup:cluster again',
      env,
      logFile: path.join(cluster.logDir, 'setup-cluster.log'),
    });
    expect(await again.exited).toBe(0);
    for (const key of journeySearchAttributes)
      expect(again.output()).toContain(`already registered on ${namespace}: ${key.name}`);
    expect(again.output()).not.toMatch(/^registered on/m);
  });
});

describe("the README's walk, alternating between API A and API B", () => {
  const person = 'CW-P-100';

  it('a referral and events make an overdue emergency case that both instances list, report and show', async () => {
    const started = Date.now();
    await openOverdueEmergency(person, A, B);
    // a resent event is applied once, whichever instance it reaches
    const resent = await call(B, 'POST', `/journeys/${person}/events`, {
      type: 'INTERIM_SUPPORT_STARTED',
      eventId: 'e-2',
      occurredAt: new Date(Date.parse(workingDaysAgo(6)) + 3_600_000).toISOString(),
      services: ['emergency home care'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    });
    expect(resent.status).toBe(200);
    // the machine decides: an event the stage does not take is refused with the rule and the reason
    const refused = await call<{ reasons: { message: string }[] }>(B, 'POST', `/journeys/${person}/events`, {
      type: 'INDICATIVE_BUDGET_SHARED',
      eventId: 'e-early',
      occurredAt: new Date().toISOString(),
      sharedWith: ['person'],
      method: 'letter',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons.length).toBeGreaterThan(0);

    for (const api of [A, B]) {
      const detail = await call<JourneyDetail>(api, 'GET', `/journeys/${person}`);
      expect(detail.status).toBe(200);
      expect(detail.body.view.stage).toBe('interimSupport');
      expect(detail.body.view.deadlines).toEqual([
        expect.objectContaining({ kind: 'emergencyAssessmentStart', ruleId: 'R-EMG-1', status: 'overdue' }),
      ]);
      expect(detail.body.timeline.map((t) => t.eventId)).toEqual(expect.arrayContaining(['e-1', 'e-2']));
      expect(detail.body.timeline.filter((t) => t.eventId === 'e-2')).toHaveLength(1);
      const overdue = await eventually(async () => {
        const list = await call<JourneyList>(api, 'GET', '/journeys?stuck=overdue');
        expect(list.status).toBe(200);
        expect(list.body.journeys.map((j) => j.personId)).toContain(person);
        return list.body;
      });
      expect(overdue.journeys.find((j) => j.personId === person)?.overdueKinds).toEqual([
        'emergencyAssessmentStart',
      ]);
      // the technical filter is a visibility query on the cluster (TemporalReportedProblems, TechnicalIssue)
      const technical = await call<JourneyList>(api, 'GET', '/journeys?stuck=technical');
      expect(technical.status).toBe(200);
      expect(technical.body.journeys).toEqual([]);
      const report = await call<OverdueReport>(api, 'GET', '/reports/overdue', undefined, 'auditor');
      expect(report.status).toBe(200);
      expect(report.body.byKind).toContainEqual(
        expect.objectContaining({
          kind: 'emergencyAssessmentStart',
          oldest: expect.objectContaining({ personId: person }),
        }),
      );
    }

    // the care command against each instance, as the README runs it
    const shown = await care(A, 'practitioner', 'show', person);
    expect(shown.code).toBe(0);
    expect(shown.output).toMatch(/overdue: emergencyAssessmentStart overdue since/);
    expect(shown.output).toContain('ASSESSMENT_STARTED');
    const stuck = await care(B, 'practitioner', 'stuck');
    expect(stuck.code).toBe(0);
    expect(stuck.output).toContain(person);
    const report = await care(B, 'auditor', 'overdue-report');
    expect(report.code).toBe(0);
    expect(report.output).toContain('emergencyAssessmentStart');
    addRow('README walk: overdue case', { journeys: 1, seconds: Math.round((Date.now() - started) / 1000) });
  });

  it('goes on through the assessment to the indicative budget the journey asks the RAS for itself', async () => {
    const started = Date.now();
    const example = <T extends keyof typeof eventDocs>(type: T, eventId: string) => ({
      ...eventDocs[type].example,
      eventId,
      occurredAt: new Date().toISOString(),
    });
    expect(
      (await call(A, 'POST', `/journeys/${person}/events`, example('WORKER_ALLOCATED', 'e-3'))).status,
    ).toBe(200);
    const dataFile = path.join(cluster.logDir, 'e.json');
    writeFileSync(dataFile, '{}');
    const sent = await care(B, 'practitioner', 'send', person, 'ASSESSMENT_STARTED', '--data', dataFile);
    expect(sent.code).toBe(0);
    for (const [api, type, id] of [
      [A, 'CONSENT_RECORDED', 'e-5'],
      [B, 'UNIVERSAL_OFFER_GIVEN', 'e-6'],
      [A, 'ASSESSMENT_COMPLETED', 'e-7'],
    ] as const) {
      expect((await call(api, 'POST', `/journeys/${person}/events`, example(type, id))).status).toBe(200);
    }
    const detail = await eventually(async () => {
      const answer = await call<JourneyDetail>(B, 'GET', `/journeys/${person}`);
      expect(answer.body.view.stage).toBe('indicativeBudget');
      return answer.body;
    }, 120_000);
    // 78 points × £120, as the README shows
    expect(detail.view.indicativeBudget?.amount).toBe(9360);
    expect(detail.view.deadlines).toContainEqual(
      expect.objectContaining({ kind: 'emergencyAssessmentStart', status: 'metLate' }),
    );
    expect(detail.view.allowedEvents).toContain('INDICATIVE_BUDGET_SHARED');
    // no longer overdue on either instance's list
    for (const api of [A, B]) {
      await eventually(async () => {
        const list = await call<JourneyList>(api, 'GET', '/journeys?stuck=overdue');
        expect(list.body.journeys.map((j) => j.personId)).not.toContain(person);
      });
    }
    addRow('README walk: to the indicative budget', {
      budget: detail.view.indicativeBudget?.amount ?? '?',
      seconds: Math.round((Date.now() - started) / 1000),
    });
  });
});

describe('the pages: signed in on one API instance, still signed in on the other', () => {
  /** A browser by hand over real HTTP: one cookie jar, whichever instance it reaches. */
  class Browser {
    cookie = '';

    private keep(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        if (pair?.startsWith('care-session=')) this.cookie = pair.endsWith('=') ? '' : pair;
      }
    }

    async get(api: ApiInstance, url: string, cookie = this.cookie) {
      const response = await fetch(`${api.url}${url}`, {
        headers: cookie ? { cookie } : {},
        redirect: 'manual',
      });
      if (cookie === this.cookie) this.keep(response);
      return {
        status: response.status,
        location: response.headers.get('location'),
        body: await response.text(),
      };
    }

    async post(api: ApiInstance, url: string, form: Record<string, string>, from: string) {
      const page = await this.get(api, from);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const response = await fetch(`${api.url}${url}`, {
        method: 'POST',
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
        redirect: 'manual',
      });
      this.keep(response);
      return {
        status: response.status,
        location: response.headers.get('location'),
        body: await response.text(),
      };
    }
  }

  it('signs in on A, sees the worktray on B with the overdue case, and signing out on B ends it on A', async () => {
    const person = 'CS-P-200';
    await openOverdueEmergency(person, B, A);
    const browser = new Browser();
    const signedIn = await browser.post(
      A,
      '/sign-in',
      { token: cluster.tokens.practitioner.token, next: '/worktray' },
      '/sign-in',
    );
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/worktray');
    const signedInCookie = browser.cookie;
    expect(signedInCookie).not.toBe('');
    const signedInAs = `Sign out (${cluster.tokens.practitioner.userId}, practitioner)`;
    // the session is in PostgreSQL, so B knows it
    const onB = await eventually(async () => {
      const page = await browser.get(B, '/worktray');
      expect(page.status).toBe(200);
      expect(page.body).toContain(signedInAs);
      expect(page.body).toContain(person);
      return page;
    });
    expect(onB.body).toContain('Overdue');
    const onA = await browser.get(A, '/worktray');
    expect(onA.status).toBe(200);
    expect(onA.body).toContain(signedInAs);
    const { rows } = await cluster.storeDb.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM page_sessions WHERE session IS NOT NULL',
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    // signed out on B: A no longer accepts the old cookie
    const out = await browser.post(B, '/sign-out', {}, '/sign-out');
    expect(out.status).toBe(303);
    const afterOnA = await browser.get(A, '/worktray', signedInCookie);
    expect(afterOnA.status).toBe(303);
    expect(afterOnA.location).toMatch(/^\/sign-in/);
  });
});

describe('crashes mid-burst', () => {
  it('a worker killed (SIGKILL) and the server killed (SIGKILL): every accepted event once, every letter once', async () => {
    const started = Date.now();
    const journeys = burstEvents / EVENTS_PER_JOURNEY;
    const burstPeople = Array.from({ length: journeys }, (_, i) => `CB-${i + 1}`);
    for (const p of burstPeople) people.add(p);
    const stats = newStats();
    // half the journeys through A, half through B; an event without an answer is sent again
    const drivers = [A, B].map((api) => new ApiDriver(api.url, cluster.tokens.practitioner.token, stats));
    const roads = new Map(burstPeople.map((p) => [p, burstJourneyEvents(Date.now())]));
    let done = false;
    const kills = { worker: 0, server: 0, serverDownSeconds: 0 };
    const reach = async (fraction: number) => {
      while (!done && stats.accepted < fraction * burstEvents) await sleep(20);
      return !done;
    };
    let workerBack: Promise<unknown> = Promise.resolve();
    const killer = (async () => {
      if (await reach(0.25)) {
        log(`${stats.accepted} events accepted: kill -9 worker 1`);
        await cluster.killWorker(0);
        kills.worker++;
        // started again meanwhile, as its unit would be; worker 2 carries the burst until then
        workerBack = cluster.startWorker(0);
      }
      if (await reach(0.5)) {
        log(`${stats.accepted} events accepted: kill -9 the Temporal server`);
        const down = Date.now();
        await cluster.server.kill();
        kills.server++;
        await cluster.server.start();
        kills.serverDownSeconds = Math.round((Date.now() - down) / 1000);
      }
    })();
    await pool(burstPeople, 6, (p) => drivers[burstPeople.indexOf(p) % 2]!.drive(p, roads.get(p)!));
    done = true;
    await killer;
    await workerBack;
    const drivenSeconds = Math.round((Date.now() - started) / 1000);
    expect(stats.refused).toEqual([]);
    expect(stats.accepted).toBe(burstEvents);
    expect(kills).toMatchObject({ worker: 1, server: 1 });

    // every accepted event once in its journey's timeline, each journey's letters once each
    const counted = await eventually(async () => {
      const result = { present: 0, lost: 0, doubled: 0, lettersMissing: 0, lettersDoubled: 0 };
      for (const p of burstPeople) {
        const { timeline } = await drivers[0]!.detail(p);
        const times = new Map<string, number>();
        for (const entry of timeline) times.set(entry.eventId, (times.get(entry.eventId) ?? 0) + 1);
        for (const id of stats.acceptedIds.get(p) ?? []) {
          const n = times.get(id) ?? 0;
          if (n === 1) result.present++;
          else if (n === 0) result.lost++;
          else result.doubled++;
        }
      }
      const letters = new Map<string, number>();
      for (const id of outboxIds(cluster.config.outboxDir, 'letters')) {
        const [p, kind] = [id.slice(0, id.indexOf(':')), id.slice(id.lastIndexOf(':') + 1)];
        if (burstPeople.includes(p)) letters.set(`${p}|${kind}`, (letters.get(`${p}|${kind}`) ?? 0) + 1);
      }
      for (const p of burstPeople)
        for (const kind of LETTERS_PER_JOURNEY) if (!letters.has(`${p}|${kind}`)) result.lettersMissing++;
      for (const [key, n] of letters) {
        const kind = key.split('|')[1]!;
        result.lettersDoubled += (LETTERS_PER_JOURNEY as readonly string[]).includes(kind) ? n - 1 : n;
      }
      expect(result).toEqual({
        present: burstEvents,
        lost: 0,
        doubled: 0,
        lettersMissing: 0,
        lettersDoubled: 0,
      });
      return result;
    }, 180_000);
    const compared = await eventually(async () => {
      const c = await storeAgainstHistory(cluster.store, cluster.client, burstPeople);
      expect(c.problems).toEqual([]);
      return c;
    }, 120_000);
    expect(compared.equal).toBe(journeys);
    addRow('worker kill -9 and server kill -9 mid-burst', {
      journeys,
      accepted: stats.accepted,
      present: counted.present,
      lost: counted.lost,
      doubled: counted.doubled,
      letters: journeys * LETTERS_PER_JOURNEY.length - counted.lettersMissing,
      'letters doubled': counted.lettersDoubled,
      'store = history': compared.equal,
      resent: stats.resends,
      'server down s': kills.serverDownSeconds,
      'driven s': drivenSeconds,
      seconds: Math.round((Date.now() - started) / 1000),
    });
  });
});

describe("the worker dying between the case record's write and Temporal's commit (faults/dyingWorker.ts)", () => {
  let dying: RunningProcess | undefined;
  const outcomes: CommitBurstResult[] = [];

  /** The fault suite's stack, made of this installation: the crash-before-commit worker alone polls. */
  const stackOn = (api: ApiInstance): Stack => ({
    config: cluster.config,
    dataDir: cluster.config.dataDir,
    dbFile: '',
    onCluster: true,
    apiUrl: api.url,
    token: cluster.tokens.practitioner.token,
    client: cluster.client,
    devServer: () => undefined,
    worker: () => dying,
    startServer: async () => {
      await cluster.server.start();
    },
    killServer: () => cluster.server.kill(),
    startWorker: async () => {
      dying = cluster.startOtherWorker(
        'faults/dyingWorker.ts',
        { CARE_FAULT_DIE_AFTER_RECORDING: DIE_AFTER },
        'dying worker',
      );
      await dying.ready;
      return dying;
    },
    killWorker: async () => {
      await dying?.kill();
      dying = undefined;
    },
    stop: async () => {
      await dying?.stop();
      dying = undefined;
    },
  });

  beforeAll(async () => {
    // the regular workers stop, so the dying worker takes every task
    await cluster?.stopWorkers();
  }, 120_000);

  afterAll(async () => {
    await dying?.stop();
    dying = undefined;
    if (!cluster) return;
    await Promise.all([cluster.startWorker(0), cluster.startWorker(1)]);
  }, 600_000);

  it.each([
    ['with resends, through API A', true],
    ['without resends, through API B', false],
  ])("%s: the store equals every journey's history", async (_, resend) => {
    const api = resend ? A : B;
    const stack = stackOn(api);
    await stack.startWorker();
    const label = `cluster-${resend ? 'resent' : 'dropped'}`;
    const result = await runCommitBurst(stack, cluster.store, { events: commitEvents, resend, label, log });
    outcomes.push(result);
    for (let i = 1; i <= result.journeys; i++) people.add(`FC-${label}-${i}`);
    for (const problem of result.compared.problems) log(`   ${problem}`);
    addRow(`worker dies before the commit, ${resend ? 'resent' : 'not resent'}`, {
      journeys: result.journeys,
      accepted: result.accepted,
      'given up': result.givenUp,
      'worker deaths': result.workerDeaths,
      'server kills': result.serverKills,
      'removed by rebuild': result.removedByRebuild,
      'store = history': result.compared.equal,
      uncommitted: result.compared.uncommitted,
      missing: result.compared.missing,
      'other attempt': result.compared.otherAttempt,
      seconds: result.seconds,
    });
    expect(result.serverKills).toBeGreaterThanOrEqual(1);
    if (resend) {
      // every event is sent until answered, so the driver reaches all three marked events
      expect(result.workerDeaths).toBeGreaterThanOrEqual(3);
      expect(result.accepted).toBe(commitEvents);
      expect(result.givenUp).toBe(0);
    } else {
      // A driver that does not resend stops a journey at its first unanswered event, and the
      // server killed at the first death leaves every Update then in flight unanswered: the first
      // marked journey dies and the others stop short of their marks. What matters is that the
      // events given up on, accepted or not, left nothing in the store the journey did not accept.
      expect(result.workerDeaths).toBeGreaterThanOrEqual(1);
      expect(result.givenUp).toBeGreaterThanOrEqual(1);
    }
    expect(result.compared.problems).toEqual([]);
    expect(result.compared.equal).toBe(result.journeys);
    await stack.stop();
  });
});

describe('afterwards', () => {
  it('the store equals the history of every journey the suite opened, and GET /store/check is clean on both instances', async () => {
    const everyone = [...people];
    expect(everyone.length).toBeGreaterThanOrEqual(2 + burstEvents / EVENTS_PER_JOURNEY);
    const compared = await eventually(async () => {
      const c = await storeAgainstHistory(cluster.store, cluster.client, everyone);
      expect(c.problems).toEqual([]);
      return c;
    }, 120_000);
    expect(compared.equal).toBe(everyone.length);
    for (const api of [A, B]) {
      const check = await call<StoreCheck>(api, 'GET', '/store/check', undefined, 'manager');
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({
        differing: [],
        uncommitted: [],
        missing: [],
        notInTemporal: [],
        unanswered: [],
      });
      expect(check.body.checked).toBeGreaterThanOrEqual(everyone.length);
    }
    for (const api of [A, B]) expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    addRow('store = history, store check', { journeys: everyone.length, 'store = history': compared.equal });
  });
});
