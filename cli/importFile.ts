import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { importTemplate, parseImportRow, type RowProblem } from '../machines/importRow';
import type { DeadlineKind } from '../machines/types';
import {
  forEachBounded,
  importResultSchema,
  MAX_ROWS_PER_REQUEST,
  type ImportRowResult,
} from '../api/routes/imports';
import { CliError, type ApiClient } from './apiClient';

/**
 * `care import FILE` (issue 17): a council's caseload in, from a CSV as case systems export it or
 * JSON Lines, through POST /imports. Every row is validated first (here, then by the journey's
 * rules on the server) and nothing starts until the whole file has been; then the valid rows are
 * imported with a bounded number in flight. Idempotent, so resumable: run the same file again after
 * a crash or Ctrl-C and the people already in are "already there".
 */

export interface ImportFlags {
  dryRun?: boolean;
  concurrency: string;
  batchSize: string;
  system?: string;
  report?: string;
  json?: boolean;
}

export interface ImportIo {
  print: (text: string) => void;
  progress: (text: string) => void;
  /** whether the progress line can be rewritten in place (a terminal) */
  interactive: boolean;
}

/** One row read from the file, with its number in the file (a CSV's header is row 1). */
interface FileRow {
  row: number;
  values: Record<string, unknown>;
}

/** `care import --template`: the header line to start a file with, then each column. */
export function templateText(): string {
  const { header, columns } = importTemplate();
  const width = Math.max(...columns.map((c) => c.name.length));
  return [
    header,
    '',
    'Columns (one row per person; empty cells are no value; lists are a;b;c):',
    ...columns.map(
      (c) => `  ${c.name.padEnd(width)}  ${c.required ? '(required) ' : ''}${c.meaning}. ${c.format}`,
    ),
  ].join('\n');
}

/** Reads a CSV (header row first) or JSON Lines file (by its name: .jsonl / .ndjson). */
export function readImportFile(file: string): FileRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    const rows: FileRow[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new CliError(`${file} line ${i + 1} is not JSON: ${(err as Error).message}`);
      }
      if (!json || typeof json !== 'object' || Array.isArray(json))
        throw new CliError(`${file} line ${i + 1} must be a JSON object, one person by column name`);
      rows.push({ row: i + 1, values: json as Record<string, unknown> });
    });
    return rows;
  }
  try {
    const records = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    // The row's number: the line it ends on (the header is line 1), as a spreadsheet shows it.
    return records.map(({ record, info }) => ({ row: info.lines, values: record }));
  } catch (err) {
    throw new CliError(`${file} is not a CSV the import can read: ${(err as Error).message}`);
  }
}

/** The summary at the end: started, already there, refused, overdue at once by kind. */
export interface ImportSummary {
  rows: number;
  started: number;
  alreadyThere: number;
  refused: number;
  wouldStart: number;
  overdueAtOnce: Partial<Record<DeadlineKind, number>>;
  interrupted: boolean;
}

