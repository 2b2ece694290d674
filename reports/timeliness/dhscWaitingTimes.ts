import { addCalendarMonths } from '../../machines/calendar';
import type { CldMapping } from '../cld/config';
import { episodesOf } from '../cld/rows';
import type { JourneyFacts } from '../journeyFacts';
import { inPeriod, londonDate, type ReportingPeriod } from '../period';
import { daysBetween } from './waitingTimes';

/**
 * DHSC's waiting-times method, reimplemented from its published SQL (version 1.1, 19 May 2026:
 * `Waiting_times/waiting_times_method.sql` in DataS-DHSC/ASC-CLD-LA-Dashboard, commit 9bee728), over
 * the CLD events the project's own return makes of each journey (reports/cld/rows.ts `episodesOf`,
 * with the council's mapping to Release 2 strings): the same events DHSC would receive.
 *
 * For each request from a new client aged 25 or over whose outcome shows progress, the wait to the
 * first response (the first assessment after it, or a service if one comes first) and to the first
 * service (unless the assessments in between did not lead to services), in days; requests overlapping
 * the follow-up of an earlier request are left out; the medians are by age band. Stage numbers below
 * are the SQL's. What the store cannot do as DHSC does is listed in `dhscMethod.notApplied`.
 */

export interface DhscMethod {
  name: string;
  /** the SQL's own version and date */
  version: string;
  published: string;
  repository: string;
  path: string;
  /** the commit it was read at */
  commit: string;
  /** its stages as the store applies them */
  applied: string[];
  /** what the store cannot do as DHSC does, and what it does instead */
  notApplied: { stage: string; why: string }[];
}

export const dhscMethod: DhscMethod = {
  name: "DHSC's waiting times method: local authority median waiting times from CLD",
  version: '1.1',
  published: '2026-05-19',
  repository: 'DataS-DHSC/ASC-CLD-LA-Dashboard',
  path: 'Waiting_times/waiting_times_method.sql',
  commit: '9bee728f40102c4f6cee25a5511c5144c2209b4c',
  applied: [
    "Before stage 1: DHSC's joined submissions hold requests and assessments once they have ended, and services from their start; events end on the date of death",
    'Stage 1.2: assessments of type Short term or Long term assessment; services of the seven long-term and short-term support types (not support direct to unpaid carers)',
    'Stage 1.3a: requests of service users (not unpaid carers) from 1 April 2023',
    "Stage 1.3b: requests of people aged 25 or over when the request began, from the person record's date of birth (none recorded: left out, as DHSC leaves out an unknown age)",
    'Stage 1.3c: requests from existing clients left out: a long-term service begun before the request and ending within the 12 months before it, or still open; a reablement (ST-Max) or other short-term service, within 3 months',
    'Stage 1.4: requests whose outcome is no further action or admission to hospital left out (and those with no outcome, as SQL compares them)',
    "Stage 2.1: a person's requests, and assessments and services begun at 25 or over, in date order (request, assessment, service on the same day)",
    'Stage 2.2: people with no request left are left out',
    'Stage 2.3: assessments that progress to services (to reablement, to support planning or services, continuation of support); consecutive assessments as one block',
    'Stage 2.4: each request linked to the first assessment and the first service after it',
    'Stage 3.2: a service before the first assessment (or with none) is the first response',
    'Stage 3.3: no first service where the first response is a block of assessments none of which progressed to services',
    "Stage 3.4: requests overlapping an earlier request's follow-up left out",
    'Stage 4.1: waits in days from the request to the first response and to the first service',
    "Stage 4.2: medians (PERCENTILE_CONT 0.5) by the age band of the event waited for ('25 to 64', '65 and above': its age at its end, from the first of the birth month, or at the period's end for a service still open)",
  ],
  notApplied: [
    {
      stage: 'Stage 3.1',
      why: "A Release 1 request (before 1 July 2025) flagged as a 'conversation' acts as the assessment: the store has no conversation marker (Der_Conversation), so no request does",
    },
    {
      stage: 'Stage 4.1 statistical reporting periods',
      why: "DHSC groups waits by the calendar quarter the first response or service began in; here by the report's period (ask for a quarter to get DHSC's figure)",
    },
    {
      stage: 'Stage 4.2 by local authority',
      why: "DHSC partitions by LA_Code; here by team and for all teams (one council's journeys)",
    },
    {
      stage: 'Stage 2.1 order of events on the same day',
      why: 'After the date and the event type, DHSC orders by import date and record id (descending); the store orders by when each event really happened, then its reference',
    },
    {
      stage: 'Stage 1.3b age at the start of the request',
      why: "DHSC receives Der_Age_Event_Start_Date ready made (its derivation is not published); here whole years of 365.25 days from the date of birth, as DHSC's ASCOF 2B/2C code derives an age at an event's start",
    },
    {
      stage: 'Stage 1.4 Event_Outcome_Grouped',
      why: "DHSC's grouping is not published; here every outcome beginning 'NFA' is 'NFA', as the SQL's comment describes it",
    },
    {
      stage: 'Der_NHS_LA_Combined_Person_ID',
      why: "DHSC links a person's events by traced NHS number (else the council's id), across councils; the store by the council's person id, across the person's journeys with this council",
    },
    {
      stage: 'Stages 5 and 6',
      why: "The dashboard's contextual counts and output tables; the report counts instead why each request begun in the period is not in the figures",
    },
  ],
};

