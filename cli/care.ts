#!/usr/bin/env -S npx tsx
/**
 * `care`: the operations staff's command line. It talks to the HTTP API (never to Temporal), so
 * it sees and may do exactly what the caller's token allows.
 *
 *   npm run care -- stuck --team north          which cases are stuck, and why
 *   npm run care -- show P123                   one case: stage, deadlines, what can happen next, timeline
 *   npm run care -- send P123 TRIAGED --data triage.json
 *   npm run care -- referral --person P123 --referral R9 --source gp --urgency routine --summary "..."
 *   npm run care -- overdue-report
 *   npm run care -- repair P123 --reason "..."  (managers) reset a wedged journey to its last good task
 *
 * (or ./cli/care.ts …, or `care …` once linked with npm link).
 *
 * API address: --api-url or CARE_API_URL (default http://CARE_API_HOST:CARE_API_PORT, i.e.
 * http://127.0.0.1:3000). Token: --token or CARE_API_TOKEN. If neither is set, the API is on this machine and CARE_API_TOKENS is unset
 * too (development), the CLI uses the development practitioner token from temporal.config.ts.
 *
 * Output: readable tables; --json prints the API's answer as JSON for scripts. On error: one line
 * `care: <what went wrong>` on stderr and exit code 1 (2 for a usage mistake).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';
import { londonDateOf } from '../machines/calendar';
import { deadlineKinds } from '../machines/types';
import {
  applyEventResultSchema,
  healthSchema,
  journeyDetailSchema,
  journeyListSchema,
  journeyUnavailableSchema,
  overdueReportSchema,
  referralResultSchema,
  repairResultSchema,
  stuckKinds,
} from '../api/schemas';
import { storeCheckSchema } from '../api/caseStore';
import { cldExportSchema, timelinessSchema } from '../api/routes/statutoryReports';
import { forgetResultSchema } from '../api/routes/store';
import { summaryInWords } from '../reports/cld/export';
import { loadConfig } from '../temporal.config';
import { addDays, addMonths, parseISO } from 'date-fns';
import { CliError, cliToken, createApiClient, type ApiClient, type Query } from './apiClient';
import { runImport, templateText, type ImportFlags } from './importFile';

interface CldExportFlags {
  from: string;
  to: string;
  out?: string;
  json?: boolean;
  shortPeriod?: boolean;
  acceptProblems?: boolean;
}

/** Whether the period from..to (both days included) is shorter than 12 months. */
function shorterThanAYear(from: string, to: string): boolean {
  return addMonths(parseISO(from), 12) > addDays(parseISO(to), 1);
}

/** care import's exit code when rows were refused (1) or it was interrupted (130): already reported. */
class ImportExit extends Error {
  constructor(readonly code: number) {
    super(`import ended with ${code}`);
  }
}
import {
  formatApplyResult,
  formatHealth,
  formatJourneyDetail,
  formatJourneyList,
  formatJourneyUnavailable,
  formatOverdueReport,
  formatReferralResult,
  formatRepairResult,
} from './format';

export interface CareIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** for `--data -` */
  readStdin: () => string;
}

const processIo: CareIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readStdin: () => readFileSync(0, 'utf8'),
};

/** A word safe to paste back into a shell. */
const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;

/** YYYY-MM-DD today in Europe/London (a referral's received date). */
const londonToday = () => londonDateOf(new Date().toISOString());

const jsonObject = z.record(z.string(), z.unknown());