function summarise(results: ImportRowResult[], interrupted: boolean, rows: number): ImportSummary {
  const count = (outcome: ImportRowResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const overdueAtOnce: Partial<Record<DeadlineKind, number>> = {};
  for (const result of results)
    for (const kind of result.overdueAtOnce ?? []) overdueAtOnce[kind] = (overdueAtOnce[kind] ?? 0) + 1;
  return {
    rows,
    started: count('started'),
    alreadyThere: count('alreadyThere'),
    refused: count('refused'),
    wouldStart: count('wouldStart'),
    overdueAtOnce,
    interrupted,
  };
}

const duration = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
      : `${Math.round(seconds)}s`;

/** A progress line with the rate and the time left, at most once a second (every 5 s off a terminal). */
function progressMeter(io: ImportIo, what: string, total: number) {
  const startedAt = Date.now();
  let shownAt = 0;
  let done = 0;
  const line = () => {
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? duration((total - done) / rate) : '?';
    return `${what} ${done}/${total} rows · ${rate.toFixed(1)} rows/s · ${done >= total ? `done in ${duration(seconds)}` : `about ${left} left`}`;
  };
  return {
    add(n: number) {
      done += n;
      const now = Date.now();
      if (now - shownAt < (io.interactive ? 1000 : 5000) && done < total) return;
      shownAt = now;
      io.progress(io.interactive ? `\r${line()}` : `${line()}\n`);
    },
    finish() {
      if (io.interactive) io.progress(`\r${line()}\n`);
    },
    rate: () => done / Math.max(0.001, (Date.now() - startedAt) / 1000),
  };
}

/** The rows refused, one line each: row, person, column, why. */
function refusedLines(results: ImportRowResult[]): string[] {
  return results
    .filter((r) => r.outcome === 'refused')
    .flatMap((r) =>
      (r.problems ?? [{ message: 'refused' } as RowProblem]).map(
        (p) =>
          `  row ${r.row}${r.personId ? ` (${r.personId})` : ''}: ${p.column ? `${p.column}: ` : ''}${p.message}${p.accepted ? ` [accepted: ${p.accepted}]` : ''}`,
      ),
    );
}

function summaryText(summary: ImportSummary, dryRun: boolean, seconds: number, rate: number): string {
  const overdue = Object.entries(summary.overdueAtOnce)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return [
    `${summary.interrupted ? 'Interrupted' : dryRun ? 'Dry run (nothing started)' : 'Imported'}: ${summary.rows} rows in ${duration(seconds)} (${rate.toFixed(1)} people/s)`,
    dryRun ? `  would start:   ${summary.wouldStart}` : `  started:       ${summary.started}`,
    `  already there: ${summary.alreadyThere}`,
    `  refused:       ${summary.refused}`,
    `  overdue at once: ${overdue || 'none'}`,
    ...(summary.interrupted
      ? ['  Run the same command again to carry on: the people already in are "already there".']
      : []),
  ].join('\n');
}

/**
 * Validates the whole file, then imports (or, with --dry-run, says what would happen). Resolves to
 * the exit code: 0 all in, 1 some rows refused, 130 interrupted.
 */
export async function runImport(
  file: string,
  flags: ImportFlags,
  api: ApiClient,
  io: ImportIo,
): Promise<number> {
  const concurrency = Number(flags.concurrency);
  const batchSize = Number(flags.batchSize);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new CliError('--concurrency must be a whole number from 1 to 64');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_ROWS_PER_REQUEST)
    throw new CliError(`--batch-size must be a whole number from 1 to ${MAX_ROWS_PER_REQUEST}`);
  const rows = readImportFile(file);
  if (!rows.length) throw new CliError(`${file} has no rows`);
  const source = path.basename(file);
  const startedAt = Date.now();

  // Ctrl-C: no new batch is sent; those under way finish (each row is started once or not at all).
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    io.progress('\nstopping after the rows under way (Ctrl-C again to quit at once)…\n');
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);

  try {
    // 1. Every row validated before anything starts: its columns here, the same person twice, and
    //    the journey's own rules on the server (mode check: nothing is started, Temporal not asked).
    const results = new Map<number, ImportRowResult>();
    const byPerson = new Map<string, number[]>();
    const local: FileRow[] = [];
    for (const fileRow of rows) {
      const parsed = parseImportRow(fileRow.values);
      const personId =
        typeof fileRow.values.personId === 'string' ? fileRow.values.personId.trim() : undefined;
      if (!parsed.ok) {
        results.set(fileRow.row, {
          row: fileRow.row,
          ...(personId ? { personId } : {}),
          outcome: 'refused',
          problems: parsed.problems,
        });
        continue;
      }
      byPerson.set(parsed.row.personId, [...(byPerson.get(parsed.row.personId) ?? []), fileRow.row]);
      local.push(fileRow);
    }
    const valid = local.filter((fileRow) => {
      const personId = String(fileRow.values.personId).trim();
      const same = byPerson.get(personId) ?? [];
      if (same.length < 2) return true;
      results.set(fileRow.row, {
        row: fileRow.row,
        personId,
        outcome: 'refused',
        problems: [
          {
            column: 'personId',
            message: `person ${personId} is on rows ${same.join(', ')}: one row per person (correct the file, then import again)`,
          },
        ],
      });
      return false;
    });

    const send = async (mode: 'check' | 'dryRun' | 'import', batch: FileRow[]) => {
      const answer = await api.post(
        '/imports',
        {
          file: source,
          ...(flags.system ? { system: flags.system } : {}),
          mode,
          rowsInFlight: 1,
          rows: batch.map(({ row, values }) => ({ row, values })),
        },
        importResultSchema,
      );
      return answer.results;
    };
    const batches = (list: FileRow[]) => {
      const out: FileRow[][] = [];
      for (let i = 0; i < list.length; i += batchSize) out.push(list.slice(i, i + batchSize));
      return out;
    };

    let toImport = valid;
    if (!flags.dryRun) {
      const meter = progressMeter(io, 'checked', valid.length);
      const checked = new Set<number>();
      await forEachBounded(batches(valid), concurrency, async (batch) => {
        for (const result of await send('check', batch)) {
          if (result.outcome === 'refused') results.set(result.row, result);
          else checked.add(result.row);
        }
        meter.add(batch.length);
      });
      meter.finish();
      toImport = valid.filter((r) => checked.has(r.row));
    }

    // 2. The import (or the dry run): bounded in flight, stopped cleanly by Ctrl-C.
    const meter = progressMeter(io, flags.dryRun ? 'dry run' : 'imported', toImport.length);
    if (!interrupted)
      await forEachBounded(
        batches(toImport),
        concurrency,
        async (batch) => {
          for (const result of await send(flags.dryRun ? 'dryRun' : 'import', batch))
            results.set(result.row, result);
          meter.add(batch.length);
        },
        () => interrupted,
      );
    meter.finish();

    const ordered = [...results.values()].sort((a, b) => a.row - b.row);
    const summary = summarise(ordered, interrupted, rows.length);
    if (flags.report) writeReport(flags.report, ordered);
    if (flags.json) {
      io.print(JSON.stringify({ file: source, dryRun: !!flags.dryRun, summary, results: ordered }, null, 2));
    } else {
      const refused = refusedLines(ordered);
      if (refused.length) io.print(['Refused (nothing started for these rows):', ...refused].join('\n'));
      if (flags.dryRun) io.print(clockLines(ordered).join('\n'));
      io.print(summaryText(summary, !!flags.dryRun, (Date.now() - startedAt) / 1000, meter.rate()));
    }
    if (interrupted) return 130;
    return summary.refused ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/** --dry-run: each person's stage and the clocks they would get. */
function clockLines(results: ImportRowResult[]): string[] {
  return results
    .filter((r) => r.outcome === 'wouldStart' || r.outcome === 'alreadyThere')
    .map((r) =>
      r.outcome === 'alreadyThere'
        ? `  row ${r.row} (${r.personId}): already there`
        : `  row ${r.row} (${r.personId}): ${r.stage}${(r.clocks ?? [])
            .map((c) => `; ${c.kind} due ${c.dueAt}${c.status === 'overdue' ? ' OVERDUE AT ONCE' : ''}`)
            .join('')}`,
    );
}

/** --report FILE: every row's outcome as CSV (row, person, outcome, column, reason), refusals one line each. */
function writeReport(file: string, results: ImportRowResult[]): void {
  const lines = results.flatMap((r) =>
    r.outcome === 'refused'
      ? (r.problems ?? []).map((p) => [r.row, r.personId ?? '', r.outcome, p.column ?? '', p.message])
      : [
          [
            r.row,
            r.personId ?? '',
            r.outcome,
            '',
            (r.overdueAtOnce ?? []).map((k) => `${k} overdue at once`).join('; '),
          ],
        ],
  );
  writeFileSync(file, stringify([['row', 'personId', 'outcome', 'column', 'reason'], ...lines]));
}
