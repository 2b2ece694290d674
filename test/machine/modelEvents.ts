/**
 * Sample events for the model-based test: at least one well-formed, rule-compliant event of every
 * type, with fixed timestamps in the order a journey lives them (graph traversal reuses events, so
 * each sample must make sense wherever it is tried). DEADLINE_REACHED samples are made for the
 * deadlines the journey actually has, reported by the system long after they fell due.
 */
import { parseJourneyEvent, type JourneyEvent, type JourneyEventType } from '../../machines/events';
import type { JourneyContext } from '../../machines/journeyContext';
import {
  completePlan,
  directPaymentPlan,
  ev,
  manager,
  noIndicators,
  reviewNotice,
  system,
} from '../support/journeyEvents';

const day = (n: number, hour = 10) => new Date(Date.UTC(2026, 0, 5, hour) + n * 86_400_000).toISOString();
const date = (n: number) => day(n).slice(0, 10);

const signOff = {
  finalBudget: 9360,
  costing: { reasonableCost: 9360, assessedContribution: 0, otherFunding: 0, s117Aftercare: false },
  agreedBy: { person: true, advocate: 'advocate-1', workerId: 'worker.ann' },
  copyTo: [],
  accessibleFormat: 'large print',
};
const review = {
  reviewType: 'formal' as const,
  eligibilityRedetermined: true,
  contingencyPlanReviewed: true,
  indicators: noIndicators,
};

