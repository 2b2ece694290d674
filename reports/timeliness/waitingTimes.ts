import { stageOfLabel, type JourneyFacts } from '../journeyFacts';
import { inPeriod, londonDate, type ReportingPeriod } from '../period';

/**
 * The project's own waiting times: calendar days from a journey's referral to its first assessment
 * begun and to its first service, each counted in the period the assessment or service began in,
 * and their medians. Every journey counts, whatever the person's age or history; DHSC's method
 * (dhscWaitingTimes.ts) is reported beside these.
 */

export interface WaitingTime {
  /** how many cases it is the median of */
  cases: number;
  /** calendar days (London dates), or null with no cases */
  medianDays: number | null;
}

export const ownWaitingTimeDefinitions = {
  referralToAssessment:
    "The project's own: calendar days (London dates) from the journey's referral to the first assessment begun, for assessments begun in the period; the median of all journeys'",
  referralToServices:
    "The project's own: calendar days (London dates) from the journey's referral to its first service (interim support, short-term support or services activated), for first services begun in the period; the median of all journeys'",
} as const;

/** Days from one London date to another. */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The median, as SQL's PERCENTILE_CONT(0.5): the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const waitingTimeOf = (days: readonly number[]): WaitingTime => ({
  cases: days.length,
  medianDays: median(days),
});

/** Days from the referral to the first assessment begun, and to the first service, in the period. */
export function ownWaitsOf(
  facts: JourneyFacts,
  period: ReportingPeriod,
): { assessment?: number; services?: number } {
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
