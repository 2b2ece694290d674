import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { CaseRecord } from '../../activities/caseRecord';
import type { CaseEventStore } from '../../store/caseEventStore';
import { buildApi } from '../../api/server';
import {
  addWorkingDays,
  englandAndWalesBankHolidays,
  londonDateOf,
  startOfLondonDay,
} from '../../machines/calendar';
import type { JourneyEvent } from '../../machines/events';
import type { PolicyProfile } from '../../machines/policyProfile';
import { loadConfig, type CareConfig, type Role } from '../../temporal.config';
import { createJourneyWorker } from '../../worker/createWorker';
import { eventually } from '../support/eventually';
import { hasIndicativeBudget, isRasResult } from '../support/journeyEvents';
import { createDevServerEnv } from '../support/temporal';
import { workflowBundle } from '../support/workflowBundle';

/**
 * The API against a real Temporal dev server (visibility queries need it) and a real worker:
 * what the API and CLI tests share. Nothing about Temporal is mocked.
 */

/** One token per role; the user ids are what the timeline must show as actors. */
export const testTokens: Record<Role, { token: string; userId: string }> = {
  practitioner: { token: 'practitioner-token-0001', userId: 'ann.practitioner' },
  manager: { token: 'manager-token-0000000001', userId: 'bob.manager' },
  integration: { token: 'integration-token-00001', userId: 'cms.integration' },
  auditor: { token: 'auditor-token-000000001', userId: 'ada.auditor' },
};

export const bearer = (role: Role) => ({ authorization: `Bearer ${testTokens[role].token}` });

export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/**
 * Mid-morning (10:00 UTC) of the working day `n` (at least 1) working days before today, in the
 * England and Wales calendar. The dev server runs on the real clock, so a case meant to be past a
 * working-day deadline is placed in working days: then it is past it on every date the suite runs,
 * across Christmas, Easter and bank holidays alike (issue 10).
 */
export function workingDaysAgo(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`workingDaysAgo(${n}): n is a whole number from 1`);
  const day = addWorkingDays(londonDateOf(new Date().toISOString()), -n, englandAndWalesBankHolidays);
  return new Date(Date.parse(startOfLondonDay(day)) + 10 * 3_600_000).toISOString();
}

export interface ApiHarness {
  env: TestWorkflowEnvironment;
  config: CareConfig;
  app: FastifyInstance;
  /** POST/GET through app.inject, as a role; JSON in, status and JSON out. */
  call(
    method: 'GET' | 'POST',
    url: string,
    options?: { role?: Role; body?: unknown },
  ): Promise<{ status: number; body: Record<string, unknown> & { error?: string } }>;
  /** Sends a journey's events through the API (referral by POST /referrals), expecting each to succeed. */
  drive(personId: string, events: JourneyEvent[], role?: Role): Promise<void>;
  stop(): Promise<void>;
}

export async function startApiHarness(
  options: {
    /** replaces parts of the Derbyshire profile's stuckAfterDays */
    stuckAfterDays?: Partial<PolicyProfile['stuckAfterDays']>;
    caseRecord?: CaseRecord;
    /** the case-event store: the worker records to it (unless caseRecord replaces it), the API lists from it */
    store?: CaseEventStore;
    /** more on the API's server (buildApi's extend), given the harness's config: the operations pages */
    extend?: (config: CareConfig) => NonNullable<Parameters<typeof buildApi>[0]['extend']>;
    /** the dev server's SQLite file (default: in memory), e.g. to look inside it (issue 14) */
    dbFilename?: string;
    /** more configuration over the harness's own, e.g. an identity provider (CARE_OIDC_*) or tokens (issue 14) */
    env?: Record<string, string>;
  } = {},
): Promise<ApiHarness> {
  const env = await createDevServerEnv(options.dbFilename ? { dbFilename: options.dbFilename } : {});
  const dataDir = mkdtempSync(path.join(tmpdir(), 'care-api-test-'));
  const loaded = loadConfig({
    ...process.env,
    CARE_DATA_DIR: dataDir,
    TEMPORAL_TASK_QUEUE: `api-test-${process.pid}-${Date.now()}`,
    CARE_API_TOKENS: JSON.stringify(
      Object.fromEntries(
        // every team: these tests are about journeys, not teams (test/auth/ is about teams)
        Object.entries(testTokens).map(([role, { token, userId }]) => [token, { userId, role, teams: '*' }]),
      ),
    ),
    ...options.env,
  });
  const config: CareConfig = {
    ...loaded,
    policyProfile: {
      ...loaded.policyProfile,
      stuckAfterDays: { ...loaded.policyProfile.stuckAfterDays, ...options.stuckAfterDays },
    },
  };
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let app: FastifyInstance | undefined;
  const stop = async () => {
    await app?.close();
    worker?.shutdown();
    await running;
    await env.teardown();
  };
  try {
    worker = await createJourneyWorker({
      connection: env.nativeConnection,
      config,
      workflowBundle: workflowBundle(),
      ...(options.store ? { store: options.store } : {}),
      ...(options.caseRecord ? { activities: { caseRecord: options.caseRecord } } : {}),
    });
    running = worker.run();
    app = await buildApi({
      client: env.client,
      config,
      ...(options.store ? { store: options.store } : {}),
      ...(options.extend ? { extend: options.extend(config) } : {}),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const api = app;

  const call: ApiHarness['call'] = async (method, url, { role = 'practitioner', body } = {}) => {
    const response = await api.inject({
      method,
      url,
      headers: bearer(role),
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: response.json() };
  };

  async function drive(personId: string, events: JourneyEvent[], role: Role = 'practitioner') {
    for (const event of events) {
      // The API sets the actor from the token.
      const { actor: _actor, ...body } = event;
      if (body.type === 'REFERRAL_RECEIVED') {
        const { type: _type, ...referral } = body;
        const answer = await call('POST', '/referrals', { role, body: { ...referral, personId } });
        expect([200, 201]).toContain(answer.status);
      } else if (isRasResult(event)) {
        // The journey asks the Resource Allocation System itself; wait for that instead of racing it.
        await eventually(async () => {
          const detail = await call('GET', `/journeys/${personId}`, { role });
          expect(hasIndicativeBudget(detail.body.view as { allowedEvents: string[] })).toBe(true);
        });
      } else {
        const answer = await call('POST', `/journeys/${personId}/events`, { role, body });
        if (answer.status !== 200)
          throw new Error(`${body.type} for ${personId}: ${answer.status} ${answer.body.error}`);
      }
    }
  }

  return { env, config, app, call, drive, stop };
}
