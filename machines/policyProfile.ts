import type { z } from 'zod';
import { allCarersPlanElements, commonPlanChecklist } from './planChecklist';
import type { policyProfileSchema } from './policyProfileSchema';

/**
 * The council's policy profile: every number or choice where councils' policies differ
 * (JOURNEY.md: "the orchestrator makes the difference a setting of the council's policy profile").
 * Derbyshire is the default; Lancashire and Derby City are taken from their own policies.
 * Pure data: it travels into the machine as input and is kept in the snapshot, so a running
 * journey keeps the profile it was started with until a deliberate migration.
 *
 * Every profile is shipped with its sources (`policyProfileSources`), an object of the same shape
 * whose leaves say where each number or choice comes from: a policy file and section as JOURNEY.md
 * cites them (SBS, DCC, ASM, REV, LAN), or "local choice: …why…". A profile takes another council's
 * figure only where its own policies say nothing, and its source says so
 * (test/machine/profiles.test.ts checks all of this; docs/policy-profiles.md lists the differences).
 *
 * Its schema (for a council's own profile file, read by temporal.config.ts) is in
 * policyProfileSchema.ts: this module holds no zod, so every journey a worker holds shares one copy
 * of it (the workflow bundle's preloaded modules, runtime/workflowBundle.ts).
 */
export type PolicyProfile = z.infer<typeof policyProfileSchema>;

export type PersonalBudgetFormula = PolicyProfile['budget']['personalBudget'];

export type UnallocatedCases = PolicyProfile['unallocatedCases'];

/** The schema's default for a profile without the setting (a JSON profile written before it). */
// typed by hand, not as UnallocatedCases: the schema's default is this value, and a type from the
// schema here would be circular
export const defaultUnallocatedCases: { dutyTeam: string; dutyWorker: string } = {
  dutyTeam: 'duty-team',
  dutyWorker: 'duty-worker',
};

/**
 * Who acts for an unallocated case under this profile. A snapshot carried from before the setting
 * existed has none until migration 4 fills it at its next continue-as-new: the shipped profile of
 * the same council answers meanwhile, else the schema's default.
 */
export function unallocatedCasesOf(profile: {
  council: string;
  unallocatedCases?: UnallocatedCases;
}): UnallocatedCases {
  return (
    profile.unallocatedCases ??
    Object.values(policyProfiles).find((p) => p.council === profile.council)?.unallocatedCases ??
    defaultUnallocatedCases
  );
}

/**
 * The policy files JOURNEY.md defines, by the abbreviation it cites them with. A source may cite
 * only these (test/machine/profiles.test.ts checks the list against JOURNEY.md itself).
 */
export const policyFiles = {
  SBS: 'Derbyshire Strength Based Support Policy v5 (2024)',
  DCC: 'Derby City Self-Directed Support Policy v3.2 (2011)',
  ASM: 'Derbyshire SDS Assessment and Care and Support Planning Guidance v4',
  REV: 'Derbyshire SDS Care and Support Plan Reviews Guidance v4',
  LAN: 'Lancashire Person Centred Care and Support Planning',
} as const;
export type PolicyFile = keyof typeof policyFiles;

/**
 * Where each setting of a profile comes from: the profile's shape with a string at every leaf.
 * A leaf is "<FILE> §<section>" or "<FILE> '<heading>'" (with a quotation or a reading where
 * useful), or "local choice: <why>". An empty record (no team limits) has one string for itself.
 */
export type PolicyProfileSources = SourcesOf<PolicyProfile>;
// a list (a checklist) is one setting, with one source
type SourcesOf<T> = T extends string | number | boolean | readonly unknown[]
  ? string
  : { [K in keyof T]: SourcesOf<T[K]> } | (string extends keyof T ? string : never);

// ---- Operational settings: no council's policy sets these; the same local choices for all -------

/** R-TIM-1: JOURNEY.md says no policy states it. */
const timing = { clockSkewAllowanceMinutes: 5 };
const timingSources = {
  clockSkewAllowanceMinutes:
    'local choice: no policy states it (R-TIM-1); 5 minutes absorbs ordinary drift between the clocks of the systems that record events without letting a future-dated event through',
};

