import type { JourneyEvent } from '../machines/events';
import type { SendLetter } from '../machines/effects';
import type { Deadline, JourneyView, TimelineEntry } from '../machines/types';
import type { DeadlineNotice } from './notifications';
import { outboxName, type Outbox } from './outbox';

/**
 * The journey as an applied event left it (issue 12): what the case-event store's current-state
 * row is made of. Sent with each accepted event's entry (an input field, not a new command).
 */
export interface CaseState {
  /**
   * Which of the person's journeys (R-REF-4): absent in a first journey. A later journey's state
   * replaces an earlier one's in the store, whatever their runs and counts.
   */
  journeyNumber?: number;
  /** the run, and its count of applied events after this one: the order events were applied in */
  runNumber: number;
  eventsApplied: number;
  subject: JourneyView['subject'];
  council: string;
  stage: string;
  step?: string;
  stageEnteredAt?: string;
  team?: string;
  worker?: string;
  closed: boolean;
  closure?: JourneyView['closure'];
  concerns: JourneyView['concerns'];
  waitingOn?: { party: string; since: string };
  /** when holding the stage (or waiting) counts as stuck, by the profile's limits */
  stageStuckAfter?: string;
  waitingStuckAfter?: string;
  lastEventAt?: string;
  /** the open deadlines, and those this event closed or changed (the rest are as they were) */
  deadlines: Deadline[];
}

export interface CaseRecordEntry {
  recordId: string;
  personId: string;
  /** which of the person's journeys wrote it (R-REF-4): absent in a first journey */
  journeyNumber?: number;
  /**
   * systemEventRefused: a system event (the RAS's answer) the journey could not apply, and why;
   * eventRefused (edition 4): an event delivered by signal that the journey refused
   */
  kind: 'event' | 'paymentsStopped' | 'carerJourneyOpened' | 'systemEventRefused' | 'eventRefused';
  entry: TimelineEntry | Record<string, unknown>;
  /** kind 'event': the journey after it (absent in entries queued before issue 12) */
  state?: CaseState;
  /**
   * kind 'event': the accepted event itself, as the journey applied it (absent in entries queued
   * before issue 15), so the case record keeps every field and the statutory return can read them.
   */
  event?: JourneyEvent;
}

/**
 * The council's case-management record. A council replaces this with a call to its own system.
 * The case-event store (store/) is the default; it also keeps what was sent, when told.
 */
export interface CaseRecord {
  recordCaseEvent(record: CaseRecordEntry): Promise<void>;
  /**
   * Entries written by a workflow task that Temporal never committed (a crash before the commit;
   * the task ran again and wrote what was kept): an adapter holding copies removes them.
   */
  withdrawCaseEvents?(personId: string, recordIds: string[]): Promise<void>;
  /** a reminder, escalation or resolution notice has gone out (after the Notifier sent it) */
  recordNoticeSent?(notice: DeadlineNotice): Promise<void>;
  /** a letter has gone out (after the LetterService sent it) */
  recordLetterSent?(letter: SendLetter): Promise<void>;
}

/**
 * A person's folder in the outbox: `case-record/` and the person id made an exact name (readable
 * prefix and hash, see outboxName), so no two people share a folder and no id leaves the outbox.
 */
export function caseRecordFolder(personId: string): string {
  return `case-record/${outboxName(personId)}`;
}

export function outboxCaseRecord(outbox: Outbox): CaseRecord {
  return {
    async recordCaseEvent(record) {
      await outbox.writeOnce(
        caseRecordFolder(record.personId),
        record.recordId,
        `${JSON.stringify(record, null, 2)}\n`,
      );
    },
    async withdrawCaseEvents(personId, recordIds) {
      for (const id of recordIds) await outbox.remove(caseRecordFolder(personId), id);
    },
  };
}
