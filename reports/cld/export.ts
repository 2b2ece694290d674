import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../../store/database';
import { loadJourneyFacts } from '../journeyFacts';
import { periodEnd, type ReportingPeriod } from '../period';
import { cldFields, loadAllowedValues, loadMapping, type AllowedValues, type CldMapping } from './config';
import {
  storePersonDetails,
  type CldCouncilEventDetails,
  type CldPersonDetailsService,
} from './personDetails';
import { cldRowsOf, eventKeyOf, periodEpisodes, type CldEventType, type CldRow } from './rows';
import { failingKinds, validateRows, type CldProblem, type ProblemKind } from './validate';

/**
 * The CLD return from the case-event store: the rows of every
 * journey for the period, validated, as CSV with DHSC's field names; the rows that would fail,
 * each problem on a line with its reason and the journey it came from; and a summary. The same
 * store and period give the same bytes: nothing in the files depends on when the export ran.
 */

export interface CldSummary {
  release: string;
  period: ReportingPeriod;
  journeys: number;
  rows: number;
  rowsByEventType: Record<CldEventType, number>;
  rowsWithProblems: number;
  /** rows DHSC's checks would fail or drop (the problems of a failing kind) */
  rowsThatWouldFail: number;
  problems: number;
  /** field → kind → how many */
  problemsByField: Record<string, Partial<Record<ProblemKind, number>>>;
}

export interface CldExport {
  csv: string;
  problemsCsv: string;
  summary: CldSummary;
  rows: CldRow[];
  problems: CldProblem[];
}

export interface CldExportOptions {
  personDetails?: CldPersonDetailsService;
  mapping?: CldMapping;
  allowedValues?: AllowedValues;
}

export const problemColumns = [
  'Journey',
  'Line',
  'Problem_Field',
  'Problem_Kind',
  'Problem_Value',
  'Problem_Reason',
] as const;

export async function exportCld(
  db: Queryable,
  period: ReportingPeriod,
  options: CldExportOptions = {},
): Promise<CldExport> {
  const mapping = options.mapping ?? loadMapping();
  const allowed = options.allowedValues ?? loadAllowedValues();
  const personDetails = options.personDetails ?? storePersonDetails;
  const journeys = await loadJourneyFacts(db, periodEnd(period));
  const rows: CldRow[] = [];
  for (const facts of journeys) {
    const episodes = periodEpisodes(facts, period, mapping);
    if (!episodes.length) continue;
    // the council's port first; what it leaves out, from the referral
    const fromStore = await storePersonDetails.personDetails(facts.personId, facts);
    const person =
      personDetails === storePersonDetails
        ? fromStore
        : { ...fromStore, ...definedOnly(await personDetails.personDetails(facts.personId, facts)) };
    const councilEvents = new Map<string, CldCouncilEventDetails>();
    if (personDetails.eventDetails) {
      for (const episode of episodes) {
        const details = await personDetails.eventDetails(facts.personId, eventKeyOf(episode), facts);
        councilEvents.set(episode.reference, details);
      }
    }
    rows.push(...cldRowsOf(facts, person, period, mapping, councilEvents, episodes));
  }
  const problems = validateRows(rows, allowed);

  const csv = stringify(
    rows.map((r) => cldFields.map((f) => r.values[f])),
    { header: true, columns: [...cldFields], record_delimiter: 'windows' },
  );
  // Each problem with the whole row it is on, so the analyst has everything on one line.
  const problemsCsv = stringify(
    problems.map((p) => [
      p.personId,
      String(p.line),
      p.field,
      p.kind,
      p.value,
      p.reason,
      ...cldFields.map((f) => rows[p.line - 2]!.values[f]),
    ]),
    { header: true, columns: [...problemColumns, ...cldFields], record_delimiter: 'windows' },
  );

  const rowsByEventType: Record<CldEventType, number> = { Request: 0, Assessment: 0, Service: 0, Review: 0 };
  for (const r of rows) rowsByEventType[r.values.Event_Type as CldEventType]++;
  const problemsByField: CldSummary['problemsByField'] = {};
  for (const p of problems) {
    const byKind = (problemsByField[p.field] ??= {});
    byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  }
  return {
    csv,
    problemsCsv,
    rows,
    problems,
    summary: {
      release: allowed.release,
      period,
      journeys: new Set(rows.map((r) => r.personId)).size,
      rows: rows.length,
      rowsByEventType,
      rowsWithProblems: new Set(problems.map((p) => p.line)).size,
      rowsThatWouldFail: new Set(problems.filter((p) => failingKinds.has(p.kind)).map((p) => p.line)).size,
      problems: problems.length,
      problemsByField: Object.fromEntries(
        Object.entries(problemsByField).sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    },
  };
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;

/** The summary in words, for the CLI. */
export function summaryInWords(summary: CldSummary): string {
  const lines = [
    `${summary.release}, ${summary.period.from} to ${summary.period.to}: ${summary.rows} rows from ${summary.journeys} journeys`,
    `  rows by event type: ${Object.entries(summary.rowsByEventType)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
    `  rows with problems: ${summary.rowsWithProblems} (${summary.problems} problems); rows DHSC's checks would fail: ${summary.rowsThatWouldFail}`,
  ];
  for (const [field, kinds] of Object.entries(summary.problemsByField)) {
    lines.push(
      `    ${field}: ${Object.entries(kinds)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  }
  return lines.join('\n');
}