const notifications = {
  reminderLeadWorkingDays: {
    emergencyAssessmentStart: 1,
    informalReview: 0,
    firstReview: 5,
    annualReview: 5,
    monitoringCheck: 5,
    unscheduledReview: 2,
    reassessment: 5,
  },
  defaultReminderLeadWorkingDays: 2,
  escalationEveryWorkingDays: 5,
  maxEscalations: 3,
};
const notificationSources = {
  reminderLeadWorkingDays: {
    emergencyAssessmentStart:
      'local choice: no policy sets reminders; one working day before the end of the 3-working-day window still leaves a day to begin the assessment',
    informalReview:
      'local choice: no policy sets reminders; 72 hours is shorter than any useful lead, so the reminder is on the day',
    firstReview:
      'local choice: no policy sets reminders; a working week gives the person and their representatives notice of the review and time to arrange it',
    annualReview:
      'local choice: no policy sets reminders; a working week gives the person and their representatives notice of the review and time to arrange it',
    monitoringCheck:
      'local choice: no policy sets reminders; a working week to arrange the check, as for a review',
    unscheduledReview:
      'local choice: no policy sets reminders; two working days before the end of the unscheduled-review window',
    reassessment:
      'local choice: no policy sets reminders; a working week before the reassessment clock runs out',
  },
  defaultReminderLeadWorkingDays:
    'local choice: no policy sets reminders; two working days for any deadline without its own lead time',
  escalationEveryWorkingDays:
    'local choice: no policy sets escalations; a missed deadline goes to a manager again every working week',
  maxEscalations:
    'local choice: no policy sets escalations; after three the case stays on the stuck lists rather than filling managers’ inboxes',
};

const stuckAfterDays = {
  stage: {
    triage: 7,
    // the set-up step only: once services are in place the R-EMG-1 clock watches the stage
    'interimSupport.settingUp': 2,
    shortTermSupport: 42,
    assessment: 28,
    indicativeBudget: 10,
    planning: 28,
    signOff: 10,
    setUp: 14,
    reassessment: 28,
    endingServices: 10,
  },
  waitingOn: { directPaymentAgreement: 14, advocate: 10, carerAssessment: 28 },
};
const stuckSources = {
  stage: {
    triage:
      'local choice: no policy gives a time for triage; a referral untriaged after a week (R-REF-2) is listed as stuck',
    'interimSupport.settingUp':
      'local choice: no policy gives a time for setting up emergency services with a manager’s approval (R-EMG-3 asks only that the wait is clocked); two days, since it is an emergency',
    shortTermSupport:
      'local choice: no policy gives a length for reablement or enablement; six weeks, a usual reablement episode',
    assessment:
      'local choice: no policy gives a time to complete an assessment; four weeks before the case is listed as stuck',
    indicativeBudget:
      'local choice: no policy gives a time to work out and share the indicative budget (R-IB-3); two weeks of working days',
    planning:
      'local choice: no policy sets a planning timescale (R-PLN-5: timely, proportionate to need); four weeks before the case is listed as stuck',
    signOff: 'local choice: no policy gives a time for sign-off; two weeks once the plan is ready',
    setUp: 'local choice: no policy gives a time to activate services after sign-off (R-ACT-1); two weeks',
    reassessment:
      'local choice: no policy gives a time for a reassessment to conclude; four weeks, beside its own clock (reviews.reassessmentWorkingDays)',
    endingServices:
      'local choice: no policy gives a time between deciding services end and posting the end letter (R-END-1); ten days',
  },
  waitingOn: {
    directPaymentAgreement:
      'local choice: no policy gives a time for the direct payment agreement to be signed (R-ACT-1); two weeks',
    advocate: 'local choice: no policy gives a time to arrange an independent advocate (R-ASM-2); ten days',
    carerAssessment:
      'local choice: no policy gives a time for the carer’s assessment offered (R-ASM-4); four weeks, as for an assessment',
  },
};

/**
 * No council's policy speaks of setting the indicative budget by hand: SBS §5 and LAN §2.3 have the
 * RAS produce it. The same local choice for all three.
 */
const overrideSource =
  "local choice: no policy provides for overriding the RAS; a manager may set the indicative budget instead (INDICATIVE_BUDGET_OVERRIDDEN, with the reason recorded), so a case is not held up when the RAS cannot answer or its figure plainly does not fit the assessed needs, while a practitioner's figure is never taken for the council's (R-IB-2)";

/**
 * No council's policy names who acts for a case before it is allocated (R-REF-2 has the referral
 * triaged, not allocated); each profile names a placeholder duty team and duty worker.
 */
