import { englandAndWalesCalendar } from '../../machines/calendar';
import { derbyshire } from '../../machines';
import { RULES_VERSION } from '../../machines/journeyContext';
import { importEvent, parseImportRow } from '../../machines/importRow';
import type { Deadline } from '../../machines/types';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';
import { plannedNotices } from '../../workflows/notices';

/**
 * A council's caseload imported at once (`care import`), every person in live support with their
 * annual review on the same day: each row read as the CLI reads it (parseImportRow), made the
 * person's JOURNEY_IMPORTED event (importEvent), and judged and applied by the journey's own
 * JourneyRun, as the workflow does with the import's Update. Pure: no Temporal. What it gives is
 * when each journey would wake for the review's reminder and for its overdue flag.
 */
export interface ImportedWakeUps {
  personId: string;
  annualReview: Deadline;
  /** when the reminder is due (five working days before the review), and when the journey wakes to send it */
  reminderAt: number;
  reminderWake: number;
  /** when the review falls overdue, and when the journey wakes to flag it */
  overdueAt: number;
  overdueWake: number;
  /** the journey's first wake-up after the import (`nextWakeAt`) */
  firstWake: number | undefined;
}

export function importedCaseload(options: {
  people: number;
  importedAt: string;
  /** the day every annual review is due (YYYY-MM-DD) */
  reviewsDueOn: string;
  spreadWakeUps: boolean;
  prefix?: string;
}): ImportedWakeUps[] {
  const calendar = englandAndWalesCalendar();
  const lastReviewOn = calendar.addCalendarMonths(options.reviewsDueOn, -12);
  const teams = ['north', 'south', 'east', 'west'];
  const out: ImportedWakeUps[] = [];
  for (let i = 0; i < options.people; i++) {
    const personId = `${options.prefix ?? 'caseload'}-${String(i).padStart(5, '0')}`;
    const parsed = parseImportRow({
      personId,
      stage: 'liveSupport',
      team: teams[i % teams.length],
      personalBudget: String(5_000 + (i % 50) * 100),
      budgetManagement: 'councilManaged',
      servicesStartedOn: calendar.addCalendarMonths(lastReviewOn, -24),
      lastReviewOn,
      nextReviewOn: options.reviewsDueOn,
      // the check between reviews was made: the review is the only clock
      lastMonitoringCheckOn: calendar.addCalendarMonths(lastReviewOn, 6),
    });
    if (!parsed.ok) throw new Error(`row ${i}: ${parsed.problems.map((p) => p.message).join('; ')}`);
    const event = importEvent(
      parsed.row,
      { file: 'caseload.csv', row: i + 2, system: 'bench' },
      options.importedAt,
      {
        userId: 'import',
        role: 'integration',
      },
    );
    const run = new JourneyRun(
      newJourneyInput(
        personId,
        'person',
        { policyProfile: derbyshire, extraBankHolidays: [] },
        new Date(options.importedAt),
      ),
      options.importedAt,
      RULES_VERSION,
      { spreadWakeUps: options.spreadWakeUps },
    );
    const verdict = run.judge(event, options.importedAt);
    if (verdict.kind !== 'accept') throw new Error(`row ${i}: ${verdict.kind} ${JSON.stringify(verdict)}`);
    run.apply(verdict.event, 'update', options.importedAt);
    const annualReview = run.snapshot.context.deadlines.find(
      (d) => d.kind === 'annualReview' && d.status === 'due',
    );
    const reminder = plannedNotices(run.snapshot.context).find(
      (n) => n.kind === 'reminder' && n.deadline.id === annualReview?.id,
    );
    if (!annualReview || !reminder) throw new Error(`row ${i}: no annual review with a reminder`);
    out.push({
      personId,
      annualReview,
      reminderAt: Date.parse(reminder.at),
      reminderWake: run.noticeWakeAt(reminder),
      overdueAt: Date.parse(annualReview.overdueAt),
      overdueWake: run.deadlineWakeAt(annualReview),
      firstWake: run.nextWakeAt(),
    });
  }
  return out;
}

/** How many wake-ups fall in each minute, busiest first: [minute start (ISO), count]. */
export function byMinute(instants: number[]): [string, number][] {
  const counts = new Map<number, number>();
  for (const t of instants) {
    const minute = Math.floor(t / 60_000) * 60_000;
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([minute, n]) => [new Date(minute).toISOString(), n]);
}