export const dhscAgeBands = ['25 to 64', '65 and above'] as const;
export type DhscAgeBand = (typeof dhscAgeBands)[number];

/** Why a request begun in the period has no place in DHSC's figures, by the stage that left it out. */
export const dhscLeftOutReasons = [
  'notEnded',
  'notAServiceUser',
  'before2023',
  'noDateOfBirth',
  'under25',
  'existingClient',
  'noProgress',
  'overlapsEarlierRequest',
] as const;
export type DhscLeftOut = (typeof dhscLeftOutReasons)[number];

export const dhscLeftOutWords: Record<DhscLeftOut, string> = {
  notEnded: 'still open: DHSC has a request only once it has ended',
  notAServiceUser: 'Stage 1.3a: not a service user (an unpaid carer)',
  before2023: 'Stage 1.3a: begun before 1 April 2023',
  noDateOfBirth: 'Stage 1.3b: no date of birth in the person record',
  under25: 'Stage 1.3b: under 25 when the request began',
  existingClient: 'Stage 1.3c: an existing client',
  noProgress: 'Stage 1.4: no further action, admitted to hospital, or no outcome',
  overlapsEarlierRequest: "Stage 3.4: begun during an earlier request's follow-up",
};

const longTermServices = [
  'Long term support: Nursing care',
  'Long term support: Residential care',
  'Long term support: Community',
  'Long term support: Prison',
];
const shortTermServicesForExistingClients = [
  'Short term support: ST-Max',
  'Short term support: Other short term',
];
const servicesMeasured = [
  ...longTermServices,
  ...shortTermServicesForExistingClients,
  'Short term support: Ongoing low level',
];
const assessmentsMeasured = ['Short term assessment', 'Long term assessment'];
const assessmentProgressToService = [
  'Progress to reablement/ST-Max',
  'Progress to support planning or services',
  'Continuation of support or services',
];

export type DhscEventType = 'Request' | 'Assessment' | 'Service';

/** A CLD event of one person, as DHSC's joined submissions would hold it. */
export interface DhscEvent {
  type: DhscEventType;
  team: string | undefined;
  /** London dates */
  start: string;
  end: string | undefined;
  /** when it really began, and its reference: the order of events on the same day */
  at: string;
  reference: string;
  /** Event_Outcome, Client_Type: Release 2 strings */
  outcome: string | undefined;
  clientType: string | undefined;
  /** Assessment_Type or Service_Type */
  eventKind: string | undefined;
}

/** One request's place in DHSC's figures. */
export interface DhscRequestWait {
  personId: string;
  team: string | undefined;
  /** the request's start (London date) */
  requestStart: string;
  /** why it is not in the figures */
  leftOut?: DhscLeftOut;
  firstResponse?: DhscWait;
  firstService?: DhscWait;
}

export interface DhscWait {
  /** the event waited for, and when it began */
  type: DhscEventType;
  start: string;
  days: number;
  /** its age band; undefined where DHSC's medians leave it out ('Under 18', 'Unknown') */
  band: DhscAgeBand | undefined;
}

const priority: Record<DhscEventType, number> = { Request: 1, Assessment: 2, Service: 3 };

/** SQL Server's FLOOR(DATEDIFF(DAY, from, to) / 365.25). */
const yearsBetween = (from: string, to: string) => Math.floor(daysBetween(from, to) / 365.25);

/**
 * The age band DHSC's derived fields give an event: its latest age (at its end; a service still
 * open, at the reporting period's end) from the first of the month of birth, in working age bands,
 * '18 to 64' becoming '25 to 64' (the method's Modified_Working_Age_Band).
 */