const unallocatedSources = (council: string) => ({
  dutyTeam: `local choice: no policy names a team for cases not yet allocated; a placeholder for ${council}'s duty (intake) team, to be replaced with the council's own team id`,
  dutyWorker: `local choice: no policy names who acts for an unallocated case; the duty worker of ${council}'s duty team owns its next steps and gets its reminders and escalations, so none goes to nobody; a placeholder id for the council's duty rota`,
});

/** The default RAS is a stand-in: a council plugs its own calculation in (activities/indicativeBudget.ts). */
const defaultRas = {
  poundsPerPoint: 120,
  informalSupportReduction: { none: 0, some: 0.1, substantial: 0.25 },
};
const rasSources = (why: string) => ({
  poundsPerPoint: `local choice: ${why}; the default RAS's rate is a placeholder until the council's own RAS is plugged in (R-IB-2)`,
  informalSupportReduction: {
    none: 'local choice: no sustainable informal support, no reduction (R-IB-2)',
    some: `local choice: ${why}; a placeholder moderation for some sustainable informal support (R-IB-2)`,
    substantial: `local choice: ${why}; a placeholder moderation for substantial sustainable informal support (R-IB-2)`,
  },
});

/**
 * R-PLN-3 / R-PLN-6: Derbyshire's plan checklists (kept by Derby City, whose policy says nothing of
 * a plan's contents): the common checklist, and a carer's plan with the contents every carer's plan
 * is for (SBS §3: "Not every carer's support plan will include all of the above").
 */
function derbyshirePlans(): PolicyProfile['plans'] {
  return {
    checklist: [...commonPlanChecklist],
    carersPlanMustHave: [
      'needsAndOutcomes',
      'carerOutcomes',
      'eligibleNeeds',
      'councilWillMeet',
      'crisisContact',
      'personalBudget',
      'directPayment',
    ],
  };
}

// ---- Derbyshire County Council (the default): SBS, ASM, REV -------------------------------------

export const derbyshire: PolicyProfile = {
  council: 'Derbyshire',
  emergency: { assessmentStartWorkingDays: 3 },
  reviews: {
    informalReviewByDefault: true,
    informalReviewHours: 72,
    firstReview: { form: 'formal', dueWeeks: 6, overdueWeeks: 8 },
    maxIntervalMonths: 12,
    reducedIntervalMonths: 6,
    monitoringCheckMonths: 6,
    unscheduledReviewWorkingDays: 10,
    agreedIntervalBelowMonths: 3,
    reassessmentWorkingDays: 20,
    leastNoticeWorkingDays: 10,
  },
  ending: { endLetterNoticeWorkingDays: 10, directPaymentNoticeWeeks: 4, fundingAfterMoveWeeks: 6 },
  signOff: { delegationLimit: 25_000, teamDelegationLimits: {}, authoriserRole: 'manager' },
  timing,
  notifications,
  stuckAfterDays,
  significantHospitalStayDays: 28,
  budgetComplaints: { servicesArrangedWorkingDays: 10 },
  appeals: { decisionWorkingDays: 20 },
  directPaymentMonitoring: { variationActionWorkingDays: 10, temporarySupportWeeks: 4 },
  plans: derbyshirePlans(),
  budget: { personalBudget: 'netOfContribution', managerMayOverrideIndicativeBudget: true },
  unallocatedCases: { dutyTeam: 'derbyshire-duty', dutyWorker: 'duty-worker.derbyshire' },
  ras: defaultRas,
};

