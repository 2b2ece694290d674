import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  columnOfField,
  importColumns,
  importEvent,
  parseImportRow,
  type ImportRow,
  type ParsedRow,
  type RowProblem,
} from '../../machines/importRow';
import { controlCharacterMessage, withoutControlCharacters } from '../../machines/events';
import { personColumns, type PersonRecordFields } from '../../machines/personRecord';
import { deadlineKinds, type JourneyOutline } from '../../machines/types';
import { actorOf, callerOf, type Caller } from '../auth';
import { teamOfJourney } from '../scope';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';

/**
 * POST /imports (issue 17): a council's caseload in, person by person, for integrators and for
 * `care import`. Each row becomes the person's JOURNEY_IMPORTED event (machines/importRow.ts) and
 * is judged by the journey's own rules before anything starts; a refused row starts nothing and
 * says why, with its column. `check` only validates, `dryRun` says what would happen and the
 * clocks each person would get, `import` starts the journeys. Idempotent: a person whose journey is
 * open here is "already there".
 */

/** Who may bring a caseload in: a migration is a manager's or an integration's job. */
const importRoles = ['manager', 'integration'];
/** Rows per request: a request stays well under the body limit and answers within a minute. */
export const MAX_ROWS_PER_REQUEST = 500;
/** Journeys started at once within one request (the CLI bounds its requests in flight too). */
const ROWS_IN_FLIGHT = 8;

const cellSchema = z.union([z.string(), z.number(), z.array(z.string())]);
/** The columns as the document shows them: each one's meaning and format, from the one definition. */
const rowValuesSchema = z
  .object(
    Object.fromEntries([
      ...Object.entries(importColumns).map(([name, column]) => {
        const described = cellSchema.describe(`${column.meaning}. Format: ${column.format}`);
        return [name, 'required' in column && column.required ? described : described.optional()];
      }),
      // the person's record (issue 26): written to the case-event store, never into the journey
      ...Object.entries(personColumns).map(([name, column]) => [
        name,
        cellSchema.describe(`${column.meaning}. Format: ${column.format}`).optional(),
      ]),
    ]),
  )
  .describe(
    "One person, by column (a CSV line as its header names them; lists as a;b or a JSON array). Empty cells are no value. The person columns (givenName, familyName, dateOfBirth, nhsNumber, …) make the person's record, kept in the case-event store, never in the journey.",
  );

export const importBodySchema = z.strictObject({
  file: withoutControlCharacters(z.string().min(1).max(500)).describe(
    "The file the rows come from (its name): recorded on each journey as the import's source",
  ),
  system: withoutControlCharacters(z.string().min(1).max(500))
    .optional()
    .describe('The case system the caseload was exported from'),
  mode: z
    .enum(['import', 'dryRun', 'check'])
    .default('import')
    .describe(
      'import: start the journeys. dryRun: start nothing, say what would happen (started or already there) and the clocks each person would get. check: validate only (no Temporal call)',
    ),
  rowsInFlight: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(ROWS_IN_FLIGHT)
    .describe(
      `How many of this request's rows are started at once (default ${ROWS_IN_FLIGHT}); care import sends 1 and bounds its requests instead`,
    ),
  rows: z
    .array(
      z.strictObject({
        row: z.number().int().positive().describe("The row's number in the file (a CSV's header is row 1)"),
        values: rowValuesSchema,
      }),
    )
    .min(1)
    .max(MAX_ROWS_PER_REQUEST)
    .describe(`1 to ${MAX_ROWS_PER_REQUEST} rows`),
});

const rowProblemSchema = z.object({
  column: z.string().optional().describe('The column the problem is in, where it is in one'),
  message: z.string().describe('What is wrong, in words'),
  accepted: z.string().optional().describe('What would be accepted there'),
  ruleId: z.string().optional().describe('The JOURNEY.md rule behind it, where there is one'),
});

const clockSchema = z.object({
  kind: z.enum(deadlineKinds),
  ruleId: z.string(),
  description: z.string(),
  dueAt: z.string().describe('When it falls due (ISO instant)'),
  overdueAt: z.string().describe('When it counts as overdue'),
  status: z.string().describe('due, or overdue (already past when the journey is imported)'),
});

export const importOutcomes = ['started', 'alreadyThere', 'refused', 'wouldStart', 'valid'] as const;

