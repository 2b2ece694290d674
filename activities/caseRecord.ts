import type { TimelineEntry } from '../machines/types';
import { outboxName, type Outbox } from './outbox';

export interface CaseRecordEntry {
  recordId: string;
  personId: string;
  /** systemEventRefused: a system event (the RAS's answer) the journey could not apply, and why */
  kind: 'event' | 'paymentsStopped' | 'carerJourneyOpened' | 'systemEventRefused';
  entry: TimelineEntry | Record<string, unknown>;
}

/** The council's case-management record. A council replaces this with a call to its own system. */
export interface CaseRecord {
  recordCaseEvent(record: CaseRecordEntry): Promise<void>;
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
  };
}
