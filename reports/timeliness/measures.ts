import { englandAndWalesCalendar } from '../../machines/calendar';
import type { Deadline, DeadlineKind } from '../../machines/types';
import type { Queryable } from '../../store/database';
import { loadJourneyFacts, stageOfLabel, type JourneyFacts } from '../journeyFacts';
import { inPeriod, londonDate, periodEnd, type ReportingPeriod } from '../period';

/**
 * How many of the statutory clocks were met (issue 15 point 4), per team and period, from the
 * case-event store. Each deadline counts in the period its overdue instant falls in (when it had
 * to be met by), as:
 * - met: met by its real date and recorded in time;
 * - metLate: met after it fell overdue, or met by its real date but entered after the journey had
 *   flagged it overdue (R-TIM-2: a back-dated entry counts as late, never as "met on time");
 * - missed: overdue and not met (open or cancelled after it was flagged);
 * - open: not yet due.
 * A deadline cancelled before it fell overdue (the journey ended otherwise) no longer applied and
 * is not counted.
 */

export const measureIds = [
  'emergencyAssessmentStart',
  'informalReview',
  'firstReview',
  'annualReview',
  'endLetterNotice',
  'directPaymentNotice',
] as const;
export type MeasureId = (typeof measureIds)[number];

export const measureDefinitions: Record<MeasureId, { ruleId: string; description: string }> = {
  emergencyAssessmentStart: {
    ruleId: 'R-EMG-1',
    description: 'Emergency: the formal assessment begun within 3 working days of interim support',
  },
  informalReview: { ruleId: 'R-REV-1', description: 'Informal review at 72 hours after services start' },
  firstReview: { ruleId: 'R-REV-2', description: 'First review within 8 weeks of services starting' },
  annualReview: { ruleId: 'R-REV-3', description: 'Reviews at intervals of no more than 12 months' },
  endLetterNotice: {
    ruleId: 'R-END-1',
    description: "Services ended with at least 10 working days' notice from the letter's posting",
  },
  directPaymentNotice: {
    ruleId: 'R-END-2',
    description: "Direct payment agreements ended with 4 weeks' written notice",
  },
};

const byDeadlineKind: Partial<Record<MeasureId, DeadlineKind>> = {
  emergencyAssessmentStart: 'emergencyAssessmentStart',
  informalReview: 'informalReview',
  firstReview: 'firstReview',
  annualReview: 'annualReview',
};

export type Verdict = 'met' | 'metLate' | 'missed' | 'open';

export interface MeasureCount {
  measure: MeasureId;
  ruleId: string;
  description: string;
  met: number;
  metLate: number;
  missed: number;
  open: number;
  total: number;
}

export interface WaitingTime {
  /** how many cases it is the median of */
  cases: number;
  /** calendar days (London dates), or null with no cases */
  medianDays: number | null;
}

export interface TeamTimeliness {
  team: string;
  measures: MeasureCount[];
  referralToAssessment: WaitingTime;
  referralToServices: WaitingTime;
}

export interface TimelinessReport {
  period: ReportingPeriod;
  /** the team asked for, if one was */
  team?: string;
  /** every team with anything in the period, by name; journeys with no team under "(unallocated)" */
  teams: TeamTimeliness[];
  /** all of them together */
  overall: TeamTimeliness;
}

export const UNALLOCATED = '(unallocated)';

/** R-TIM-2 and the definitions above: one deadline's verdict; undefined when it no longer applied. */
export function verdictOf(d: Deadline): Verdict | undefined {
  switch (d.status) {
    case 'met':
      return d.recordedLate ? 'metLate' : 'met';
    case 'metLate':
      return 'metLate';
    case 'overdue':
      return 'missed';
    case 'due':
      return 'open';
    case 'cancelled':
      return d.flaggedOverdueAt ? 'missed' : undefined;
    case 'takenEffect':
      return 'met';
  }
}