/** Day numbers from 5 January 2026: referral on day 0, activation on day 30, first review day 60. */
const samples: JourneyEvent[] = [
  ev('REFERRAL_RECEIVED', day(0), {
    referralId: 'ref-1',
    receivedDate: date(0),
    source: 'gp',
    urgency: 'routine',
    summary: 'struggling after a fall',
    subject: 'person',
  }),
  ev('REFERRAL_RECEIVED', day(40), {
    referralId: 'ref-2',
    receivedDate: date(40),
    source: 'family',
    urgency: 'urgent',
    summary: 'a second referral',
    subject: 'person',
  }),
  // issue 17: a journey imported at the assessment (its own tests: rules.import.test.ts)
  ev(
    'JOURNEY_IMPORTED',
    day(0),
    {
      source: { file: 'caseload.csv', row: 2 },
      stage: 'assessment',
      subject: 'person',
      team: 'north',
      complaints: [],
      safeguarding: [],
    },
    { actor: manager },
  ),
  ev('UNIVERSAL_OFFER_GIVEN', day(0, 11), {
    informationAndAdvice: ['falls advice'],
    signposting: [],
    prevention: [],
  }),
  ev('WORKER_ALLOCATED', day(0, 12), { team: 'north', workerId: 'worker.ann' }),
  ...(['informationAndAdvice', 'shortTermSupport', 'assessment', 'emergencyInterimSupport'] as const).map(
    (route) => ev('TRIAGED', day(1), { route, reason: `route: ${route}` }),
  ),
  ev('SHORT_TERM_SUPPORT_ENDED', day(2), { outcome: 'needsMet' }),
  ev('SHORT_TERM_SUPPORT_ENDED', day(2), { outcome: 'assessmentNeeded' }),
  ev('INTERIM_SUPPORT_STARTED', day(1, 15), {
    services: ['home care'],
    managerApproval: { managerId: 'manager.bob' },
    caseNotesCompleted: true,
  }),
  ev('ORDINARY_RESIDENCE_ESTABLISHED', day(3), { council: 'Derbyshire' }),
  ev('ASSESSMENT_STARTED', day(3, 11), {}),
  ev('CAPACITY_ASSESSED', day(3, 12), { decision: 'care at home', hasCapacity: true }),
  ev('INVOLVEMENT_DIFFICULTY_ASSESSED', day(3, 13), {
    substantialDifficulty: true,
    appropriatePersonAvailable: false,
  }),
  ev('INVOLVEMENT_DIFFICULTY_ASSESSED', day(3, 13), {
    substantialDifficulty: false,
    appropriatePersonAvailable: true,
  }),
  ev('ADVOCATE_ARRANGED', day(3, 14), { advocateId: 'advocate-1' }),
  ev('CONSENT_RECORDED', day(3, 15), { consentGiven: true }),
  ev('SUITABLE_PERSON_APPOINTED', day(3, 16), {
    suitablePersonId: 'daughter-1',
    relationship: 'daughter',
    riskAssessmentRecordedOn: date(3),
  }),
  ev('CARER_IDENTIFIED', day(4), { carerId: 'carer-1' }),
  ev('CARER_ASSESSMENT_OFFERED', day(4, 11), { carerId: 'carer-1', accepted: true }),
  ev('ASSESSMENT_PAUSED', day(5), { reason: 'fluctuating needs' }),
  ev('ASSESSMENT_RESUMED', day(8), {}),
  ...(
    [
      [[], []],
      [[{ need: 'personal care', points: 78 }], [{ need: 'personal care', points: 78 }]],
      [[{ need: 'personal care', points: 78 }], []],
    ] as const
  ).map(([eligibleNeeds, unmetEligibleNeeds]) =>
    ev('ASSESSMENT_COMPLETED', day(10), {
      presentingNeeds: ['washing and dressing'],
      eligibleNeeds: [...eligibleNeeds],
      ineligibleNeeds: ['gardening'],
      unmetEligibleNeeds: [...unmetEligibleNeeds],
      outcomes: ['stay at home'],
      informalSupport: 'none',
      equipmentConsidered: true,
    }),
  ),
  ev(
    'INDICATIVE_BUDGET_CALCULATED',
    day(10, 12),
    { amount: 9360, basis: '78 points × £120' },
    { actor: system },
  ),
  // R-IB-2 (edition 3): a manager's figure instead of the RAS's, with the reason
  ev(
    'INDICATIVE_BUDGET_OVERRIDDEN',
    day(10, 13),
    { amount: 10_400, reason: 'the RAS has no figure yet for waking night care' },
    { actor: manager },
  ),
  ev('INDICATIVE_BUDGET_SHARED', day(11), { sharedWith: ['person'], method: 'letter' }),
  ev('PLANNING_STARTED', day(12), { preparedBy: 'worker' }),
  ev('PLANNING_STARTED', day(12), { preparedBy: 'person' }),
  ev('PLAN_SUBMITTED', day(14), { plan: completePlan() }),
  ev('PLAN_SUBMITTED', day(14), { plan: directPaymentPlan() }),
  ev('PLAN_VALIDATED', day(15), {}),
  ev('DISPUTE_RAISED', day(16), { reasons: ['wants more hours'] }),
  ev('PLAN_SIGNED_OFF', day(20), signOff, { actor: manager }),
  ev(
    'PLAN_SIGNED_OFF',
    day(20),
    {
      ...signOff,
      agreedBy: { ...signOff.agreedBy, person: false },
      withDispute: {
        reasons: ['wants more hours'],
        directedToComplaints: true,
        supportMeanwhile: 'interim care',
      },
    },
    { actor: manager },
  ),
  ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', day(25), { signedOn: date(25) }),
  // R-PB-5: the health team consulted about section 117 aftercare (at any stage)
  ev('AFTERCARE_HEALTH_CONSULTED', day(22), { consultedWith: 'CMHT north', about: 'commissioning' }),
  ev('SERVICES_ACTIVATED', day(30), { firstReviewAgreedFor: date(72) }),
  // R-REV-14: equipment alone, confirmed rather than reviewed, and a journey it may close.
  ev('SERVICES_ACTIVATED', day(30), {
    firstReviewAgreedFor: date(72),
    equipmentOnly: { items: [{ item: 'wet room', kind: 'majorAdaptation' }] },
  }),
  ev('EQUIPMENT_CONFIRMED', day(50), {
    suitable: true,
    adaptationCompletedAndWorking: true,
    closeJourney: false,
  }),
  ev('EQUIPMENT_CONFIRMED', day(50), {
    suitable: true,
    adaptationCompletedAndWorking: true,
    closeJourney: true,
  }),
  ev('INFORMAL_REVIEW_COMPLETED', day(32), {}),
  ev('HOSPITAL_ADMITTED', day(33), { admittedOn: date(33), hospital: 'Royal Derby' }),
  ev('DIRECT_PAYMENT_SUSPENDED', day(62), { reason: 'significant hospital stay' }),
  ev('HOSPITAL_DISCHARGED', day(65), {
    dischargedOn: date(65),
    dischargeProtocolFollowed: true,
    needsChanged: true,
  }),
  ev('UNSCHEDULED_REVIEW_REQUESTED', day(66), { trigger: 'personOrRepresentative' }),
  ev('DIRECT_PAYMENT_FINANCE_CONTACTED', day(70), { concerns: false }),
  ...(['noChange', 'reassessment', 'servicesToEnd'] as const).map((outcome) =>
    ev('REVIEW_COMPLETED', day(72), { ...review, notice: reviewNotice(day(72)), outcome }),
  ),
  ev('REVIEW_COMPLETED', day(72), {
    ...review,
    notice: reviewNotice(day(72)),
    outcome: 'planRevised',
    revisedPlan: completePlan({ risks: 'revised' }),
  }),
  // R-END-4: a review about the direct payment decides to end it before notice is given.
  ev('REVIEW_COMPLETED', day(72), {
    ...review,
    notice: reviewNotice(day(72)),
    outcome: 'noChange',
    directPaymentOutcome: 'end',
  }),
  // Once the service is more than 6 months old, a 12-month review brings a monitoring check (R-REV-4).
  ev('REVIEW_COMPLETED', day(240), { ...review, notice: reviewNotice(day(240)), outcome: 'noChange' }),
  ev('DIRECT_PAYMENT_NOTICE_GIVEN', day(75), {
    by: 'person',
    reason: 'personChoice',
    noticeGivenOn: date(75),
  }),
  ev('SURPLUS_RECOVERED', day(76), {
    amount: 50,
    discussedWithPersonOn: date(75),
    balance: [{ purpose: 'surplusToNeeds', amount: 50 }],
  }),
  ev('REASSESSMENT_COMPLETED', day(80), {
    outcome: 'continue',
    reasons: 'needs unchanged',
    unmetEligibleNeeds: [{ need: 'personal care', points: 78 }],
    informalSupport: 'none',
    thirdPartySources: [],
  }),
  ev('REASSESSMENT_COMPLETED', day(80), {
    outcome: 'revisePlan',
    reasons: 'needs increased',
    unmetEligibleNeeds: [{ need: 'personal care', points: 90 }],
    informalSupport: 'none',
    thirdPartySources: [],
  }),
  ev('REASSESSMENT_COMPLETED', day(80), {
    outcome: 'endServices',
    reasons: 'needs met by family',
    unmetEligibleNeeds: [],
    informalSupport: 'substantial',
    thirdPartySources: ['daughter'],
  }),
  ev('REASSESSMENT_COPY_PROVIDED', day(81), { to: ['person-1'] }),
  ev('SERVICE_END_LETTER_POSTED', day(82), {
    postedOn: date(82),
    reasons: 'needs met',
    alternativesDiscussed: 'day centre',
  }),
  ev('MONITORING_CHECK_COMPLETED', day(250), { concerns: false }),
  ev('MOVED_AWAY', day(90), {
    moveDate: date(95),
    receivingCouncil: 'Sheffield',
    consentToShareRecords: true,
  }),
  ev('BUDGET_CHALLENGED', day(11, 12), {
    challengeId: 'challenge-1',
    budget: 'indicative',
    details: 'the budget will not cover evening visits',
    complaintsProcessOffered: true,
    response: 'declined',
  }),
  ev('ADJUDICATION_PANEL_OFFERED', day(11, 13), {
    challengeId: 'challenge-1',
    groupManagerId: 'group-manager-1',
    discussedWithComplaintsManagerOn: date(11),
  }),
  ev('COMPLAINT_RAISED', day(5), { complaintId: 'complaint-1', about: 'budget', details: 'budget too low' }),
  ev('BUDGET_COMPLAINT_INTERIM_CHOICE', day(6), {
    complaintId: 'complaint-1',
    choice: 'manageOnOfferedBudget',
  }),
  // R-CMP-1: the budget refused, the council arranges the services instead (clocked).
  ev('BUDGET_COMPLAINT_INTERIM_CHOICE', day(6, 11), {
    complaintId: 'complaint-1',
    choice: 'councilArrangesServices',
  }),
  ev('BUDGET_COMPLAINT_SERVICES_ARRANGED', day(6, 12), {
    complaintId: 'complaint-1',
    services: ['home care through the council’s framework agency'],
  }),
  ev('COMPLAINT_RESOLVED', day(7), { complaintId: 'complaint-1', outcome: 'explained' }),
  ev('SAFEGUARDING_CONCERN_RAISED', day(6), {
    concernId: 'concern-1',
    details: 'bruising',
    triggersUnscheduledReview: true,
  }),
  ev('SAFEGUARDING_CLOSED', day(9), { concernId: 'concern-1', outcome: 'no further action' }),
  // R-APL-1: appeals against the eligibility decision and the personal budget, and a decision
  ev('APPEAL_RAISED', day(40, 11), { appealId: 'appeal-1', about: 'eligibility', grounds: 'needs missed' }),
  ev('APPEAL_RAISED', day(40, 12), { appealId: 'appeal-2', about: 'personalBudget', grounds: 'too little' }),
  ev('APPEAL_DECIDED', day(45), { appealId: 'appeal-1', outcome: 'notUpheld', reasons: 'needs all counted' }),
  // R-DPM-1 / R-DPM-2: a flagged direct payment; temporary support while the PA is ill
  ev('DIRECT_PAYMENT_VARIATION_FLAGGED', day(42), {
    balance: 3100,
    kind: 'significantVariation',
    details: 'balance growing',
  }),
  ev('TEMPORARY_SUPPORT_ARRANGED', day(43), {
    supportId: 'temporary-1',
    reason: 'personal assistant ill',
    services: ['agency care'],
  }),
  ev('TEMPORARY_SUPPORT_ENDED', day(50), { supportId: 'temporary-1' }),
  ev('PERSON_DIED', day(400), { dateOfDeath: date(400) }),
  ev('JOURNEY_WITHDRAWN', day(3), { reason: 'person declined' }),
].map((event) => {
  const parsed = parseJourneyEvent(event);
  if (!parsed.ok) throw new Error(`sample ${event.type} is malformed: ${parsed.problems.join('; ')}`);
  // A fixed id per sample: the traversal identifies events by their serialised form.
  return { ...parsed.event, eventId: `sample-${event.type.toLowerCase()}` };
});

/** Long after every clock the samples can start (so each deadline can be reported reached). */
export const LATE = '2031-01-01T00:00:00.000Z';

/** The sample events to try from a journey in this context. */
export function sampleEvents(context: JourneyContext): JourneyEvent[] {
  const deadlineReached = context.deadlines
    .filter((d) => d.status === 'due')
    .map((d) =>
      ev(
        'DEADLINE_REACHED',
        LATE,
        { deadlineId: d.id },
        { actor: system, eventId: `sample-reached-${d.id}` },
      ),
    );
  return [...samples, ...deadlineReached];
}

export const sampledTypes = (): Set<JourneyEventType> => new Set(samples.map((e) => e.type));