export const derbyshireSources: PolicyProfileSources = {
  council: 'SBS §1 (Derbyshire County Council Adult Social Care & Health)',
  emergency: {
    assessmentStartWorkingDays:
      "ASM 'Assessment in Emergencies' ('begin a formal assessment within 3 working days')",
  },
  reviews: {
    informalReviewByDefault:
      "SBS §9 ('informal review at 72 hours where appropriate'); REV 'Review Frequency' ('within 72 hours or 6 weeks as appropriate'): held unless the plan says it is not appropriate",
    informalReviewHours: "SBS §9; REV 'Review Frequency' (72 hours)",
    firstReview: {
      form: "SBS §9 ('first formal review of the support package')",
      dueWeeks: "REV 'Review Frequency' ('within 72 hours or 6 weeks'); SBS §9 ('within 6-8 weeks')",
      overdueWeeks: "SBS §9 ('first formal review of the support package within 6-8 weeks')",
    },
    maxIntervalMonths:
      "SBS §9 ('an interval no greater than 12 months'); REV 'Review Frequency' ('at intervals no greater than one year')",
    reducedIntervalMonths:
      "REV 'Indications that a Review Date Should be set at a Period no Longer than Six Months'",
    monitoringCheckMonths:
      "REV 'Review Frequency' ('Where reviews are not planned for at least six months they should be supplemented by six monthly monitoring checks')",
    unscheduledReviewWorkingDays:
      "local choice: REV 'Unscheduled Reviews' and SBS §9 allow a review at any time but give no timescale; 10 working days lets a visit be arranged while the concern is current",
    agreedIntervalBelowMonths:
      'local choice: SBS §9 asks for the service manager’s agreement to more frequent reviews in complex cases but names no interval; under 3 months, half the six-month interval REV allows without it, counts as more frequent',
    reassessmentWorkingDays:
      "local choice: REV 'Following the Review' gives no timescale ('revise the care and support plan or re-assess as necessary'); 20 working days (about four weeks) keeps the reassessment clocked (R-REV-12)",
    leastNoticeWorkingDays:
      "local choice: REV 'The Person's Participation' asks for 'sufficient notice of the review to the person and their chosen representatives' but names no period; two weeks (10 working days) lets a representative or advocate arrange to attend",
  },
  ending: {
    endLetterNoticeWorkingDays:
      "REV 'Ending Services Post Review' ('an ending date for the service/s not less than 10 working days from the date posted')",
    directPaymentNoticeWeeks:
      "DCC §7.11 ('4 weeks notice in writing'; Derbyshire's own policies say nothing on ending a direct payment agreement)",
    fundingAfterMoveWeeks:
      "SBS §9 ('Funding responsibility remains with Derbyshire for up to 6 weeks post the move')",
  },
  signOff: {
    delegationLimit:
      'local choice: Derbyshire’s policies name no delegation limit (SBS §3: plans are quality assured by senior practitioners or service managers); £25,000 a year is a placeholder for the council’s scheme of delegation',
    teamDelegationLimits: 'local choice: Derbyshire’s policies name no limit of any team’s own',
    authoriserRole:
      'local choice: SBS §3 has plans quality assured by senior practitioners or service managers; a manager signs off above the limit',
  },
  timing: timingSources,
  notifications: notificationSources,
  stuckAfterDays: stuckSources,
  plans: {
    checklist:
      "SBS §3 ('All plans must include'; 'how any risks will be managed'; 'a contingency plan'; 'how the person will make decisions and stay in control of their life'); ASM 'Care and Support Plan Content/Sign-off' ('It is not appropriate to sign-off a plan without this information'); the options considered, with reasons for those rejected, which neither names, are kept from the checklist every journey was held to (R-PLN-3)",
    carersPlanMustHave:
      "SBS §3 ('For carers, support planning should include'; 'Not every carer's support plan will include all of the above'): the needs from the carer's assessment, the carer's outcomes, which needs are eligible, which the council will meet and how, whom the carer will contact in a crisis and, where eligible, the personal budget (and a direct payment's needs, amount and frequency, as for all plans) are what every carer's plan is for; information and advice, and risks and contingency arrangements (SBS §3 speaks of 'any risks identified'), are asked for and may be absent",
  },
  significantHospitalStayDays:
    "local choice: DCC §7.10.4 ('in hospital for a significant period') gives no length and Derbyshire's own policies say nothing; four weeks",
  budgetComplaints: {
    servicesArrangedWorkingDays:
      "local choice: DCC §7.14 ('the social worker (or care manager) must arrange the relevant services instead') gives no time, and Derbyshire's own policies say nothing of a budget refused during a complaint; 10 working days, as for an unscheduled review, so the person is not left without support meanwhile (R-CMP-1, R-SGN-2)",
  },
  appeals: {
    decisionWorkingDays:
      "local choice: REV 'Complaints and Representations' ('the appropriate compliments, complaints and appeals procedures should be made clear to the individual and their representatives') gives no time to decide an appeal; 20 working days (about four weeks), as for a reassessment, to look at the case again and answer in writing (R-APL-1)",
  },
  directPaymentMonitoring: {
    variationActionWorkingDays:
      "local choice: REV 'Purpose of Care and Support Plan Reviews' ('It should seek to address and resolve any concerns or problems with the management of the account') gives no time, and Derbyshire's own policies say nothing of finance flagging a variation (DCC §7.12 ('draw attention to any significant variations')); 10 working days, as for an unscheduled review, to review the budget or the support to manage it (R-DPM-1)",
    temporarySupportWeeks:
      "local choice: Derbyshire's own policies say nothing of support when a person's own contingency arrangements break down (ASM 'Contingency Arrangements' asks only that the plan has them); DCC §7.10.1 ('arranging support temporarily until customers are able to make their own arrangements once more') gives no length; four weeks before the temporary support must have ended or been looked at again (R-DPM-2)",
  },
  budget: {
    personalBudget:
      "DCC §4.3 (reasonable cost, reduced by the customer contribution and other funding; Derbyshire's own policies say nothing of the community budget's formula: SBS §1 says only that an assessed contribution is paid under the Co-Funding Policy)",
    managerMayOverrideIndicativeBudget: overrideSource,
  },
  unallocatedCases: unallocatedSources('Derbyshire'),
  ras: rasSources(
    'SBS §5 describes the RAS (a sum from assessed needs, then moderated by sustainable informal support) but gives no figures',
  ),
};