const calendar = englandAndWalesCalendar();
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each verdict of one journey in the period, by measure. */
function verdictsOf(facts: JourneyFacts, period: ReportingPeriod): [MeasureId, Verdict][] {
  const found: [MeasureId, Verdict][] = [];
  for (const [measure, kind] of Object.entries(byDeadlineKind) as [MeasureId, DeadlineKind][]) {
    for (const d of facts.deadlines) {
      if (d.kind !== kind || !inPeriod(londonDate(d.overdueAt), period)) continue;
      const verdict = verdictOf(d);
      if (verdict) found.push([measure, verdict]);
    }
  }
  // R-END-1: the end date at least 10 working days after the letter is posted.
  for (const letter of facts.letters) {
    if (letter.letter !== 'serviceEndLetter') continue;
    const postedOn = letter.data.postedOn as string | undefined;
    const endDate = letter.data.endDate as string | undefined;
    if (!postedOn || !endDate || !inPeriod(postedOn, period)) continue;
    found.push(['endLetterNotice', calendar.addWorkingDays(postedOn, 10) <= endDate ? 'met' : 'missed']);
  }
  // R-END-2: the agreement ends 4 weeks after the notice; a notice still running is open.
  for (const d of facts.deadlines) {
    if (d.kind !== 'directPaymentAgreementEnd' || !inPeriod(londonDate(d.dueAt), period)) continue;
    const verdict = verdictOf(d);
    if (verdict) found.push(['directPaymentNotice', verdict]);
  }
  return found;
}

/** Days from the referral to the first assessment begun, and to the first service, in the period. */
function waitsOf(facts: JourneyFacts, period: ReportingPeriod): { assessment?: number; services?: number } {
  const waits: { assessment?: number; services?: number } = {};
  let referral: string | undefined;
  let assessed = false;
  let served = false;
  for (const e of facts.events) {
    if (e.type === 'REFERRAL_RECEIVED' && stageOfLabel(e.from) === 'awaitingReferral')
      referral = e.occurredAt;
    if (!referral) continue;
    const day = londonDate(e.occurredAt);
    if (!assessed && e.type === 'ASSESSMENT_STARTED') {
      assessed = true;
      if (inPeriod(day, period)) waits.assessment = daysBetween(londonDate(referral), day);
    }
    const serviceStarts =
      e.type === 'INTERIM_SUPPORT_STARTED' ||
      e.type === 'SERVICES_ACTIVATED' ||
      (e.type === 'TRIAGED' && stageOfLabel(e.to) === 'shortTermSupport');
    if (!served && serviceStarts) {
      served = true;
      if (inPeriod(day, period)) waits.services = daysBetween(londonDate(referral), day);
    }
  }
  return waits;
}

function teamOf(
  name: string,
  found: [MeasureId, Verdict][],
  waits: { assessment: number[]; services: number[] },
): TeamTimeliness {
  return {
    team: name,
    measures: measureIds.map((measure) => {
      const mine = found.filter(([m]) => m === measure).map(([, v]) => v);
      const count = (v: Verdict) => mine.filter((x) => x === v).length;
      return {
        measure,
        ...measureDefinitions[measure],
        met: count('met'),
        metLate: count('metLate'),
        missed: count('missed'),
        open: count('open'),
        total: mine.length,
      };
    }),
    referralToAssessment: { cases: waits.assessment.length, medianDays: median(waits.assessment) },
    referralToServices: { cases: waits.services.length, medianDays: median(waits.services) },
  };
}

export async function timelinessReport(
  db: Queryable,
  period: ReportingPeriod,
  options: { team?: string } = {},
): Promise<TimelinessReport> {
  const journeys = await loadJourneyFacts(db, periodEnd(period));
  const byTeam = new Map<
    string,
    { found: [MeasureId, Verdict][]; assessment: number[]; services: number[] }
  >();
  const all = { found: [] as [MeasureId, Verdict][], assessment: [] as number[], services: [] as number[] };
  for (const facts of journeys) {
    const team = facts.team ?? UNALLOCATED;
    if (options.team !== undefined && team !== options.team) continue;
    const found = verdictsOf(facts, period);
    const waits = waitsOf(facts, period);
    if (!found.length && waits.assessment === undefined && waits.services === undefined) continue;
    const mine = byTeam.get(team) ?? { found: [], assessment: [], services: [] };
    byTeam.set(team, mine);
    for (const bucket of [mine, all]) {
      bucket.found.push(...found);
      if (waits.assessment !== undefined) bucket.assessment.push(waits.assessment);
      if (waits.services !== undefined) bucket.services.push(waits.services);
    }
  }
  const teams = [...byTeam.keys()]
    .sort()
    .map((team) => teamOf(team, byTeam.get(team)!.found, byTeam.get(team)!));
  return {
    period,
    ...(options.team !== undefined ? { team: options.team } : {}),
    teams,
    overall: teamOf(options.team ?? 'all teams', all.found, all),
  };
}
