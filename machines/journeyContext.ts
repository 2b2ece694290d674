import type { LetterRecipient } from './effects';
import type { Actor, Plan } from './events';
import type { PolicyProfile } from './policyProfile';
import type { Deadline } from './types';

/**
 * Everything the journey machine remembers about one person's journey. Plain JSON: it is the
 * persisted snapshot that survives continue-as-new for years.
 */
export interface JourneyContext {
  personId: string;
  subject: 'person' | 'carer';
  profile: PolicyProfile;
  /**
   * Which edition of the rule book judges this journey (see `rulesEdition`). A run started before
   * an edition shipped keeps the rules it was started under until its next continue-as-new, so
   * replaying its history accepts exactly what it accepted then (docs/safe-changes.md). Absent: 1.
   */
  rulesVersion?: number;
  /**
   * Which of the person's journeys this is: 2 for the journey a referral opens after their first
   * closed, and so on (R-REF-4: one open journey at a time, not one for ever). Its deadline ids, and
   * so everything keyed by them, are marked with it (machines/deadlines.ts). Absent: 1, the first.
   */
  journeyNumber?: number;
  /**
   * The bank holidays this journey counts working days with, pinned in the snapshot so that
   * replaying history never computes a deadline differently (JOURNEY.md §Time: a change to the
   * bank-holiday data must not change a deadline already set). Refreshed only at continue-as-new.
   */
  bankHolidays: string[];
  stageEnteredAt: string | undefined;
  /**
   * Issue 17: the journey began with JOURNEY_IMPORTED, brought in from the council's case system
   * (audited: the source file and row, who imported it, when). Absent for a journey that began here.
   */
  imported?: {
    eventId: string;
    source: { file: string; row: number; system?: string };
    stage: string;
    by: Actor;
    at: string;
  };
  referrals: {
    referralId: string;
    receivedDate: string;
    source: string;
    urgency: string;
    summary: string;
    recordedAt: string;
    /** edition 4: who letters go to, where the referral said (activities/personDetails.ts) */
    person?: LetterRecipient;
  }[];
  universalOffer: { informationAndAdvice: string[]; at: string } | undefined;
  triageRoute: string | undefined;
  team: string | undefined;
  allocatedWorker: string | undefined;
  ordinaryResidence: { council: string; at: string } | undefined;
  interimSupport:
    { services: string[]; startedAt: string; endedAt?: string; approvedBy?: string } | undefined;
  capacityAssessments: { decision: string; hasCapacity: boolean; at: string; topic?: string }[];
  /** R-ASM-7: who takes the direct payment for a person unable to consent to or manage it */
  suitablePerson:
    | { suitablePersonId: string; relationship: string; riskAssessmentRecordedOn?: string; at: string }
    | undefined;
  consent: { consentGiven: boolean; limits?: string; at: string } | undefined;
  carer: { carerId: string; identifiedAt: string; offeredAt?: string; accepted?: boolean } | undefined;
  /** R-ASM-2 */
  advocacy: {
    required: boolean;
    requiredSince?: string;
    advocateId?: string;
    arrangedAt?: string;
    /** when involvement difficulty was assessed and no advocate was needed */
    involvementAssessedAt?: string;
  };
  assessment:
    | {
        startedAt?: string;
        completedAt?: string;
        eligibleNeeds: { need: string; points: number }[];
        ineligibleNeeds: string[];
        unmetEligibleNeeds: { need: string; points: number }[];
        outcomes: string[];
        informalSupport: 'none' | 'some' | 'substantial';
        equipmentConsidered: boolean;
      }
    | undefined;
  indicativeBudget:
    | {
        amount: number;
        basis: string;
        calculatedAt: string;
        sharedAt?: string;
        /**
         * Edition 3: a manager set this figure instead of the RAS's (INDICATIVE_BUDGET_OVERRIDDEN),
         * with who, why and when, and the RAS's figure it replaced if there was one.
         */
        override?: { by: Actor; reason: string; at: string; replacedAmount?: number };
      }
    | undefined;
  planning:
    | {
        preparedBy: string;
        startedAt: string;
        validatedAt?: string;
        dispute?: { reasons: string[]; raisedAt: string };
      }
    | undefined;
  plan: Plan | undefined;
  signOff:
    | {
        finalBudget: number;
        at: string;
        by: Actor;
        mismatchReason?: string;
        withDispute?: { reasons: string[]; supportMeanwhile: string };
        /** R-PB-5: the needs are met under section 117 of the Mental Health Act 1983 (set only when so) */
        s117Aftercare?: boolean;
      }
    | undefined;
  /**
   * R-PB-5: each consultation of the health team or commissioning authority about section 117
   * aftercare, in order. Absent: none.
   */
  section117Consultations?: { consultedWith: string; about: string; at: string; notes?: string }[];
  /** R-PB-1: set only at sign-off */
  personalBudget: number | undefined;
  directPayment: {
    agreementSignedOn?: string;
    /** when an agreement ended (R-END-2); a surplus may still be recovered after (R-END-3) */
    endedAt?: string;
    suspendedAt?: string;
    financeContactedAt?: string;
    /** R-REV-5 / R-ACT-1 (edition 5): when a review brought a direct payment into a plan without one */
    introducedAt?: string;
    notice?: { by: string; reason: string; givenOn: string };
    surplusRecovered: number;
  };
  activatedAt: string | undefined;
  /** R-REV-5 / R-REV-10: who provides the live services */
  providers: { providerId: string; newWithoutTrackRecord: boolean }[];
  /** R-REV-14: the live services are only equipment; confirmed when it suits the person */
  equipmentOnly?: { items: { item: string; kind: string }[]; confirmedAt?: string };
  /** R-ACT-2: the first review's date as agreed with the person when support started */
  firstReviewAgreedFor: string | undefined;
  reviews: {
    at: string;
    outcome: string;
    reviewType: string;
    nextReviewOn: string;
    /** R-END-4: what a review about the direct payment decided */
    directPaymentOutcome?: string;
    /** R-REV-13: when the person was told of the review, and who was told */
    notice?: { toldOn: string; told: string[] };
  }[];
  reassessment:
    | {
        completedAt: string;
        outcome: string;
        reasons: string;
        copyProvidedAt?: string;
        thirdPartySources?: string[];
        unmetNeedsMetOtherwise?: { need: string; how: string }[];
      }
    | undefined;
  endOfServices: { postedOn: string; endDate: string; reasons: string; recipients?: string[] } | undefined;
  move: { moveDate: string; receivingCouncil: string } | undefined;
  hospital: { admittedOn: string; hospital: string } | undefined;
  complaints: {
    complaintId: string;
    about: string;
    raisedAt: string;
    resolvedAt?: string;
    interimChoice?: string;
    /**
     * R-CMP-1 (edition 5): the budget refused, the council arranges the relevant services instead:
     * the clock it started (from the choice), and when they were arranged, and which.
     */
    servicesArranged?: { deadlineId: string; from: string; at?: string; services?: string[] };
  }[];
  safeguarding: { concernId: string; raisedAt: string; closedAt?: string }[];
  /** R-CMP-2: challenges to the indicative or personal budget, with the complaints offer and response */
  budgetChallenges: {
    challengeId: string;
    budget: 'indicative' | 'personal';
    raisedAt: string;
    response: string;
    panelOfferedAt?: string;
  }[];
  /**
   * R-APL-1 (edition 5): appeals against a decision on eligibility or the personal budget, each with
   * the id of its own clock (two can be open at once). Absent (older snapshots): none.
   */
  appeals?: {
    appealId: string;
    about: 'eligibility' | 'personalBudget';
    raisedAt: string;
    deadlineId: string;
    decidedAt?: string;
    outcome?: 'upheld' | 'partlyUpheld' | 'notUpheld';
  }[];
  /** R-DPM-1 (edition 5): variations and account concerns finance flagged. Absent: none. */
  directPaymentVariations?: {
    kind: 'significantVariation' | 'accountConcern';
    balance: number;
    flaggedAt: string;
  }[];
  /**
   * R-DPM-2 (edition 5): support the worker arranged while the person's own contingency
   * arrangements had broken down, each with the id of its own clock. Absent: none.
   */
  temporarySupport?: {
    supportId: string;
    services: string[];
    arrangedAt: string;
    deadlineId: string;
    endedAt?: string;
  }[];
  /** R-DTH-1: kept as the person's record (R-TIM-1 checks it against the other dates) */
  dateOfDeath: string | undefined;
  deadlines: Deadline[];
  /** next deadline number, so deadline ids are deterministic */
  deadlineSeq: number;
  closure: { reason: string; at: string } | undefined;
}

