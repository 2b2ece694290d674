import {
  addCalendarDays,
  addWorkingDays,
  endOfLondonDay,
  englandAndWalesBankHolidays,
  isWorkingDay,
  londonDateOf,
  type LocalDate,
} from '../machines/calendar';
import type { DeadlineKind } from '../machines/types';

/**
 * How the pages say dates, durations and names: in the words of the people who use them, in
 * London time, counting working days where the clock itself counts working days.
 */

/**
 * Each kind of deadline: the rule that sets it and how its clock counts (machines/deadlines.ts, one
 * function per clock). A row of a list knows only its deadline kinds, so the rule id comes from here.
 */
export const deadlineKindFacts: Record<
  DeadlineKind,
  { ruleId: string; clock: 'workingDays' | 'calendar'; words: string }
> = {
  emergencyAssessmentStart: {
    ruleId: 'R-EMG-1',
    clock: 'workingDays',
    words: 'Emergency: assessment to begin',
  },
  informalReview: { ruleId: 'R-REV-1', clock: 'calendar', words: 'Informal review (72 hours)' },
  firstReview: { ruleId: 'R-REV-2', clock: 'calendar', words: 'First review' },
  annualReview: { ruleId: 'R-REV-3', clock: 'calendar', words: 'Review' },
  monitoringCheck: { ruleId: 'R-REV-4', clock: 'calendar', words: 'Monitoring check' },
  unscheduledReview: { ruleId: 'R-REV-6', clock: 'workingDays', words: 'Unscheduled review' },
  reassessment: { ruleId: 'R-REV-12', clock: 'workingDays', words: 'Reassessment' },
  servicesEnd: { ruleId: 'R-END-1', clock: 'calendar', words: 'Services end' },
  directPaymentAgreementEnd: { ruleId: 'R-END-2', clock: 'calendar', words: 'Direct payment agreement ends' },
  fundingAfterMove: { ruleId: 'R-TRF-1', clock: 'calendar', words: 'Funding after a move ends' },
  appealDecision: { ruleId: 'R-APL-1', clock: 'workingDays', words: 'Appeal to be decided' },
  directPaymentVariation: {
    ruleId: 'R-DPM-1',
    clock: 'workingDays',
    words: 'Direct payment variation to act on',
  },
  temporarySupport: { ruleId: 'R-DPM-2', clock: 'calendar', words: 'Temporary support to end' },
  equipmentConfirmation: { ruleId: 'R-REV-14', clock: 'calendar', words: 'Confirm the equipment suits' },
  servicesArrangedInstead: {
    ruleId: 'R-CMP-1',
    clock: 'workingDays',
    words: 'Budget refused: council to arrange services',
  },
};

export const kindFacts = (kind: string | undefined) =>
  kind ? deadlineKindFacts[kind as DeadlineKind] : undefined;

