import { derbyshire } from '../../machines';
import type { JourneyEvent } from '../../machines/events';
import { RULES_VERSION } from '../../machines/journeyContext';
import { completionOf, COMPLETE_BEFORE_DUE_MS, nextReviewCycleDeadline } from '../../bench/scenario';
import { newJourneyInput, type JourneyWorkflowInput } from '../../workflows/definitions';
import { RECEIPT_MAX_BYTES } from '../../workflows/eventReceipt';
import { JourneyRun } from '../../workflows/journeyRun';
import { RUN_MAX_AGE_MS } from '../../workflows/journey.workflow';
import { ev, isRasResult, pathToActivation } from '../support/journeyEvents';

/**
 * Bounded carried state ('national-scale-costs'): what continue-as-new carries stays under 16 KB
 * however old the journey — here thirty years of reviews, checks and other events, continuing as
 * new every two years as the workflow does — and the journey decides exactly as it would with
 * everything carried: the same verdict on every event, the same next steps and allowed events.
 * Every Update's receipt stays under 1 KB. Pure (the workflow's own JourneyRun); the ten-year
 * journey on the time-skipping server is in scale.test.ts.
 */

const START = '2027-01-04T10:00:00.000Z';
const YEAR_MS = 365.25 * 86_400_000;
const YEARS = 30;
const BOUND = 16 * 1024;
const base = newJourneyInput(
  'thirty-years',
  'person',
  { policyProfile: derbyshire, extraBankHolidays: [] },
  new Date(START),
);

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** One journey under both carries, in lockstep: `bounded` as the workflow now runs, `full` as before. */
class Twins {
  bounded: JourneyRun;
  full: JourneyRun;
  inputs: { at: string; bytes: number }[] = [];
  receipts: number[] = [];
  constructor() {
    this.bounded = new JourneyRun(base, START, RULES_VERSION, { boundedCarry: true, spreadWakeUps: true });
    this.full = new JourneyRun(base, START, RULES_VERSION, { boundedCarry: false, spreadWakeUps: true });
  }

  take(event: JourneyEvent, now: string): void {
    const from = isRasResult(event) ? 'system' : 'outside';
    const verdict = this.bounded.judge(event, now, from);
    const before = this.full.judge(event, now, from);
    expect([event.type, verdict.kind]).toEqual([event.type, before.kind]);
    if (verdict.kind !== 'accept' || before.kind !== 'accept')
      throw new Error(`${event.type}: ${verdict.kind}`);
    const applied = this.bounded.tryApply(verdict.event, 'update', now);
    this.full.tryApply(before.event, 'update', now);
    if (!applied.ok) throw new Error(`${event.type} not applied`);
    this.receipts.push(bytes(this.bounded.receipt('applied', verdict.event.eventId, applied.entry.from)));
    this.settle(now);
  }

  /** What the workflow does after each event and wake-up: deadlines reached, notices queued, jobs done. */
  settle(now: string): void {
    for (const run of [this.bounded, this.full]) {
      run.reachDueDeadlines(now);
      run.queueDueNotices(now);
      run.jobs = [];
    }
  }

  continueAsNew(now: string): void {
    const carried = this.bounded.carry(now);
    const input: JourneyWorkflowInput = { ...base, bankHolidays: undefined, carried };
    this.inputs.push({ at: now, bytes: bytes(input) });
    this.bounded = new JourneyRun(input, now, RULES_VERSION, { boundedCarry: true, spreadWakeUps: true });
    this.full = new JourneyRun(
      { ...base, bankHolidays: undefined, carried: this.full.carry(now) },
      now,
      RULES_VERSION,
      { boundedCarry: false, spreadWakeUps: true },
    );
    // what the journey decides by is the same, whichever was carried
    const mine = this.bounded.view();
    const before = this.full.view();
    expect(mine.allowedEvents).toEqual(before.allowedEvents);
    expect(mine.notAllowedNow).toEqual(before.notAllowedNow);
    expect(mine.nextSteps).toEqual(before.nextSteps);
    expect(mine.stage).toBe(before.stage);
    const open = (v: typeof mine) => v.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue');
    expect(open(mine)).toEqual(open(before));
    expect(this.bounded.nextWakeAt()).toBe(this.full.nextWakeAt());
    expect(this.bounded.lastEventAt()).toBe(this.full.lastEventAt());
  }
}