// ---- Lancashire County Council: LAN ------------------------------------------------------------

/**
 * From LAN. Where LAN says nothing the Derbyshire (default) figure is kept as a local choice, and
 * its source says so: LAN is a care and support planning procedure and refers to other Lancashire
 * documents (Direct Payments, Review of Care and Support Planning) that are not among the policies.
 */
export const lancashire: PolicyProfile = {
  council: 'Lancashire',
  emergency: { assessmentStartWorkingDays: 3 },
  reviews: {
    informalReviewByDefault: false,
    informalReviewHours: 72,
    firstReview: { form: 'lightTouch', dueWeeks: 6, overdueWeeks: 8 },
    maxIntervalMonths: 12,
    reducedIntervalMonths: 6,
    monitoringCheckMonths: 6,
    unscheduledReviewWorkingDays: 10,
    agreedIntervalBelowMonths: 3,
    reassessmentWorkingDays: 20,
    leastNoticeWorkingDays: 10,
  },
  ending: { endLetterNoticeWorkingDays: 10, directPaymentNoticeWeeks: 4, fundingAfterMoveWeeks: 6 },
  signOff: { delegationLimit: 20_000, teamDelegationLimits: {}, authoriserRole: 'manager' },
  timing,
  notifications,
  stuckAfterDays,
  significantHospitalStayDays: 28,
  budgetComplaints: { servicesArrangedWorkingDays: 10 },
  appeals: { decisionWorkingDays: 20 },
  directPaymentMonitoring: { variationActionWorkingDays: 10, temporarySupportWeeks: 4 },
  plans: {
    // LAN §3.6 asks for these as well as the common checklist
    checklist: [
      ...commonPlanChecklist,
      'budgetApportionment',
      'chargingPolicyDiscussed',
      'contingencyContacts',
    ],
    carersPlanMustHave: allCarersPlanElements.filter((e) => e !== 'informationAndAdvice'),
  },
  budget: { personalBudget: 'includesContribution', managerMayOverrideIndicativeBudget: true },
  unallocatedCases: { dutyTeam: 'lancashire-duty', dutyWorker: 'duty-worker.lancashire' },
  ras: defaultRas,
};

const lanSilent = 'LAN says nothing';

