import type { TimelineEntry } from '../machines/types';
import type { Outbox } from './outbox';

export interface CaseRecordEntry {
  recordId: string;
  personId: string;
  kind: 'event' | 'paymentsStopped' | 'carerJourneyOpened';
  entry: TimelineEntry | Record<string, unknown>;
}

/** The council's case-management record. A council replaces this with a call to its own system. */
export interface CaseRecord {
  recordCaseEvent(record: CaseRecordEntry): Promise<void>;
}

export function outboxCaseRecord(outbox: Outbox): CaseRecord {
  return {
    async recordCaseEvent(record) {
      await outbox.writeOnce(
        `case-record/${record.personId}`,
        record.recordId,
        `${JSON.stringify(record, null, 2)}\n`,
      );
    },
  };
}
