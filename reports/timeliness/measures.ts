import type { PolicyProfile } from '../../machines/policyProfile';
import type { Queryable } from '../../store/database';
import { loadMapping, type CldMapping } from '../cld/config';
import { loadJourneyFacts } from '../journeyFacts';
import { londonDate, periodEnd, type ReportingPeriod } from '../period';
import { datesOfBirth as storeDatesOfBirth } from './datesOfBirth';
import { measureDefinitions, type MeasureDefinition, type MeasureId, type Verdict } from './definitions';
import {
  dhscAgeBands,
  dhscLeftOutReasons,
  dhscLeftOutWords,
  dhscMethod,
  dhscWaitInPeriod,
  dhscWaits,
  type DhscAgeBand,
  type DhscLeftOut,
  type DhscMethod,
  type DhscRequestWait,
} from './dhscWaitingTimes';
import { deadlineVerdicts, endLetterVerdicts, journeyEndOf } from './verdicts';
import { ownWaitingTimeDefinitions, ownWaitsOf, waitingTimeOf, type WaitingTime } from './waitingTimes';

/**
 * How many of the statutory clocks were met, per team and period, from the case-event store, each
 * measure with its definition (definitions.ts: the rule, the instant it is judged at, what counts as
 * met, met late, missed, not counted, open; verdicts.ts applies them), and the waiting times: the
 * project's own medians (waitingTimes.ts) beside DHSC's published method (dhscWaitingTimes.ts).
 *
 * The store is read as it is now: a deadline met late after the period, or a death recorded after
 * it, is known. `asOf` is the last instant the store has an entry for; a clock judged after it is
 * still open.
 */

export { measureIds, type MeasureId, type Verdict } from './definitions';
export type { WaitingTime } from './waitingTimes';

export interface MeasureCount {
  measure: MeasureId;
  ruleId: string;
  description: string;
  met: number;
  metLate: number;
  missed: number;
  notCounted: number;
  open: number;
  /** met + metLate + missed + open: the cases the measure counts */
  total: number;
}

export interface DhscTeamWaits {
  /** Stage 4.2's medians, by the age band of the event waited for */
  firstResponse: Record<DhscAgeBand, WaitingTime>;
  firstService: Record<DhscAgeBand, WaitingTime>;
  /** the requests begun in the period, and why those not in the figures are not */
  requests: { begun: number; leftOut: Record<DhscLeftOut, number> };
}

export interface TeamTimeliness {
  team: string;
  measures: MeasureCount[];
  referralToAssessment: WaitingTime;
  referralToServices: WaitingTime;
  dhscWaitingTimes: DhscTeamWaits;
}

export interface TimelinessReport {
  period: ReportingPeriod;
  /** the team asked for, if one was */
  team?: string;
  /** the last instant the store has an entry for: what the figures know up to */
  asOf: string;
  /** the council whose profile the definitions and R-END-1's notice come from */
  council: string;
  definitions: MeasureDefinition[];
  waitingTimeDefinitions: {
    referralToAssessment: string;
    referralToServices: string;
    dhsc: DhscMethod & {
      /** whether the person record's dates of birth were there to apply Stage 1.3b */
      datesOfBirth: 'personRecord' | 'notApplied';
      leftOut: Record<DhscLeftOut, string>;
    };
  };
  /** every team with anything in the period, by name; journeys with no team under "(unallocated)" */
  teams: TeamTimeliness[];
  /** all of them together */
  overall: TeamTimeliness;
}

export interface TimelinessOptions {
  /** the council's policy profile: the measures' numbers and R-END-1's working days */
  profile: PolicyProfile;
  /** the council's bank holidays beyond England and Wales's (temporal.config.ts) */
  extraBankHolidays?: readonly string[];
  team?: string;
  /** the CLD mapping DHSC's method reads the journey's events through (reports/cld/mapping.json) */
  mapping?: CldMapping;
  /** what the figures know up to; default: the last entry in the store */
  asOf?: string;
}

export const UNALLOCATED = '(unallocated)';

/** Everything that far ahead: the store is read as it is now. */
const everything = '9999-12-31T23:59:59.999Z';

/** The last instant the store has a case-record entry for (the period's end when it has none). */
async function lastEntryAt(db: Queryable, fallback: string): Promise<string> {
  const { rows } = await db.query<{ at: Date | string | null }>(
    'SELECT max(recorded_at) AS at FROM case_records',
  );
  const at = rows[0]?.at;
  return at ? new Date(at).toISOString() : fallback;
}

interface Bucket {
  found: [MeasureId, Verdict][];
  assessment: number[];
  services: number[];
  dhsc: DhscRequestWait[];
}
const emptyBucket = (): Bucket => ({ found: [], assessment: [], services: [], dhsc: [] });