/** Runs one `care` command; resolves to the exit code. */
export async function runCare(argv: string[], io: CareIo = processIo): Promise<number> {
  let api: ApiClient | undefined;
  const apiClient = () => {
    if (!api) {
      // --api-url and --token win over CARE_API_URL and CARE_API_TOKEN (temporal.config.ts reads both).
      const { apiUrl, token } = program.opts<{ apiUrl?: string; token?: string }>();
      const config = loadConfig({
        ...io.env,
        ...(apiUrl !== undefined && { CARE_API_URL: apiUrl }),
        ...(token !== undefined && { CARE_API_TOKEN: token }),
      });
      api = createApiClient({ baseUrl: config.cli.apiUrl, token: cliToken(config) });
    }
    return api;
  };
  const print = (text: string) => io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
  /** The command that shows the next page: the same command with --cursor. */
  const nextPage = (cursor: string) => {
    const args: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--cursor') i++;
      else if (!argv[i]!.startsWith('--cursor=')) args.push(argv[i]!);
    }
    return ['care', ...args, '--cursor', cursor].map(shellWord).join(' ');
  };

  const program = new Command('care')
    .description(
      'Care journeys for operations staff: find stuck cases, see why, and act. Talks to the care API.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`care: ${s.trim().replace(/^error: /, '')} (see care --help)\n`),
    })
    .option(
      '--api-url <url>',
      'the care API to talk to, e.g. https://care.example.gov.uk (default: CARE_API_URL, else http://127.0.0.1:3000)',
    )
    .option('--token <token>', 'your API token (default: CARE_API_TOKEN)')
    .addHelpText(
      'after',
      [
        '',
        'Reaching the API:',
        '  care talks only to the care API. On this machine with `npm start` running it needs nothing more.',
        '  Elsewhere give the address and your token, as options or in the environment:',
        '    care --api-url https://care.example.gov.uk --token "$TOKEN" stuck --team north',
        '    CARE_API_URL=http://127.0.0.1:3100 CARE_API_TOKEN=... care show P123',
        "  CARE_API_HOST and CARE_API_PORT (the start command's own) make the default address too.",
        '',
        'Times are printed with their zone (UK time, GMT or BST); dates without a time are UK dates.',
      ].join('\n'),
    );

  const listOptions = (command: Command) =>
    command
      .option('--team <team>', 'only this team')
      .option('--worker <worker>', 'only this allocated worker')
      .option('--stage <stage>', 'only this stage (e.g. planning)')
      .addOption(
        new Option('--kind <kind>', 'only cases with this kind of deadline overdue').choices(deadlineKinds),
      )
      .option('--limit <n>', 'journeys per page (1-500)', '50')
      .option('--cursor <cursor>', 'the next page, as printed below the previous one')
      .option('--json', 'print the API answer as JSON');

  type ListFlags = {
    team?: string;
    worker?: string;
    stage?: string;
    kind?: string;
    limit: string;
    cursor?: string;
    json?: boolean;
  };
  const list = async (flags: ListFlags, extra: Query) => {
    const { json, ...filters } = flags;
    const answer = await apiClient().get('/journeys', journeyListSchema, { ...filters, ...extra });
    if (json) printJson(answer);
    else print(formatJourneyList(answer, nextPage));
  };

  listOptions(
    program
      .command('stuck')
      .description(
        'Open cases that are stuck (overdue, held too long in a stage, waiting too long, or failing), longest overdue first',
      )
      .addOption(new Option('--only <meaning>', 'one meaning of stuck').choices(stuckKinds)),
  ).action(async (flags: ListFlags & { only?: string }) => {
    const { only, ...rest } = flags;
    await list(rest, { stuck: only ?? 'any' });
  });

  listOptions(
    program
      .command('list')
      .description('Open cases, filtered, longest overdue first')
      .option('--overdue', 'only cases with an overdue deadline')
      .addOption(new Option('--stuck <meaning>', 'only stuck cases').choices([...stuckKinds, 'any'])),
  ).action(async (flags: ListFlags & { overdue?: boolean; stuck?: string }) => {
    const { overdue, stuck, ...rest } = flags;
    await list(rest, { overdue: overdue ? 'true' : undefined, stuck });
  });

  program
    .command('show')
    .description(
      'One case: stage, why stuck, deadlines, what can happen next (and why not), timeline, technical health',
    )
    .argument('<personId>')
    .option('--json', 'print the API answer as JSON')
    .action(async (personId: string, flags: { json?: boolean }) => {
      let answer;
      try {
        answer = await apiClient().get(`/journeys/${encodeURIComponent(personId)}`, journeyDetailSchema);
      } catch (err) {
        // 503: the journey cannot answer yet; show what Temporal knows, then fail
        const unavailable =
          err instanceof CliError && err.answer?.status === 503
            ? journeyUnavailableSchema.safeParse(err.answer.json)
            : undefined;
        if (unavailable?.success && !flags.json) {
          print(formatJourneyUnavailable(personId, unavailable.data, (err as CliError).answer?.retryAfter));
        }
        throw err;
      }
      if (flags.json) printJson(answer);
      else print(formatJourneyDetail(answer));
    });

  program
    .command('send')
    .description("Send an event to a person's journey (you are its actor)")
    .argument('<personId>')
    .argument('<EVENT>', 'event type, e.g. TRIAGED (see the API docs at /docs)')
    .option(
      '--data <file>',
      'JSON file with the event payload ("-" for stdin); may also hold eventId and occurredAt',
    )
    .option('--event-id <id>', 'unique event id; resending the same id is applied once (default: a new id)')
    .option('--occurred-at <instant>', 'when it happened, ISO instant with offset (default: now)')
    .option('--json', 'print the API answer as JSON')
    .action(
      async (
        personId: string,
        type: string,
        flags: { data?: string; eventId?: string; occurredAt?: string; json?: boolean },
      ) => {
        const data = flags.data ? readEventData(flags.data, io) : {};
        if (data.type !== undefined && data.type !== type) {
          throw new CliError(`${flags.data} is a ${String(data.type)} event, not ${type}`);
        }
        const eventId =
          flags.eventId ?? (typeof data.eventId === 'string' ? data.eventId : `cli-${randomUUID()}`);
        const body = {
          ...data,
          type,
          eventId,
          ...(flags.occurredAt ? { occurredAt: flags.occurredAt } : {}),
        };
        const answer = await apiClient().post(
          `/journeys/${encodeURIComponent(personId)}/events`,
          body,
          applyEventResultSchema,
        );
        if (flags.json) printJson(answer);
        else print(formatApplyResult(answer));
      },
    );

  program
    .command('referral')
    .description(
      'Receive a referral: opens a journey for the person, or records it on the open one (R-REF-4)',
    )
    .requiredOption('--person <id>', 'person id')
    .requiredOption('--referral <id>', 'referral id')
    .requiredOption('--source <source>', 'self, family, gp, hospital, provider, professional or other')
    .requiredOption('--urgency <urgency>', 'routine, urgent or emergency')
    .requiredOption('--summary <text>', 'what the referral is about')
    .option('--received <date>', 'date received, YYYY-MM-DD (default: today)')
    .addOption(new Option('--subject <subject>', 'whose journey').choices(['person', 'carer']))
    .option('--occurred-at <instant>', 'when the referral was made, ISO instant (default: now)')
    .option('--json', 'print the API answer as JSON')
    .action(
      async (flags: {
        person: string;
        referral: string;
        source: string;
        urgency: string;
        summary: string;
        received?: string;
        subject?: string;
        occurredAt?: string;
        json?: boolean;
      }) => {
        const answer = await apiClient().post(
          '/referrals',
          {
            personId: flags.person,
            referralId: flags.referral,
            receivedDate: flags.received ?? londonToday(),
            source: flags.source,
            urgency: flags.urgency,
            summary: flags.summary,
            ...(flags.subject ? { subject: flags.subject } : {}),
            ...(flags.occurredAt ? { occurredAt: flags.occurredAt } : {}),
          },
          referralResultSchema,
        );
        if (flags.json) printJson(answer);
        else print(formatReferralResult(answer, flags.person));
      },
    );

  // issue 17: a council's caseload in (cli/importFile.ts)
  program
    .command('import')
    .description(
      "Bring a council's caseload in: start each person's journey at their stage, with their real dates and clocks (managers and integrations)",
    )
    .argument('[file]', 'a CSV (header row first) or JSON Lines file (.jsonl), one person a row')
    .option('--template', 'print the columns, each with its meaning and format, and stop')
    .option('--dry-run', 'start nothing: say what would happen and the clocks each person would get')
    .option('--concurrency <n>', 'journeys started at once', '8')
    .option('--batch-size <n>', 'rows per request to the API', '25')
    .option('--system <name>', 'the case system the file was exported from (recorded on each journey)')
    .option(
      '--report <file>',
      'write every row’s outcome, and each refusal with its column, to this CSV file',
    )
    .option('--json', 'print the summary and every row as JSON')
    .action(async (file: string | undefined, flags: ImportFlags & { template?: boolean }) => {
      if (flags.template) return void print(templateText());
      if (!file) throw new CliError('name the file to import (or --template for its columns)');
      const code = await runImport(file, flags, apiClient(), {
        print,
        progress: (text) => io.stderr(text),
        interactive: io === processIo && process.stderr.isTTY === true,
      });
      if (code !== 0) throw new ImportExit(code);
    });

  program
    .command('overdue-report')
    .description('Overdue cases: counts per team and per deadline kind, with the oldest case of each')
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { json?: boolean }) => {
      const answer = await apiClient().get('/reports/overdue', overdueReportSchema);
      if (flags.json) printJson(answer);
      else print(formatOverdueReport(answer));
    });

  // Issue 15: statutory reporting from the case-event store (auditors and managers).
  program
    .command('export')
    .description('Statutory returns from the case-event store')
    .command('cld')
    .description(
      "The quarter's CLD return for DHSC as CSV, checked first: the rows that would fail go beside it in <file>.problems.csv",
    )
    .requiredOption('--from <date>', "the period's first day, YYYY-MM-DD (e.g. 2026-04-01)")
    .requiredOption('--to <date>', "the period's last day, YYYY-MM-DD (e.g. 2026-06-30)")
    .option('--out <file>', 'where to write the return (default cld-<from>-<to>.csv)')
    .option('--short-period', "export a period shorter than the rolling 12 months DHSC's return covers")
    .option('--accept-problems', "exit 0 even when rows would fail DHSC's checks")
    .option('--json', 'print the summary as JSON')
    .action(async (flags: CldExportFlags) => {
      // DHSC's return is a rolling 12 months: a shorter period only on request, and said so.
      const short = shorterThanAYear(flags.from, flags.to);
      if (short && !flags.shortPeriod) {
        throw new CliError(
          `${flags.from} to ${flags.to} is shorter than the rolling 12 months DHSC's CLD return covers: ` +
            'give --from and --to a year apart, or add --short-period to export a shorter period, labelled as such',
        );
      }
      const answer = await apiClient().get('/reports/cld/export', cldExportSchema, {
        from: flags.from,
        to: flags.to,
      });
      const out = flags.out ?? `cld-${flags.from}-${flags.to}.csv`;
      const problemsOut = `${out.replace(/\.csv$/i, '')}.problems.csv`;
      writeFileSync(out, answer.csv);
      writeFileSync(problemsOut, answer.problemsCsv);
      const label = short ? " (a shorter period than DHSC's rolling 12 months, exported on request)" : '';
      if (flags.json)
        printJson({ ...answer.summary, shortPeriod: short, files: { return: out, problems: problemsOut } });
      else
        print(
          `${summaryInWords(answer.summary)}${label}\nwrote ${out}` +
            (answer.summary.problems
              ? ` and ${problemsOut}: correct those rows before submitting`
              : ` (${problemsOut}: no problems)`),
        );
      // A scheduler must notice a return DHSC would reject.
      if (answer.summary.rowsThatWouldFail > 0 && !flags.acceptProblems) {
        throw new CliError(
          `${answer.summary.rowsThatWouldFail} rows would fail DHSC's checks (${problemsOut}); ` +
            'correct them, or add --accept-problems to export them as they are',
        );
      }
    });
  program
    .command('report')
    .description('Reports from the case-event store')
    .command('timeliness')
    .description(
      'How many statutory clocks were met in a period, per team: met, met late, missed, still open',
    )
    .requiredOption('--from <date>', "the period's first day, YYYY-MM-DD")
    .requiredOption('--to <date>', "the period's last day, YYYY-MM-DD")
    .option('--team <team>', 'only this team')
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { from: string; to: string; team?: string; json?: boolean }) => {
      const answer = await apiClient().get('/reports/timeliness', timelinessSchema, {
        from: flags.from,
        to: flags.to,
        team: flags.team,
      });
      if (flags.json) return printJson(answer);
      const dhsc = answer.waitingTimeDefinitions.dhsc;
      const lines = [
        `Timeliness ${answer.period.from} to ${answer.period.to} (${answer.council}'s profile; the store as of ${answer.asOf})`,
      ];
      for (const team of [...answer.teams, ...(answer.team ? [] : [answer.overall])]) {
        lines.push('', `${team.team}`);
        for (const m of team.measures)
          lines.push(
            `  ${m.ruleId.padEnd(8)} ${m.description}: met ${m.met}, met late ${m.metLate}, missed ${m.missed}, open ${m.open}, not counted ${m.notCounted}`,
          );
        const days = (w: { cases: number; medianDays: number | null }) =>
          w.medianDays === null ? 'no cases' : `median ${w.medianDays} days (${w.cases} cases)`;
        lines.push(`  referral to assessment: ${days(team.referralToAssessment)}`);
        lines.push(`  referral to services: ${days(team.referralToServices)}`);
        const waits = team.dhscWaitingTimes;
        for (const [what, byBand] of [
          ['first response', waits.firstResponse],
          ['first service', waits.firstService],
        ] as const)
          lines.push(
            `  DHSC wait to ${what}: ${Object.entries(byBand)
              .map(([band, w]) => `${band} ${days(w)}`)
              .join('; ')}`,
          );
        const leftOut = Object.entries(waits.requests.leftOut).filter(([, n]) => n > 0);
        lines.push(
          `  DHSC requests begun: ${waits.requests.begun}` +
            (leftOut.length ? `, left out: ${leftOut.map(([why, n]) => `${why} ${n}`).join(', ')}` : ''),
        );
      }
      lines.push('', 'Definitions');
      for (const d of answer.definitions)
        lines.push(
          `  ${d.ruleId.padEnd(8)} ${d.description}. Judged at ${d.judgedAt}. Met: ${d.met}. Met late: ${d.metLate}. Missed: ${d.missed}. Not counted: ${d.notCounted}. Open: ${d.open}.`,
        );
      lines.push(
        `  DHSC waiting times: ${dhsc.repository} ${dhsc.path}, version ${dhsc.version} (${dhsc.published}), commit ${dhsc.commit.slice(0, 7)}` +
          (dhsc.datesOfBirth === 'notApplied' ? '; ages not applied: the store has no person records' : ''),
      );
      for (const n of dhsc.notApplied) lines.push(`    not as DHSC: ${n.stage}: ${n.why}`);
      print(lines.join('\n'));
    });

  // Issue 12: the case-event store's current-state rows against the running journeys.
  const storeCommands = program
    .command('store')
    .description('The case-event store: compare its rows with the journeys, or rebuild them');
  const printCheck = (answer: z.output<typeof storeCheckSchema>, json?: boolean) => {
    if (json) return printJson(answer);
    const lines = [
      `checked ${answer.checked} journeys (as of ${answer.asOf}): ${answer.differing.length} differ` +
        (answer.rebuilt === undefined ? '' : `, ${answer.rebuilt} rebuilt`),
    ];
    const removed = answer.rebuilt === undefined ? 'not accepted by the journey' : 'removed: never accepted';
    for (const u of answer.uncommitted) lines.push(`  ${u.personId}: ${removed}: ${u.recordIds.join(', ')}`);
    for (const m of answer.missing)
      lines.push(`  ${m.personId}: accepted but not in the store yet: ${m.eventIds.join(', ')}`);
    for (const n of answer.notInTemporal)
      lines.push(`  ${n.personId}: open in the store (${n.stage}) but Temporal has no such journey`);
    for (const d of answer.differing) {
      lines.push(`  ${d.personId}`);
      for (const f of d.differences)
        lines.push(`    ${f.field}: journey says ${f.journey}; store has ${f.store}`);
    }
    for (const u of answer.unanswered) lines.push(`  ${u.personId}: did not answer (${u.error})`);
    print(lines.join('\n'));
  };
  storeCommands
    .command('check')
    .description(
      'Compare the store with what Temporal committed, both ways: rows that differ, entries the journeys never accepted, accepted events not yet stored, journeys Temporal does not have',
    )
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { json?: boolean }) => {
      const answer = await apiClient().get('/store/check', storeCheckSchema);
      printCheck(answer, flags.json);
      const wrong = [
        answer.differing,
        answer.uncommitted,
        answer.missing,
        answer.notInTemporal,
        answer.unanswered,
      ];
      const count = new Set(wrong.flatMap((list) => list.map((item) => item.personId))).size;
      if (count)
        throw new CliError(`${count} journeys differ from what Temporal committed, or did not answer`);
    });
  storeCommands
    .command('rebuild')
    .description(
      "(managers) Remove entries the journeys never accepted and rewrite the store's rows from the journeys' describe queries",
    )
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { json?: boolean }) => {
      printCheck(await apiClient().post('/store/rebuild', {}, storeCheckSchema), flags.json);
    });
  storeCommands
    .command('forget')
    .description(
      "(managers) Remove the records of journeys closed before the retention schedule's cut-off; a dry run unless --confirm",
    )
    .requiredOption('--closed-before <YYYY-MM-DD>', 'journeys that closed before this day are removed')
    .option('--confirm', 'remove them (without it, only say who would be removed)')
    .option('--limit <n>', 'at most this many people in one run', (v) => Number(v), 500)
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { closedBefore: string; confirm?: boolean; limit: number; json?: boolean }) => {
      const answer = await apiClient().post(
        '/store/forget',
        { closedBefore: flags.closedBefore, confirm: flags.confirm ?? false, limit: flags.limit },
        forgetResultSchema,
      );
      if (flags.json) return printJson(answer);
      const lines = [
        answer.dryRun
          ? `dry run: ${answer.people.length} people's records would be removed (journeys closed before ${answer.closedBefore}); nothing was removed — run again with --confirm`
          : `removed the records of ${answer.people.length} people (journeys closed before ${answer.closedBefore}), each written in the destruction log`,
      ];
      for (const p of answer.people) {
        const rows = Object.values(p.removed).reduce((sum, n) => sum + n, 0);
        lines.push(`  ${p.personId}  closed ${p.closedAt}  ${rows} rows, ${p.copiesRemoved} outbox files`);
      }
      if (answer.more) lines.push(`more than ${flags.limit} people are past the cut-off: run it again`);
      print(lines.join('\n'));
    });

  program
    .command('repair')
    .description(
      'Managers: repair a wedged journey (its workflow task keeps failing) by resetting it to its last good ' +
        'workflow task; signals received since are not replayed and are listed',
    )
    .argument('<personId>')
    .requiredOption('--reason <text>', 'why (recorded on the reset in Temporal)')
    .option('--json', 'print the API answer as JSON')
    .action(async (personId: string, flags: { reason: string; json?: boolean }) => {
      const answer = await apiClient().post(
        `/journeys/${encodeURIComponent(personId)}/repair`,
        { reason: flags.reason },
        repairResultSchema,
      );
      if (flags.json) printJson(answer);
      else print(formatRepairResult(answer));
    });

  program
    .command('health')
    .description('Is Temporal reachable, and is a worker polling? (exit code 1 if not)')
    .option('--json', 'print the API answer as JSON')
    .action(async (flags: { json?: boolean }) => {
      const answer = await apiClient().get('/healthz', healthSchema, {}, [503]);
      if (flags.json) printJson(answer);
      else print(formatHealth(answer));
      if (!answer.ok) throw new CliError('not healthy');
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end "successfully"; anything else is a usage mistake (already printed).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ImportExit) return err.code;
    if (err instanceof CliError) {
      io.stderr(`care: ${err.message}\n`);
      if (err.body && argv.includes('--json')) printJson(err.body);
      return 1;
    }
    if (err instanceof Error && err.name === 'ConfigError') {
      io.stderr(`care: ${err.message.replaceAll('\n', ' ')}\n`);
      return 1;
    }
    io.stderr(`care: unexpected error: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

/** The payload file of `care send`: a JSON object. */
function readEventData(file: string, io: CareIo): Record<string, unknown> {
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = jsonObject.safeParse(json);
  if (!parsed.success) throw new CliError(`${file} must hold a JSON object (the event's fields)`);
  return parsed.data;
}

if (require.main === module) {
  void runCare(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
