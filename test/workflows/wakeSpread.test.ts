import { derbyshire } from '../../machines';
import { RULES_VERSION } from '../../machines/journeyContext';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';
import { plannedNotices } from '../../workflows/notices';
import {
  OVERDUE_SPREAD_MS,
  REMINDER_SPREAD_MS,
  spreadOffsetMs,
  wakeSpreadOf,
} from '../../workflows/wakeSpread';
import { importEvent, parseImportRow } from '../../machines/importRow';
import { byMinute, importedCaseload } from '../support/importedCaseload';
import type { JourneyEvent } from '../../machines/events';
import { ev, isRasResult, pathToActivation } from '../support/journeyEvents';

/**
 * No timer storms: an imported caseload whose annual reviews share a day wakes over a window, not
 * at one instant; each journey's wake-ups are worked out from its person id alone (the same on
 * every replay); an overdue flag comes within the window after its instant, never before it; a
 * reminder within the window before its time, never after; the deadline itself stays exact.
 * Pure (the workflow's own JourneyRun); the timers themselves are held to it in clocks.test.ts.
 */

const IMPORTED_AT = '2027-03-01T09:00:00.000Z';
const REVIEWS_DUE_ON = '2027-06-15';

describe('an imported caseload whose annual reviews share a day', () => {
  const people = 1_000;
  const spread = importedCaseload({
    people,
    importedAt: IMPORTED_AT,
    reviewsDueOn: REVIEWS_DUE_ON,
    spreadWakeUps: true,
  });
  const exact = importedCaseload({
    people: 50,
    importedAt: IMPORTED_AT,
    reviewsDueOn: REVIEWS_DUE_ON,
    spreadWakeUps: false,
  });

  it('without the spread, every journey wakes at the same instant (the storm)', () => {
    expect(new Set(exact.map((p) => p.overdueWake)).size).toBe(1);
    expect(new Set(exact.map((p) => p.reminderWake)).size).toBe(1);
    expect(exact[0]!.overdueWake).toBe(exact[0]!.overdueAt);
  });

  it('every deadline stays exact: the same due and overdue instant for all', () => {
    expect(new Set(spread.map((p) => p.annualReview.dueAt)).size).toBe(1);
    expect(new Set(spread.map((p) => p.overdueAt)).size).toBe(1);
    expect(spread[0]!.annualReview.dueAt).toBe(exact[0]!.annualReview.dueAt);
  });

  it('overdue flags wake within the window after the instant, never before it', () => {
    for (const p of spread) {
      expect(p.overdueWake).toBeGreaterThanOrEqual(p.overdueAt);
      expect(p.overdueWake).toBeLessThan(p.overdueAt + OVERDUE_SPREAD_MS);
    }
  });

  it('reminders wake within the window before their time, never after it', () => {
    for (const p of spread) {
      expect(p.reminderWake).toBeLessThanOrEqual(p.reminderAt);
      expect(p.reminderWake).toBeGreaterThan(p.reminderAt - REMINDER_SPREAD_MS);
      // and the reminder is the journey's first wake-up after the import
      expect(p.firstWake).toBe(p.reminderWake);
    }
  });

  it('the wake-ups are spread over every minute of the window, none with three times its share', () => {
    for (const [wakes, windowMs] of [
      [spread.map((p) => p.overdueWake), OVERDUE_SPREAD_MS],
      [spread.map((p) => p.reminderWake), REMINDER_SPREAD_MS],
    ] as const) {
      const minutes = byMinute([...wakes]);
      expect(minutes).toHaveLength(windowMs / 60_000);
      const share = people / (windowMs / 60_000);
      expect(minutes[0]![1]).toBeLessThan(3 * share);
    }
  });

  it('is deterministic: the same person wakes at the same instant however often it is worked out', () => {
    const again = importedCaseload({
      people: 100,
      importedAt: IMPORTED_AT,
      reviewsDueOn: REVIEWS_DUE_ON,
      spreadWakeUps: true,
    });
    expect(again.map((p) => [p.overdueWake, p.reminderWake])).toEqual(
      spread.slice(0, 100).map((p) => [p.overdueWake, p.reminderWake]),
    );
    expect(spreadOffsetMs('person-1', OVERDUE_SPREAD_MS)).toBe(spreadOffsetMs('person-1', OVERDUE_SPREAD_MS));
    expect(spreadOffsetMs('person-1', OVERDUE_SPREAD_MS)).not.toBe(
      spreadOffsetMs('person-2', OVERDUE_SPREAD_MS),
    );
  });
});