export const importRowResultSchema = z
  .object({
    row: z.number().int(),
    personId: z.string().optional(),
    outcome: z
      .enum(importOutcomes)
      .describe(
        'started; alreadyThere (the person has an open journey here: nothing sent); refused (with problems; nothing started); wouldStart (dryRun); valid (check)',
      ),
    problems: z.array(rowProblemSchema).optional(),
    stage: z.string().optional().describe('The stage the journey starts at'),
    clocks: z.array(clockSchema).optional().describe("The journey's deadlines from its imported facts"),
    overdueAtOnce: z
      .array(z.enum(deadlineKinds))
      .optional()
      .describe('Deadlines already past: overdue at once'),
  })
  .meta({
    id: 'ImportRowResult',
    description: 'One row of an import: started, already there, or refused and why',
  });
export type ImportRowResult = z.infer<typeof importRowResultSchema>;

export const importResultSchema = z
  .object({
    file: z.string(),
    mode: z.enum(['import', 'dryRun', 'check']),
    results: z.array(importRowResultSchema),
  })
  .meta({ id: 'ImportResult', description: 'What became of each row of an import (issue 17)' });
export type ImportResult = z.infer<typeof importResultSchema>;

/** Runs `work` on every item with at most `limit` under way at once, in order of the items. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** A journey's refusal (400 problems or 409 reasons) as the row's problems, each with its column. */
function problemsOf(err: ApiError): RowProblem[] {
  const details = err.details as {
    problems?: { field?: string; message: string; accepted?: string }[];
    reasons?: { field?: string; message: string; accepted?: string; ruleId?: string }[];
  };
  const items: { field?: string; message: string; accepted?: string; ruleId?: string }[] = details.reasons ??
    details.problems ?? [{ message: err.message }];
  return items.map((item) => {
    const column = columnOfField(item.field);
    return {
      ...(column ? { column } : {}),
      message: item.message,
      ...(item.accepted ? { accepted: item.accepted } : {}),
      ...(item.ruleId ? { ruleId: item.ruleId } : {}),
    };
  });
}

function clocksOf(view: JourneyOutline): Pick<ImportRowResult, 'stage' | 'clocks' | 'overdueAtOnce'> {
  const open = view.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue');
  return {
    stage: view.stage,
    clocks: open.map(({ kind, ruleId, description, dueAt, overdueAt, status }) => ({
      kind,
      ruleId,
      description,
      dueAt,
      overdueAt,
      status,
    })),
    overdueAtOnce: open.filter((d) => d.status === 'overdue').map((d) => d.kind),
  };
}

/**
 * The person id is the journey's workflow id and the store's key, and the event the journey judges
 * does not carry it: one with a control character (a NUL the store cannot hold) is refused here.
 */
function parseRow(values: Record<string, unknown>): ParsedRow {
  const personId = values.personId;
  if (typeof personId === 'string' && /\p{Cc}/u.test(personId))
    return {
      ok: false,
      problems: [
        {
          column: 'personId',
          message: controlCharacterMessage(personId),
          accepted: importColumns.personId.format,
        },
      ],
    };
  return parseImportRow(values);
}

/** The same person on two rows: both refused (which one is right is for the council to say). */
function duplicatePeople(rows: { row: number; personId?: string }[]): Map<number, number[]> {
  const byPerson = new Map<string, number[]>();
  for (const { row, personId } of rows) {
    if (personId) byPerson.set(personId, [...(byPerson.get(personId) ?? []), row]);
  }
  const duplicates = new Map<number, number[]>();
  for (const rowsOfPerson of byPerson.values()) {
    if (rowsOfPerson.length > 1) for (const row of rowsOfPerson) duplicates.set(row, rowsOfPerson);
  }
  return duplicates;
}