export const lancashireSources: PolicyProfileSources = {
  council: 'LAN §1.1 (Lancashire County Council)',
  emergency: {
    assessmentStartWorkingDays: `local choice: ${lanSilent} of emergencies; the default 3 working days of ASM 'Assessment in Emergencies' (Derbyshire)`,
  },
  reviews: {
    informalReviewByDefault:
      'LAN §3.7 (its forms of review are the light-touch review at 6-8 weeks and the formal reviews; no 72-hour review): none unless the plan asks for one',
    informalReviewHours: `local choice: ${lanSilent} of a 72-hour review; where a plan asks for one it is at 72 hours, as SBS §9 (Derbyshire)`,
    firstReview: {
      form: "LAN §3.7 ('Light Touch Review (6 - 8 weeks)')",
      dueWeeks: "LAN §3.7 ('Light Touch Review (6 - 8 weeks)')",
      overdueWeeks: "LAN §3.7 ('Light Touch Review (6 - 8 weeks)')",
    },
    maxIntervalMonths: "LAN §3.7 ('Send for annual review')",
    reducedIntervalMonths: `local choice: ${lanSilent} of shorter intervals (§3.7 points to a review procedure not among the policies); six months, as REV 'Indications that a Review Date Should be set at a Period no Longer than Six Months' (Derbyshire)`,
    monitoringCheckMonths: `local choice: ${lanSilent} of monitoring checks; six-monthly, as REV 'Review Frequency' (Derbyshire)`,
    unscheduledReviewWorkingDays: `local choice: LAN §1.1 ('If there is ever a change in the informal support … their care needs would be reviewed') gives no timescale; 10 working days, as the default`,
    agreedIntervalBelowMonths: `local choice: ${lanSilent} of who agrees frequent reviews; under 3 months needs a service manager’s agreement, as the default`,
    reassessmentWorkingDays: `local choice: ${lanSilent} of a reassessment after review; 20 working days, as the default`,
    leastNoticeWorkingDays: `local choice: ${lanSilent} of notice of a review; 10 working days, as the default (REV 'The Person's Participation': 'sufficient notice')`,
  },
  ending: {
    endLetterNoticeWorkingDays: `local choice: ${lanSilent} of ending services; 10 working days' notice, as REV 'Ending Services Post Review' (Derbyshire)`,
    directPaymentNoticeWeeks: `local choice: ${lanSilent} of ending a direct payment agreement (§3.1 refers to its Direct Payment policy, not among the policies); 4 weeks, as DCC §7.11`,
    fundingAfterMoveWeeks: `local choice: ${lanSilent} of moves to another area; 6 weeks, as SBS §9 (Derbyshire)`,
  },
  signOff: {
    delegationLimit:
      "local choice: LAN §1.3 leaves large or unique budgets to 'a team's specific delegation process' and names no figure; £20,000 a year is a placeholder for Lancashire's scheme of delegation",
    teamDelegationLimits:
      "local choice: LAN §1.3 ('a team's specific delegation process') names no team's figure, so none is set until the teams give theirs",
    authoriserRole:
      "LAN §3.6 ('once the delegated authoriser has approved the budget'; 'confirm this process with your manager'): a manager",
  },
  timing: timingSources,
  notifications: notificationSources,
  stuckAfterDays: {
    ...stuckSources,
    stage: {
      ...stuckSources.stage,
      planning:
        "local choice: LAN §1.3 ('no defined timescale … completed in a timely fashion, proportionate to the needs'); four weeks before the case is listed as stuck",
    },
  },
  plans: {
    checklist:
      "LAN §3.2 ('Care and Support plans should include as a minimum'; 'Contingency plans and emergency contacts'; 'rationale behind any decision to include or reject these options'); LAN §3.6 ('Make sure that it clearly explains how the budget is spent and apportioned'; 'Make sure there is a robust contingency plan with contacts, telephone numbers and email addresses if available'; 'Document that a discussion with the individual or their representative around charging policy')",
    carersPlanMustHave:
      "LAN §3.2 ('Care and Support plans should include as a minimum'; 'Any associated risks and the management of these risks'; 'Contingency plans and emergency contacts'; 'If a carer: their wishes around providing care, work, education and recreation'): a carer's plan has every content SBS §3 names except information and advice, which LAN's minimum does not name and LAN says nothing of for carers (asked for, and may be absent)",
  },
  significantHospitalStayDays: `local choice: ${lanSilent} of hospital stays; four weeks, as the default (DCC §7.10.4 gives no length either)`,
  budgetComplaints: {
    servicesArrangedWorkingDays: `local choice: ${lanSilent} of a budget refused during a complaint; 10 working days, as the default (DCC §7.14 ('must arrange the relevant services instead') gives no time either), so the person is not left without support meanwhile (R-CMP-1)`,
  },
  appeals: {
    decisionWorkingDays: `local choice: ${lanSilent} of appeals; 20 working days, as the default (DCC §7.14 ('they can appeal – that is, ask us to look at their case again') gives no time either)`,
  },
  directPaymentMonitoring: {
    variationActionWorkingDays: `local choice: ${lanSilent} of monitoring a direct payment account (§3.1 refers to its Direct Payment policy, not among the policies); 10 working days, as the default (DCC §7.12 ('draw attention to any significant variations') gives no time either)`,
    temporarySupportWeeks: `local choice: ${lanSilent} of support when a person's own contingency arrangements break down (§3.2 asks only that the plan has contingency plans); four weeks, as the default (DCC §7.10.1 gives no length either)`,
  },
  budget: {
    personalBudget:
      "LAN §2.4 ('the total amount of the budget, including the proportion the local authority will pay, and what amount (if any) the person will pay'); LAN §3.2 keeps other funding (e.g. NHS) outside it",
    managerMayOverrideIndicativeBudget: overrideSource,
  },
  unallocatedCases: unallocatedSources('Lancashire'),
  ras: rasSources(
    "LAN §2.3 describes the RAS ('a formula based on statistical information about care costs') but gives no figures",
  ),
};