function bandOf(e: DhscEvent, dateOfBirth: string | undefined, periodTo: string): DhscAgeBand | undefined {
  const upTo = e.end ?? (e.type === 'Service' ? periodTo : undefined);
  if (!dateOfBirth || !upTo) return undefined;
  const age = yearsBetween(`${dateOfBirth.slice(0, 7)}-01`, upTo);
  if (age < 18) return undefined;
  return age >= 65 ? '65 and above' : '25 to 64';
}

/** Each CLD request, assessment and service of a journey, as DHSC's joined submissions hold them. */
function cldEventsOf(facts: JourneyFacts, mapping: CldMapping, asOfDate: string): DhscEvent[] {
  const events: DhscEvent[] = [];
  for (const ep of episodesOf(facts, mapping)) {
    if (ep.type === 'Review') continue;
    const start = londonDate(ep.start.occurredAt);
    if (start > asOfDate) continue;
    events.push({
      type: ep.type,
      team: facts.team,
      start,
      end: ep.end?.at,
      at: ep.start.occurredAt,
      reference: ep.reference,
      outcome: (ep.end ? ep.end.outcome : ep.fields.Event_Outcome) ?? undefined,
      clientType: mapping.clientType[facts.subject],
      eventKind: (ep.type === 'Assessment' ? ep.fields.Assessment_Type : ep.fields.Service_Type) ?? undefined,
    });
  }
  return events;
}

const grouped = (outcome: string | undefined) => (outcome?.startsWith('NFA') ? 'NFA' : outcome);

/** The larger of two orders, ignoring a missing one (SQL Server's GREATEST). */
const greatest = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/**
 * Every request's wait by DHSC's method, for the journeys of the store (all of a person's journeys
 * together), with the dates of birth the person record holds.
 */
export function dhscWaits(
  journeys: readonly JourneyFacts[],
  options: {
    mapping: CldMapping;
    datesOfBirth: ReadonlyMap<string, string>;
    period: ReportingPeriod;
    /** the last day the store has entries for */
    asOfDate: string;
  },
): DhscRequestWait[] {
  const byPerson = new Map<string, DhscEvent[]>();
  for (const facts of journeys) {
    const mine = byPerson.get(facts.personId) ?? [];
    mine.push(...cldEventsOf(facts, options.mapping, options.asOfDate));
    byPerson.set(facts.personId, mine);
  }
  const waits: DhscRequestWait[] = [];
  for (const [personId, events] of byPerson) {
    waits.push(...dhscWaitsOfPerson(personId, events, options.datesOfBirth.get(personId), options.period));
  }
  return waits;
}