export const importRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, scope, people, store },
) => {
  app.post(
    '/imports',
    {
      onRequest: auth.require('refer'),
      config: {
        access: {
          action: 'write',
          // every person the request names (each row's personId)
          people: (request) =>
            ((request.body as { rows?: { values?: { personId?: unknown } }[] } | null)?.rows ?? [])
              .map((r) => r?.values?.personId)
              .filter((id): id is string => typeof id === 'string'),
          eventType: () => 'JOURNEY_IMPORTED',
        },
      },
      schema: {
        summary: "Bring a council's caseload in: start each person's journey at their stage (issue 17)",
        description:
          `Managers and integrations only. Up to ${MAX_ROWS_PER_REQUEST} rows a request (care import sends a file in batches). ` +
          "Each row is validated and judged by the journey's rules first: a refused row starts nothing and names the column. " +
          'The clocks are set from the imported facts by the same rules as for any journey; one already past is overdue at once. ' +
          'A person whose journey is open here is alreadyThere (a second run of the same file starts nothing twice). ' +
          'The same person on two rows of one request: both are refused. ' +
          'A row whose team is outside the caller\'s teams is refused (an integration configured with "*" brings any team\'s in).',
        tags: ['journeys'],
        body: importBodySchema,
        response: {
          200: importResultSchema.describe('One result per row, in the order sent'),
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      if (!importRoles.includes(caller.role))
        throw new ApiError(
          403,
          `role ${caller.role} may not import journeys; to bring a caseload in a caller needs role ${importRoles.join(', ')}`,
        );
      const { file, system, mode, rows, rowsInFlight } = request.body;
      const occurredAt = new Date().toISOString();
      const parsed = rows.map(({ row, values }) => ({ row, values, parsed: parseRow(values) }));
      const duplicates = duplicatePeople(
        parsed.map(({ row, parsed: p }) => ({ row, ...(p.ok ? { personId: p.row.personId } : {}) })),
      );
      const results: ImportRowResult[] = new Array(rows.length);
      await forEachBounded(parsed, rowsInFlight, async ({ row, values, parsed: p }, index) => {
        const personId = p.ok
          ? p.row.personId
          : typeof values.personId === 'string'
            ? values.personId
            : undefined;
        const refused = (problems: RowProblem[]): ImportRowResult => ({
          row,
          ...(personId ? { personId } : {}),
          outcome: 'refused',
          problems,
        });
        if (!p.ok) return void (results[index] = refused(p.problems));
        if (p.person && !people)
          return void (results[index] = refused([
            {
              message:
                'this API has no case-event store to keep person records in: leave the person columns out (givenName, familyName, …)',
            },
          ]));
        const others = duplicates.get(row);
        if (others)
          return void (results[index] = refused([
            {
              column: 'personId',
              message: `person ${p.row.personId} is on rows ${others.join(', ')}: one row per person (correct the file, then import again)`,
            },
          ]));
        // issue 14: a caseload comes in only into the teams the caller reaches
        if (!scope.reaches(caller, p.row.team))
          return void (results[index] = refused([
            {
              column: 'team',
              message: p.row.team
                ? `team ${p.row.team} is not one of yours: this caller brings in only its own teams' cases`
                : `a case with no team goes to the duty team (${scope.dutyTeam}), which is not one of yours: name the team carrying the case`,
              accepted: scope.filterFor(caller)?.teams.join(', ') ?? '',
            },
          ]));
        results[index] = await importOne(p.row, row, {
          file,
          system,
          mode,
          occurredAt,
          actor: actorOf(request),
          person: p.person,
          caller,
        });
      });
      return { file, mode, results };
    },
  );

  async function importOne(
    row: ImportRow,
    rowNumber: number,
    options: {
      file: string;
      system: string | undefined;
      mode: 'import' | 'dryRun' | 'check';
      occurredAt: string;
      actor: { userId: string; role: 'manager' | 'integration' | 'practitioner' | 'auditor' };
      /** the row's person record, written once the journey is there (a record the same as the one kept adds nothing) */
      person: PersonRecordFields | undefined;
      caller: Caller;
    },
  ): Promise<ImportRowResult> {
    const event = importEvent(
      row,
      { file: options.file, row: rowNumber, ...(options.system ? { system: options.system } : {}) },
      options.occurredAt,
      options.actor,
    );
    const base = { row: rowNumber, personId: row.personId };
    try {
      // Judged (and its clocks worked out) before anything starts, whatever the mode.
      const preview = journeys.previewImport(event, row.personId);
      if (options.mode === 'check') return { ...base, outcome: 'valid', ...clocksOf(preview) };
      if (options.mode === 'dryRun') {
        const open = await journeys.hasOpenJourney(row.personId);
        return open
          ? { ...base, outcome: 'alreadyThere' }
          : { ...base, outcome: 'wouldStart', ...clocksOf(preview) };
      }
      const started = await journeys.importJourney(event, row.personId);
      // A journey already there may be another team's: its record is written only within reach
      // (so a second run after a crash writes the record a first run did not get to).
      if (options.person) {
        const open =
          started.outcome === 'alreadyThere'
            ? await teamOfJourney(row.personId, { store, journeys })
            : undefined;
        if (!open || (open !== 'unknown' && scope.reaches(options.caller, open.team)))
          await people!.save(row.personId, options.person, options.actor, 'import');
      }
      if (started.outcome === 'alreadyThere' || !started.view) return { ...base, outcome: 'alreadyThere' };
      return { ...base, outcome: 'started', ...clocksOf(started.view) };
    } catch (err) {
      // A row the journey refuses is the row's answer; Temporal being unreachable is the request's.
      if (err instanceof ApiError && (err.statusCode === 400 || err.statusCode === 409))
        return { ...base, outcome: 'refused', problems: problemsOf(err) };
      throw err;
    }
  }
};