// ---- Derby City Council: DCC -------------------------------------------------------------------

/**
 * From DCC. Derby City's policy (2011) sets few figures: where it says nothing, the Derbyshire
 * (default) figure is kept as a local choice and its source says so.
 */
export const derbyCity: PolicyProfile = {
  council: 'Derby City',
  emergency: { assessmentStartWorkingDays: 3 },
  reviews: {
    informalReviewByDefault: true,
    informalReviewHours: 72,
    firstReview: { form: 'formal', dueWeeks: 6, overdueWeeks: 8 },
    maxIntervalMonths: 12,
    reducedIntervalMonths: 6,
    monitoringCheckMonths: 6,
    unscheduledReviewWorkingDays: 10,
    agreedIntervalBelowMonths: 3,
    reassessmentWorkingDays: 20,
    leastNoticeWorkingDays: 10,
  },
  ending: { endLetterNoticeWorkingDays: 10, directPaymentNoticeWeeks: 4, fundingAfterMoveWeeks: 6 },
  signOff: { delegationLimit: 25_000, teamDelegationLimits: {}, authoriserRole: 'manager' },
  timing,
  notifications,
  stuckAfterDays,
  significantHospitalStayDays: 28,
  budgetComplaints: { servicesArrangedWorkingDays: 10 },
  appeals: { decisionWorkingDays: 20 },
  directPaymentMonitoring: { variationActionWorkingDays: 10, temporarySupportWeeks: 4 },
  plans: derbyshirePlans(),
  budget: { personalBudget: 'netOfContribution', managerMayOverrideIndicativeBudget: true },
  unallocatedCases: { dutyTeam: 'derby-city-duty', dutyWorker: 'duty-worker.derby-city' },
  ras: defaultRas,
};

const dccSilent = 'DCC says nothing';

