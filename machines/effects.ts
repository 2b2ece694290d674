/**
 * What the machine asks the world to do. The machine is pure: it emits these (XState `emit`) and
 * the workflow carries each out through an activity, exactly once, keyed by its id.
 */

export type LetterKind =
  /** R-EMG-1: a fuller assessment will follow */
  | 'fullerAssessmentNotice'
  /** R-ASM-5: the written decision, with information and advice */
  | 'decisionLetter'
  /** R-SGN-3: the final plan, in an accessible format */
  | 'planCopy'
  /** R-END-1: the outcome of the reassessment and the end date */
  | 'serviceEndLetter'
  /** R-TRF-1: the current plan and assessment, to the receiving council */
  | 'transferPack'
  /** R-REV-10: after a review — the latest plan, a contact point and the next review's date */
  | 'reviewOutcome'
  /** R-END-4: a direct payment is ending — the reasons and when payments stop, to everyone in it */
  | 'directPaymentEndNotice'
  /** R-IB-3 (edition 4): the indicative budget as shared — the amount, its basis, what happens next */
  | 'indicativeBudgetLetter'
  /** R-APL-1 (edition 5): the decision on an appeal about eligibility or the personal budget, and why */
  | 'appealDecision'
  /**
   * R-END-4 (edition 5): a change to a direct payment that is not notice under R-END-2 — a hospital
   * suspension, the end of the journey — the reasons and when payments stop, to everyone in it
   */
  | 'directPaymentChangeRecord'
  /** R-END-3 (edition 5): the decision to recover a surplus, and the amount, to the person */
  | 'surplusRecoveryDecision';

/**
 * The person a letter is addressed to, as their referral gave it (REFERRAL_RECEIVED's optional
 * person fields; edition 4). The default person-details port reads it (activities/personDetails.ts).
 */
export interface LetterRecipient {
  name: string;
  address: string[];
  postcode?: string;
  accessibleFormats?: ('largePrint' | 'easyRead')[];
}

export interface SendLetter {
  type: 'sendLetter';
  /** unique across all journeys (person id, event id, letter): the idempotency key */
  letterId: string;
  letter: LetterKind;
  personId: string;
  recipients: string[];
  ruleId: string;
  data: Record<string, unknown>;
  /** edition 4, where the referral gave them: the person's name and address */
  person?: LetterRecipient;
  /**
   * the London date the letter is dated (YYYY-MM-DD); absent, the letters activity dates it by when
   * it was scheduled, which stays the same across its retries
   */
  dated?: string;
}

/** R-IB-2: ask the council's Resource Allocation System; the answer returns as an event. */
export interface CalculateIndicativeBudget {
  type: 'calculateIndicativeBudget';
  requestId: string;
  personId: string;
  unmetEligibleNeeds: { need: string; points: number }[];
  informalSupport: 'none' | 'some' | 'substantial';
  equipmentConsidered: boolean;
  /**
   * The occurredAt of the event that asked for it (the assessment or reassessment completed).
   * Edition 4: the RAS's answer is dated by it, so a back-dated eligibility decision dates the budget
   * back too and never after the sharing it enables (R-IB-3). Absent on requests made before.
   */
  requestedAt?: string;
}

/**
 * Rules edition 1 only (R-DTH-1 / R-END-2): payments stop, recorded on the case record. Runs started
 * before the payment-arrangements port keep emitting it until their next continue-as-new.
 */
export interface StopPayments {
  type: 'stopPayments';
  requestId: string;
  personId: string;
  reason: string;
  ruleId: string;
}

/**
 * R-END-5 / R-END-4 / R-END-2 / R-END-3 / R-DTH-1 / R-HSP-1: an instruction to the council's payment
 * arrangements (the direct-payment finance team, the provider payment system). Idempotent by
 * requestId; retried, and shown as technically stuck while it fails.
 */
export interface InstructPayments {
  type: 'instructPayments';
  requestId: string;
  personId: string;
  /** stop: payments end; suspend / resume: a direct payment is paused; recoverSurplus: claw back */
  instruction: 'stop' | 'suspend' | 'resume' | 'recoverSurplus';
  /** why, in the journey's words: death, withdrawn, servicesEnded, directPaymentAgreementEnded, … */
  reason: string;
  ruleId: string;
  /** the date payments stop, are suspended or resume (London date) */
  effectiveOn: string;
  /** recoverSurplus: pounds */
  amount?: number;
  /** R-EMG-2 (edition 5): a stop while interim support is in place names the interim services */
  services?: string[];
}

/** R-ASM-4 / R-CAR-1: a carer who accepts an assessment gets a journey of their own. */
export interface OpenCarerJourney {
  type: 'openCarerJourney';
  requestId: string;
  carerId: string;
  caredForPersonId: string;
}

export type JourneyEffect =
  SendLetter | CalculateIndicativeBudget | StopPayments | InstructPayments | OpenCarerJourney;
