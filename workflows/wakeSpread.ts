import { fnv1a64 } from './eventDigest';

/**
 * No timer storms (patched 'national-scale-costs'). Every deadline falls due at the same instant of
 * its day (the end of a working day, in London), so a council's imported caseload, whose annual
 * reviews share a day, would wake all at once: thousands of workflow tasks, most of them replays of
 * journeys the worker no longer caches, in the same second. Each journey's wake-ups are moved by an
 * amount of its own, worked out from its person id alone (deterministic: the same on every replay
 * and in every run), within a bounded window:
 *
 * - an obligation is flagged overdue, and its escalations go out, up to OVERDUE_SPREAD_MS **after**
 *   the instant (nobody acts on a case at midnight; the deadline's dueAt and overdueAt, the
 *   DEADLINE_REACHED event's occurredAt and what the lists report as overdue-since stay exact);
 * - a reminder goes up to REMINDER_SPREAD_MS **before** its instant, never after: a reminder is
 *   never later than it is meant to be.
 *
 * An effective date (services ending, a move taking effect) is not moved: it changes what the
 * journey is, and such dates are the person's own, not a caseload's. Nor is an escalation due from
 * the moment its deadline was set (a review imported already overdue escalates at the import): an
 * import is spread by its own pace, and that escalation is no instant a caseload shares.
 */

/** How far after an obligation's overdue instant its flag (and escalations) may go. */
export const OVERDUE_SPREAD_MS = 60 * 60_000;
/** How far before its instant a reminder may go. */
export const REMINDER_SPREAD_MS = 60 * 60_000;

/**
 * Where in the window this person's wake-ups fall, as a fraction in [0, 1): the FNV-1a hash of the
 * person id (workflows/eventDigest.ts), its two halves folded and then mixed by MurmurHash3's
 * finaliser. FNV-1a alone barely moves its low bits for ids that differ only in their last
 * character (a caseload numbered 1, 2, 3… fell on 20 distinct minutes); the finaliser spreads them
 * over the whole window.
 */
export function spreadFraction(personId: string): number {
  const hex = fnv1a64(`wake:${personId}`);
  let h = (parseInt(hex.slice(0, 8), 16) ^ parseInt(hex.slice(8), 16)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 2 ** 32;
}

/** This person's offset in a window of `windowMs`: a whole number of milliseconds in [0, windowMs). */
export function spreadOffsetMs(personId: string, windowMs: number): number {
  return Math.floor(spreadFraction(personId) * windowMs);
}

/** The offsets a journey applies: after for overdue flags and escalations, before for reminders. */
export interface WakeSpread {
  afterMs: number;
  beforeMs: number;
}

export function wakeSpreadOf(personId: string): WakeSpread {
  return {
    afterMs: spreadOffsetMs(personId, OVERDUE_SPREAD_MS),
    beforeMs: spreadOffsetMs(personId, REMINDER_SPREAD_MS),
  };
}