export const derbyCitySources: PolicyProfileSources = {
  council: 'DCC §1.1 (Derby City Council)',
  emergency: {
    assessmentStartWorkingDays: `local choice: ${dccSilent} of when the assessment begins (§3.4.1: emergency services are arranged by the Council); 3 working days, as ASM 'Assessment in Emergencies' (Derbyshire)`,
  },
  reviews: {
    informalReviewByDefault: `local choice: ${dccSilent} of a 72-hour review (§7.12: reviews proportionate to needs and risk); held where appropriate, as SBS §9 (Derbyshire)`,
    informalReviewHours: `local choice: ${dccSilent}; 72 hours, as SBS §9 (Derbyshire)`,
    firstReview: {
      form: `local choice: ${dccSilent} of a first review; a formal one, as SBS §9 (Derbyshire)`,
      dueWeeks: `local choice: ${dccSilent} of a first review; 6 weeks, as SBS §9 (Derbyshire)`,
      overdueWeeks: `local choice: ${dccSilent} of a first review; 8 weeks, as SBS §9 (Derbyshire)`,
    },
    maxIntervalMonths: "DCC §4.1 ('existing customers at their annual review')",
    reducedIntervalMonths: `local choice: ${dccSilent} of shorter intervals (§7.12: proportionate to needs and risk); six months, as REV 'Indications that a Review Date Should be set at a Period no Longer than Six Months' (Derbyshire)`,
    monitoringCheckMonths: `local choice: ${dccSilent} of monitoring checks (§7.12 leaves monitoring to social workers); six-monthly, as REV 'Review Frequency' (Derbyshire)`,
    unscheduledReviewWorkingDays: `local choice: DCC §7.10.2 ('if the customer's needs have changed a reassessment should occur') gives no timescale; 10 working days, as the default`,
    agreedIntervalBelowMonths: `local choice: ${dccSilent} of who agrees frequent reviews; under 3 months needs a service manager’s agreement, as the default`,
    reassessmentWorkingDays: `local choice: DCC §7.10.2 gives no time for a reassessment; 20 working days, as the default`,
    leastNoticeWorkingDays: `local choice: ${dccSilent} of notice of a review; 10 working days, as the default (REV 'The Person's Participation': 'sufficient notice')`,
  },
  ending: {
    endLetterNoticeWorkingDays: `local choice: ${dccSilent} of ending services after reassessment (§7.11 is about the SDS payment); 10 working days, as REV 'Ending Services Post Review' (Derbyshire)`,
    directPaymentNoticeWeeks:
      "DCC §7.11 ('either party may terminate the SDS agreement by giving to the other party 4 weeks notice in writing')",
    fundingAfterMoveWeeks: `local choice: ${dccSilent} of moves to another area; 6 weeks, as SBS §9 (Derbyshire)`,
  },
  signOff: {
    delegationLimit:
      "local choice: DCC §7.4 has social workers (or care managers) 'scrutinise and authorise support plans' and names no limit; £25,000 a year, as the default, a placeholder for Derby City's scheme of delegation",
    teamDelegationLimits: `local choice: ${dccSilent} of limits of any team's own`,
    authoriserRole:
      'local choice: DCC §7.4 names social workers (or care managers) as authorisers and no higher authoriser; a manager signs off above the limit, as the default',
  },
  timing: timingSources,
  notifications: notificationSources,
  stuckAfterDays: stuckSources,
  plans: {
    checklist:
      "local choice: DCC says nothing of what a plan contains (DCC §7.4: social workers 'scrutinise and authorise support plans'); the checklist of SBS §3 (Derbyshire), which every journey was held to",
    carersPlanMustHave:
      "local choice: DCC says nothing of a carer's plan; the contents SBS §3 (Derbyshire) requires of every carer's plan, the others asked for and allowed to be absent",
  },
  significantHospitalStayDays:
    "local choice: DCC §7.10.4 ('in hospital for a significant period') gives no length; four weeks",
  budgetComplaints: {
    servicesArrangedWorkingDays:
      "local choice: DCC §7.14 ('the social worker (or care manager) must arrange the relevant services instead') gives no time; 10 working days, as for an unscheduled review, so the person is not left without support meanwhile (R-CMP-1)",
  },
  appeals: {
    decisionWorkingDays:
      "local choice: DCC §7.14 ('they can appeal – that is, ask us to look at their case again') gives no time to decide an appeal; 20 working days (about four weeks), as the default (R-APL-1)",
  },
  directPaymentMonitoring: {
    variationActionWorkingDays:
      "local choice: DCC §7.12 ('draw attention to any significant variations') and §7.10.2 give no time to act on one; 10 working days, as for an unscheduled review, to review the budget or the support to manage it (R-DPM-1)",
    temporarySupportWeeks:
      "local choice: DCC §7.10.1 ('arranging support temporarily until customers are able to make their own arrangements once more') gives no length; four weeks, as long as the notice that ends an SDS agreement (DCC §7.11), time to recruit or arrange cover (R-DPM-2)",
  },
  budget: {
    personalBudget:
      "DCC §4.3 ('reduced by the customer contribution … may also be reduced by other grant or funding'); DCC §8.1 ('the Council's social care contribution')",
    managerMayOverrideIndicativeBudget: overrideSource,
  },
  unallocatedCases: unallocatedSources('Derby City'),
  ras: rasSources('DCC §7.16 refers to a Resource Allocation System Policy that is not among the policies'),
};

export const policyProfiles = { derbyshire, lancashire, derbyCity } as const;
export type PolicyProfileName = keyof typeof policyProfiles;

/** The sources of each shipped profile, by the profile's name. */
export const policyProfileSources: Record<PolicyProfileName, PolicyProfileSources> = {
  derbyshire: derbyshireSources,
  lancashire: lancashireSources,
  derbyCity: derbyCitySources,
};

/**
 * Each council's own policies: a source citing any other file must say that the council's own
 * policies say nothing there (JOURNEY.md: "a profile takes DCC's figures only where its own
 * policies say nothing, and says so").
 */
export const ownPolicyFiles: Record<PolicyProfileName, readonly PolicyFile[]> = {
  derbyshire: ['SBS', 'ASM', 'REV'],
  lancashire: ['LAN'],
  derbyCity: ['DCC'],
};