function dhscOf(waits: DhscRequestWait[], period: ReportingPeriod): DhscTeamWaits {
  const byBand = (pick: (w: DhscRequestWait) => DhscRequestWait['firstResponse']) =>
    Object.fromEntries(
      dhscAgeBands.map((band) => [
        band,
        waitingTimeOf(
          waits
            .map(pick)
            .filter((w) => w !== undefined && w.band === band && dhscWaitInPeriod(w, period))
            .map((w) => w!.days),
        ),
      ]),
    ) as Record<DhscAgeBand, WaitingTime>;
  const begun = waits.filter((w) => w.requestStart >= period.from && w.requestStart <= period.to);
  return {
    firstResponse: byBand((w) => w.firstResponse),
    firstService: byBand((w) => w.firstService),
    requests: {
      begun: begun.length,
      leftOut: Object.fromEntries(
        dhscLeftOutReasons.map((reason) => [reason, begun.filter((w) => w.leftOut === reason).length]),
      ) as Record<DhscLeftOut, number>,
    },
  };
}

function teamOf(name: string, bucket: Bucket, definitions: MeasureDefinition[], period: ReportingPeriod) {
  return {
    team: name,
    measures: definitions.map(({ measure, ruleId, description }): MeasureCount => {
      const mine = bucket.found.filter(([m]) => m === measure).map(([, v]) => v);
      const count = (v: Verdict) => mine.filter((x) => x === v).length;
      return {
        measure,
        ruleId,
        description,
        met: count('met'),
        metLate: count('metLate'),
        missed: count('missed'),
        notCounted: count('notCounted'),
        open: count('open'),
        total: mine.length - count('notCounted'),
      };
    }),
    referralToAssessment: waitingTimeOf(bucket.assessment),
    referralToServices: waitingTimeOf(bucket.services),
    dhscWaitingTimes: dhscOf(bucket.dhsc, period),
  };
}

/** Whether a request's DHSC figures touch the period (begun in it, or a wait counted in it). */
const dhscTouches = (w: DhscRequestWait, period: ReportingPeriod) =>
  (w.requestStart >= period.from && w.requestStart <= period.to) ||
  (w.firstResponse !== undefined && dhscWaitInPeriod(w.firstResponse, period)) ||
  (w.firstService !== undefined && dhscWaitInPeriod(w.firstService, period));

export async function timelinessReport(
  db: Queryable,
  period: ReportingPeriod,
  options: TimelinessOptions,
): Promise<TimelinessReport> {
  const { profile } = options;
  const extraBankHolidays = options.extraBankHolidays ?? [];
  const definitions = measureDefinitions(profile);
  const [journeys, asOf, born] = await Promise.all([
    loadJourneyFacts(db, everything),
    options.asOf ?? lastEntryAt(db, periodEnd(period)),
    storeDatesOfBirth(db),
  ]);
  const dhsc = dhscWaits(journeys, {
    mapping: options.mapping ?? loadMapping(),
    datesOfBirth: born ?? new Map(),
    period,
    asOfDate: londonDate(asOf),
  });
  const byTeam = new Map<string, Bucket>();
  const all = emptyBucket();
  const bucketOf = (team: string | undefined) => {
    const name = team ?? UNALLOCATED;
    const bucket = byTeam.get(name) ?? emptyBucket();
    byTeam.set(name, bucket);
    return bucket;
  };
  const wanted = (team: string | undefined) =>
    options.team === undefined || (team ?? UNALLOCATED) === options.team;
  for (const facts of journeys) {
    if (!wanted(facts.team)) continue;
    const end = journeyEndOf(facts, profile);
    const found = [
      ...deadlineVerdicts(facts, period, { profile, asOf, end }),
      ...endLetterVerdicts(facts, period, { profile, extraBankHolidays }),
    ];
    const waits = ownWaitsOf(facts, period);
    if (!found.length && waits.assessment === undefined && waits.services === undefined) continue;
    for (const bucket of [bucketOf(facts.team), all]) {
      bucket.found.push(...found);
      if (waits.assessment !== undefined) bucket.assessment.push(waits.assessment);
      if (waits.services !== undefined) bucket.services.push(waits.services);
    }
  }
  for (const w of dhsc) {
    if (!wanted(w.team) || !dhscTouches(w, period)) continue;
    bucketOf(w.team).dhsc.push(w);
    all.dhsc.push(w);
  }
  const teams = [...byTeam.keys()].sort().map((team) => teamOf(team, byTeam.get(team)!, definitions, period));
  return {
    period,
    ...(options.team !== undefined ? { team: options.team } : {}),
    asOf,
    council: profile.council,
    definitions,
    waitingTimeDefinitions: {
      ...ownWaitingTimeDefinitions,
      dhsc: {
        ...dhscMethod,
        datesOfBirth: born ? 'personRecord' : 'notApplied',
        leftOut: dhscLeftOutWords,
      },
    },
    teams,
    overall: teamOf(options.team ?? 'all teams', all, definitions, period),
  };
}
