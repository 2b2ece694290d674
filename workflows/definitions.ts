import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { bankHolidaysAround } from '../machines/calendar/pinning';
import type { PolicyProfile } from '../machines/policyProfile';
import type { JourneyOutline, JourneyView, RefusedEntry, TimelineEntry } from '../machines/types';
import type { EventReceipt } from './eventReceipt';

export type { BriefStep, EventReceipt } from './eventReceipt';

/**
 * The journey workflow's public surface: what clients (API, CLI, tests) may send and ask.
 * Kept apart from the workflow body so clients import no workflow code.
 */

/** The workflow type every journey runs as (the name of the exported workflow function). */
export const journeyWorkflowType = 'journeyWorkflow';

/** One workflow per person: the id is derived from the person id (R-REF-4). */
export const journeyWorkflowId = (personId: string): string => `journey-${personId}`;

export interface JourneyWorkflowInput {
  personId: string;
  subject: 'person' | 'carer';
  profile: PolicyProfile;
  /**
   * The bank holidays a new journey counts working days with. The client sets them (and the
   * workflow, at continue-as-new), so they are part of history: replaying a journey after the
   * bundled holiday data changed computes every deadline exactly as it was first computed.
   */
  bankHolidays?: string[];
  /** Bank holidays announced after the bundled data (CARE_EXTRA_BANK_HOLIDAYS), e.g. a one-off day. */
  extraBankHolidays?: string[];
  /**
   * Which of the person's journeys this is (R-REF-4): the API sets 2, 3, … when it opens a journey
   * for a person whose earlier journey closed. Carried at continue-as-new (the input is). Absent: 1,
   * as in every journey started before it existed.
   */
  journeyNumber?: number;
  /** Present only on continue-as-new: the state carried from the previous run. */
  carried?: CarriedJourney;
}

/**
 * What continue-as-new carries: the persisted machine snapshot and the journey's bookkeeping. Runs
 * started before 'national-scale-costs' carry the recent audit trail too (timeline, refused); since
 * then both are empty, the case-event store holding them whole (workflows/carriedState.ts).
 */
export interface CarriedJourney {
  snapshot: unknown;
  timeline: TimelineEntry[];
  refused: RefusedEntry[];
  /** the occurredAt of the journey's last event, where the timeline is not carried */
  lastEventAt?: string;
  /**
   * [run number, events it applied] of each earlier run that ended by continuing as new (from
   * 'national-scale-costs' on): what Temporal committed, so a case-record entry of an earlier run
   * can be told from one a crashed workflow task wrote and Temporal never kept (api/journeyClient.ts).
   */
  runEnds?: [number, number][];
  /** eventIds seen, for de-duplication across runs */
  seenEventIds: string[];
  /**
   * R-TIM-3: what each of those ids was used for (workflows/eventDigest.ts), so the same id with
   * different content is a conflict across runs too. Absent in runs carried before it was kept.
   */
  seenEventDigests?: [string, string][];
  /** notifications already sent (reminders, escalations), so none goes out twice */
  sentNotificationIds: string[];
  /** side effects not yet carried out (letters, records, notices), each keyed so it happens once */
  pendingJobs: unknown[];
  runNumber: number;
  /** the shape of `snapshot` (workflows/migrations.ts); absent means 1 */
  snapshotVersion?: number;
}

/**
 * What the journey answers to an event (and history keeps with it): since 'national-scale-costs' a
 * receipt of under 1 KB (workflows/eventReceipt.ts); runs started before it answer with the whole
 * outline, until their next continue-as-new.
 */
export type ApplyEventResult = EventReceipt | OutlineResult;

/** The answer of runs started before 'national-scale-costs': the journey's outline. */
export type OutlineResult =
  | { status: 'applied'; eventId: string; view: JourneyOutline }
  | { status: 'duplicate'; eventId: string; view: JourneyOutline };

export const isOutlineResult = (result: ApplyEventResult): result is OutlineResult => 'view' in result;

/**
 * Deliver one journey event. The validator is synchronous: a payload that fails the event
 * catalogue's schema (ApplicationFailure type "InvalidEvent") or an event the machine refuses now
 * ("EventRefused", details[0] = { reasons: Refusal[] }) is rejected before it enters history.
 * Payload: a JourneyEvent (machines/events.ts).
 */
export const applyEventUpdate = defineUpdate<ApplyEventResult, [unknown]>('applyEvent');

/** Fire-and-forget delivery of the same events; a refused one is recorded in the audit trail. */
export const recordEventSignal = defineSignal<[unknown]>('recordEvent');

export const describeQuery = defineQuery<JourneyView>('describe');
export const timelineQuery = defineQuery<{
  timeline: TimelineEntry[];
  refused: RefusedEntry[];
  /**
   * Where the journey is: which of the person's journeys, its run, and the events that run has
   * applied (absent from workers before it was added). The store check compares the case record with it.
   */
  position?: { journeyNumber: number; runNumber: number; eventsApplied: number };
  /** [run number, events it applied] of the earlier runs it knows the end of (CarriedJourney.runEnds) */
  runEnds?: [number, number][];
}>('timeline');

export interface JourneySummary {
  personId: string;
  subject: 'person' | 'carer';
  closure: { reason: string; at: string } | undefined;
  runs: number;
  eventsApplied: number;
  /** which of the person's journeys it was (absent: 1, and in journeys closed before it was kept) */
  journeyNumber?: number;
}

export const refusalFailureTypes = {
  invalid: 'InvalidEvent',
  refused: 'EventRefused',
  /** R-TIM-3: details[0] = { reasons: Refusal[], conflict: EventConflict (workflows/journeyRun.ts) } */
  conflict: 'EventConflict',
} as const;

/** The input a new journey starts with, from the configuration (API, CLI and tests alike). */
export function newJourneyInput(
  personId: string,
  subject: 'person' | 'carer',
  config: { policyProfile: PolicyProfile; extraBankHolidays: string[] },
  now: Date = new Date(),
  /** the person's journey number: 2 or more after an earlier journey closed (R-REF-4) */
  journeyNumber = 1,
): JourneyWorkflowInput {
  return {
    personId,
    subject,
    profile: config.policyProfile,
    bankHolidays: bankHolidaysAround(now.toISOString(), config.extraBankHolidays),
    extraBankHolidays: config.extraBankHolidays,
    ...(journeyNumber > 1 ? { journeyNumber } : {}),
  };
}