/** The working-day calendar the journeys use: England and Wales, plus any announced extra bank holidays. */
export function holidaysWith(extra: readonly string[]): ReadonlySet<string> {
  return new Set([...englandAndWalesBankHolidays, ...extra]);
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The London date and time of an instant, in parts. */
function partsOf(iso: string) {
  const parts = Object.fromEntries(
    londonParts.formatToParts(new Date(iso)).map((p) => [p.type, p.value] as const),
  ) as Record<'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute', string>;
  return { ...parts, hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** A calendar date as written, 'YYYY-MM-DD', is read as that day in London (midday, clear of any shift). */
const asInstant = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);

/**
 * "Friday 4 December 2026" (London): every date on every page is said this one way. A calendar
 * date ('YYYY-MM-DD') is that day; an instant, the London day it falls on.
 */
export function dateInWords(iso: string | undefined): string {
  if (!iso || !Number.isFinite(Date.parse(asInstant(iso)))) return iso ?? '';
  const p = partsOf(asInstant(iso));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "10:30am", "midday", "midnight" (GOV.UK style). */
function timeInWords(hour: number, minute: number): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/** "Friday 4 December 2026 at 10:30am" (London). */
export function dateTimeInWords(iso: string | undefined): string {
  if (!iso || !Number.isFinite(Date.parse(iso))) return iso ?? '';
  const p = partsOf(iso);
  return `${dateInWords(iso)} at ${timeInWords(p.hour, p.minute)}`;
}

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * When a deadline falls due, as people say it: a clock that runs to the end of a day is due at
 * the London midnight after it (machines/calendar endOfLondonDay), which is "the end of Friday 27
 * November 2026", not "Saturday 28 November 2026 at midnight".
 */
export function dueInWords(iso: string | undefined): string {
  if (!iso) return '';
  if (londonTime.format(new Date(iso)) === '00:00:00') {
    return `the end of ${dateInWords(new Date(Date.parse(iso) - 1).toISOString())}`;
  }
  return dateTimeInWords(iso);
}

/** The working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: LocalDate, to: LocalDate, holidays: ReadonlySet<string>): number {
  let count = 0;
  for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
    if (isWorkingDay(day, holidays)) count++;
  }
  return count;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * How long a deadline has been overdue, in its clock's own unit: working days for a working-day
 * clock (R-EMG-1's 3 working days), calendar days otherwise.
 */
export function overdueFor(
  since: string,
  kind: string | undefined,
  now: Date,
  holidays: ReadonlySet<string>,
) {
  const today = londonDateOf(now.toISOString());
  const sinceDay = londonDateOf(since);
  if (kindFacts(kind)?.clock === 'workingDays') {
    const n = workingDaysBetween(sinceDay, today, holidays);
    return n === 0 ? 'overdue since today' : `${plural(n, 'working day')} overdue`;
  }
  const days = Math.round((Date.parse(today) - Date.parse(sinceDay)) / 86_400_000);
  return days === 0 ? 'overdue since today' : `${plural(days, 'day')} overdue`;
}

/** Time left before a deadline, in its clock's unit. */
export function timeLeft(dueAt: string, kind: string | undefined, now: Date, holidays: ReadonlySet<string>) {
  if (Date.parse(dueAt) <= now.getTime()) return overdueFor(dueAt, kind, now, holidays);
  const today = londonDateOf(now.toISOString());
  // A deadline at a London midnight belongs to the day before it (the end of the due day).
  const dueDay = londonDateOf(new Date(Date.parse(dueAt) - 1).toISOString());
  if (kindFacts(kind)?.clock === 'workingDays') {
    const n = workingDaysBetween(today, dueDay, holidays);
    return n === 0 ? 'due today' : `${plural(n, 'working day')} left`;
  }
  const days = Math.round((Date.parse(dueDay) - Date.parse(today)) / 86_400_000);
  return days === 0 ? 'due today' : `${plural(days, 'day')} left`;
}

/** The end of the n-th working day from today (London), as epoch ms: "due within n working days". */
export function endOfWorkingDaysFromNow(n: number, now: Date, holidays: ReadonlySet<string>): number {
  return Date.parse(endOfLondonDay(addWorkingDays(londonDateOf(now.toISOString()), n, holidays)));
}

/** Events whose name, read as words, would not say what happened. */
const eventWords: Record<string, string> = {
  TRIAGED: 'Referral triaged',
  INDICATIVE_BUDGET_CALCULATED: 'Indicative budget worked out',
  INDICATIVE_BUDGET_OVERRIDDEN: 'Indicative budget set by a manager',
  PLAN_VALIDATED: 'Plan checked',
  BUDGET_COMPLAINT_INTERIM_CHOICE: 'Choice while a budget complaint is open',
  BUDGET_COMPLAINT_SERVICES_ARRANGED: 'Services arranged during a budget complaint',
  DIRECT_PAYMENT_VARIATION_FLAGGED: 'Direct payment variation raised by finance',
  JOURNEY_IMPORTED: 'Brought in from the case system',
  JOURNEY_WITHDRAWN: 'Person withdrew',
};

/** ASSESSMENT_STARTED → "Assessment started". */
export function eventInWords(type: string): string {
  if (eventWords[type]) return eventWords[type];
  const words = type.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The words for every name a page shows: the fields of the event catalogue and the values of its
 * choices, as the people who use the pages say them. One table, so a value reads the same on every
 * page; a key `field=value` words a value only in that field, `EVENT.path` a field only in that
 * event. test/pages/forms.test.ts holds every choice of the catalogue to an entry here.
 */
export const wordsTable: Record<string, string> = {
  // roles
  practitioner: 'Practitioner',
  manager: 'Manager',
  integration: 'Case management system',
  auditor: 'Auditor',
  system: 'Care journeys (automatic)',
  // referral
  self: 'The person themselves',
  family: 'Family or friends',
  gp: 'GP',
  hospital: 'Hospital',
  provider: 'Care provider',
  professional: 'Another professional',
  other: 'Other',
  routine: 'Routine',
  urgent: 'Urgent',
  emergency: 'Emergency',
  person: 'The person',
  carer: 'A carer',
  largePrint: 'Large print',
  easyRead: 'Easy read',
  // stages a case system can bring a case in at
  assessment: 'Needs assessment',
  interimSupport: 'Emergency interim support',
  indicativeBudget: 'Indicative budget',
  planning: 'Care and support planning',
  setUp: 'Setting up services',
  liveSupport: 'Support in place',
  // how a budget is managed
  directPayment: 'Direct payment',
  councilManaged: 'Managed by the council',
  individualServiceFund: 'Individual service fund (held by a provider)',
  careManagedAccount: 'Managed account (held by a third party)',
  signed: 'Signed',
  awaited: 'Not signed yet',
  formal: 'Formal, face to face',
  lightTouch: 'Light touch',
  telephone: 'By telephone',
  budget: 'The budget',
  service: 'A service',
  decision: 'A decision',
  informationAndAdvice: 'Information and advice',
  shortTermSupport: 'Short-term support (reablement)',
  emergencyInterimSupport: 'Emergency interim support',
  needsMet: 'Needs met',
  assessmentNeeded: 'An assessment is needed',
  managingDirectPayment: 'Managing a direct payment',
  consentToDirectPayment: 'Consenting to a direct payment',
  careAndSupport: 'Care and support',
  none: 'None',
  some: 'Some',
  substantial: 'Substantial',
  familyOrFriends: 'Family or friends',
  advocate: 'An advocate',
  broker: 'A support broker',
  worker: 'The worker',
  weekly: 'Every week',
  fourWeekly: 'Every 4 weeks',
  monthly: 'Every month',
  annually: 'Every year',
  personalAssistant: 'A personal assistant',
  agencyCare: 'Care from an agency',
  dayActivity: 'A day activity',
  shortStayResidential: 'A short stay in residential care',
  longTermResidential: 'Long-term residential care',
  healthcare: 'Healthcare',
  familyMemberInHousehold: 'A family member living in the household',
  councilService: 'A council service',
  equipment: 'Equipment',
  unlawful: 'Something unlawful',
  accepted: 'Accepted',
  declined: 'Declined',
  commissioning: 'Commissioning support',
  change: 'A change to support',
  simpleOneOff: 'Simple one-off equipment',
  majorAdaptation: 'A major adaptation',
  noChange: 'No change',
  planRevised: 'Plan revised',
  'outcome=reassessment': 'A reassessment is needed',
  reassessment: 'Reassessment',
  servicesToEnd: 'Services to end',
  continue: 'Continue',
  end: 'End',
  personOrRepresentative: 'The person or their representative asked',
  concern: 'A concern',
  providerAlert: 'An alert from the provider',
  informalSupportChange: 'A change in informal support',
  safeguarding: 'Safeguarding',
  hospitalDischarge: 'Discharge from hospital',
  revisePlan: 'Revise the plan',
  endServices: 'End services',
  council: 'The council',
  personChoice: 'The person’s choice',
  cannotManage: 'The person cannot manage it',
  hospitalStay: 'A hospital stay',
  breach: 'A breach of the agreement',
  surplusToNeeds: 'Surplus to the needs in the plan',
  divertedToOtherPurposes: 'Spent on other purposes',
  savingForAgreedPurpose: 'Saved for an agreed purpose',
  outstandingAccounts: 'Outstanding accounts',
  tax: 'Tax',
  indicative: 'The indicative budget',
  personal: 'The personal budget',
  willUseComplaintsProcess: 'Will use the complaints process',
  undecided: 'Undecided',
  manageOnOfferedBudget: 'Manage on the budget offered',
  councilArrangesServices: 'The council arranges services',
  eligibility: 'Eligibility',
  personalBudget: 'Personal budget',
  upheld: 'Upheld',
  partlyUpheld: 'Partly upheld',
  notUpheld: 'Not upheld',
  significantVariation: 'A significant variation in the balance',
  accountConcern: 'A concern about how the account is managed',
  // who a case waits on, who a step falls to
  directPaymentAgreement: 'the direct payment agreement',
  carerAssessment: 'the carer’s assessment',
  dutyWorker: 'Duty worker',
  team: 'Team',
  // fields
  referralId: 'Referral reference',
  receivedDate: 'Date received',
  source: 'Who referred',
  urgency: 'Urgency',
  summary: 'What is happening',
  subject: 'Who the referral is for',
  name: 'Name',
  address: 'Address',
  postcode: 'Postcode',
  accessibleFormats: 'Formats the person needs letters in',
  workerId: 'Worker',
  route: 'Where the referral goes',
  signposting: 'Signposting',
  prevention: 'Prevention',
  reason: 'Reason',
  'ORDINARY_RESIDENCE_ESTABLISHED.council': 'Council responsible',
  outcome: 'Outcome',
  notes: 'Notes',
  services: 'Services',
  managerApproval: 'Manager’s approval',
  managerId: 'Manager who approved',
  caseNotesCompleted: 'Case notes completed',
  hasCapacity: 'Has capacity for this decision',
  topic: 'What the decision is about',
  suitablePersonId: 'Suitable person',
  relationship: 'Relationship to the person',
  riskAssessmentRecordedOn: 'Date the risk assessment was recorded',
  substantialDifficulty: 'Substantial difficulty being involved',
  appropriatePersonAvailable: 'An appropriate person can help',
  advocateId: 'Advocate',
  organisation: 'Organisation',
  consentGiven: 'Consent given',
  limits: 'Limits on the consent',
  carerId: 'Carer',
  presentingNeeds: 'Presenting needs',
  eligibleNeeds: 'Eligible needs',
  ineligibleNeeds: 'Needs that are not eligible',
  unmetEligibleNeeds: 'Eligible needs not met otherwise',
  need: 'Need',
  points: 'Points',
  outcomes: 'Outcomes the person wants',
  informalSupport: 'Informal support',
  equipmentConsidered: 'Equipment considered',
  amount: 'Amount',
  'INDICATIVE_BUDGET_OVERRIDDEN.amount': 'Indicative budget, a year',
  'SURPLUS_RECOVERED.amount': 'Amount recovered',
  sharedWith: 'Shared with',
  method: 'How it was shared',
  preparedBy: 'Who prepares the plan',
  plan: 'The plan',
  needsAndOutcomes: 'Needs and outcomes',
  ownResourcesAndNetwork: 'The person’s own resources and network',
  councilWillMeet: 'What the council will meet',
  budgetManagement: 'How the budget is managed',
  'directPayment.amount': 'Amount each time',
  frequency: 'How often it is paid',
  purchases: 'What it buys',
  description: 'Description',
  category: 'Category',
  exceptional: 'Allowed as an exception',
  shortStay: 'Short residential stay',
  lengthWeeks: 'Length of the stay, in weeks',
  weeksSincePreviousStay: 'Weeks since the previous stay',
  risks: 'Risks',
  contingencyPlan: 'Contingency plan',
  stayingInControl: 'How the person stays in control',
  optionsConsidered: 'Options considered',
  option: 'Option',
  chosen: 'Chosen',
  informalReview72h: 'Informal review at 72 hours',
  informalReview: 'Informal review',
  carerOutcomes: 'The carer’s outcomes',
  crisisContact: 'Contact in a crisis',
  directPaymentOffer: 'Direct payment offer',
  answer: 'The person’s answer',
  contingencyContacts: 'Contingency contacts',
  budgetApportionment: 'How the budget is spent and apportioned',
  chargingPolicyDiscussed: 'Charging policy discussed',
  reasons: 'Reasons',
  finalBudget: 'Final personal budget',
  costing: 'How the budget is made up',
  reasonableCost: 'Reasonable cost',
  assessedContribution: 'Assessed contribution',
  otherFunding: 'Other funding',
  s117Aftercare: 'Section 117 aftercare',
  shortTermPreventativeCost: 'Cost of reablement or enablement',
  mismatchReason: 'Why it differs from the indicative budget',
  agreedBy: 'Who agreed the plan',
  'agreedBy.person': 'The person agreed',
  representative: 'Representative',
  'agreedBy.advocate': 'Advocate',
  copyTo: 'Copies to',
  accessibleFormat: 'Format of the copy',
  withDispute: 'Signed off with a dispute',
  directedToComplaints: 'Told about the complaints process',
  supportMeanwhile: 'Support meanwhile',
  consultedWith: 'Consulted with',
  signedOn: 'Date signed',
  firstReviewAgreedFor: 'First review date agreed with the person',
  providers: 'Providers',
  providerId: 'Provider',
  newWithoutTrackRecord: 'New, without a track record',
  equipmentOnly: 'Equipment only',
  items: 'Items',
  item: 'Item',
  kind: 'Kind',
  'DIRECT_PAYMENT_VARIATION_FLAGGED.kind': 'What finance found',
  suitable: 'The equipment suits the person',
  adaptationCompletedAndWorking: 'Adaptation completed and working',
  closeJourney: 'Close the case',
  concerns: 'Concerns',
  reviewType: 'How the review was held',
  eligibilityRedetermined: 'Eligibility determined again',
  contingencyPlanReviewed: 'Contingency plan reviewed',
  indicators: 'What sets the next review',
  serviceOnlyFewMonthsOld: 'The service is only a few months old',
  needsLikelyToChange: 'Needs are likely to change',
  newProviderWithoutTrackRecord: 'A new provider without a track record',
  severalProvidersToCoordinate: 'Several providers to coordinate',
  nextReviewOn: 'Next review date',
  complexCase: 'Complex case',
  agreedWithServiceManager: 'Service manager who agreed a shorter interval',
  revisedPlan: 'Revised plan',
  telephoneConditions: 'Conditions for a telephone review',
  lowLevelNonPersonalCare: 'Low-level support, not personal care',
  noCommunicationDifficulty: 'No communication difficulty',
  faceToFaceReviewInPreviousYear: 'A face-to-face review in the previous year',
  ableToMonitorAndAskForFaceToFace: 'Can keep an eye on their support and ask for a face-to-face review',
  needsUnchanged: 'Needs unchanged',
  directPaymentOutcome: 'Decision on the direct payment',
  contactPoint: 'Contact point',
  notice: 'Notice of the review',
  toldOn: 'Date they were told',
  told: 'Who was told',
  advocacyConsidered: 'Need for an advocate considered',
  shortNoticeReason: 'Why at short notice',
  trigger: 'What prompted it',
  details: 'Details',
  thirdPartySources: 'Third-party sources used',
  unmetNeedsMetOtherwise: 'How unmet needs will be met',
  how: 'How',
  to: 'Given to',
  postedOn: 'Date posted',
  endDate: 'Date services end',
  alternativesDiscussed: 'Alternatives discussed',
  by: 'Given by',
  noticeGivenOn: 'Date notice was given',
  discussedWithPersonOn: 'Date discussed with the person',
  balance: 'Balance',
  purpose: 'What it is for',
  hardshipConsidered: 'Hardship considered',
  moveDate: 'Date of the move',
  receivingCouncil: 'Council moving to',
  consentToShareRecords: 'Consents to records being shared',
  admittedOn: 'Date admitted',
  dischargedOn: 'Date discharged',
  dischargeProtocolFollowed: 'Discharge protocol followed',
  needsChanged: 'Needs changed',
  dateOfDeath: 'Date of death',
  complaintId: 'Complaint reference',
  about: 'What it is about',
  challengeId: 'Challenge reference',
  complaintsProcessOffered: 'Complaints process offered',
  response: 'The person’s response',
  groupManagerId: 'Group manager',
  discussedWithComplaintsManagerOn: 'Date discussed with the complaints manager',
  choice: 'What the person chose',
  concernId: 'Concern reference',
  triggersUnscheduledReview: 'Triggers an unscheduled review',
  appealId: 'Appeal reference',
  grounds: 'Grounds',
  supportId: 'Temporary support reference',
  decisionMade: 'Decision',
  email: 'Email address',
  telephoneNumber: 'Telephone',
  'contingencyContacts[].telephone': 'Telephone',
  occurredAt: 'When it happened',
  eventId: 'Event reference',
  // one item of a list, for "Add another eligible need"
  'eligibleNeeds[]': 'eligible need',
  'unmetEligibleNeeds[]': 'unmet eligible need',
  'optionsConsidered[]': 'option',
  'purchases[]': 'purchase',
  'contingencyContacts[]': 'contact',
  'providers[]': 'provider',
  'items[]': 'item',
  'balance[]': 'part of the balance',
  'unmetNeedsMetOtherwise[]': 'unmet need',
  'complaints[]': 'complaint',
  'safeguarding[]': 'safeguarding concern',
};

const lowerFirst = (text: string) =>
  /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;

/** A name split at its capitals: firstReviewAgreedFor → "First review agreed for". */
function splitName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/72h/, '72 hours')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field's label: the words table's for this event's field, this path, then this name (the last
 * part of the path), else the name split at its capitals.
 */
export function fieldInWords(name: string, path?: string, type?: string): string {
  const generic = path?.replace(/\[\d*\]/g, '[]');
  const key = name.replace(/.*\./, '');
  const shortPath = generic?.split('.').slice(-2).join('.');
  return (
    (type && generic ? wordsTable[`${type}.${generic}`] : undefined) ??
    (generic ? wordsTable[generic] : undefined) ??
    (shortPath ? wordsTable[shortPath] : undefined) ??
    wordsTable[key] ??
    splitName(key)
  );
}

/** A value of a choice, in words: the table's for `field=value`, then for the value. */
export function choiceInWords(value: string, field?: string): string {
  return (field ? wordsTable[`${field}=${value}`] : undefined) ?? wordsTable[value] ?? splitName(value);
}

/** A label inside a sentence: "Final personal budget" → "final personal budget" (but "GP" stays). */
export const inSentence = lowerFirst;

const isoInstant = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const isoDate = /\b\d{4}-\d{2}-\d{2}\b/g;
const camelWord = /\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g;
const fieldPath = /\b[a-z][A-Za-z0-9]+(?:\[\d*\])?(?:\.[a-z][A-Za-z0-9]+(?:\[\d*\])?)+\b/g;
/** The catalogue's fields that hold others: a dotted path starting with one is a field's path. */
const holdingFields = new Set([
  'plan',
  'revisedPlan',
  'costing',
  'agreedBy',
  'notice',
  'indicators',
  'complexCase',
  'telephoneConditions',
  'withDispute',
  'directPayment',
  'directPaymentOffer',
  'equipmentOnly',
  'managerApproval',
]);
const eventType = /\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b/g;
const pounds = /£(-?\d+(?:\.\d+)?)/g;

/** An amount in pounds as people write it: £9,360 or £9,360.50. */
export function poundsInWords(amount: number): string {
  const whole = Number.isInteger(amount) || Math.abs(amount - Math.round(amount)) < 0.005;
  return `${amount < 0 ? '-' : ''}£${Math.abs(amount).toLocaleString('en-GB', {
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  })}`;
}

/**
 * A sentence from the API or the journey (a refusal, a next step, why a case is stuck) in the
 * pages' words: field names and paths as their labels, choices and internal names as words, event
 * types as what happened, instants and dates as every page says them, amounts in pounds with commas.
 */
export function plainWords(text: string): string {
  return text
    .replace(isoInstant, (iso) => (Number.isFinite(Date.parse(iso)) ? dateTimeInWords(iso) : iso))
    .replace(isoDate, (date) => dateInWords(date))
    .replace(eventType, (type) => `‘${eventInWords(type)}’`)
    .replace(fieldPath, (path) => {
      const parts = path.split('.').map((p) => p.replace(/\[\d*\]$/, ''));
      // a user id ("ann.practitioner") or a web address is not a field's path
      if (!holdingFields.has(parts[0]!) && !parts.some((p) => /[A-Z]/.test(p))) return path;
      return `‘${fieldInWords(parts.at(-1)!, path)}’`;
    })
    .replace(camelWord, (word) => {
      const known = wordsTable[word] ?? kindFacts(word)?.words;
      return inSentence(known ?? splitName(word));
    })
    .replace(pounds, (_m, n: string) => poundsInWords(Number(n)));
}

/** Who holds a case: the worker, else the team, else nobody yet. */
export const holderOf = (row: { worker?: string | undefined; team?: string | undefined }) =>
  row.worker
    ? `${row.worker}${row.team ? ` (${row.team})` : ''}`
    : row.team
      ? `${row.team} (no worker)`
      : 'Unallocated';