/** Stages 1 to 4.1 for one person's events: each of their requests' place in DHSC's figures. */
export function dhscWaitsOfPerson(
  personId: string,
  events: DhscEvent[],
  dateOfBirth: string | undefined,
  period: ReportingPeriod,
): DhscRequestWait[] {
  const ageAtStart = (e: DhscEvent) => (dateOfBirth ? yearsBetween(dateOfBirth, e.start) : undefined);
  // Before stage 1: a request or an assessment is in DHSC's tables once it has ended.
  const inTables = events.filter((e) => e.type === 'Service' || e.end !== undefined);
  // Stage 1.2
  const assessmentsAndServices = inTables.filter((e) =>
    e.type === 'Assessment'
      ? assessmentsMeasured.includes(e.eventKind ?? '')
      : e.type === 'Service' && servicesMeasured.includes(e.eventKind ?? ''),
  );
  // Stages 1.3 and 1.4, each request with the stage that left it out
  const results = new Map<DhscEvent, DhscRequestWait>();
  const valid: DhscEvent[] = [];
  for (const r of events.filter((e) => e.type === 'Request')) {
    const result: DhscRequestWait = { personId, team: r.team, requestStart: r.start };
    results.set(r, result);
    const age = ageAtStart(r);
    const leftOut: DhscLeftOut | undefined =
      r.end === undefined
        ? 'notEnded'
        : r.clientType !== 'Service user'
          ? 'notAServiceUser'
          : r.start < '2023-04-01'
            ? 'before2023'
            : age === undefined
              ? 'noDateOfBirth'
              : age < 25
                ? 'under25'
                : existingClient(r, assessmentsAndServices)
                  ? 'existingClient'
                  : ['NFA', 'Admitted to hospital', undefined].includes(grouped(r.outcome))
                    ? 'noProgress'
                    : undefined;
    if (leftOut) result.leftOut = leftOut;
    else valid.push(r);
  }
  // Stage 2.1: one order of the person's events; 2.2: nobody without a request
  const ordered = [...valid, ...assessmentsAndServices.filter((e) => (ageAtStart(e) ?? -1) >= 25)].sort(
    (a, b) =>
      (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) ||
      priority[a.type] - priority[b.type] ||
      Date.parse(a.at) - Date.parse(b.at) ||
      (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
  );
  if (!valid.length) return [...results.values()];
  // Stage 2.3: an assessment block (consecutive assessments) progresses if any of them does
  const blockProgress = new Map<DhscEvent, boolean>();
  for (let i = 0; i < ordered.length;) {
    if (ordered[i]!.type !== 'Assessment') {
      i++;
      continue;
    }
    let j = i;
    while (j < ordered.length && ordered[j]!.type === 'Assessment') j++;
    const block = ordered.slice(i, j);
    const progress = block.some((a) => assessmentProgressToService.includes(a.outcome ?? ''));
    for (const a of block) blockProgress.set(a, progress);
    i = j;
  }
  // Stages 2.4 to 3.3: each request's first response and first service, by their place in the
  // order (counted from 1, as the SQL's person_valid_event_order)
  const orderOf = (e: DhscEvent) => ordered.indexOf(e) + 1;
  const eventAt = (order: number) => ordered[order - 1]!;
  const linked = valid
    .map((r) => {
      const order = orderOf(r);
      const nextOf = (type: DhscEventType) => {
        const next = ordered.find((e, i) => i + 1 > order && e.type === type);
        return next && orderOf(next);
      };
      const assessment = nextOf('Assessment');
      const service = nextOf('Service');
      // Stage 3.1 is not applied (no conversation marker); 3.2: a service first is the first response
      const serviceFirst =
        (assessment !== undefined && service !== undefined && assessment > service) ||
        (assessment === undefined && service !== undefined);
      const response = serviceFirst ? service : assessment;
      // Stage 3.3
      const noProgress =
        response !== undefined &&
        eventAt(response).type === 'Assessment' &&
        blockProgress.get(eventAt(response)) === false;
      return { r, order, response, service: noProgress ? undefined : service };
    })
    .sort((a, b) => a.order - b.order);
  // Stage 3.4: a request begun before an earlier request's follow-up is over (0: none before)
  let maxResponse = 0;
  let maxService = 0;
  let previous: number | undefined;
  for (const { r, order, response, service } of linked) {
    const overlaps =
      (previous !== undefined && previous > order) ||
      (response !== undefined && response <= maxResponse) ||
      (service !== undefined && service <= maxService);
    previous = greatest(response, service);
    if (response !== undefined) maxResponse = Math.max(maxResponse, response);
    if (service !== undefined) maxService = Math.max(maxService, service);
    const result = results.get(r)!;
    if (overlaps) {
      result.leftOut = 'overlapsEarlierRequest';
      continue;
    }
    // Stage 4.1
    const wait = (order: number | undefined): DhscWait | undefined => {
      if (order === undefined) return undefined;
      const e = eventAt(order);
      return {
        type: e.type,
        start: e.start,
        days: daysBetween(r.start, e.start),
        band: bandOf(e, dateOfBirth, period.to),
      };
    };
    const firstResponse = wait(response);
    const firstService = wait(service);
    if (firstResponse) result.firstResponse = firstResponse;
    if (firstService) result.firstService = firstService;
  }
  return [...results.values()];
}

/**
 * Stage 1.3c: the person already had a service when the request came: begun before it, and open
 * or ended within 12 months before it (long-term support) or 3 months (reablement and other
 * short-term support).
 */
function existingClient(r: DhscEvent, assessmentsAndServices: readonly DhscEvent[]): boolean {
  return assessmentsAndServices.some((s) => {
    if (s.type !== 'Service' || !(s.start < r.start)) return false;
    const months = longTermServices.includes(s.eventKind ?? '')
      ? 12
      : shortTermServicesForExistingClients.includes(s.eventKind ?? '')
        ? 3
        : undefined;
    return months !== undefined && (s.end === undefined || s.end >= addCalendarMonths(r.start, -months));
  });
}

/** Whether a wait belongs to the period: DHSC counts it where the event waited for began. */
export const dhscWaitInPeriod = (w: DhscWait, period: ReportingPeriod): boolean => inPeriod(w.start, period);
