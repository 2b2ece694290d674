import { ServiceError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { listQueryRefusal, queryForServer } from '../../api/serverGaps';
import { journeyListQuery } from '../../api/visibility';
import {
  checkServerVersion,
  minimumServerVersion,
  parseServerVersion,
  refuseUnsupportedServer,
  serverFeatures,
} from '../../runtime/serverVersion';
import { createDevServerEnv } from '../support/temporal';

/**
 * Running on a council's cluster: the oldest Temporal server start-up accepts, and lists that
 * work on a server without TemporalReportedProblems (added in server 1.30.0).
 */

const grpcError = (code: number, message: string) =>
  new ServiceError(message, { cause: Object.assign(new Error(message), { code }) });

describe('the minimum Temporal server version', () => {
  it('reads versions as servers report them', () => {
    expect(parseServerVersion('1.29.1')).toEqual([1, 29, 1]);
    expect(parseServerVersion('v1.30.0')).toEqual([1, 30, 0]);
    expect(parseServerVersion('1.28.0-131.0')).toEqual([1, 28, 0]);
    expect(parseServerVersion('')).toBeUndefined();
    expect(parseServerVersion('cloud')).toBeUndefined();
  });

  it('refuses an older server, saying which version is needed and which was found', () => {
    const verdict = checkServerVersion('1.25.4', 'the Temporal server at t:7233');
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('1.25.4');
    expect(verdict.message).toContain(`needs ${minimumServerVersion} or later`);
    expect(verdict.message).toContain('t:7233');
    expect(checkServerVersion('0.99.0').ok).toBe(false);
  });

  it('accepts the minimum itself and later servers, 1.29 included', () => {
    expect(checkServerVersion(minimumServerVersion)).toEqual({ ok: true });
    expect(checkServerVersion('1.29.7')).toEqual({ ok: true });
    expect(checkServerVersion('1.32.0')).toEqual({ ok: true });
    expect(checkServerVersion('2.0.0')).toEqual({ ok: true });
  });

  it('lets a server that reports no readable version through, with a warning', () => {
    const verdict = checkServerVersion('');
    expect(verdict.ok).toBe(true);
    expect(verdict.message).toContain(minimumServerVersion);
  });
});

describe('lists on a server without TemporalReportedProblems', () => {
  const asOf = new Date('2026-03-01T12:00:00Z');

  it("leaves the server's test out of the technical filter, keeping TechnicalIssue", () => {
    const technical = journeyListQuery({ stuck: 'technical' }, asOf);
    expect(queryForServer(technical, { reportedProblems: true })).toBe(technical);
    const without = queryForServer(technical, { reportedProblems: false });
    expect(without).not.toContain('TemporalReportedProblems');
    expect(without).toMatch(/\(TechnicalIssue IS NOT NULL\)$/);
    const any = queryForServer(journeyListQuery({ stuck: 'any', team: 'east' }, asOf), {
      reportedProblems: false,
    });
    expect(any).not.toContain('TemporalReportedProblems');
    expect(any).toContain("Team = 'east'");
    expect(any).toContain('OverdueSince IS NOT NULL OR');
    expect(any).toContain('(TechnicalIssue IS NOT NULL))');
  });

  it('answers a refused list query 503 naming what the server lacks, never 400', () => {
    const refused = listQueryRefusal(
      grpcError(
        3,
        "3 INVALID_ARGUMENT: invalid query: column name 'TemporalReportedProblems' is not a valid search attribute",
      ),
    );
    expect(refused?.statusCode).toBe(503);
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(refused?.message).toContain('the server lacks the search attribute TemporalReportedProblems');
    expect(refused?.message).toContain('not the request');
    const elastic = listQueryRefusal(grpcError(3, 'invalid query: invalid search attribute: Team'));
    expect(elastic?.message).toContain('the search attribute Team');
    expect(listQueryRefusal(grpcError(3, 'something else'))?.statusCode).toBe(503);
    // not a refusal of the query: the usual mapping applies
    expect(listQueryRefusal(grpcError(14, 'unavailable'))).toBeUndefined();
    expect(listQueryRefusal(new Error('x'))).toBeUndefined();
  });
});

describe("the dev server's version", () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });

  it('passes the start-up check, and has TemporalReportedProblems', async () => {
    await expect(refuseUnsupportedServer(env.connection, env.address)).resolves.toBeUndefined();
    const features = await serverFeatures(env.connection, env.namespace ?? 'default');
    expect(checkServerVersion(features.version).ok).toBe(true);
    expect(parseServerVersion(features.version)).toBeDefined();
    expect(features.reportedProblems).toBe(true);
  });
});
