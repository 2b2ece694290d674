/**
 * Every bound on what a journey accepts, in one place (issue 10: nothing wedged). The event
 * catalogue (machines/events.ts) puts the field limits on its schemas, with a description saying
 * the limit, so the API's OpenAPI document shows them and a 400 names the field; the workflow
 * (workflows/journeyRun.ts) keeps a journey's carried state under its budget.
 *
 * The limits are generous for real casework (a referral summary of 10,000 characters is about four
 * pages) and small beside Temporal's 2 MB payload limit, which the carried state must stay under
 * for the journey to continue as new.
 */
export const limits = {
  /** ids: eventId, referralId, workerId, carerId, complaintId, … and a user's id */
  idChars: 200,
  /** short text: a name, a need, a council, a method, an item of a list */
  shortTextChars: 500,
  /** long text: a summary, details, reasons, notes, the plan's written sections */
  longTextChars: 10_000,
  /** any list in an event */
  listItems: 100,
} as const;

/**
 * Dates a journey can plausibly hold: every `occurredAt` and every local date in an event lies in
 * this window. Outside it the calendar cannot count working days (a move on 9999-12-31 plus six
 * weeks is past the year 9999) and no real case has such a date.
 */
export const dateWindow = { earliest: '1900-01-01', latest: '2200-12-31' } as const;

/** Whether a 'YYYY-MM-DD' date lies in the plausible window (strings of that shape sort as dates). */
export const localDateInWindow = (date: string): boolean =>
  date >= dateWindow.earliest && date <= dateWindow.latest;

const earliestMs = Date.parse(`${dateWindow.earliest}T00:00:00Z`);
const latestMs = Date.parse(`${dateWindow.latest}T23:59:59.999Z`);

/** Whether an ISO instant lies in the plausible window. */
export const instantInWindow = (instant: string): boolean => {
  const ms = Date.parse(instant);
  return Number.isFinite(ms) && ms >= earliestMs && ms <= latestMs;
};

/**
 * The budget of a journey's carried state: the JSON of what continue-as-new carries
 * (`JourneyRun.carry()`), in characters. Half of Temporal's 2 MB payload limit, so the workflow's
 * input, history and the Update results around it stay well clear. An event that would take the
 * state over it is refused, with the size and the limit.
 */
export const CARRIED_STATE_BUDGET_CHARS = 1_000_000;

/**
 * The journey's own bookkeeping carried from run to run (the ids of events applied, with their
 * R-TIM-3 fingerprints, and of notices sent) is kept to the newest that fit in this many characters,
 * so however long a journey runs its bookkeeping cannot use up the state budget above.
 */
export const CARRIED_BOOKKEEPING_CHARS = 250_000;

/**
 * Since 'national-scale-costs' a run carries the newest event ids (with their R-TIM-3 fingerprints)
 * that fit in this many characters: about 25 with ids of 36 characters, always including every
 * event whose case-record entry is still to be written. An older id sent again is answered from the
 * case-event store, which keeps every event a run committed (api/journeyClient.ts, `earlierUse`),
 * so the carried state stays under 16 KB at any age.
 */
export const CARRIED_IDS_CHARS = 4_000;

/** A refusal kept in the carried trail is cut to this many reasons of at most this many characters. */
export const CARRIED_REFUSAL_REASONS = 10;
export const CARRIED_REFUSAL_MESSAGE_CHARS = 1_000;

/** 1000000 as "1,000,000" (no Intl: this runs inside workflow code too). */
export const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