describe('a thirty-year journey, continuing as new every two years', () => {
  const twins = new Twins();
  const sent: JourneyEvent[] = [];
  const send = (event: JourneyEvent, now = event.occurredAt) => {
    sent.push(event);
    twins.take(event, now);
  };
  for (const event of pathToActivation(START)) send(event);
  const end = Date.parse(START) + YEARS * YEAR_MS;
  let runStarted = Date.parse(START);
  let extraYear = 0;
  for (;;) {
    const due = nextReviewCycleDeadline(twins.bounded.snapshot.context.deadlines);
    if (!due) throw new Error('no review-cycle deadline open');
    const at = Date.parse(due.dueAt) - COMPLETE_BEFORE_DUE_MS;
    if (at > end) break;
    if (at - runStarted > RUN_MAX_AGE_MS) {
      runStarted += RUN_MAX_AGE_MS;
      const now = new Date(runStarted).toISOString();
      twins.settle(now);
      twins.continueAsNew(now);
    }
    const now = new Date(at).toISOString();
    twins.settle(now);
    send(completionOf(due.kind, now));
    // and more of what a year brings: the allocated worker changes, a concern is raised and reviewed
    const year = Math.floor((at - Date.parse(START)) / YEAR_MS);
    if (year > extraYear && due.kind === 'annualReview') {
      extraYear = year;
      const later = new Date(at + 3 * 86_400_000).toISOString();
      send(ev('WORKER_ALLOCATED', later, { team: 'north', workerId: `worker.${year}` }));
      send(ev('UNSCHEDULED_REVIEW_REQUESTED', later, { trigger: 'providerAlert' }));
      send(completionOf('annualReview', new Date(at + 10 * 86_400_000).toISOString()));
    }
  }

  it('continued as new every two years', () => {
    expect(twins.inputs.length).toBeGreaterThanOrEqual(14);
  });

  it('carried under 16 KB at every continue-as-new, without growing with age', () => {
    for (const input of twins.inputs) expect([input.at, input.bytes < BOUND]).toEqual([input.at, true]);
    const sizes = twins.inputs.map((i) => i.bytes);
    // the last decade carries no more than the first (bounded, not merely slow to grow)
    const firstDecade = Math.max(...sizes.slice(0, 5));
    expect(Math.max(...sizes.slice(-5))).toBeLessThanOrEqual(firstDecade + 512);
  });

  it('every receipt was under 1 KB', () => {
    expect(twins.receipts.length).toBe(sent.length);
    expect(Math.max(...twins.receipts)).toBeLessThan(RECEIPT_MAX_BYTES);
  });

  it('still recognises the newest events it was sent (R-TIM-3): the same is a duplicate, a different one a conflict', () => {
    const last = sent.at(-1)!;
    expect(twins.bounded.judge(last, last.occurredAt).kind).toBe('duplicate');
    expect(twins.bounded.judge({ ...last, occurredAt: START }, last.occurredAt).kind).toBe('conflict');
  });

  it('knows where each earlier run ended, for the store to answer for ids it no longer carries', () => {
    const ends = twins.bounded.runEnds;
    expect(ends.map(([run]) => run)).toEqual(ends.map((_, i) => i + 1));
    expect(ends.every(([, applied]) => applied > 0)).toBe(true);
  });
});

it('a receipt stays under 1 KB with the longest event id the catalogue allows', () => {
  const run = new JourneyRun(base, START, RULES_VERSION, { boundedCarry: true });
  for (const event of pathToActivation(START)) {
    const verdict = run.judge(event, event.occurredAt, isRasResult(event) ? 'system' : 'outside');
    if (verdict.kind === 'accept') run.apply(verdict.event, 'update', event.occurredAt);
  }
  const longId = 'x'.repeat(200);
  const event = ev(
    'UNSCHEDULED_REVIEW_REQUESTED',
    '2027-03-01T10:00:00.000Z',
    { trigger: 'providerAlert' },
    { eventId: longId },
  );
  const verdict = run.judge(event, event.occurredAt);
  if (verdict.kind !== 'accept') throw new Error(verdict.kind);
  const applied = run.tryApply(verdict.event, 'update', event.occurredAt);
  if (!applied.ok) throw new Error('not applied');
  const receipt = run.receipt('applied', longId, applied.entry.from);
  expect(receipt.nextSteps.length).toBeGreaterThan(0);
  expect(bytes(receipt)).toBeLessThan(RECEIPT_MAX_BYTES);
});
