import type { InstructPayments, SendLetter } from '../machines/effects';
import { outboxCaseRecord, type CaseRecord, type CaseRecordEntry, type CaseState } from './caseRecord';
import {
  pointsTableRas,
  type IndicativeBudget,
  type IndicativeBudgetRequest,
  type ResourceAllocationSystem,
} from './indicativeBudget';
import { outboxLetters, type LetterService } from './letters';
import { outboxNotifier, type DeadlineNotice, type Notifier } from './notifications';
import { outboxPaymentArrangements, type PaymentArrangements } from './paymentArrangements';
import { Outbox } from './outbox';

export type {
  CaseRecord,
  CaseRecordEntry,
  CaseState,
  DeadlineNotice,
  IndicativeBudget,
  IndicativeBudgetRequest,
  PaymentArrangements,
};

/**
 * The journey's side effects. Each is idempotent (keyed by an id the workflow derives from
 * history), so Temporal's retries and replays never send a letter or a reminder twice.
 */
export interface JourneyActivities {
  notifyPractitioner(notice: DeadlineNotice): Promise<void>;
  escalateToManager(notice: DeadlineNotice): Promise<void>;
  sendLetter(letter: SendLetter): Promise<void>;
  recordCaseEvent(record: CaseRecordEntry): Promise<void>;
  /**
   * The entries one workflow task queued, in order (the journey's local activity, patched
   * 'case-record-by-local-activity'); each is idempotent by its recordId, so a retry of the whole
   * call writes nothing twice.
   */
  recordCaseEvents(records: CaseRecordEntry[]): Promise<void>;
  calculateIndicativeBudget(request: IndicativeBudgetRequest): Promise<IndicativeBudget>;
  instructPayments(instruction: InstructPayments): Promise<void>;
}

/**
 * The parts a council can replace; each defaults to the local outbox (or the points-table RAS).
 * `payments` are its payment arrangements: the direct-payment finance team, the provider payments.
 */
export interface ActivityDependencies {
  outboxDir: string;
  notifier?: Notifier;
  letters?: LetterService;
  caseRecord?: CaseRecord;
  ras?: ResourceAllocationSystem;
  payments?: PaymentArrangements;
}

export function createActivities(deps: ActivityDependencies): JourneyActivities {
  const outbox = new Outbox(deps.outboxDir);
  const notifier = deps.notifier ?? outboxNotifier(outbox);
  const letters = deps.letters ?? outboxLetters(outbox);
  const caseRecord = deps.caseRecord ?? outboxCaseRecord(outbox);
  const ras = deps.ras ?? pointsTableRas;
  const payments = deps.payments ?? outboxPaymentArrangements(outbox);
  return {
    // What was sent is recorded after it was sent: a retry after a failed record sends again,
    // which each port's idempotency key makes a no-op.
    notifyPractitioner: async (notice) => {
      await notifier.notifyPractitioner(notice);
      await caseRecord.recordNoticeSent?.(notice);
    },
    escalateToManager: async (notice) => {
      await notifier.escalateToManager(notice);
      await caseRecord.recordNoticeSent?.(notice);
    },
    sendLetter: async (letter) => {
      await letters.sendLetter(letter);
      await caseRecord.recordLetterSent?.(letter);
    },
    recordCaseEvent: (record) => caseRecord.recordCaseEvent(record),
    recordCaseEvents: async (records) => {
      for (const record of records) await caseRecord.recordCaseEvent(record);
    },
    calculateIndicativeBudget: (request) => ras.calculateIndicativeBudget(request),
    instructPayments: (instruction) => payments.instructPayments(instruction),
  };
}