describe('a journey with the spread', () => {
  const input = newJourneyInput('spread-one', 'person', { policyProfile: derbyshire, extraBankHolidays: [] });
  const start = '2027-01-04T10:00:00.000Z';
  const take = (run: JourneyRun, event: JourneyEvent) => {
    const verdict = run.judge(event, event.occurredAt, isRasResult(event) ? 'system' : 'outside');
    if (verdict.kind !== 'accept') throw new Error(`${event.type}: ${verdict.kind}`);
    run.apply(verdict.event, 'update', event.occurredAt);
  };
  const live = () => {
    const run = new JourneyRun(input, start, RULES_VERSION, { spreadWakeUps: true });
    for (const event of pathToActivation(start)) take(run, event);
    return run;
  };

  it('reaches a deadline dated by the deadline, however late it wakes, and not before it falls overdue', () => {
    const run = live();
    const informal = run.snapshot.context.deadlines.find((d) => d.kind === 'informalReview')!;
    const { afterMs } = wakeSpreadOf('spread-one');
    expect(run.deadlineWakeAt(informal)).toBe(Date.parse(informal.overdueAt) + afterMs);
    // woken by something else just before: nothing is reached
    run.reachDueDeadlines(new Date(Date.parse(informal.overdueAt) - 1).toISOString());
    expect(run.snapshot.context.deadlines.find((d) => d.id === informal.id)!.status).toBe('due');
    // woken at its own time: reached, and flagged as of the instant it fell overdue
    const wokeAt = new Date(run.deadlineWakeAt(informal)).toISOString();
    run.reachDueDeadlines(wokeAt);
    const reached = run.snapshot.context.deadlines.find((d) => d.id === informal.id)!;
    expect(reached).toMatchObject({ status: 'overdue', flaggedOverdueAt: informal.overdueAt });
    expect(run.timeline.at(-1)).toMatchObject({
      type: 'DEADLINE_REACHED',
      occurredAt: informal.overdueAt,
      recordedAt: wokeAt,
    });
  });

  it('sends a notice when it wakes for it, not before, and wakes for nothing already past', () => {
    const run = live();
    const firstReviewReminder = () =>
      plannedNotices(run.snapshot.context).find(
        (n) => n.kind === 'reminder' && n.deadline.kind === 'firstReview',
      )!;
    take(
      run,
      ev('INFORMAL_REVIEW_COMPLETED', new Date(Date.parse(start) + 10 * 86_400_000).toISOString(), {}),
    );
    const reminder = firstReviewReminder();
    const wake = run.noticeWakeAt(reminder);
    expect(wake).toBe(Date.parse(reminder.at) - wakeSpreadOf('spread-one').beforeMs);
    expect(run.nextWakeAt()).toBe(wake);
    run.queueDueNotices(new Date(wake - 1).toISOString());
    expect(run.jobs.filter((j) => j.kind === 'notice')).toHaveLength(0);
    run.queueDueNotices(new Date(wake).toISOString());
    expect(run.jobs.filter((j) => j.kind === 'notice').map((j) => j.id)).toEqual([`notice:${reminder.id}`]);
    // once sent, the next wake-up is a later one
    expect(run.nextWakeAt()).toBeGreaterThan(wake);
  });
});

it('an escalation due from the moment its clock was set (a review imported already overdue) goes at once, not spread', () => {
  const input = newJourneyInput('imported-overdue', 'person', {
    policyProfile: derbyshire,
    extraBankHolidays: [],
  });
  const run = new JourneyRun(input, IMPORTED_AT, RULES_VERSION, { spreadWakeUps: true });
  const parsed = parseImportRow({
    personId: 'imported-overdue',
    stage: 'liveSupport',
    team: 'north',
    personalBudget: '9360',
    budgetManagement: 'councilManaged',
    servicesStartedOn: '2024-01-10',
    lastReviewOn: '2025-12-01',
    nextReviewOn: '2026-12-01',
    lastMonitoringCheckOn: '2026-06-01',
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const event = importEvent(parsed.row, { file: 'f.csv', row: 2 }, IMPORTED_AT, {
    userId: 'import',
    role: 'integration',
  });
  const verdict = run.judge(event, IMPORTED_AT);
  if (verdict.kind !== 'accept') throw new Error(verdict.kind);
  run.apply(verdict.event, 'update', IMPORTED_AT);
  const review = run.snapshot.context.deadlines.find((d) => d.kind === 'annualReview')!;
  expect(review.status).toBe('overdue');
  const escalation = plannedNotices(run.snapshot.context).find(
    (n) => n.kind === 'escalation' && n.escalation === 1,
  )!;
  expect(escalation.at).toBe(IMPORTED_AT);
  expect(run.noticeWakeAt(escalation)).toBe(Date.parse(IMPORTED_AT));
  run.queueDueNotices(IMPORTED_AT);
  expect(run.jobs.filter((j) => j.kind === 'notice').map((j) => j.id)).toEqual([`notice:${escalation.id}`]);
  // the next one, on the rhythm, is at a shared instant (the start of a London day): spread after it
  const second = plannedNotices(run.snapshot.context).find(
    (n) => n.kind === 'escalation' && n.escalation === 2,
  )!;
  expect(run.noticeWakeAt(second)).toBe(Date.parse(second.at) + wakeSpreadOf('imported-overdue').afterMs);
});
