import type { InstructPayments } from '../machines/effects';
import type { Outbox } from './outbox';

/**
 * The council's payment arrangements (R-END-5, R-DTH-1, R-END-2, R-HSP-1, …): the direct-payment
 * finance team and the provider payment system. A council replaces this with its finance system.
 * An instruction is keyed by its requestId: the same one delivered again must change nothing.
 */
export interface PaymentArrangements {
  instructPayments(instruction: InstructPayments): Promise<void>;
}

const titles: Record<InstructPayments['instruction'], string> = {
  stop: 'Stop payments',
  suspend: 'Suspend the direct payment',
  resume: 'Resume the direct payment',
  recoverSurplus: 'Recover the direct-payment surplus',
};

/** A plain-text instruction someone in finance can open and act on. */
export function renderPaymentInstruction(instruction: InstructPayments): string {
  return [
    titles[instruction.instruction],
    `About: ${instruction.personId}`,
    `Instruction: ${instruction.instruction}`,
    `Effective on: ${instruction.effectiveOn}`,
    ...(instruction.amount === undefined ? [] : [`Amount: £${instruction.amount.toFixed(2)}`]),
    // R-EMG-2: the interim services whose payments stop
    ...(instruction.services?.length ? [`Services: ${instruction.services.join('; ')}`] : []),
    `Reason: ${instruction.reason}`,
    `Rule: ${instruction.ruleId}`,
    `Request: ${instruction.requestId}`,
    '',
  ].join('\n');
}

/** The default: one file per instruction in the outbox's `payments/` folder. */
export function outboxPaymentArrangements(outbox: Outbox): PaymentArrangements {
  return {
    async instructPayments(instruction) {
      await outbox.writeOnce('payments', instruction.requestId, renderPaymentInstruction(instruction));
    },
  };
}