export interface JourneyInput {
  personId: string;
  subject?: 'person' | 'carer';
  profile: PolicyProfile;
  bankHolidays: readonly string[];
  /** defaults to the current edition, RULES_VERSION */
  rulesVersion?: number;
  /** which of the person's journeys (JourneyContext.journeyNumber); defaults to 1 */
  journeyNumber?: number;
}

/**
 * The rule book's editions. 2 (December 2026): the rules of issue 9 — live services never
 * unclocked (R-REV-12), trustworthy time (R-TIM-1..3), and R-EMG-3, R-ASM-7, R-PLN-6, R-SGN-4/5,
 * R-REV-10/11, R-END-4/5, R-CMP-2. 3 (December 2026, issue 10): only the system speaks for the
 * system — the indicative budget comes from the journey's own RAS activity (R-IB-2), a manager's
 * override is a separate event with a reason where the profile allows it — and the carried state
 * has a size budget (workflows/journeyRun.ts). 4 (December 2026, issue 11): letters for people
 * (an eligibility decision either way, the indicative budget) and the indicative budget dated by
 * the event that caused it. 5 (December 2026): every road holds — the rules JOURNEY.md amended or added
 * on 2026-12-07 (appeals, direct-payment monitoring, temporary support, reablement and section 117
 * budgets, review notice, equipment reviews, imported clocks, reviews while services change).
 */
