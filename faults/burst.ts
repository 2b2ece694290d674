import { journeyToFirstReview } from '../bench/scenario';
import type { JourneyEvent } from '../machines/events';
import { ev } from '../test/support/journeyEvents';
import { ApiDriver, caseRecordIds, outboxIds, pool } from './drive';
import type { Stack } from './stack';

/**
 * Fault 1: the worker process is killed (SIGKILL, no goodbye) while a burst of events goes in over
 * HTTP, and started again each time. Then every journey is read back and the outbox is counted:
 * each accepted event must be in its journey's timeline exactly once and on the case record once,
 * and each journey must have exactly the letters its road sends (its decision, its indicative budget, its plan, its review outcome),
 * no fewer and no more.
 */

/** Events each journey sends: referral to first review (14, the RAS result is the journey's own) and three complaints raised and resolved. */
export const EVENTS_PER_JOURNEY = 20;
/**
 * The letters that road sends, once each: from rules edition 4 the eligibility decision (R-ASM-5)
 * and the indicative budget as shared (R-IB-3) too.
 */
export const LETTERS_PER_JOURNEY = [
  'decisionLetter',
  'indicativeBudgetLetter',
  'planCopy',
  'reviewOutcome',
] as const;

export function burstJourneyEvents(nowMs: number): JourneyEvent[] {
  const events = journeyToFirstReview(nowMs);
  for (let i = 0; i < 3; i++) {
    const at = (k: number) => new Date(nowMs - 50_000 + i * 2_000 + k).toISOString();
    events.push(
      ev('COMPLAINT_RAISED', at(0), { complaintId: `c${i}`, about: 'service', details: 'visits late' }),
      ev('COMPLAINT_RESOLVED', at(1), { complaintId: `c${i}`, outcome: 'apology and new visit times' }),
    );
  }
  return events;
}

export interface BurstResult {
  journeys: number;
  /** events sent (each until the API answered) */
  sent: number;
  /** events the API accepted */
  accepted: number;
  /** accepted events found once in their journey's timeline */
  present: number;
  /** accepted events found more than once */
  doubled: number;
  /** accepted events not found */
  lost: number;
  /** timeline entries nobody sent that are not the journey's own (RAS result, deadlines) */
  unexpected: number;
  caseRecordMissing: number;
  lettersExpected: number;
  lettersMissing: number;
  lettersDoubled: number;
  workerKills: number;
  resends: number;
  unanswered: Record<string, number>;
  refused: { personId: string; eventId: string; status: number; error: string }[];
  seconds: number;
}

export async function runBurst(
  stack: Stack,
  options: {
    events: number;
    /** kill -9 the worker when these fractions of the events have been accepted */
    killAt: number[];
    concurrency: number;
    label: string;
    log?: (line: string) => void;
  },
): Promise<BurstResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const journeys = Math.ceil(options.events / EVENTS_PER_JOURNEY);
  if (journeys * EVENTS_PER_JOURNEY !== options.events)
    throw new Error(`events must be a multiple of ${EVENTS_PER_JOURNEY}`);
  const driver = new ApiDriver(stack.apiUrl, stack.token);
  const people = Array.from({ length: journeys }, (_, i) => `F-${options.label}-${i + 1}`);
  const roads = new Map(people.map((p) => [p, burstJourneyEvents(Date.now())]));

  // The killer watches the accepted count and kills the worker at each mark, then starts a new one.
  const marks = options.killAt.map((f) => Math.floor(f * options.events)).sort((a, b) => a - b);
  let kills = 0;
  let done = false;
  const killer = (async () => {
    for (const mark of marks) {
      while (!done && driver.stats.accepted < mark) await new Promise((r) => setTimeout(r, 20));
      if (done) return;
      log(`${driver.stats.accepted} events accepted: kill -9 the worker`);
      await stack.killWorker();
      kills++;
      await stack.startWorker();
    }
  })();
  await pool(people, options.concurrency, (personId) => driver.drive(personId, roads.get(personId)!));
  done = true;
  await killer;
  log(`burst driven in ${Math.round((Date.now() - started) / 1000)} s: ${driver.stats.accepted} accepted`);

  // Count. Letters and case-record entries are activities: give them time to finish.
  let result: BurstResult | undefined;
  const settleUntil = Date.now() + 90_000;
  for (;;) {
    result = await count();
    const settled = result.lost === 0 && result.caseRecordMissing === 0 && result.lettersMissing === 0;
    if (settled || Date.now() > settleUntil) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return result;

  async function count(): Promise<BurstResult> {
    let present = 0;
    let doubled = 0;
    let lost = 0;
    let unexpected = 0;
    let caseRecordMissing = 0;
    await pool(people, 4, async (personId) => {
      const { timeline } = await driver.detail(personId);
      const accepted = driver.stats.acceptedIds.get(personId) ?? [];
      const times = new Map<string, number>();
      for (const entry of timeline) times.set(entry.eventId, (times.get(entry.eventId) ?? 0) + 1);
      for (const id of accepted) {
        const n = times.get(id) ?? 0;
        if (n === 1) present++;
        else if (n === 0) lost++;
        else doubled++;
      }
      const acceptedSet = new Set(accepted);
      unexpected += timeline.filter((e) => !acceptedSet.has(e.eventId) && e.actor.role !== 'system').length;
      // a case-record entry's id is its event's id (workflows/journeyRun.ts)
      const recorded = new Set(caseRecordIds(stack.config.outboxDir, personId));
      caseRecordMissing += timeline.filter((e) => !recorded.has(e.eventId)).length;
    });
    const letters = new Map<string, number>();
    for (const id of outboxIds(stack.config.outboxDir, 'letters')) {
      const [personId, , kind] = splitLetterId(id);
      letters.set(`${personId}|${kind}`, (letters.get(`${personId}|${kind}`) ?? 0) + 1);
    }
    let lettersMissing = 0;
    let lettersDoubled = 0;
    for (const personId of people) {
      for (const kind of LETTERS_PER_JOURNEY) {
        const n = letters.get(`${personId}|${kind}`) ?? 0;
        if (n === 0) lettersMissing++;
        if (n > 1) lettersDoubled += n - 1;
      }
    }
    // any other letter for these people is one too many
    for (const [key, n] of letters) {
      const [personId, kind] = key.split('|') as [string, string];
      if (people.includes(personId) && !(LETTERS_PER_JOURNEY as readonly string[]).includes(kind))
        lettersDoubled += n;
    }
    return {
      journeys,
      sent: options.events,
      accepted: driver.stats.accepted,
      present,
      doubled,
      lost,
      unexpected,
      caseRecordMissing,
      lettersExpected: journeys * LETTERS_PER_JOURNEY.length,
      lettersMissing,
      lettersDoubled,
      workerKills: kills,
      resends: driver.stats.resends,
      unanswered: driver.stats.unanswered,
      refused: driver.stats.refused,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  }
}

/** A letter id is `<person>:<eventId>:<kind>` (machines/journeyMachine.ts). */
function splitLetterId(id: string): [string, string, string] {
  const first = id.indexOf(':');
  const last = id.lastIndexOf(':');
  return [id.slice(0, first), id.slice(first + 1, last), id.slice(last + 1)];
}
