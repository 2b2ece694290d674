import type { Connection } from '@temporalio/client';

/**
 * Which Temporal server this project runs against, and what that server can do.
 *
 * The oldest server it runs on is 1.26.0: journeys are opened with Update-with-Start
 * (`executeUpdateWithStart`, the ExecuteMultiOperation API), which the server turns on by default
 * from v1.26 (`frontend.enableExecuteMultiOperation` defaults to false in v1.25.0 and to true in
 * v1.26.2, temporalio/temporal common/dynamicconfig/constants.go). An older server refuses every
 * referral, so start-up refuses it.
 *
 * `TemporalReportedProblems` (the server marks a workflow whose workflow tasks keep failing) came
 * later: temporalio/temporal#8223 "Degraded workflow visibility" (2025-10-08), first released in
 * v1.30.0 (absent from v1.29.7's common/searchattribute). On an older server a visibility query
 * naming it is refused, so the lists leave that filter out there (api/serverGaps.ts).
 */
/** A Connection, or a Client (whose services carry its namespace and deadlines). */
export type TemporalServices = Pick<Connection, 'workflowService'> &
  Partial<Pick<Connection, 'operatorService'>>;

export const minimumServerVersion = '1.26.0';
export const reportedProblemsSince = '1.30.0';

export type Version = [major: number, minor: number, patch: number];

/** "1.29.1", "v1.30.0", "1.28.0-131.0" (a build suffix is ignored); undefined when it is not a version. */
export function parseServerVersion(text: string | undefined): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function atLeast(found: Version, wanted: Version): boolean {
  for (let i = 0; i < 3; i++) if (found[i] !== wanted[i]) return found[i]! > wanted[i]!;
  return true;
}

export interface ServerVersionVerdict {
  ok: boolean;
  /** for the log: why it was refused, or that the version could not be told */
  message?: string;
}

/**
 * Whether a server reporting `found` (GetSystemInfo's serverVersion) may be used. A server that
 * reports no version it can read (some managed services) is let through with a warning: refusing
 * it would stop a council whose server is new enough.
 */
export function checkServerVersion(
  found: string | undefined,
  address = 'the Temporal server',
): ServerVersionVerdict {
  const version = parseServerVersion(found);
  if (!version) {
    return {
      ok: true,
      message: `${address} reports no server version that can be read (${JSON.stringify(found ?? '')}); care-journeys needs Temporal server ${minimumServerVersion} or later and carries on assuming it`,
    };
  }
  if (atLeast(version, parseServerVersion(minimumServerVersion)!)) return { ok: true };
  return {
    ok: false,
    message: `${address} runs Temporal server ${found}; care-journeys needs ${minimumServerVersion} or later (journeys are opened with Update-with-Start, on by default from 1.26): upgrade the server`,
  };
}

/** What a server offers that the lists can use. */
export interface ServerFeatures {
  version: string | undefined;
  /** the server sets TemporalReportedProblems, so a visibility query may name it */
  reportedProblems: boolean;
}

/**
 * From the server's version; when it reports none, from the namespace's search attributes (the
 * operator API, which a managed service may refuse: then the attribute is taken to be absent, so
 * no query names what the server may not have).
 */
export async function serverFeatures(
  connection: TemporalServices,
  namespace: string,
): Promise<ServerFeatures> {
  const info = await connection.workflowService.getSystemInfo({});
  const version = info.serverVersion || undefined;
  const parsed = parseServerVersion(version);
  if (parsed)
    return { version, reportedProblems: atLeast(parsed, parseServerVersion(reportedProblemsSince)!) };
  if (!connection.operatorService) return { version, reportedProblems: false };
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    return { version, reportedProblems: 'TemporalReportedProblems' in (listed.systemAttributes ?? {}) };
  } catch {
    return { version, reportedProblems: false };
  }
}

/** Said once at start-up when the server cannot mark workflows whose tasks keep failing. */
export function reportedProblemsGap(version: string | undefined): string {
  return (
    `Temporal server ${version ?? '(version unknown)'} has no TemporalReportedProblems search attribute (added in ${reportedProblemsSince}): ` +
    'the lists\' "technical" filter finds journeys whose activities keep failing (TechnicalIssue) but not those whose ' +
    "workflow tasks keep failing; a journey's own page (GET /journeys/{personId}) still shows its failing workflow task"
  );
}

/**
 * Start-up's check: throws, naming the version needed and the version found, when the server is
 * older than minimumServerVersion; warns when it reports no version it can read.
 */
export async function refuseUnsupportedServer(connection: TemporalServices, address: string): Promise<void> {
  const info = await connection.workflowService.getSystemInfo({});
  const verdict = checkServerVersion(info.serverVersion || undefined, `the Temporal server at ${address}`);
  if (!verdict.ok) throw new Error(verdict.message);
  if (verdict.message) console.warn(verdict.message);
}