export const RULES_VERSION = 5;

/** Whether the journey is judged by the rules of this edition or a later one. */
export const rulesEdition = (context: Pick<JourneyContext, 'rulesVersion'>, edition: number): boolean =>
  (context.rulesVersion ?? 1) >= edition;

export function initialContext(input: JourneyInput): JourneyContext {
  return {
    personId: input.personId,
    subject: input.subject ?? 'person',
    profile: input.profile,
    rulesVersion: input.rulesVersion ?? RULES_VERSION,
    // only a later journey carries its number, so a first journey's snapshot is as it always was
    ...(input.journeyNumber && input.journeyNumber > 1 ? { journeyNumber: input.journeyNumber } : {}),
    bankHolidays: [...input.bankHolidays],
    stageEnteredAt: undefined,
    referrals: [],
    universalOffer: undefined,
    triageRoute: undefined,
    team: undefined,
    allocatedWorker: undefined,
    ordinaryResidence: undefined,
    interimSupport: undefined,
    capacityAssessments: [],
    consent: undefined,
    suitablePerson: undefined,
    carer: undefined,
    advocacy: { required: false },
    assessment: undefined,
    indicativeBudget: undefined,
    planning: undefined,
    plan: undefined,
    signOff: undefined,
    personalBudget: undefined,
    directPayment: { surplusRecovered: 0 },
    activatedAt: undefined,
    providers: [],
    firstReviewAgreedFor: undefined,
    reviews: [],
    reassessment: undefined,
    endOfServices: undefined,
    move: undefined,
    hospital: undefined,
    complaints: [],
    safeguarding: [],
    budgetChallenges: [],
    dateOfDeath: undefined,
    deadlines: [],
    deadlineSeq: 1,
    closure: undefined,
  };
}

export const planUsesDirectPayment = (plan: Plan | undefined): boolean =>
  !!plan?.budgetManagement.includes('directPayment');
